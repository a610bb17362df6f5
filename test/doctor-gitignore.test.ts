/**
 * doctor's own .gitignore reader (used outside a git repository) on rules nobody should trust (issue 19,
 * bugs 1 and 2): it agrees with git on wildmatch's corners, its work grows linearly with the rules (a
 * line of 100 000 `*` used to take forever in a backtracking regular expression), it stops at its
 * budget, it lets the event loop run while it works (so Ctrl-C and SIGTERM are heard), and a pattern
 * git can match nothing with (`[z-a]`) is a finding, not "a bug".
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ignoredByGitignoreFiles } from '../src/doctor/gitignore';
import { compileGlob, matchGlob } from '../src/doctor/wildmatch';
import { startFakeBackend, type FakeBackend } from './support/fake-backend';
import { copyProject, createProject, doctorJson, exposeOffLoopback, kinds, removeDir, tempDir } from './support/doctor';

let work = '';
let plain = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };
let copies = 0;

beforeAll(async () => {
  work = tempDir('cma-doctor-gitignore-');
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  plain = await createProject(work, 'plain', remote.url); // --no-git: doctor reads .gitignore itself
});
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});

describe('the gitignore reader on wildmatch corners', () => {
  const rules = [
    '[z-a]',
    'x[z-ab].txt',
    '[abc',
    '[[:bogus:]].x',
    '[[:digit:]]*.num',
    '[]]y',
    '*.[!o]',
    '**/deep/*.tmp',
    'lib/**',
    'a/**/b.txt',
    '***x',
    'trail   ',
    'esc\\ ',
    'q?q',
    '/top/*.c',
  ];
  const paths = ['z', 'a', 'xb.txt', 'xz.txt', '[abc', 'a', '[[:bogus:]].x', '7up.num', 'up.num', ']y', 'f.c', 'f.o', 'deep/x.tmp', 'm/deep/x.tmp', 'lib/a/b', 'lib', 'a/b.txt', 'a/c/d/b.txt', 'box', 'trail', 'esc ', 'esc', 'q/q', 'qqq', 'top/x.c', 'top/y/x.c', 'sub/top/x.c'];

  it('agrees with git check-ignore, and names each rule git matches nothing with', async () => {
    const root = path.join(work, `corners-${++copies}`);
    mkdirSync(root);
    writeFileSync(path.join(root, '.gitignore'), `${rules.join('\n')}\n`);
    await execa('git', ['init', '--quiet'], { cwd: root });
    const git = await execa('git', ['check-ignore', '--no-index', '--stdin'], { cwd: root, input: paths.join('\n'), reject: false });
    const byGit = new Set(git.stdout.split('\n').filter(Boolean));
    expect(byGit.size).toBeGreaterThan(8);
    const ours = await ignoredByGitignoreFiles(root, paths);
    for (const p of paths) expect(ours.ignored.get(p), p).toBe(byGit.has(p));
    expect(ours.broken).toEqual([
      '.gitignore line 1: "[z-a]" matches nothing: its range [z-a] is reversed, so it matches nothing',
      '.gitignore line 2: "x[z-ab].txt" matches nothing: its range [z-a] is reversed, so it matches nothing',
      '.gitignore line 3: "[abc" matches nothing: its "[" at column 1 is never closed',
      '.gitignore line 4: "[[:bogus:]].x" matches nothing: [:bogus:] is not a character class',
    ]);
  });
});

describe('the gitignore reader is bounded', () => {
  it('a line of 100 000 `*` costs work linear in its length, and matches as git would', () => {
    for (const n of [1_000, 100_000]) {
      const text = 'mesibo.properties';
      const starsThenX = matchGlob(compileGlob(`${'*'.repeat(n)}x`, false), text);
      expect(starsThenX.matched).toBe(false);
      expect(starsThenX.work).toBeLessThanOrEqual(3 * (text.length + 1));
      const alternating = matchGlob(compileGlob(`${'*a'.repeat(n)}`, true), text);
      expect(alternating.matched).toBe(false);
      expect(alternating.work).toBeLessThanOrEqual((2 * n + 1) * (text.length + 1));
      expect(matchGlob(compileGlob(`${'*'.repeat(n)}s`, true), text).matched).toBe(true);
      // Steps that match nothing stay alive to the end: still steps × positions.
      const folders = matchGlob(compileGlob(`${'**/'.repeat(n)}x`, true), 'a/b/c');
      expect(folders.matched).toBe(false);
      expect(folders.work).toBeLessThanOrEqual((n + 2) * 6);
      expect(matchGlob(compileGlob(`${'**/'.repeat(n)}c`, true), 'a/b/c').matched).toBe(true);
    }
  });

  it('a megabyte of hostile rules: linear work, the event loop keeps running, and a budget that runs out leaves the answer open', async () => {
    const root = path.join(work, `big-${++copies}`);
    mkdirSync(path.join(root, 'web'), { recursive: true });
    const line = `${'**/'.repeat(300)}nothing\n`;
    const text = line.repeat(Math.floor((1 << 20) / line.length) - 1) + '/config.js\n';
    writeFileSync(path.join(root, 'web/.gitignore'), text);
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const answer = await ignoredByGitignoreFiles(root, ['web/config.js']);
    counting = false;
    expect(answer.ignored.get('web/config.js')).toBe(true);
    // Every rule is tried against "web" (the folder) and "config.js": work ≤ bytes × path positions.
    expect(answer.work).toBeLessThanOrEqual(text.length * ('web/config.js'.length + 1) * 2);
    expect(turns).toBeGreaterThan(5);

    const starved = await ignoredByGitignoreFiles(root, ['web/config.js'], { work: 10_000, ms: 60_000 });
    expect(starved.ignored.has('web/config.js')).toBe(false);
  });
});

describe('doctor outside a repository, on a hostile .gitignore', () => {
  it('a run of `*` and an invalid class: answered, the class a hint, no "bug"', async () => {
    const project = copyProject(plain, path.join(work, `copy-${++copies}`));
    const file = path.join(project, 'web/.gitignore');
    const line = readFileSync(file, 'utf8').split('\n').length + 1;
    appendFileSync(file, `${'*'.repeat(100_000)}x\n[z-a]\n`);
    const { code, report } = await doctorJson(project);
    expect(kinds(report)).toEqual(['project gitignore']);
    expect(report.findings[0]).toMatchObject({
      severity: 'hint',
      message: `a .gitignore rule git can match nothing with: web/.gitignore line ${line}: "[z-a]" matches nothing: its range [z-a] is reversed, so it matches nothing.`,
    });
    expect(code).toBe(0);
  });
});
