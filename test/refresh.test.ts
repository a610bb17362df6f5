/**
 * `create-mesibo-app refresh`, end to end with the built CLI: a sandbox project gets fresh tokens from
 * the fake backend in its token files and manifest, and nothing else on disk changes. The failures are
 * in refresh-failures.test.ts. A backend on this machine is never recorded as the project's own
 * (refresh-local.test.ts), so the fake stands where a real one would: at an address that is not loopback.
 */
import { readFileSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cliEnv, mode } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import {
  APP_ID,
  SECRET_FILES,
  USERS,
  expectUnchanged,
  fakeTokensFor,
  filesHolding,
  manifestOf,
  refresh,
  refreshFixture,
  snapshot,
  tokensIn,
} from './support/refresh';
import { execa } from 'execa';
import { assertToolsOrSkip } from './support/tools';
import { exposeOffLoopback } from './support/doctor';

const { work, template, freshProject } = refreshFixture();
let fake: FakeBackend | undefined;
let remote: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await remote?.close();
  await fake?.close();
  fake = remote = undefined;
});

/** The fake, reached at this machine's network address (plain http there needs --allow-http). */
async function remoteFake(): Promise<string> {
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  return remote.url;
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
    const url = await remoteFake();
    const started = Date.now();

    const { result } = await refresh(project, ['--api-url', url, '--allow-http', '--token-expiry', '60']);
    const finished = Date.now();

    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(result.stdout).toContain(`Backend: ${url} (from --api-url)`);
    expect(result.stdout).toMatch(/Rewrote 5 token config files/);
    for (const rel of SECRET_FILES) expect(result.stdout).toContain(rel);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Sandbox tokens work only|from what this create-mesibo-app writes/);

    // The backend was asked once per user (one shared appid), with the App Token and the new expiry.
    expect(fake!.requests.map((r) => r.user.address).sort()).toEqual(USERS);
    for (const r of fake!.requests) {
      expect(r).toMatchObject({ op: 'useradd', token: TEST_APP_TOKEN, user: { token: { appid: APP_ID, expiry: 60, v2: true } } });
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
    expect(manifest).toMatchObject({ sandbox: false, endpoint: url, tokenExpiryMinutes: 60 });
    const expiresAt = Date.parse(manifest.tokensExpireAt);
    expect(expiresAt).toBeGreaterThanOrEqual(started + 60 * 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(finished + 60 * 60_000);
    expect(manifest.users.map((u: any) => u.address)).toEqual(USERS);
    const uids = manifest.users.map((u: any) => u.uid);
    expect(new Set(uids).size).toBe(USERS.length);
    for (const uid of uids) expect(Number(uid)).toBeGreaterThanOrEqual(5000); // the fake's, not the sandbox's
    expect(uids).not.toEqual(oldManifest.users.map((u: any) => u.uid));
    expect(Date.parse(manifest.tokensIssuedAt)).toBe(expiresAt - 60 * 60_000);
    const { endpoint, sandbox, tokenExpiryMinutes, tokensIssuedAt, tokensExpireAt, users, ...rest } = manifest;
    const { endpoint: e0, sandbox: s0, tokenExpiryMinutes: t0, tokensIssuedAt: i0, tokensExpireAt: x0, users: u0, ...rest0 } = oldManifest;
    expect(rest).toEqual(rest0);
    expect(Object.keys(manifest)).toEqual(Object.keys(oldManifest));

    // No temp or backup file left behind, and the App Token is nowhere on disk.
    expect(filesHolding(project, TEST_APP_TOKEN)).toEqual([]);
  });

  it('runs from inside the project with no folder argument, reads the App Token from a file, prints JSON', async () => {
    const project = freshProject();
    const tokenFile = path.join(work(), 'app-token.txt');
    writeFileSync(tokenFile, `${TEST_APP_TOKEN}\n`);
    const url = await remoteFake();
    const { result } = await refresh(project, ['--api-url', url, '--allow-http', '--app-token-file', tokenFile, '--json'], {
      MESIBO_APP_TOKEN: undefined,
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const summary = JSON.parse(String(result.stdout));
    expect(summary).toMatchObject({ ok: true, command: 'refresh', path: project, sandbox: false, endpoint: url });
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
    expect(tokens).not.toEqual(tokensIn(readFileSync(path.join(template(), 'python/config.json'), 'utf8')));
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
