/**
 * doctor and refresh on build files as large as they read (1 MB), shaped the way that made their
 * readers quadratic or worse (issue 19, bug 3): thousands of applicationId lines (each used to rescan
 * the file from its start), a catalog line of spaces after a "[" (a backtracking table-header
 * expression), and a Podfile and requirements.txt of empty lines (a multi-line `^\s*` that crossed
 * them), and a .gitignore of a megabyte of rules (doctor's own reader, outside a repository). Each
 * command runs as its own process, from this checkout's sources, with a generous limit: a reader that is
 * not linear runs into the limit and the test fails (no timing is asserted).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { APP_ID, createProject, exposeOffLoopback, removeDir, tempDir } from './support/doctor';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1 << 20;
/** tsx (a devDependency) runs src/ as it is; imported by URL, since the project folder has no node_modules. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
/** Far beyond what a linear reader needs for these files, far below what the quadratic ones took (hours). */
const LIMIT_MS = 90_000;

let work = '';
let project = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };

/** The CLI from src/ (no build needed), as a separate process that the limit can stop. */
function cli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, ['--import', TSX, path.join(ROOT, 'src/index.ts'), ...args], {
    cwd: project,
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, CI: '1', CREATE_MESIBO_APP_RETRY_BASE_MS: '1', ...env },
    timeout: LIMIT_MS,
  });
}

/** `rel` grown to just under `bytes` with `filler`, its own content kept readable. */
function grow(rel: string, filler: (room: number) => string, where: 'start' | 'end' = 'end', bytes = MB - 1024): void {
  const file = path.join(project, rel);
  const text = readFileSync(file, 'utf8');
  const extra = filler(bytes - Buffer.byteLength(text));
  writeFileSync(file, where === 'start' ? extra + text : text + extra);
}

beforeAll(async () => {
  work = tempDir('cma-doctor-big-');
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  project = await createProject(work, 'big', remote.url);
  const build = path.join(project, 'android/app/build.gradle.kts');
  const text = readFileSync(build, 'utf8');
  const line = `        applicationId = "${APP_ID}"\n`;
  const lines = line.repeat(Math.floor((MB - 1024 - text.length) / line.length));
  expect(text).toContain(line);
  writeFileSync(build, text.replace(line, lines));
  grow('android/gradle/libs.versions.toml', (room) => `\n[${' '.repeat(room - 4)}x\n`);
  grow('ios/Podfile', (room) => '\n'.repeat(room), 'start');
  grow('python/requirements.txt', (room) => '\n'.repeat(room), 'start');
  // Outside a repository doctor reads .gitignore itself (issue 19, bug 1): a megabyte of rules whose steps
  // all stay alive, and a run of `*` that a backtracking expression never finished.
  const rule = `${'**/'.repeat(300)}nothing\n`;
  grow('web/.gitignore', (room) => `${'*'.repeat(5000)}x\n${rule.repeat(Math.floor((room - 5002) / rule.length))}`);
}, 120_000);
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});

describe('1 MB build files', () => {
  it('doctor reads them all and finds the project healthy', async () => {
    const run = await cli(['doctor', '--json']);
    expect(run.timedOut, 'doctor did not finish within the limit').toBe(false);
    // By the real clock this process runs on, mesibo 2.7.1 (python, cpp) may refuse to start already: those
    // two findings are test/doctor-sdk-refusal.test.ts's; nothing else may be found.
    const report = JSON.parse(run.stdout) as { findings: Array<{ platform: string; check: string; message: string }> };
    const others = report.findings.filter((f) => !(f.check === 'sdk' && ['python', 'cpp'].includes(f.platform) && /refuses to start since/.test(f.message)));
    expect(others).toEqual([]);
    expect(run.exitCode).toBe(report.findings.length === 0 ? 0 : 1);
  }, LIMIT_MS + 30_000);

  it('refresh reads the Android build the same way, and refreshes', async () => {
    const run = await cli(['refresh', '--api-url', remote.url, '--allow-http', '--yes'], { MESIBO_APP_TOKEN: TEST_APP_TOKEN });
    expect(run.timedOut, 'refresh did not finish within the limit').toBe(false);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(TEST_APP_TOKEN);
  }, LIMIT_MS + 30_000);
});
