/**
 * Issue 14, item 3: before any backend call, create checks that the project can be written where it
 * goes. A folder that cannot be written, a read-only or full disk, or a file in the path is one
 * paragraph naming the folder and the reason, with what to do, before any user exists on the server,
 * never "a bug". `create .` in a folder that is a mount point (a container bind mount), and --force
 * into a target whose web/ is a mount of its own, work: nothing is renamed across file systems.
 * Real conditions: tmpfs mounts in a user + mount namespace, and a non-root uid (support/write-env.ts).
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, listFiles, mode, removeDir, runCli, tempDir } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { cliAsPlainUser, cliInMountNamespace, namespaces } from './support/write-env';

const gate = namespaces();
let dir: string;
let fake: FakeBackend;
beforeAll(async () => {
  dir = tempDir('cma-preflight-');
  fake = await startFakeBackend();
});
afterAll(async () => {
  await fake.close();
  chmodSync(dir, 0o700);
  for (const name of readdirSync(dir)) chmodSync(path.join(dir, name), 0o755);
  removeDir(dir);
});
afterEach(() => {
  fake.requests.length = 0;
});

const env = () => cliEnv({ CI: '1', MESIBO_APP_TOKEN: TEST_APP_TOKEN });
const realBackend = () => ['--yes', '--no-git', '--api-url', fake.url];

/** The failure a user must see: the code, the folder, the reason, what to do; no bug, no backend call. */
function expectRefusedBeforeBackend(result: { exitCode: number | undefined; output: string }, code: number, reason: RegExp) {
  expect(result.exitCode, result.output).toBe(code);
  expect(result.output).toMatch(reason);
  expect(result.output).toMatch(/Nothing was sent to the backend and nothing was written/);
  expect(result.output).not.toMatch(/bug/i);
  expect(result.output).not.toMatch(/Issued|Creating users/);
  expect(fake.requests).toEqual([]);
}

describe.skipIf(gate.skip)(`pre-flight: the folder is tried before any backend call${gate.skip ? ` (skipped: ${gate.reason})` : ''}`, () => {
  it('a parent folder the user may not write to (EACCES): exit 1, names the folder', async () => {
    const parent = path.join(dir, 'locked');
    mkdirSync(parent);
    chmodSync(parent, 0o555);
    const result = await cliAsPlainUser([path.join(parent, 'app'), ...realBackend()], { cwd: dir, env: env() });
    expectRefusedBeforeBackend(result, 1, new RegExp(`permission to create files in "${parent}" \\(EACCES\\)`));
    expect(result.output).toMatch(/Choose a folder you can write to/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a read-only file system (EROFS): exit 1, names the folder', async () => {
    const parent = path.join(dir, 'readonly');
    mkdirSync(parent);
    const result = await cliInMountNamespace(`mount -t tmpfs -o ro tmpfs "${parent}"`, [path.join(parent, 'app'), ...realBackend()], { cwd: dir, env: env() });
    expectRefusedBeforeBackend(result, 1, new RegExp(`"${parent}" is on a read-only file system \\(EROFS\\)`));
    expect(result.output).toMatch(/Choose a folder on a writable disk/);
  });

  it('a disk without room for the project (ENOSPC): exit 1, says how much is needed', async () => {
    const parent = path.join(dir, 'tiny');
    mkdirSync(parent);
    const result = await cliInMountNamespace(`mount -t tmpfs -o size=64k tmpfs "${parent}"`, [path.join(parent, 'app'), ...realBackend()], { cwd: dir, env: env() });
    expectRefusedBeforeBackend(result, 1, /the disk holding ".*tiny" is full: about \d+ KiB needed, \d+ KiB free \(ENOSPC\)/);
    expect(result.output).toMatch(/Free some space, or choose a folder on another disk/);
  });

  it('`create .` in an empty folder that is a mount point: written in place, no EXDEV', async () => {
    const mnt = path.join(dir, 'mounted');
    const copy = path.join(dir, 'mounted-copy');
    mkdirSync(mnt);
    const result = await cliInMountNamespace(`mount -t tmpfs tmpfs "${mnt}" && cd "${mnt}"`, ['.', ...realBackend()], {
      cwd: dir,
      env: env(),
      after: `cp -a "${mnt}/." "${copy}"`,
    });
    expect(result.exitCode, result.output).toBe(0);
    const files = listFiles(copy);
    expect(files).toContain('web/config.js');
    expect(files).toContain('mesibo.json');
    expect(readdirSync(copy).filter((n) => n.includes('.creating-'))).toEqual([]); // the staging folder is gone
    expect(mode(path.join(copy, 'web/config.js'))).toBe(0o600);
  });

  it('--force into a target whose web/ is a mount of its own: moved by copy, modes kept', async () => {
    const target = path.join(dir, 'force-mount');
    const copy = path.join(dir, 'force-mount-copy');
    mkdirSync(path.join(target, 'web'), { recursive: true });
    writeFileSync(path.join(target, 'notes.txt'), 'mine\n');
    const result = await cliInMountNamespace(`mount -t tmpfs tmpfs "${target}/web"`, [target, '--force', ...realBackend()], {
      cwd: dir,
      env: env(),
      after: `cp -a "${target}/." "${copy}"`,
    });
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(path.join(copy, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(readFileSync(path.join(copy, 'web/config.js'), 'utf8')).toMatch(/[0-9A-Za-z]{64}/);
    expect(mode(path.join(copy, 'web/config.js'))).toBe(0o600);
    expect(mode(path.join(copy, 'web/index.html'))).toBe(0o644);
    expect(readdirSync(copy).filter((n) => n.includes('.creating-'))).toEqual([]);
  });
});

describe('pre-flight without namespaces', () => {
  it('a file where a folder of the path should be (ENOTDIR): exit 2, names the file', async () => {
    writeFileSync(path.join(dir, 'a-file'), 'x');
    const result = await runCli(['a-file/app', ...realBackend()], { cwd: dir, env: env() });
    expectRefusedBeforeBackend({ exitCode: result.exitCode, output: `${result.stdout}\n${result.stderr}` }, 2, /".*a-file" is a file, not a folder \(ENOTDIR\)/);
  });

  it('good input is unchanged: a new folder below folders that do not exist yet', async () => {
    const result = await runCli(['deep/er/app', ...realBackend()], { cwd: dir, env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(listFiles(path.join(dir, 'deep/er/app'))).toContain('web/config.js');
    expect(readdirSync(path.join(dir, 'deep/er'))).toEqual(['app']);
    expect(fake.requests.length).toBe(2);
  });
});
