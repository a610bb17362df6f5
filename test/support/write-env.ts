/**
 * Real file-system conditions for the write tests, made without touching the machine: a Linux user
 * namespace with its own mount namespace (`unshare -rm`) can mount a tmpfs (read-only, tiny, or a mount
 * point inside a folder, for EXDEV) that only the command inside sees; `unshare --map-user` runs the CLI
 * as a non-root uid, so permission bits apply even when the tests run as root (root ignores them).
 * Under CI a machine without user namespaces fails these tests; elsewhere they are skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { CLI } from './cli';

export interface Gate {
  skip: boolean;
  reason: string;
}

let cached: Gate | undefined;

/** Whether `unshare -rm` can mount a tmpfs and `unshare --map-user` can drop to a plain uid here. */
export function namespaces(): Gate {
  if (cached) return cached;
  const mount = spawnSync('unshare', ['-rm', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs "$d" && umount "$d"; s=$?; rmdir "$d"; exit $s'], {
    encoding: 'utf8',
  });
  const user = spawnSync('unshare', ['--map-user=1000', '--map-group=1000', 'sh', '-c', 'test "$(id -u)" = 1000'], { encoding: 'utf8' });
  const failed = [mount, user].find((r) => r.status !== 0);
  if (!failed) return (cached = { skip: false, reason: '' });
  const reason = `user and mount namespaces are not available (unshare: ${failed.error?.message ?? failed.stderr.trim()})`;
  if (process.env.CI) throw new Error(`CI is set but ${reason}`);
  return (cached = { skip: true, reason });
}

export interface NsRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  output: string;
}

/**
 * Runs `setup` (shell, in `cwd`) then the CLI with `args`, in a private user + mount namespace. `after`
 * runs in the same namespace once the CLI has exited (e.g. to copy out what a private mount holds).
 */
export async function cliInMountNamespace(
  setup: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined>; after?: string },
): Promise<NsRun> {
  const script = `set -e; ${setup}; set +e; node "$CMA_CLI" "$@"; rc=$?; ${options.after ?? ':'}; exit $rc`;
  const result = await execa('unshare', ['-rm', 'sh', '-c', script, 'sh', ...args], {
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    cwd: options.cwd,
    env: { ...options.env, CMA_CLI: CLI },
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), output: `${result.stdout}\n${result.stderr}` };
}

/** Runs the CLI as uid/gid 1000 (no capabilities), so a folder's permission bits are enforced. */
export async function cliAsPlainUser(args: string[], options: { cwd: string; env: Record<string, string | undefined> }): Promise<NsRun> {
  const result = await execa('unshare', ['--map-user=1000', '--map-group=1000', 'node', CLI, ...args], {
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    cwd: options.cwd,
    env: options.env,
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), output: `${result.stdout}\n${result.stderr}` };
}
