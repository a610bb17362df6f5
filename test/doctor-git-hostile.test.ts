/**
 * doctor on a repository whose .git/config is the attacker's (issue 19, vulnerability 1): doctor promises
 * to read only, use no network and execute nothing from the project. Each case sets up a program the
 * repository's config names (a marker script that records its call and its environment) and the path
 * that used to reach it: a signed commit with log.showSignature=true and gpg.program, and a partial
 * clone whose missing file version a lazy fetch would get through core.sshCommand. Every git doctor
 * starts runs through a `git` on PATH that records its environment first, so the test sees what each
 * child received: never MESIBO_APP_TOKEN or a proxy's credentials.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { doctorHelp } from '../src/cli/help';
import { GIT_SETTINGS } from '../src/doctor/git-environment';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { commitAll, copyProject, createProject, doctorJson, exposeOffLoopback, git, kinds, removeDir, tempDir } from './support/doctor';

let work = '';
let healthy = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };
let copies = 0;
let bin = '';
let envLogs = '';
let marker = '';
let markerScript = '';
const fresh = () => copyProject(healthy, path.join(work, `copy-${++copies}`));
const PROXY = 'http://proxyuser:proxy-secret-pass@127.0.0.1:9';
const saved = { PATH: process.env.PATH, MESIBO_APP_TOKEN: process.env.MESIBO_APP_TOKEN, HTTPS_PROXY: process.env.HTTPS_PROXY };

beforeAll(async () => {
  work = tempDir('cma-doctor-git-');
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  healthy = await createProject(work, 'healthy', remote.url);
  // A token config committed by mistake: a history hit, so doctor runs `git log` for it.
  await commitAll(healthy);
  await git(healthy, 'add', '-f', 'web/config.js');
  await git(healthy, 'commit', '--quiet', '-m', 'config');
  marker = path.join(work, 'MARKER');
  markerScript = path.join(work, 'attacker.sh');
  writeFileSync(markerScript, `#!/bin/sh\n{ echo "ran: $0 $*"; env; } >> '${marker}'\nexit 1\n`);
  chmodSync(markerScript, 0o755);
  // `git` on PATH: records each call's environment, then runs the real git.
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  bin = path.join(work, 'bin');
  envLogs = path.join(work, 'git-envs');
  mkdirSync(bin);
  mkdirSync(envLogs);
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nenv > "${envLogs}/$$"\nexec '${realGit}' "$@"\n`);
  chmodSync(path.join(bin, 'git'), 0o755);
});
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) value === undefined ? delete process.env[name] : (process.env[name] = value);
  rmSync(marker, { force: true });
  for (const f of readdirSync(envLogs)) rmSync(path.join(envLogs, f));
});

/** doctor as a user with the App Token and a proxy with credentials in their environment would run it. */
async function doctorWithSecretsInEnv(project: string) {
  process.env.MESIBO_APP_TOKEN = TEST_APP_TOKEN;
  process.env.HTTPS_PROXY = PROXY;
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
  return doctorJson(project, [], { env: { MESIBO_APP_TOKEN: TEST_APP_TOKEN, HTTPS_PROXY: PROXY } });
}

/** Nothing of the project ran, and every git child had doctor's environment, not the user's. */
function expectNothingRanAndNoSecretReachedGit(): void {
  expect(existsSync(marker) ? readFileSync(marker, 'utf8') : 'the marker script never ran').toBe('the marker script never ran');
  const envs = readdirSync(envLogs).map((f) => readFileSync(path.join(envLogs, f), 'utf8'));
  expect(envs.length).toBeGreaterThanOrEqual(4); // rev-parse, check-ignore, ls-files, rev-list, cat-file, ...
  for (const env of envs) {
    expect(env).not.toContain(TEST_APP_TOKEN);
    expect(env).not.toMatch(/MESIBO_APP_TOKEN|PROXY|proxy-secret-pass/i);
    expect(env).toMatch(/^GIT_CONFIG_NOSYSTEM=1$/m);
    expect(env).toMatch(/^GIT_CONFIG_GLOBAL=\/dev\/null$/m);
    expect(env).toMatch(/^LC_ALL=C$/m);
    expect(env).toMatch(/^GIT_NO_LAZY_FETCH=1$/m);
  }
}

describe("doctor executes nothing a repository's config names", () => {
  it('a signed commit with log.showSignature=true does not run gpg.program', async () => {
    const project = fresh();
    // Re-sign HEAD: a gpgsig header is all it takes for git to call gpg.program to verify it.
    const commit = (await git(project, 'cat-file', 'commit', 'HEAD')).stdout;
    const signed = commit.replace(/^(committer .*)$/m, '$1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----');
    const oid = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: project, input: `${signed}\n`, encoding: 'utf8' }).trim();
    await git(project, 'update-ref', 'HEAD', oid);
    await git(project, 'config', 'log.showSignature', 'true');
    await git(project, 'config', 'gpg.program', markerScript);
    await git(project, 'config', 'core.fsmonitor', markerScript);
    await git(project, 'config', 'diff.external', markerScript);

    const { code, report } = await doctorWithSecretsInEnv(project);
    // The committed config is still found (git log ran for it), through doctor's own git configuration.
    expect(kinds(report)).toEqual(['web committed']);
    expect(code).toBe(1);
    expectNothingRanAndNoSecretReachedGit();
  });

  it("a partial clone's missing file version is a finding, not a fetch through core.sshCommand", async () => {
    const project = fresh();
    const blob = (await git(project, 'rev-parse', 'HEAD:web/config.js')).stdout.trim();
    rmSync(path.join(project, '.git/objects', blob.slice(0, 2), blob.slice(2)));
    for (const [name, value] of [
      ['core.repositoryformatversion', '1'],
      ['extensions.partialClone', 'origin'],
      ['remote.origin.url', 'ssh://attacker.invalid/x.git'],
      ['remote.origin.promisor', 'true'],
      ['remote.origin.uploadpack', markerScript],
      ['core.sshCommand', markerScript],
    ]) await git(project, 'config', name!, value!);

    const { report } = await doctorWithSecretsInEnv(project);
    const missing = report.findings.filter((f) => f.check === 'committed');
    expect(missing).toEqual([expect.objectContaining({ platform: 'project', severity: 'hint', message: expect.stringMatching(/^1 object of the git history is not in this clone \(a partial clone\); doctor fetches nothing/) })]);
    expectNothingRanAndNoSecretReachedGit();
  });

  it("doctor's help names every git setting it ignores", () => {
    const help = doctorHelp().replace(/\s+/g, ' ');
    for (const [name] of GIT_SETTINGS) expect(help).toContain(name);
  });
});
