/**
 * `create-mesibo-app refresh` failures, end to end with the built CLI: no project, a bad manifest, a
 * rejected App Token, the network, Ctrl-C. Each leaves every file byte-identical and never shows the
 * App Token.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cliEnv } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { APP_ID, expectRefusal, expectUnchanged, filesHolding, manifestOf, refresh, refreshFixture, snapshot } from './support/refresh';

const { work, freshProject } = refreshFixture();
let fake: FakeBackend | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
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
    const empty = path.join(work(), 'not-a-project');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'keep.txt'), 'x');
    const output = await expectRefusal(empty, [], 2, /neither it nor any folder above it has a mesibo\.json/, {
      MESIBO_APP_TOKEN: undefined,
    });
    expect(output).toContain(`he current folder (${empty}) is not inside a create-mesibo-app project`);
    expect(output).toContain(`to make a new project: \`node ${CLI} my-chat\``);
    const { result, output: named } = await refresh(work(), ['not-a-project']);
    expect(result.exitCode).toBe(2);
    expect(named).toContain('"not-a-project" is not inside a create-mesibo-app project');
  });

  it('a folder that does not exist: exit 2', async () => {
    const { result, output } = await refresh(work(), ['no-such-folder']);
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
    ['a bad expiry', (m) => ({ ...m, tokenExpiryMinutes: -5 }), /"tokenExpiryMinutes" must be a positive whole number/],
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
