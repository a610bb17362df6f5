/**
 * Issue 14: when git init runs, the project gets a first commit, which never holds a token file (they are
 * git-ignored, and that is checked before committing); without a git identity (user.email) the commit is
 * skipped with a note. And `| head` closing stdout early ends quietly, exit 0, the work done.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, DEFAULT_PLATFORM_IDS as PLATFORM_IDS } from '../src/platforms';
import { FIRST_COMMIT_MESSAGE, initGit } from '../src/write/git';
import { CLI, cliEnv, listFiles, removeDir, runCli, tempDir } from './support/cli';

const SECRETS = PLATFORM_IDS.map((id) => `${PLATFORMS[id].dir}/${PLATFORMS[id].secretFile}`);

let work: string;
let identity: string;
beforeAll(() => {
  work = tempDir('cma-git-');
  identity = path.join(work, 'gitconfig');
  writeFileSync(identity, '[user]\n\tname = Test User\n\temail = test@example.com\n');
});
afterAll(() => removeDir(work));

/** git's view of the environment: only the config files named here (no system file, no user's own). */
const gitEnv = (global: string) => cliEnv({ GIT_CONFIG_GLOBAL: global, GIT_CONFIG_NOSYSTEM: '1', HOME: work });
const git = (cwd: string, args: string[]) => execa('git', args, { cwd, reject: false, env: gitEnv(identity), extendEnv: false });

describe('git init', () => {
  it('makes a first commit of every file but the token files, which stay ignored', async () => {
    const result = await runCli(['committed', '--sandbox', '--yes'], { cwd: work, env: gitEnv(identity) });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toContain('Initialized a git repository with a first commit (the token files are git-ignored)');
    const project = path.join(work, 'committed');
    const log = await git(project, ['log', '--format=%s|%ae']);
    expect(log.stdout.trim().split('\n')).toEqual([`${FIRST_COMMIT_MESSAGE}|test@example.com`]);
    const tracked = (await git(project, ['ls-tree', '-r', '--name-only', 'HEAD'])).stdout.trim().split('\n').sort();
    // Neither the token files nor the sandbox's key file (.mesibo-sandbox.json) are committed.
    expect(tracked).toEqual(listFiles(project).filter((f) => !SECRETS.includes(f) && f !== '.mesibo-sandbox.json'));
    for (const secret of SECRETS) {
      expect(tracked).toContain(`${secret}.example`);
      expect((await git(project, ['check-ignore', '-q', secret])).exitCode, secret).toBe(0);
    }
    expect((await git(project, ['status', '--porcelain'])).stdout).toBe(''); // nothing left uncommitted
  });

  it('without a git identity, initializes the repository but skips the commit, with a note', async () => {
    const result = await runCli(['anonymous', '--sandbox', '--yes', '--platforms', 'web'], { cwd: work, env: gitEnv('/dev/null') });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toMatch(/No first commit: git has no user\.email here\. Set one \(git config --global user\.email/);
    const project = path.join(work, 'anonymous');
    expect(existsSync(path.join(project, '.git'))).toBe(true);
    expect((await git(project, ['rev-parse', '--verify', '-q', 'HEAD'])).exitCode).not.toBe(0);
  });

  it('commits only the files this run wrote: never a token file, even one not ignored', async () => {
    const project = path.join(work, 'unignored');
    mkdirSync(path.join(project, 'web'), { recursive: true });
    writeFileSync(path.join(project, 'web', 'config.js'), 'window.MESIBO_CONFIG = {};\n');
    writeFileSync(path.join(project, 'README.md'), '# x\n');
    writeFileSync(path.join(project, 'notes.txt'), 'the user\'s own file\n');
    const previous = process.env.GIT_CONFIG_GLOBAL;
    process.env.GIT_CONFIG_GLOBAL = identity;
    try {
      expect(await initGit(project, ['README.md', 'web/config.js'], ['web/config.js'])).toBe('committed');
    } finally {
      if (previous === undefined) delete process.env.GIT_CONFIG_GLOBAL;
      else process.env.GIT_CONFIG_GLOBAL = previous;
    }
    expect((await git(project, ['ls-tree', '-r', '--name-only', 'HEAD'])).stdout.trim().split('\n')).toEqual(['README.md']);
  });

  it('with --force, commits what it wrote and leaves the files already there out of the commit', async () => {
    const project = path.join(work, 'beside');
    mkdirSync(project);
    writeFileSync(path.join(project, 'private.env'), 'SECRET=1\n');
    const result = await runCli(['beside', '--sandbox', '--yes', '--force', '--platforms', 'web'], { cwd: work, env: gitEnv(identity) });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const tracked = (await git(project, ['ls-tree', '-r', '--name-only', 'HEAD'])).stdout.trim().split('\n');
    expect(tracked).toContain('web/index.html');
    expect(tracked).not.toContain('private.env');
  });

  it('never runs git through a .git that is already there (a link out of the project included)', async () => {
    const outside = path.join(work, 'outside-git');
    mkdirSync(outside);
    const project = path.join(work, 'linked-git');
    mkdirSync(project);
    symlinkSync(outside, path.join(project, '.git'));
    const result = await runCli(['linked-git', '--sandbox', '--yes', '--force', '--platforms', 'web'], { cwd: work, env: gitEnv(identity) });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toContain('already has a .git entry: no repository was initialized');
    expect(readdirSync(outside)).toEqual([]);
  });
});

describe('stdout closed early (| head)', () => {
  it('ends quietly with exit 0, and the project is complete', async () => {
    const shell = await execa('bash', ['-c', `set -o pipefail; node ${JSON.stringify(CLI)} piped --sandbox --yes --no-git | head -n 1`], {
      cwd: work,
      env: cliEnv(),
      extendEnv: false,
      reject: false,
    });
    expect(shell.stdout.split('\n')).toHaveLength(1); // head kept one line and closed the pipe
    expect(shell.stderr).toBe('');
    expect(shell.exitCode).toBe(0);
    expect(listFiles(path.join(work, 'piped'))).toContain('mesibo.json');
  });
});
