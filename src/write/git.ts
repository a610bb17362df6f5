/** `git init` for a new project, unless it already sits inside a work tree. Never fatal: the project is complete without it. */
import { execa } from 'execa';

export type GitOutcome = 'initialized' | 'inside-work-tree' | 'git-missing' | 'failed';

export async function initGit(projectPath: string): Promise<GitOutcome> {
  try {
    const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], {
      cwd: projectPath,
      reject: false,
    });
    if (inside.exitCode === 0 && inside.stdout.trim() === 'true') return 'inside-work-tree';
    await execa('git', ['init', '--quiet'], { cwd: projectPath });
    return 'initialized';
  } catch (error) {
    return (error as { code?: string }).code === 'ENOENT' ? 'git-missing' : 'failed';
  }
}
