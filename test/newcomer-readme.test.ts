/**
 * The README's quick start, run as printed from this checkout (issue 23): the project it makes lands outside
 * the checkout (not as untracked files in it, where git init is skipped), gets its own repository, and the
 * sandbox command and the `cd` it prints reach it from the checkout.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, removeDir, tempDir } from './support/cli';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The lines of the sh blocks between "## Quick start" and the next "## " heading. */
function quickStart(): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 3));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).map((l) => l.replace(/\s+#\s.*$/, '').trim()).filter(Boolean);
}

describe("the README's quick start", () => {
  let home: string;
  beforeAll(() => {
    home = tempDir('cma-home-');
  });
  afterAll(() => removeDir(home));

  it('makes the project outside the checkout, with its own repository, and prints a sandbox command and a cd that reach it', async () => {
    const line = quickStart().find((l) => /node dist\/index\.js \S/.test(l));
    expect(line, 'no `node dist/index.js <folder> …` line in the quick start').toBeDefined();
    const create = line!.slice(line!.indexOf('node dist/index.js')); // npm ci && npm run build are the suite's own
    const before = (await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT })).stdout;
    const env = cliEnv({ HOME: home, GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1' });
    await execa('git', ['config', '--global', 'user.email', 'quick@example.com'], { env, extendEnv: false });
    await execa('git', ['config', '--global', 'user.name', 'Quick Start'], { env, extendEnv: false });
    const result = await execa('sh', ['-c', create], { cwd: ROOT, env, extendEnv: false, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await execa('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: ROOT })).stdout).toBe(before);
    expect(result.stdout).toContain('Initialized a git repository with a first commit');
    // The steps name the project for the sandbox and cd into its web starter, both from where the create ran.
    const steps = result.stdout.split('\n').map((l) => l.trim());
    const project = path.resolve(ROOT, / sandbox (\S+)$/.exec(steps.find((l) => / sandbox \S+$/.test(l))!)![1]!);
    expect(path.resolve(ROOT, steps.find((l) => l.startsWith('cd '))!.slice(3))).toBe(path.join(project, 'web'));
    expect(project.startsWith(`${ROOT}${path.sep}`)).toBe(false);
    expect(existsSync(path.join(project, 'mesibo.json'))).toBe(true);
    expect(existsSync(path.join(project, '.git'))).toBe(true);
  });
});
