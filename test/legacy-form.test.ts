/**
 * mesibo's older backend form (issue 20): an --api-url ending in api.php is spoken to with GET and query
 * parameters (op, token, addr, appid, expiry, name; message: from, to, msg), as mesibo/samples
 * php/mesibohelper.php (2020) sends them; never over plain http to another machine, --allow-http or not,
 * because the App Token is in the URL. The sandbox answers that form too (legacyQueryToBody), so a create
 * against it makes real sandbox users whose tokens the sandbox accepts.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendClient } from '../src/backend/client';
import { isLegacyEndpoint, legacyQuery } from '../src/backend/legacy-form';
import { legacyQueryToBody } from '../src/sandbox/legacy-form';
import { startSandbox, type Sandbox } from '../src/sandbox/server';
import { checkToken, tagIndex } from '../src/sandbox/tokens';
import { removeScratch, runInProcess, scratchDir } from './support/security-run';

const APP_TOKEN = 'q7Rk2ZxW9mVb4TnL0pYs8HcJ3dGf6EuA1oQi5XwKzNr2Bv7Mt9Cy4Pe0La6Sh3Dj';

describe('the GET form of a request', () => {
  it('is chosen for an endpoint whose path ends in api.php, and only then', () => {
    expect(isLegacyEndpoint('https://onprem.example/api.php')).toBe(true);
    expect(isLegacyEndpoint('https://api.mesibo.com/api.php')).toBe(true);
    expect(isLegacyEndpoint('https://api.mesibo.com/backend/')).toBe(false);
    expect(isLegacyEndpoint('https://x.example/api.php/more')).toBe(false);
    expect(isLegacyEndpoint('https://x.example/backend/?f=api.php')).toBe(false);
  });

  it("names the parameters as mesibo's older sample does, and the sandbox reads them back into the JSON body", () => {
    const useradd = { op: 'useradd', token: APP_TOKEN, user: { address: 'ana', name: 'Ana B', token: { appid: 'com.x.y', expiry: 60, v2: true } } };
    const query = legacyQuery(useradd);
    expect([...query]).toEqual([
      ['op', 'useradd'],
      ['token', APP_TOKEN],
      ['addr', 'ana'],
      ['name', 'Ana B'],
      ['appid', 'com.x.y'],
      ['expiry', '60'],
    ]);
    expect(legacyQueryToBody(query)).toEqual({ op: 'useradd', token: APP_TOKEN, user: { address: 'ana', name: 'Ana B', token: { appid: 'com.x.y', expiry: 60 } } });

    const message = { op: 'message', token: APP_TOKEN, message: { from: 'host', to: 'a,b', message: 'Hi & bye' } };
    expect([...legacyQuery(message)]).toEqual([['op', 'message'], ['token', APP_TOKEN], ['from', 'host'], ['to', 'a,b'], ['msg', 'Hi & bye']]);
    expect(legacyQueryToBody(legacyQuery(message))).toEqual(message);
    // Without an appid no token is asked for, as in the JSON form; a missing address stays missing.
    expect(legacyQueryToBody(new URLSearchParams('op=useradd&token=t'))).toEqual({ op: 'useradd', token: 't', user: { address: undefined, name: undefined } });
  });

  it('is sent as GET with no body, and the answer read as the JSON form\'s', async () => {
    const seen: Array<{ method?: string; url?: string; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ op: 'useradd', result: true, user: { uid: 77, token: 'a'.repeat(64) } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = createBackendClient({ endpoint: `http://127.0.0.1:${port}/mesibo/api.php`, appToken: APP_TOKEN });
    try {
      expect(await client.useradd({ address: 'ana', name: 'Ana', appId: 'com.x.y', expiryMinutes: 60 })).toEqual({ uid: '77', token: 'a'.repeat(64) });
      expect(seen).toEqual([{ method: 'GET', url: `/mesibo/api.php?op=useradd&token=${APP_TOKEN}&addr=ana&name=Ana&appid=com.x.y&expiry=60`, body: '' }]);
    } finally {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('create with --api-url …/api.php', () => {
  let sandbox: Sandbox;
  let cwd: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    cwd = scratchDir('cma-legacy-');
  });
  afterAll(async () => {
    await sandbox.close();
    removeScratch(cwd);
  });

  it('creates the users on the sandbox through the GET form; their tokens are ones the sandbox accepts', async () => {
    const endpoint = new URL('api.php', sandbox.url).href;
    const run = await runInProcess(['chat', '--yes', '--no-git', '--platforms', 'python', '--users', 'ana,ben', '--api-url', endpoint], {
      cwd,
      env: { MESIBO_APP_TOKEN: APP_TOKEN },
    });
    expect(run.code, run.output).toBe(0);
    expect(run.output).not.toContain(APP_TOKEN);
    expect([...sandbox.key.users.keys()].sort()).toEqual(['ana', 'ben']);
    const config = JSON.parse(readFileSync(path.join(cwd, 'chat', 'python', 'config.json'), 'utf8')) as { appId: string; users: Array<{ address: string; token: string }> };
    for (const user of config.users) {
      expect(checkToken(sandbox.key, tagIndex(sandbox.key), config.appId, user.token)).toEqual({ ok: true, address: user.address });
    }
  });

  it('over plain http to another machine is refused even with --allow-http (exit 2, the App Token is never read)', async () => {
    const run = await runInProcess(['other', '--yes', '--no-git', '--platforms', 'web', '--api-url', 'http://onprem.example/mesibo/api.php', '--allow-http'], {
      cwd,
      env: { MESIBO_APP_TOKEN: APP_TOKEN },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('puts the App Token in the URL');
    expect(run.stderr).toContain('refused even with --allow-http');
    expect(run.stderr).toContain('Use https://onprem.example/mesibo/api.php');
    expect(run.output).not.toContain(APP_TOKEN);
  });
});
