/**
 * `create-mesibo-app refresh`, end to end with the built CLI: a sandbox project gets fresh tokens from
 * the fake backend in its token files and manifest, and nothing else on disk changes; every failure
 * (no project, bad manifest, rejected App Token, network, Ctrl-C) leaves every file byte-identical and
 * never shows the App Token.
 */
import { readFileSync, rmSync, unlinkSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, mode, removeDir, runCli, tempDir } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import {
  SECRET_FILES,
  copyProject,
  createSandboxProject,
  expectUnchanged,
  fakeTokensFor,
  filesHolding,
  snapshot,
  tokensIn,
} from './support/refresh';
import { execa } from 'execa';
import { assertToolsOrSkip } from './support/tools';

const APP_ID = 'com.example.chat';
const USERS = ['123', '456', '789'];

let work: string;
let template: string;
let fake: FakeBackend | undefined;
let copies = 0;

beforeAll(async () => {
  work = tempDir('cma-refresh-');
  template = await createSandboxProject(work, 'template', ['--app-id', APP_ID, '--users', USERS.join(',')]);
});
afterAll(() => removeDir(work));
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function freshProject(): string {
  return copyProject(template, path.join(work, `project-${++copies}`));
}

function manifestOf(project: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(project, 'mesibo.json'), 'utf8'));
}

