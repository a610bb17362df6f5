/**
 * Issue 12, items 1 and 2: no write follows a symbolic link. A cloned project (or a --force target) may
 * carry committed links; refresh and create refuse them (exit 2, naming the link and why) before the App
 * Token is sent anywhere, and the folder outside stays byte for byte as it was. End to end, built CLI.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, listFiles, removeDir, runCli, tempDir } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { expectRefusal, expectUnchanged, refreshFixture, snapshot } from './support/refresh';

const { work, freshProject } = refreshFixture();
let fake: FakeBackend;
beforeAll(async () => {
  fake = await startFakeBackend();
});
afterAll(() => fake.close());
afterEach(() => {
  fake.requests.length = 0;
});

/** A folder beside the project holding someone else's file, for a link to point at. */
function outside(name: string, files: Record<string, string> = { 'config.js': 'someone else\n' }): string {
  const dir = path.join(work(), name);
  mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) writeFileSync(path.join(dir, rel), content);
  return dir;
}

/** Replaces the project's `rel` (a folder or file) by a link to `to`, as a clone of a committed link would have it. */
function linkInProject(project: string, rel: string, to: string): void {
  rmSync(path.join(project, rel), { recursive: true, force: true });
  symlinkSync(to, path.join(project, rel));
}

async function expectRefreshRefused(project: string, outsideDir: string | undefined, message: RegExp) {
  const before = outsideDir ? snapshot(outsideDir) : undefined;
  const output = await expectRefusal(project, ['--api-url', fake.url], 2, message);
  expect(output).toMatch(/never writes through a link/);
  expect(output).toMatch(/Nothing was changed/);
  expect(fake.requests).toEqual([]); // refused before any backend call: the App Token went nowhere
  if (outsideDir) expectUnchanged(before!, snapshot(outsideDir));
  return output;
}

describe('refresh never writes through a link', () => {
  it('web/ linked to a folder outside holding config.js: refused, the outside file untouched', async () => {
    const project = freshProject();
    const elsewhere = outside('outside-1');
    linkInProject(project, 'web', elsewhere);
    const output = await expectRefreshRefused(project, elsewhere, /"web\/" in .* is a symbolic link \(to ".*outside-1"\)/);
    expect(output).toMatch(/points outside the project/);
    expect(readFileSync(path.join(elsewhere, 'config.js'), 'utf8')).toBe('someone else\n');
  });

  it('web/ linked to an outside folder without config.js: refused, nothing created there', async () => {
    const project = freshProject();
    const elsewhere = outside('outside-2', { 'index.html': '<p>mine</p>\n' });
    linkInProject(project, 'web', elsewhere);
    await expectRefreshRefused(project, elsewhere, /"web\/" .* is a symbolic link/);
    expect(listFiles(elsewhere)).toEqual(['index.html']);
  });

  it('an intermediate folder, ios/Config, linked outside: refused', async () => {
    const project = freshProject();
    const elsewhere = outside('outside-3', { 'Secrets.xcconfig': 'THEIRS = 1\n' });
    linkInProject(project, 'ios/Config', elsewhere);
    await expectRefreshRefused(project, elsewhere, /"ios\/Config\/" .* is a symbolic link/);
  });

  it('the token config file itself linked outside: refused', async () => {
    const project = freshProject();
    const elsewhere = outside('outside-4');
    linkInProject(project, 'web/config.js', path.join(elsewhere, 'config.js'));
    await expectRefreshRefused(project, elsewhere, /"web\/config\.js" .* is a symbolic link/);
  });

  it("a token config file's .example twin linked outside (refresh rewrites it when an appid changed): refused", async () => {
    const project = freshProject();
    const elsewhere = outside('outside-5', { 'config.js.example': 'theirs\n' });
    linkInProject(project, 'web/config.js.example', path.join(elsewhere, 'config.js.example'));
    await expectRefreshRefused(project, elsewhere, /"web\/config\.js\.example" .* is a symbolic link/);
  });

  it('a token config file linked to another file inside the project: still refused, saying why', async () => {
    const project = freshProject();
    linkInProject(project, 'web/config.js', '../python/config.json');
    const output = await expectRefreshRefused(project, undefined, /"web\/config\.js" .* is a symbolic link \(to "\.\.\/python\/config\.json"\)/);
    expect(output).toMatch(/points inside the project, but it is refused all the same: writing through it would change/);
  });
});

