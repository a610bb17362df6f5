/**
 * Issue 14: the project's folders and files follow the umask (the project folder used to be 0700
 * whatever the umask, as mkdtemp made it); token config files are 0600 whatever the umask, from create
 * and from refresh. Built CLI, run under `umask` by a shell.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, listFiles, mode, removeDir, tempDir } from './support/cli';
import { SECRET_FILES } from './support/refresh';

let dir: string;
beforeAll(() => {
  dir = tempDir('cma-modes-');
});
afterAll(() => removeDir(dir));

function underUmask(umask: string, args: string[], cwd: string) {
  return execa('sh', ['-c', `umask ${umask} && exec node "$0" "$@"`, CLI, ...args], { reject: false, stdin: 'ignore', extendEnv: false, cwd, env: cliEnv({ CI: '1' }) });
}

/** Every folder below `root`, `root` included (relative, '.' for the root). */
function folders(root: string): string[] {
  const below = (readdirSync(root, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isDirectory(): boolean }>)
    .filter((e) => e.isDirectory())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
  return ['.', ...below];
}

describe.each([
  ['022', 0o755, 0o644],
  ['077', 0o700, 0o600],
])('umask %s', (umask, folderMode, fileMode) => {
  it(`create: folders ${folderMode.toString(8)}, files ${fileMode.toString(8)}, token files 600`, async () => {
    const result = await underUmask(umask, [`app-${umask}`, '--sandbox', '--yes', '--no-git'], dir);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const project = path.join(dir, `app-${umask}`);
    for (const folder of folders(project)) expect([folder, mode(path.join(project, folder))]).toEqual([folder, folderMode]);
    for (const file of listFiles(project)) {
      // The token files and the sandbox's key file are private from the first byte.
      const expected = SECRET_FILES.includes(file) || file === '.mesibo-sandbox.json' ? 0o600 : statSync(path.join(project, file)).mode & 0o111 ? folderMode : fileMode;
      expect([file, mode(path.join(project, file))]).toEqual([file, expected]);
    }
    for (const secret of SECRET_FILES) expect(mode(path.join(project, secret))).toBe(0o600);
  });
});

it('refresh under umask 000 still writes token files 0600', async () => {
  const created = await underUmask('022', ['app-refresh', '--sandbox', '--yes', '--no-git'], dir);
  expect(created.exitCode, String(created.stderr)).toBe(0);
  const project = path.join(dir, 'app-refresh');
  const refreshed = await underUmask('000', ['refresh', '--sandbox'], project);
  expect(refreshed.exitCode, String(refreshed.stderr)).toBe(0);
  for (const secret of SECRET_FILES) expect(mode(path.join(project, secret))).toBe(0o600);
  expect(mode(path.join(project, 'mesibo.json'))).toBe(0o644);
});
