/**
 * Runs the generated Python starter for its tests: against the recording double of mesibo's package
 * (test/doubles/python on PYTHONPATH), against the real package (its virtual environment's interpreter),
 * or without any mesibo at all. Runs that load the real package go through `unshare -rn`: a network
 * namespace with nothing but a loopback that is down, so not one packet can reach mesibo's servers.
 */
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { DOUBLES_DIR, readCalls, type CallRecord } from './starter-common';

export const PYTHON_DOUBLE_DIR = path.join(DOUBLES_DIR, 'python');

export interface PythonRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  calls: CallRecord[];
}

export interface PythonOptions {
  /** The interpreter: `python3` (no mesibo), or the real SDK's venv python. */
  python: string;
  /** The generated python/ folder; the starter runs from there, as its README says. */
  dir: string;
  args: string[];
  stdin?: string;
  /** Where compiled bytecode goes, so the generated folder stays as generated. */
  pycache: string;
  /** With a log file: the double is put on PYTHONPATH and records its calls there. */
  log?: string;
  /** Without network (unshare -rn), for runs of the real package. */
  offline?: boolean;
  /** Put before the interpreter inside the namespace, e.g. ['faketime', '2026-11-01 12:00:00']. */
  wrapper?: string[];
  env?: Record<string, string>;
}

function command(options: PythonOptions, script: string[]): [string, string[]] {
  const argv = [...(options.wrapper ?? []), options.python, '-X', `pycache_prefix=${options.pycache}`, ...script];
  return options.offline ? ['unshare', ['-rn', '--', ...argv]] : [argv[0]!, argv.slice(1)];
}

function environment(options: PythonOptions): Record<string, string> {
  const env: Record<string, string> = { PYTHONIOENCODING: 'utf-8', ...options.env };
  if (options.log) Object.assign(env, { PYTHONPATH: PYTHON_DOUBLE_DIR, MESIBO_FAKE_LOG: options.log });
  return env;
}

/** Starts `python main.py <args>` and returns the running process (for signals). */
export function startStarter(options: PythonOptions): ResultPromise {
  const [file, args] = command(options, ['main.py', ...options.args]);
  return execa(file, args, {
    cwd: options.dir,
    input: options.stdin,
    reject: false,
    env: environment(options),
  });
}

/** Runs `python main.py <args>` to its end. */
export async function runStarter(options: PythonOptions): Promise<PythonRun> {
  const result = await startStarter(options);
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
    calls: options.log ? readCalls(options.log) : [],
  };
}

/** Runs a Python program given as text with the same interpreter, namespace and environment. */
export async function runPythonCode(options: Omit<PythonOptions, 'args'>, code: string, args: string[] = []): Promise<PythonRun> {
  const [file, argv] = command({ ...options, args: [] }, ['-c', code, ...args]);
  const result = await execa(file, argv, { cwd: options.dir, input: options.stdin, reject: false, env: environment(options as PythonOptions) });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), calls: [] };
}

/** Lines of a run's output that are the starter's own, not mesibo's log (`E<date>-<time>(<pid>): ...`). */
export function starterLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line && !/^E\d{4}-\d{6}-\d{3}\(\d+\): /.test(line) && !/ mesibo api\b/.test(line));
}
