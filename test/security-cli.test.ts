/**
 * Issue 12, cases 4, 7, 9, 10 and 11 through the whole CLI (`main()` in process, the real HTTP client
 * and printer): what a user sees, the exit code, and what is left on disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { filesBelow, removeScratch, runInProcess, scratchDir } from './support/security-run';
import {
  leakedFragment,
  SECURITY_APP_TOKEN,
  startProxy,
  startScriptedBackend,
  userToken,
  type Reply,
  type ScriptedBackend,
  type TestProxy,
} from './support/security-backend';

let work: string;
let backend: ScriptedBackend | undefined;
let proxy: TestProxy | undefined;
beforeAll(() => {
  work = scratchDir();
});
afterAll(() => removeScratch(work));
afterEach(async () => {
  await proxy?.close();
  await backend?.close();
  proxy = backend = undefined;
});

const env = { MESIBO_APP_TOKEN: SECURITY_APP_TOKEN, CREATE_MESIBO_APP_TIMEOUT_MS: '2000' };
const issued = (body: Record<string, any>): Reply => ({
  body: { op: 'useradd', result: true, user: { uid: 7000 + Number(body.user.address), token: userToken(`${body.user.address}/${body.user.token.appid}`) } },
});

let runs = 0;
async function create(args: string[], extraEnv: Record<string, string> = {}) {
  const dir = `app${++runs}`;
  const before = readdirSync(work).sort();
  const result = await runInProcess([dir, '--yes', '--no-git', '--platforms', 'cpp,python', '--app-id', 'com.example.sec', ...args], { cwd: work, env: { ...env, ...extraEnv } });
  expect(leakedFragment(result.output, [SECURITY_APP_TOKEN])).toBeUndefined();
  expect(result.output).not.toContain('This is a bug');
  return { ...result, dir: path.join(work, dir), before };
}

describe('endpoints (case 4)', () => {
  it('plain http to another machine: exit 2 before anything is asked, sent or written', async () => {
    const r = await create(['--api-url', 'http://mesibo.corp.example/backend/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--api-url "http:\/\/mesibo\.corp\.example\/backend\/" uses plain http .* add --allow-http\./);
    expect(readdirSync(work).sort()).toEqual(r.before);
  });

  it('with --allow-http, through HTTP_PROXY: the whole run goes through the proxy (case 9)', async () => {
    backend = await startScriptedBackend(issued);
    proxy = await startProxy(backend.port);
    const r = await create(['--api-url', 'http://mesibo.corp.example/backend/', '--allow-http'], { HTTP_PROXY: proxy.url });
    expect(r.code, r.output).toBe(0);
    expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set(['mesibo.corp.example:80']));
    expect(backend.requests).toHaveLength(2);
    expect(filesBelow(r.dir).some((f) => f.content.includes(userToken('123/com.example.sec')))).toBe(true);
  });

  it('credentials in --api-url are refused and never printed, in --json either', async () => {
    const r = await create(['--api-url', 'https://admin:hunter2-secret@api.example/backend/', '--json']);
    expect(r.code).toBe(2);
    expect(r.output).not.toMatch(/hunter2|admin/);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringContaining('"https://***@api.example/backend/"') });
  });
});

describe('backend values (case 10) and partial failures (case 7)', () => {
  it('a token with a space is refused: exit 1, not quoted, no project written', async () => {
    const spaced = `${userToken('x').slice(0, 32)} ${userToken('x').slice(32)}`;
    backend = await startScriptedBackend(() => ({ body: { op: 'useradd', result: true, user: { uid: 1, token: spaced } } }));
    const r = await create(['--api-url', backend.url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/user\.token that is not an access token as mesibo issues them \(65 characters, with spaces/);
    expect(leakedFragment(r.output, [spaced, ...spaced.split(' ')])).toBeUndefined();
    expect(existsSync(r.dir)).toBe(false);
    expect(readdirSync(work).sort()).toEqual(r.before); // no staging folder left either
  });

  it('escape sequences in an error never reach the terminal; properties of the wrong type are no bug', async () => {
    backend = await startScriptedBackend(() => ({
      status: 400,
      body: { op: 'useradd', result: false, error: 'BAD\u001b[2J', cause: '\u001b]8;;http://evil/\u0007click\u001b]8;;\u0007', properties: { a: 1 } },
    }));
    const r = await create(['--api-url', backend.url]);
    expect(r.code).toBe(1);
    expect(r.output).not.toMatch(/[\u001b\u0007]/);
    expect(r.stderr).toMatch(/refused useradd for user "123" .*: "BAD" \(click\) \(HTTP 400\)\./);
  });

  it('--json: a failure after successes lists who was created, and --verbose stack traces are redacted too', async () => {
    // The backend rejects the App Token on the third request, echoing it in its cause.
    backend = await startScriptedBackend((body, i) =>
      i < 2 ? issued(body) : { status: 401, body: { op: 'useradd', result: false, error: 'AUTHFAIL', cause: `token ${body.token} revoked` } },
    );
    const r = await create(['--api-url', backend.url, '--users', '1,2,3,4', '--json', '--verbose'], { CREATE_MESIBO_APP_CONCURRENCY: '1' });
    expect(r.code).toBe(1);
    const failure = JSON.parse(r.stdout);
    expect(failure).toMatchObject({ ok: false, exitCode: 1 });
    expect(failure.error).toMatch(/^mesibo accepted the App Token for 2 requests, then rejected it \(AUTHFAIL: token \[redacted\] revoked\)/);
    expect(failure.provisioned).toEqual({
      created: [
        { appId: 'com.example.sec', address: '1', uid: '7001' },
        { appId: 'com.example.sec', address: '2', uid: '7002' },
      ],
      notCreated: [
        { appId: 'com.example.sec', address: '3' },
        { appId: 'com.example.sec', address: '4' },
      ],
      unconfirmed: [],
    });
    expect(r.stderr).toMatch(/\n\s+at /); // the stack trace is there, and redacted like the rest
    expect(leakedFragment(r.output, [userToken('1/com.example.sec'), userToken('2/com.example.sec')])).toBeUndefined();
    expect(existsSync(r.dir)).toBe(false);
  });
});

describe('secrets echoed (case 11)', () => {
  it('--app-token-file given the token itself: exit 2, the value is not shown', async () => {
    const r = await create(['--app-token-file', SECURITY_APP_TOKEN], { MESIBO_APP_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--app-token-file \(the value given, not shown: it looks like a token, not a path\) does not exist/);
  });

  it('--app-token-file /dev/zero: exit 2 at once', async () => {
    const r = await create(['--app-token-file', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"\/dev\/zero" is larger than 4096 bytes/);
  });
});
