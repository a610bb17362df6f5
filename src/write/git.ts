/**
 * `git init` and a first commit for a new project, unless it already sits inside a work tree or already has
 * a `.git` of any kind (a folder, a gitfile, or a link that would take git's writes out of the project).
 * Never fatal: the project is complete without it. The first commit is made only when git knows who is
 * committing (`user.email`), holds only the files this run wrote (with --force, what was already in the
 * folder is the user's, not ours to commit), and never a token file: they are git-ignored, and that is
 * checked before committing.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

/**
 * committed: a repository with a first commit; initialized: a repository, no commit (git has no identity);
 * commit-failed: a repository, the commit failed (or would have held a token file).
 */
export type GitOutcome = 'committed' | 'initialized' | 'commit-failed' | 'inside-work-tree' | 'existing-git' | 'git-missing' | 'failed';

export const FIRST_COMMIT_MESSAGE = 'Initial commit from create-mesibo-app';

export async function initGit(projectPath: string, written: readonly string[], secretFiles: readonly string[]): Promise<GitOutcome> {
  // No prompt, no pager, no editor: nothing of git's may wait for a terminal.
  const git = (args: string[], input?: string) =>
    execa('git', args, { cwd: projectPath, reject: false, timeout: 60_000, ...(input === undefined ? { stdin: 'ignore' as const } : { input }) });
  if (hasGitEntry(projectPath)) return 'existing-git';
  try {
    const inside = await git(['rev-parse', '--is-inside-work-tree']);
    if (inside.exitCode === 0 && inside.stdout.trim() === 'true') return 'inside-work-tree';
    await execa('git', ['init', '--quiet'], { cwd: projectPath, stdin: 'ignore' });
  } catch (error) {
    return (error as { code?: string }).code === 'ENOENT' ? 'git-missing' : 'failed';
  }
  const email = await git(['config', 'user.email']);
  if (email.exitCode !== 0 || email.stdout.trim() === '') return 'initialized';
  const ours = written.filter((f) => !secretFiles.includes(f));
  if ((await git(['add', '--pathspec-from-file=-', '--pathspec-file-nul', '--'], ours.map((f) => `:(literal)${f}`).join('\0'))).exitCode !== 0) {
    return 'commit-failed';
  }
  const staged = await git(['diff', '--cached', '--name-only', '-z']);
  const names = new Set(staged.stdout.split('\0'));
  if (staged.exitCode !== 0 || secretFiles.some((f) => names.has(f))) {
    await git(['rm', '-r', '--cached', '--quiet', '.']); // unstage: a token file must never be committed
    return 'commit-failed';
  }
  // A first commit of generated files: no hooks, no signing (a key prompt would hang the run).
  const commit = await git(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '--no-verify', '-m', FIRST_COMMIT_MESSAGE]);
  return commit.exitCode === 0 ? 'committed' : 'commit-failed';
}

/** A `.git` entry of any type (lstat: a link counts and is never followed). */
function hasGitEntry(projectPath: string): boolean {
  try {
    lstatSync(path.join(projectPath, '.git'));
    return true;
  } catch {
    return false;
  }
}