/** Runs refresh in `cwd` with the App Token in the environment unless `env` says otherwise. */
async function refresh(cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = await runCli(['refresh', ...args], {
    cwd,
    env: cliEnv({ CI: '1', MESIBO_APP_TOKEN: TEST_APP_TOKEN, CREATE_MESIBO_APP_TIMEOUT_MS: '2000', ...env }),
    timeout: 60_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(output).not.toContain(TEST_APP_TOKEN);
  expect(output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  return { result, output };
}

/** A failed refresh: the exit code, the key words, every file as it was, no App Token anywhere. */
async function expectRefusal(project: string, args: string[], code: number, message: RegExp, env: Record<string, string | undefined> = {}) {
  const before = snapshot(project);
  const { result, output } = await refresh(project, args, env);
  expect(result.exitCode, output).toBe(code);
  expect(output).toMatch(message);
  expectUnchanged(before, snapshot(project));
  expect(filesHolding(project, TEST_APP_TOKEN)).toEqual([]);
  return output;
}

describe('refresh of a sandbox project against a backend', () => {
  it('rewrites every token file with the issued tokens, updates mesibo.json, and changes nothing else', async () => {
    const project = freshProject();
    // The user's own edits, which must survive.
    appendFileSync(path.join(project, 'python/main.py'), '\n# my own change\n');
    writeFileSync(path.join(project, 'notes.txt'), 'mine\n');
    const oldTokens = new Map(SECRET_FILES.map((rel) => [rel, tokensIn(readFileSync(path.join(project, rel), 'utf8'))]));
    const before = snapshot(project);
    const oldManifest = manifestOf(project);
    fake = await startFakeBackend();
    const started = Date.now();

    const { result } = await refresh(project, ['--api-url', fake.url, '--token-expiry', '60']);
    const finished = Date.now();

    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(result.stdout).toContain(`Backend: ${fake.url} (from --api-url)`);
    expect(result.stdout).toMatch(/Rewrote 5 token config files/);
    for (const rel of SECRET_FILES) expect(result.stdout).toContain(rel);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Sandbox tokens work only|from what this create-mesibo-app writes/);

    // The backend was asked once per user (one shared appid), with the App Token and the new expiry.
    expect(fake.requests.map((r) => r.user.address).sort()).toEqual(USERS);
    for (const r of fake.requests) {
      expect(r).toMatchObject({ op: 'useradd', token: TEST_APP_TOKEN, user: { token: { appid: APP_ID, expiry: 60 } } });
    }

    // Only issued tokens, in every token file, in place of the old ones (some starters carry only the
    // demo pair, so each file keeps its own count), mode 600.
    const issued = fakeTokensFor(USERS, APP_ID);
    const pair = fakeTokensFor(USERS.slice(0, 2), APP_ID);
    for (const rel of SECRET_FILES) {
      const file = path.join(project, rel);
      const tokens = tokensIn(readFileSync(file, 'utf8'));
      expect(tokens.length, rel).toBe(oldTokens.get(rel)!.length);
      expect(issued, rel).toEqual(expect.arrayContaining(tokens));
      expect(tokens, rel).toEqual(expect.arrayContaining(pair));
      expect(tokens.some((t) => oldTokens.get(rel)!.includes(t)), rel).toBe(false);
      expect(mode(file), rel).toBe(0o600);
    }
    for (const rel of ['web/config.js', 'python/config.json', 'cpp/mesibo.conf']) {
      expect(tokensIn(readFileSync(path.join(project, rel), 'utf8')), rel).toEqual(issued);
    }

    // Nothing else changed: the edited file, the .example twins, READMEs, every source file.
    const after = snapshot(project);
    expectUnchanged(before, after, [...SECRET_FILES, 'mesibo.json']);
    expect(after.get('mesibo.json')!.mode).toBe(before.get('mesibo.json')!.mode);
    expect(readFileSync(path.join(project, 'python/main.py'), 'utf8')).toMatch(/# my own change\n$/);

    // The manifest records the new backend, expiry and uids; everything else in it is as it was.
    const manifest = manifestOf(project);
    expect(manifest).toMatchObject({ sandbox: false, endpoint: fake.url, tokenExpiryMinutes: 60 });
    const expiresAt = Date.parse(manifest.tokensExpireAt);
    expect(expiresAt).toBeGreaterThanOrEqual(started + 60 * 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(finished + 60 * 60_000);
    expect(manifest.users.map((u: any) => u.address)).toEqual(USERS);
    const uids = manifest.users.map((u: any) => u.uid);
    expect(new Set(uids).size).toBe(USERS.length);
    for (const uid of uids) expect(Number(uid)).toBeGreaterThanOrEqual(5000); // the fake's, not the sandbox's
    expect(uids).not.toEqual(oldManifest.users.map((u: any) => u.uid));
    const { endpoint, sandbox, tokenExpiryMinutes, tokensExpireAt, users, ...rest } = manifest;
    const { endpoint: e0, sandbox: s0, tokenExpiryMinutes: t0, tokensExpireAt: x0, users: u0, ...rest0 } = oldManifest;
    expect(rest).toEqual(rest0);
    expect(Object.keys(manifest)).toEqual(Object.keys(oldManifest));

    // No temp or backup file left behind, and the App Token is nowhere on disk.
    expect(filesHolding(project, TEST_APP_TOKEN)).toEqual([]);
  });

  it('runs from inside the project with no folder argument, reads the App Token from a file, prints JSON', async () => {
    const project = freshProject();
    const tokenFile = path.join(work, 'app-token.txt');
    writeFileSync(tokenFile, `${TEST_APP_TOKEN}\n`);
    fake = await startFakeBackend();
    const { result } = await refresh(project, ['--api-url', fake.url, '--app-token-file', tokenFile, '--json'], {
      MESIBO_APP_TOKEN: undefined,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const summary = JSON.parse(String(result.stdout));
    expect(summary).toMatchObject({ ok: true, command: 'refresh', path: project, sandbox: false, endpoint: fake.url });
    expect(summary.files).toEqual(SECRET_FILES);
    expect(tokensIn(String(result.stdout))).toEqual([]); // no user token in the summary
    expect(String(result.stderr)).toContain('the current folder');
    expect(tokensIn(readFileSync(path.join(project, 'web/config.js'), 'utf8'))).toEqual(fakeTokensFor(USERS, APP_ID));
  });

  it('creates a token file that is missing, as in a fresh git clone', async () => {
    const project = freshProject();
    unlinkSync(path.join(project, 'web/config.js'));
    fake = await startFakeBackend();
    const { result } = await refresh(project, ['--api-url', fake.url]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(result.stdout).toContain('web/config.js (was missing; created)');
    expect(mode(path.join(project, 'web/config.js'))).toBe(0o600);
    expect(tokensIn(readFileSync(path.join(project, 'web/config.js'), 'utf8'))).toEqual(fakeTokensFor(USERS, APP_ID));
  });

  it('warns when a committed .example twin shows another token file format, and still refreshes', async () => {
    const project = freshProject();
    writeFileSync(path.join(project, 'cpp/mesibo.conf.example'), '# an older format\n123=PASTE\n');
    const before = snapshot(project);
    fake = await startFakeBackend();
    const { result, output } = await refresh(project, ['--api-url', fake.url]);
    expect(result.exitCode, output).toBe(0);
    expect(String(result.stderr)).toMatch(/cpp\/mesibo\.conf\.example differs from what this create-mesibo-app writes/);
    expect(String(result.stderr)).not.toMatch(/web\/config\.js\.example/);
    expectUnchanged(before, snapshot(project), [...SECRET_FILES, 'mesibo.json']);
  });

  it('with --sandbox issues sandbox tokens, keeps the project a sandbox one and says so', async () => {
    const project = freshProject();
    const before = snapshot(project);
    const { result, output } = await refresh(project, ['--sandbox'], { MESIBO_APP_TOKEN: undefined });
    expect(result.exitCode, output).toBe(0);
    expect(output).toMatch(/Backend: the built-in sandbox/);
    expect(output).toMatch(/Sandbox tokens work only with the built-in sandbox/);
    expect(manifestOf(project)).toMatchObject({ sandbox: true, endpoint: null });
    expectUnchanged(before, snapshot(project), [...SECRET_FILES, 'mesibo.json']);
    const tokens = tokensIn(readFileSync(path.join(project, 'python/config.json'), 'utf8'));
    expect(tokens).toHaveLength(USERS.length);
    expect(tokens).not.toEqual(tokensIn(readFileSync(path.join(template, 'python/config.json'), 'utf8')));
  });
});

describe('refresh in a terminal', () => {
  const tools = assertToolsOrSkip(['python3']);
  it.skipIf(tools.skip)('asks for the App Token masked, never echoes it, and refreshes', async () => {
    const project = freshProject();
    fake = await startFakeBackend();
    const ptyRun = path.join(import.meta.dirname, 'support', 'pty-run.py');
    const steps = [['App Token', `${TEST_APP_TOKEN}\r`]];
    const result = await execa('python3', [ptyRun, JSON.stringify(steps), 'node', CLI, 'refresh', '--api-url', fake.url], {
      cwd: project,
      env: cliEnv({ TERM: 'xterm' }),
      extendEnv: false,
      reject: false,
      timeout: 40_000,
    });
    const transcript = String(result.stdout);
    expect(result.exitCode, transcript).toBe(0);
    expect(transcript).toContain('App Token');
    expect(transcript).not.toContain(TEST_APP_TOKEN);
    expect(transcript).toMatch(/Rewrote 5 token config files/);
    expect(fake.requests.every((r) => r.token === TEST_APP_TOKEN)).toBe(true);
    expect(filesHolding(project, TEST_APP_TOKEN)).toEqual([]);
  });
});

describe('refresh failures leave every file as it was', () => {
  it.each([200, 401])('a rejected App Token (AUTHFAIL, HTTP %i): exit 1', async (status) => {
    const project = freshProject();
    fake = await startFakeBackend([
      { kind: 'json', status, body: { op: 'useradd', result: false, error: 'AUTHFAIL', cause: 'Invalid or expired app token' } },
    ]);
    const output = await expectRefusal(project, ['--api-url', fake.url], 1, /mesibo rejected the App Token: AUTHFAIL/);
    expect(output).toMatch(/Nothing in .* was changed/);
  });

  it('a wrong App Token is reported and never echoed', async () => {
    const project = freshProject();
    fake = await startFakeBackend([{ kind: 'ok' }]);
    const output = await expectRefusal(project, ['--api-url', fake.url], 1, /rejected the App Token/, {
      MESIBO_APP_TOKEN: 'WrongTokenValue123456',
    });
    expect(output).not.toContain('WrongTokenValue123456');
    expect(filesHolding(project, 'WrongTokenValue123456')).toEqual([]);
  });

  it('a network fault that outlasts the retries: exit 1', async () => {
    const project = freshProject();
    fake = await startFakeBackend([{ kind: 'reset' }]);
    await expectRefusal(project, ['--api-url', fake.url], 1, /kept failing|Could not reach/, {
      CREATE_MESIBO_APP_MAX_ATTEMPTS: '2',
      CREATE_MESIBO_APP_RETRY_BASE_MS: '1',
    });
  });

  it('Ctrl-C while tokens are being issued: exit 130', async () => {
    const project = freshProject();
    const before = snapshot(project);
    fake = await startFakeBackend([{ kind: 'delay', ms: 5000 }]);
    const child = execa('node', [CLI, 'refresh', '--api-url', fake.url], {
      cwd: project,
      reject: false,
      stdin: 'ignore',
      extendEnv: false,
      env: cliEnv({ CI: '1', MESIBO_APP_TOKEN: TEST_APP_TOKEN }),
    });
    // Wait until the backend holds a request, then interrupt.
    while (fake.requests.length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const result = await child;
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode, output).toBe(130);
    expect(output).toMatch(/Cancelled \(SIGINT\)/);
    expect(output).not.toContain(TEST_APP_TOKEN);
    expectUnchanged(before, snapshot(project));
  });

  it('a folder without mesibo.json: exit 2, names the folder, asks for no App Token', async () => {
    const empty = path.join(work, 'not-a-project');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'keep.txt'), 'x');
    const output = await expectRefusal(empty, [], 2, /is not a create-mesibo-app project: it has no mesibo\.json/, {
      MESIBO_APP_TOKEN: undefined,
    });
    expect(output).toContain(`he current folder (${empty}) is not a create-mesibo-app project`);
    expect(output).toMatch(/run create-mesibo-app to make one/i);
    const { result, output: named } = await refresh(work, ['not-a-project']);
    expect(result.exitCode).toBe(2);
    expect(named).toContain('"not-a-project" is not a create-mesibo-app project');
  });

  it('a folder that does not exist: exit 2', async () => {
    const { result, output } = await refresh(work, ['no-such-folder']);
    expect(result.exitCode).toBe(2);
    expect(output).toMatch(/The folder "no-such-folder" does not exist/);
  });

  const breakages: Array<[string, (m: Record<string, any>) => unknown, RegExp]> = [
    ['not JSON', () => '{ "manifestVersion": 1,', /mesibo\.json in .* is not valid JSON/],
    ['a newer manifest version', (m) => ({ ...m, manifestVersion: 2 }), /manifestVersion 2, written by a newer create-mesibo-app/],
    ['no manifest version', ({ manifestVersion, ...m }) => m, /"manifestVersion" is missing/],
    ['a bad appid', (m) => ({ ...m, platforms: m.platforms.map((p: any) => ({ ...p, appId: 'com..bad' })) }), /"platforms\[0\]\.appId" "com\.\.bad" is not valid/],
    ['an unknown platform', (m) => ({ ...m, platforms: [{ id: 'tv', appId: APP_ID, dir: 'tv', secretFile: 'tv/x' }] }), /"platforms\[0\]\.id" is "tv"/],
    ['a token file outside its folder', (m) => ({ ...m, platforms: [{ ...m.platforms[2], secretFile: '../../evil.js' }] }), /"platforms\[0\]\.secretFile" must be "web\/config\.js"/],
    ['one user only', (m) => ({ ...m, users: m.users.slice(0, 1) }), /"users" needs at least 2 addresses/],
    ['a bad expiry', (m) => ({ ...m, tokenExpiryMinutes: -5 }), /"tokenExpiryMinutes" must be a whole number/],
    ['a bad endpoint', (m) => ({ ...m, sandbox: false, endpoint: 'ftp://x' }), /"endpoint" "ftp:\/\/x" must start with https:\/\/ or http:\/\//],
  ];
  it.each(breakages)('a manifest with %s: exit 2, names the problem, contacts no backend', async (_what, breakIt, message) => {
    const project = freshProject();
    const broken = breakIt(manifestOf(project));
    writeFileSync(path.join(project, 'mesibo.json'), typeof broken === 'string' ? broken : JSON.stringify(broken, null, 2));
    fake = await startFakeBackend();
    await expectRefusal(project, ['--api-url', fake.url], 2, message);
    expect(fake.requests).toEqual([]);
  });

  it('a platform folder that is missing: exit 2, names it, contacts no backend', async () => {
    const project = freshProject();
    rmSync(path.join(project, 'ios'), { recursive: true });
    fake = await startFakeBackend();
    await expectRefusal(project, ['--api-url', fake.url], 2, /lists the ios platform, but the folder "ios\/" is missing/);
    expect(fake.requests).toEqual([]);
  });

  it('a sandbox project without flags goes to mesibo\'s servers and says so (no App Token here: exit 2)', async () => {
    const project = freshProject();
    const output = await expectRefusal(project, [], 2, /No App Token/, { MESIBO_APP_TOKEN: undefined });
    expect(output).toContain("Backend: mesibo's servers, https://api.mesibo.com/backend/");
  });

  it('--sandbox with --api-url, and a bad --token-expiry: exit 2 before anything', async () => {
    const project = freshProject();
    await expectRefusal(project, ['--sandbox', '--api-url', 'http://127.0.0.1:9/'], 2, /--sandbox and --api-url cannot be used together/);
    await expectRefusal(project, ['--sandbox', '--token-expiry', 'soon'], 2, /--token-expiry "soon" must be a whole number/);
  });
});
