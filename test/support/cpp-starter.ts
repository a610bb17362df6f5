/**
 * For the C++ starter's tests: builds the fake libmesibo (test/doubles/cpp) into a folder laid out like a
 * mesibo install (include/, lib/) for the starter's -DMESIBO_ROOT, and runs the built starter against it.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { DOUBLES_DIR, readCalls, type CallRecord } from './starter-common';

export const STUB_INCLUDE_DIR = path.join(DOUBLES_DIR, 'cpp', 'include');

/** Compiles the fake library into `root`/lib/libmesibo.so beside a copy of the stub header. */
export async function buildFakeMesibo(root: string): Promise<string> {
  mkdirSync(path.join(root, 'include'), { recursive: true });
  mkdirSync(path.join(root, 'lib'), { recursive: true });
  copyFileSync(path.join(STUB_INCLUDE_DIR, 'mesibo.h'), path.join(root, 'include', 'mesibo.h'));
  await execa('g++', [
    '-std=c++17', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-pthread',
    '-I', path.join(root, 'include'),
    path.join(DOUBLES_DIR, 'cpp', 'fake_mesibo.cpp'),
    '-o', path.join(root, 'lib', 'libmesibo.so'),
  ]);
  return root;
}

export async function syntaxCheck(cppDir: string): Promise<void> {
  await execa('g++', ['-std=c++17', '-fsyntax-only', '-Wall', '-Wextra', '-Werror', '-isystem', STUB_INCLUDE_DIR, 'main.cpp'], {
    cwd: cppDir,
  });
}

/** The README's build: `cmake -S . -B build && cmake --build build`, pointed at the fake mesibo. */
export async function cmakeBuild(cppDir: string, mesiboRoot: string): Promise<void> {
  await execa('cmake', ['-S', '.', '-B', 'build', `-DMESIBO_ROOT=${mesiboRoot}`], { cwd: cppDir });
  await execa('cmake', ['--build', 'build'], { cwd: cppDir });
}

export interface StarterRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  calls: CallRecord[];
}

/** Runs ./build/mesibo-starter from the cpp folder, as the README says; `env` steers the fake. */
export async function runStarter(
  cppDir: string,
  log: string,
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
): Promise<StarterRun> {
  const result = await execa('./build/mesibo-starter', args, {
    cwd: cppDir,
    input: stdin,
    reject: false,
    env: { MESIBO_FAKE_LOG: log, ...env },
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, calls: readCalls(log) };
}
