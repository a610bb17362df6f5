/**
 * The web starter in headless Chromium: each demo user logs in with the right token and appid, sees the
 * status in words, sends to the other user and sees incoming messages; the picker, AUTHFAIL, a missing
 * config.js and hostile values; and `npm start`'s server, which must never serve outside the folder.
 */
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownCode, queryValue } from '../src/render/literals';
import { fakeToken, renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { HOSTILE, expectTokensOnlyInSecretFile } from './support/starter-common';
import { CHROMIUM, launchChromium, openStarter, startServer, type StarterPage } from './support/web-starter';

const tools = assertToolsOrSkip([CHROMIUM]);
const APP_ID = 'demo.web-app';

let project: string;
let webDir: string;

beforeAll(async () => {
  project = (await renderFixture({ platforms: [{ id: 'web', appId: APP_ID }], users: ['123', '456', '789'] })).dir;
  webDir = path.join(project, 'web');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

it('keeps the tokens in config.js only', () => {
  expectTokensOnlyInSecretFile(project, 'web', APP_ID, ['123', '456', '789']);
});

describe.skipIf(tools.skip)(`web starter in Chromium ${tools.reason}`, () => {
  let browser: Browser;
  const pages: StarterPage[] = [];
  const open = async (dir: string, query: string, withhold: string[] = []) => {
    const opened = await openStarter(browser, dir, query, withhold);
    pages.push(opened);
    return opened;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()));
    await browser?.close();
  });

  for (const [me, peer] of [['123', '456'], ['456', '123']] as const) {
    it(`logs in as demo user ${me}, sends to ${peer} and shows incoming messages`, async () => {
      const { page, errors, calls } = await open(webDir, `/index.html?user=${me}`);
      const status = page.locator('#status');
      await expect.poll(() => status.textContent()).toBe('online');
      expect(await calls()).toEqual([
        { call: 'new' },
        { call: 'setAppName', appid: APP_ID },
        { call: 'setListener' },
        { call: 'setAccessToken', token: fakeToken(me, APP_ID) },
        { call: 'start' },
      ]);
      expect(await page.locator('#me').textContent()).toBe(me);
      expect(await page.locator('#peer').inputValue()).toBe(peer);

      await page.locator('#text').fill(`hello from ${me} ü`);
      await page.locator('#text').press('Enter');
      await expect.poll(calls).toContainEqual({ call: 'send', to: peer, type: 0, message: `hello from ${me} ü` });
      expect(await page.locator('#messages li.outgoing').textContent()).toBe(`you to ${peer}hello from ${me} ü`);
      expect(await page.locator('#messages li.incoming').count()).toBe(0); // mesibo's echo of our own message
      expect(await page.locator('#text').inputValue()).toBe('');

      await page.evaluate(([from, text]) => (globalThis as any).mesiboDouble.receive(from, text), [peer, `hi ${me}`]);
      expect(await page.locator('#messages li.incoming').textContent()).toBe(`${peer}hi ${me}`);
      expect(errors).toEqual([]);
    });
  }

  it('offers every user when no ?user= is given, and logs in as the one picked', async () => {
    const { page, errors, calls } = await open(webDir, '/');
    expect(await page.locator('#users a').allTextContents()).toEqual(['123', '456', '789']);
    expect(await calls()).toEqual([]);
    await page.getByRole('link', { name: '789' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('online');
    expect(new URL(page.url()).searchParams.get('user')).toBe('789');
    expect(await calls()).toContainEqual({ call: 'setAccessToken', token: fakeToken('789', APP_ID) });
    // A user outside the demo pair writes to the first demo user by default.
    expect(await page.locator('#peer').inputValue()).toBe('123');
    expect(errors).toEqual([]);
  });

  it('names an unknown ?user= and offers the picker instead', async () => {
    const { page, calls } = await open(webDir, '/?user=999');
    expect(await page.locator('#problem').textContent()).toBe('config.js has no user "999": pick one below.');
    expect(await page.locator('#users a').count()).toBe(3);
    expect(await calls()).toEqual([]);
  });

  it('explains AUTHFAIL in words and stops sending', async () => {
    const { page } = await open(webDir, '/?user=123');
    await expect.poll(() => page.locator('#status').textContent()).toBe('online');
    await page.evaluate(() => (globalThis as any).mesiboDouble.setStatus(4));
    expect(await page.locator('#status').textContent()).toContain('AUTHFAIL: the token or appid does not match');
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    expect(await page.locator('#text').isDisabled()).toBe(true);
  });

  it('without config.js, points at the .example twin and at refresh', async () => {
    const { page, errors, calls } = await open(webDir, '/?user=123', ['config.js']);
    const problem = await page.locator('#problem').textContent();
    expect(problem).toContain('config.js is missing');
    expect(problem).toContain('Copy config.js.example to config.js');
    expect(problem).toContain('MESIBO_APP_TOKEN=<your App Token> npx create-mesibo-app refresh');
    expect(await calls()).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows hostile names and addresses exactly and sends to them', async () => {
    const hostile = await renderFixture({ name: HOSTILE.name, platforms: [{ id: 'web', appId: APP_ID }], users: HOSTILE.users });
    try {
      const dir = path.join(hostile.dir, 'web');
      const [first, second] = HOSTILE.users as [string, string, string];
      const picker = await open(dir, '/');
      expect(await picker.page.title()).toBe(HOSTILE.name);
      expect(await picker.page.locator('h1').textContent()).toBe(HOSTILE.name);
      expect(await picker.page.locator('#users a').allTextContents()).toEqual(HOSTILE.users);
      expect(picker.errors).toEqual([]);

      const { page, errors, calls } = await open(dir, `/?user=${encodeURIComponent(second)}`);
      await expect.poll(() => page.locator('#status').textContent()).toBe('online');
      expect(await calls()).toContainEqual({ call: 'setAccessToken', token: fakeToken(second, APP_ID) });
      await page.locator('#text').fill('</script>"\'\\${x}');
      await page.locator('#text').press('Enter');
      await expect.poll(calls).toContainEqual({ call: 'send', to: first, type: 0, message: '</script>"\'\\${x}' });
      expect(errors).toEqual([]);

      // The README links log in as each user: the same query the page reads back above.
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      for (const user of HOSTILE.users) {
        expect(readme).toContain(`- ${markdownCode(user)}: <http://localhost:8080/?user=${queryValue(user)}>\n`);
        expect(new URL(`http://localhost:8080/?user=${queryValue(user)}`).searchParams.get('user')).toBe(user);
      }
    } finally {
      rmSync(hostile.dir, { recursive: true, force: true });
    }
  });
});

describe('npm start', () => {
  const get = (port: string, rawPath: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: rawPath }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
        .on('error', reject)
        .end();
    });

  it('is a dependency-free package.json running serve.mjs', () => {
    const pkg = JSON.parse(readFileSync(path.join(webDir, 'package.json'), 'utf8'));
    expect(pkg.scripts).toEqual({ start: 'node serve.mjs' });
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.devDependencies ?? {}).toEqual({});
  });

  it('serves the folder on localhost and nothing outside it', async () => {
    // Files outside web/ that a traversal would reach: the project README and a secret beside it.
    writeFileSync(path.join(project, 'outside.txt'), 'OUTSIDE-SECRET');
    symlinkSync(path.join(project, 'outside.txt'), path.join(webDir, 'link.txt'));
    const server = await startServer(webDir);
    try {
      const port = new URL(server.url).port;
      const index = await get(port, '/');
      expect(index.status).toBe(200);
      expect(index.body).toBe(readFileSync(path.join(webDir, 'index.html'), 'utf8'));
      expect((await get(port, '/config.js?user=123')).body).toContain(fakeToken('123', APP_ID));
      expect((await get(port, '/missing.js')).status).toBe(404);
      for (const attempt of ['/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/..%5coutside.txt',
        '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/link.txt', '/%00', '/%E0%A4%A']) {
        const res = await get(port, attempt);
        expect(res.status, attempt).toBe(404);
        expect(res.body, attempt).not.toContain('OUTSIDE-SECRET');
      }
    } finally {
      await server.stop();
      rmSync(path.join(webDir, 'link.txt'));
    }
  });
});