describe('create --force never writes through a link', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('cma-symlink-create-');
  });
  afterAll(() => removeDir(dir));

  async function expectCreateRefused(target: string, outsideDir: string, message: RegExp) {
    const before = snapshot(outsideDir);
    const targetBefore = snapshot(target);
    const result = await runCli([path.basename(target), '--force', '--yes', '--no-git', '--api-url', fake.url], {
      cwd: path.dirname(target),
      env: cliEnv({ CI: '1', MESIBO_APP_TOKEN: TEST_APP_TOKEN }),
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode, output).toBe(2);
    expect(output).toMatch(message);
    expect(output).toMatch(/Nothing was written/);
    expect(output).not.toContain(TEST_APP_TOKEN);
    expect(fake.requests).toEqual([]);
    expectUnchanged(before, snapshot(outsideDir));
    expectUnchanged(targetBefore, snapshot(target));
    return output;
  }

  it('web/ linked to a folder outside: refused, nothing written outside or in the target', async () => {
    const target = path.join(dir, 'force-1');
    mkdirSync(target);
    writeFileSync(path.join(target, 'notes.txt'), 'mine\n');
    const elsewhere = path.join(dir, 'elsewhere-1');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'keep.txt'), 'keep\n');
    symlinkSync(elsewhere, path.join(target, 'web'));
    const output = await expectCreateRefused(target, elsewhere, /"web\/" in "force-1" is a symbolic link/);
    expect(output).toMatch(/points outside the project/);
    expect(listFiles(elsewhere)).toEqual(['keep.txt']);
  });

  it('a planned file linked to a file inside the target: refused as a link, not as a collision', async () => {
    const target = path.join(dir, 'force-2');
    mkdirSync(path.join(target, 'web'), { recursive: true });
    writeFileSync(path.join(target, 'notes.txt'), 'mine\n');
    symlinkSync('../notes.txt', path.join(target, 'web', 'config.js'));
    const output = await expectCreateRefused(target, target, /"web\/config\.js" in "force-2" is a symbolic link \(to "\.\.\/notes\.txt"\)/);
    expect(output).toMatch(/points inside the project/);
  });

  it('the target itself a link: refused, naming where it points', async () => {
    const real = path.join(dir, 'real-target');
    mkdirSync(real);
    symlinkSync(real, path.join(dir, 'linked-target'));
    const result = await runCli(['linked-target', '--sandbox', '--yes', '--no-git'], { cwd: dir, env: cliEnv({ CI: '1' }) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/"linked-target" is a symbolic link \(to ".*real-target"\)/);
    expect(listFiles(real)).toEqual([]);
  });

  it('good input is unchanged: --force beside real folders and files still works', async () => {
    const target = path.join(dir, 'force-ok');
    mkdirSync(path.join(target, 'web'), { recursive: true });
    writeFileSync(path.join(target, 'web', 'mine.js'), 'mine\n');
    const result = await runCli(['force-ok', '--force', '--sandbox', '--yes', '--no-git'], { cwd: dir, env: cliEnv({ CI: '1' }) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(listFiles(target)).toContain('web/config.js');
    expect(readFileSync(path.join(target, 'web', 'mine.js'), 'utf8')).toBe('mine\n');
    // No staging folder is left inside or beside the target.
    expect(listFiles(target).filter((f) => f.includes('.creating-'))).toEqual([]);
  });
});
