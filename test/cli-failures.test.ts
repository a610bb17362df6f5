/**
 * End to end failure paths: every one exits with the documented code and one clear message, never
 * prints the App Token, and leaves the disk exactly as it was.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, filesContaining, listFiles, removeDir, runCli, tempDir } from './support/cli';
import { plannedFiles } from '../src/render/template-files';
import { startFakeBackend, TEST_APP_TOKEN, type Behaviour, type FakeBackend } from './support/fake-backend';

let work: string;
let fake: FakeBackend | undefined;
beforeAll(() => {
  work = tempDir();
});
afterAll(() => removeDir(work));
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Runs create against a scripted fake and checks what every failure must guarantee. */
let runs = 0;
async function createAgainst(script: Behaviour[], extraEnv: Record<string, string> = {}, args: string[] = []) {
  fake = await startFakeBackend(script);
  const before = readdirSync(work).sort();
  const dir = `app${++runs}`;
  const result = await runCli([dir, '--yes', '--no-git', '--api-url', fake.url, '--platforms', 'web,python', ...args], {
    cwd: work,
    env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN, CREATE_MESIBO_APP_TIMEOUT_MS: '300', ...extraEnv }),
    timeout: 60_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  const project = path.join(work, dir);
  expect(output).not.toContain(TEST_APP_TOKEN);
  expect(output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  if (result.exitCode === 0) {
    // A run that recovered wrote the complete project, and the App Token is in none of its files.
    const appId = `com.example.${dir}`;
    expect(listFiles(project)).toEqual(plannedFiles([{ id: 'web', appId }, { id: 'python', appId }]));
    expect(filesContaining(project, TEST_APP_TOKEN)).toEqual([]);
  }
  return { result, output, before, project };
}

function expectNothingWritten(before: string[]) {
  expect(readdirSync(work).sort()).toEqual(before);
}

describe('backend failures', () => {
  it.each([200, 401])('AUTHFAIL with HTTP %i: exit 1, says the App Token was rejected, writes nothing', async (status) => {
    const { result, output, before } = await createAgainst([
      { kind: 'json', status, body: { op: 'useradd', result: false, error: 'AUTHFAIL', cause: 'Invalid or expired app token' } },
    ]);
    expect(result.exitCode).toBe(1);
    expect(output).toMatch(/mesibo rejected the App Token: AUTHFAIL/);
    expect(output).toMatch(/not a user access token/);
    expectNothingWritten(before);
  });

  it('a wrong App Token sent to the backend is reported, never echoed', async () => {
    const { result, output } = await createAgainst([{ kind: 'ok' }], { MESIBO_APP_TOKEN: 'WrongTokenValue123456' });
    expect(result.exitCode).toBe(1);
    expect(output).toMatch(/rejected the App Token/);
    expect(output).not.toContain('WrongTokenValue123456');
  });

  it('two 503s then success: retries and completes', async () => {
    const busy: Behaviour = { kind: 'raw', status: 503, body: 'busy' };
    const { result, output, project } = await createAgainst([busy, busy, { kind: 'ok' }]);
    expect(result.exitCode, output).toBe(0);
    expect(output).toMatch(/HTTP 503.*trying again/);
    expect(listFiles(project)).toContain('mesibo.json');
    expect(fake!.requests).toHaveLength(2 + 2);
  });

  it('a connection reset is retried', async () => {
    const { result, output, project } = await createAgainst([{ kind: 'reset' }, { kind: 'ok' }]);
    expect(result.exitCode, output).toBe(0);
    expect(listFiles(project)).toContain('mesibo.json');
  });

  it('429 with Retry-After is waited out', async () => {
    const { result, output, project } = await createAgainst([
      { kind: 'json', status: 429, body: { result: false, error: 'RATELIMIT' }, headers: { 'retry-after': '1' } },
      { kind: 'ok' },
    ]);
    expect(result.exitCode, output).toBe(0);
    expect(output).toMatch(/HTTP 429.*trying again in 1\.0 s/);
    expect(listFiles(project)).toContain('mesibo.json');
  });

  it('a backend that never answers times out, is retried a bounded number of times, exit 1', async () => {
    const { result, output, before } = await createAgainst([{ kind: 'hang' }], { CREATE_MESIBO_APP_MAX_ATTEMPTS: '2' });
    expect(result.exitCode).toBe(1);
    expect(output).toMatch(/kept failing .*TIMEOUT.*\(2 attempts\)/);
    expectNothingWritten(before);
  });

  it('garbled JSON: names the endpoint and the HTTP status, exit 1', async () => {
    const { result, output, before } = await createAgainst([{ kind: 'raw', status: 200, body: '{"op":"useradd","res' }]);
    expect(result.exitCode).toBe(1);
    expect(output).toMatch(new RegExp(`${fake!.url.replace(/[.]/g, '\\.')} answered HTTP 200 with a body that is not JSON`));
    expectNothingWritten(before);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while users are being created: exit %i, staging removed, nothing written', async (signal, code) => {
    fake = await startFakeBackend([{ kind: 'delay', ms: 30_000 }]);
    const before = readdirSync(work).sort();
    const child = runCli([`stopped-${signal}`, '--yes', '--no-git', '--api-url', fake.url, '--users', 'a,b,c,d,e,f'], {
      cwd: work,
      env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN }),
    });
    let exited = false;
    void child.finally(() => (exited = true));
    while (fake.requests.length === 0 && !exited) await new Promise((r) => setTimeout(r, 20));
    child.kill(signal);
    const result = await child;
    expect(result.exitCode).toBe(code);
    expect(String(result.stderr)).toContain(`Cancelled (${signal}); nothing was written`);
    expectNothingWritten(before);
  });
});

