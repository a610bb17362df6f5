/**
 * Runs the CLI's `main()` in this process, with the real HTTP client and printer and injected streams:
 * as real as the built CLI for everything the security tests check (what is printed, what is written,
 * the exit code), and fast enough for a fuzz test of hundreds of runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/main';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

export async function runInProcess(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main({
    argv,
    cwd: options.cwd,
    env: { CREATE_MESIBO_APP_RETRY_BASE_MS: '1', ...options.env },
    stdin: { isTTY: false },
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    exit: (c: number) => {
      throw new Error(`exit(${c}) called: an interrupt during a test`);
    },
  });
  return { code, stdout, stderr, output: `${stdout}\n${stderr}` };
}

export function scratchDir(prefix = 'cma-security-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file below `dir` with its content (relative paths, sorted). Hidden staging folders included. */
export function filesBelow(dir: string): Array<{ file: string; content: string }> {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isFile(): boolean }>)
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
    .map((abs) => ({ file: path.relative(dir, abs), content: readFileSync(abs, 'latin1') }));
}
