/**
 * For the C++ starter's tests: lays out a mesibo install (include/, lib/) for the starter's -DMESIBO_ROOT,
 * either with the fake libmesibo (test/doubles/cpp) or with a real libmesibo.so, and runs the built
 * starter. Runs on the real library go through `unshare -rn` (no network: nothing reaches mesibo).
 */
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { DOUBLES_DIR, readCalls, type CallRecord } from './starter-common';

export const STUB_INCLUDE_DIR = path.join(DOUBLES_DIR, 'cpp', 'include');

/** `root`/include/mesibo.h: the project's own declaration of mesibo's API (test/doubles/cpp/include). */
function withHeader(root: string): string {
  mkdirSync(path.join(root, 'include'), { recursive: true });
  mkdirSync(path.join(root, 'lib'), { recursive: true });
  copyFileSync(path.join(STUB_INCLUDE_DIR, 'mesibo.h'), path.join(root, 'include', 'mesibo.h'));
  return root;
}

/** Compiles the fake library into `root`/lib/libmesibo.so beside the header. */
export async function buildFakeMesibo(root: string): Promise<string> {
  withHeader(root);
  await execa('g++', [
    '-std=c++17', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-pthread',
    '-I', path.join(root, 'include'),
    path.join(DOUBLES_DIR, 'cpp', 'fake_mesibo.cpp'),
    '-o', path.join(root, 'lib', 'libmesibo.so'),
  ]);
  return root;
}

/** `root`/lib/libmesibo.so is `library` (a symlink), beside the header: the real one, or one of another CPU. */
export function mesiboRootWith(root: string, library: string): string {
  withHeader(root);
  symlinkSync(library, path.join(root, 'lib', 'libmesibo.so'));
  return root;
}

export async function syntaxCheck(cppDir: string): Promise<void> {
  await execa('g++', ['-std=c++17', '-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-isystem', STUB_INCLUDE_DIR, 'main.cpp'], {
    cwd: cppDir,
  });
}

/** The README's build: `cmake -S . -B <build> && cmake --build <build>`, pointed at `mesiboRoot`. */
export async function cmakeBuild(cppDir: string, mesiboRoot: string, build = 'build'): Promise<void> {
  await execa('cmake', ['-S', '.', '-B', build, `-DMESIBO_ROOT=${mesiboRoot}`], { cwd: cppDir });
  await execa('cmake', ['--build', build], { cwd: cppDir });
}

export interface StarterRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  calls: CallRecord[];
}

export interface RunOptions {
  env?: Record<string, string>;
  /** The build folder (default build). */
  build?: string;
  /** Without network (unshare -rn), for runs on the real library. */
  offline?: boolean;
  /** Put before the program inside the namespace, e.g. ['faketime', '2026-11-01 12:00:00']. */
  wrapper?: string[];
}

/** Starts ./<build>/mesibo-starter from the cpp folder, as the README says; `env` steers the fake. */
export function startStarter(cppDir: string, log: string, args: string[], stdin: string | undefined, options: RunOptions = {}): ResultPromise {
  const argv = [...(options.wrapper ?? []), `./${options.build ?? 'build'}/mesibo-starter`, ...args];
  const [file, rest] = options.offline ? ['unshare', ['-rn', '--', ...argv]] : [argv[0]!, argv.slice(1)];
  return execa(file, rest, { cwd: cppDir, input: stdin, reject: false, env: { MESIBO_FAKE_LOG: log, ...options.env } });
}

export async function runStarter(
  cppDir: string,
  log: string,
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
  options: RunOptions = {},
): Promise<StarterRun> {
  const result = await startStarter(cppDir, log, args, stdin, { ...options, env });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), calls: readCalls(log) };
}

/** Lines of a run's output that are the starter's own, not mesibo's log (`E<date>-<time>(<pid>): ...`). */
export function starterLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line && !/^E\d{4}-\d{6}-\d{3}\(\d+\): /.test(line) && !/ mesibo api\b/.test(line));
}