describe('usage errors: exit 2 before any backend call', () => {
  it('a non-empty target is refused, listing entries and mentioning --force', async () => {
    const dir = path.join(work, 'busy');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a.txt'), 'x');
    fake = await startFakeBackend();
    const result = await runCli(['busy', '--yes', '--api-url', fake.url], { cwd: work, env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN }) });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toMatch(/"busy" is not empty \(a\.txt\).*--force/);
    expect(fake.requests).toEqual([]);
    expect(listFiles(dir)).toEqual(['a.txt']);
  });

  it('no terminal and no App Token exits 2 at once, naming every way to give one', async () => {
    fake = await startFakeBackend();
    const result = await runCli(['no-token', '--api-url', fake.url], { cwd: work, timeout: 20_000 });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toMatch(/MESIBO_APP_TOKEN.*--app-token-file.*--sandbox/s);
    expect(fake.requests).toEqual([]);
    expect(existsSync(path.join(work, 'no-token'))).toBe(false);
  });

  it.each([
    [['--app-token', 'SECRETVALUE1234'], /not accepted as a command-line value/],
    [['--app-token=SECRETVALUE1234'], /not accepted as a command-line value/],
    [['--platforms', 'web,windows', '--sandbox'], /--platforms "web,windows" has unknown platform "windows"/],
    [['--app-id', 'my-app', '--sandbox'], /--app-id "my-app" is not valid as the Android application id.*--android-app-id/],
    [['--ios-app-id', 'com.x_y.z', '--sandbox'], /--ios-app-id "com.x_y.z" is not valid as the iOS bundle identifier/],
    [['--users', '123', '--sandbox'], /--users "123" needs at least 2 addresses/],
    [['--token-expiry', '0', '--sandbox'], /--token-expiry "0" must be at least 1 minute/],
    [['--api-url', 'api.mesibo.com'], /--api-url "api.mesibo.com" is not a URL/],
    [['--sandbox', '--api-url', 'http://x/'], /--sandbox and --api-url cannot be used together/],
    [['--frobnicate'], /Unknown option --frobnicate/],
    [['--name'], /Option --name needs a value/],
    [['--force=yes'], /--force is a switch/],
    [['--python-app-id', 'x.y', '--platforms', 'web', '--sandbox'], /--python-app-id was given but python is not among --platforms/],
    [['--app-token-file', '/nonexistent/token'], /--app-token-file "\/nonexistent\/token" does not exist/],
  ])('%j', async (args, message) => {
    const result = await runCli(['bad', '--yes', ...args], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toMatch(message);
    expect(String(result.stderr)).not.toContain('SECRETVALUE1234');
    expect(String(result.stderr).trim().split('\n')).toHaveLength(1); // one paragraph, no stack
    expect(existsSync(path.join(work, 'bad'))).toBe(false);
  });

  it('a path with ".." is refused', async () => {
    const result = await runCli(['../escape', '--sandbox', '--yes'], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toMatch(/contains a "\.\." segment/);
  });
});

describe('help and version', () => {
  it('--help lists every platform flag from the registry and exits 0', async () => {
    const result = await runCli(['--help'], { cwd: work });
    expect(result.exitCode).toBe(0);
    for (const flag of ['--android-app-id', '--ios-app-id', '--web-app-id', '--cpp-app-id', '--python-app-id', '--sandbox', '--no-git']) {
      expect(result.stdout).toContain(flag);
    }
  });
  it('--version prints the package version', async () => {
    const result = await runCli(['--version'], { cwd: work });
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('--json failures', () => {
  it('print a machine-readable failure on stdout, with no token', async () => {
    fake = await startFakeBackend([{ kind: 'json', status: 401, body: { op: 'useradd', result: false, error: 'AUTHFAIL' } }]);
    const result = await runCli(['json-fail', '--json', '--no-git', '--api-url', fake.url], {
      cwd: work,
      env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN }),
    });
    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(String(result.stdout));
    expect(summary).toMatchObject({ ok: false, exitCode: 1, error: expect.stringMatching(/rejected the App Token/) });
    expect(String(result.stdout) + result.stderr).not.toContain(TEST_APP_TOKEN);
  });

  it('--verbose output never carries the App Token either', async () => {
    // A backend that resets every connection: the failure carries a cause whose stack --verbose prints.
    const backend = await startFakeBackend([{ kind: 'reset' }]);
    const result = await runCli(['verbose', '--verbose', '--yes', '--no-git', '--api-url', backend.url], {
      cwd: work,
      env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN, CREATE_MESIBO_APP_MAX_ATTEMPTS: '1' }),
    });
    await backend.close();
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/kept failing/);
    expect(String(result.stderr)).not.toContain(TEST_APP_TOKEN);
  });
});
