/** Runs the built CLI the way a user would, in a temp folder, and inspects what it left on disk. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist', 'index.js');

/** A clean environment: no App Token, no colour, no terminal, fast retries unless a test says otherwise. */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CREATE_MESIBO_APP_RETRY_BASE_MS: '20',
    ...extra,
  };
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  timeout?: number;
}

/** Runs the CLI to completion (never rejects: tests assert the exit code). */
export function runCli(args: string[], options: RunOptions) {
  return execa('node', [CLI, ...args], {
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    cwd: options.cwd,
    env: options.env ?? cliEnv(),
    timeout: options.timeout,
  });
}

/** Starts the CLI with its output streamed, for long-running commands (`sandbox`). */
/** The backend URL a `create-mesibo-app sandbox` process prints once it listens (rejects if it exits first). */
export function sandboxUrl(server: ReturnType<typeof spawnCli>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let seen = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/backend\//.exec(seen);
      if (match) resolve(match[0]);
    });
    server.once('exit', () => reject(new Error(`sandbox exited early: ${seen}`)));
  });
}

export function spawnCli(args: string[], options: RunOptions) {
  return execa('node', [CLI, ...args], {
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    buffer: false,
    cwd: options.cwd,
    env: options.env ?? cliEnv(),
  });
}

export function tempDir(prefix = 'cma-e2e-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file below `dir` (relative, sorted), `.git` excluded. */
export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isFile(): boolean }>)
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => !f.startsWith('.git/'))
    .sort();
}

/** Files below `dir` whose content contains `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  return listFiles(dir).filter((f) => readFileSync(path.join(dir, f), 'latin1').includes(needle));
}

export function mode(file: string): number {
  return statSync(file).mode & 0o777;
}
