/**
 * For the doctor tests: projects made by the CLI's own main() against the fake backend as a real (not
 * sandbox) endpoint, committed to a real git repository, copied per test; doctor run the same way, with
 * an injectable clock and prompter; and the checks every run must pass (no token, no bug, no stack).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { main } from '../../src/main';
import SDK_VERSIONS from '../../src/sdk-versions.json';
import type { Prompter } from '../../src/app-context';
import { detectInvocation } from '../../src/report/invocation';
import { TEST_APP_TOKEN } from './fake-backend';
import { listFiles } from './cli';

export const APP_ID = 'com.example.chat';
export const USERS = ['123', '456', '789'];
/** How doctor's fixes run refresh from here: the tool as it runs in these tests (this checkout's bin). */
export const REFRESH = `${detectInvocation({}).command} refresh`;


export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Answers questions; its presence makes the run interactive (a terminal, no CI). */
  prompt?: Prompter;
}

/** The CLI's main() in this process, with captured output. */
export async function run(argv: string[], options: RunOptions): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const interactive = options.prompt !== undefined;
  const code = await main({
    argv,
    cwd: options.cwd,
    env: { CREATE_MESIBO_APP_RETRY_BASE_MS: '1', ...(interactive ? {} : { CI: '1' }), PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdin: { isTTY: interactive },
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    prompt: options.prompt,
    now: options.now,
    exit: (c: number) => {
      throw new Error(`exit(${c}) called during a test`);
    },
  });
  const output = `${stdout}\n${stderr}`;
  expect(output).not.toContain(TEST_APP_TOKEN);
  expect(output).not.toMatch(/This is a bug|\n\s+at .*:\d+:\d+\)?\n/);
  return { code, stdout, stderr, output };
}

/**
 * The fake backend at an address of this machine that is not loopback, as a backend elsewhere would be:
 * create records a loopback backend as a sandbox one (its address means nothing in a clone), so a
 * project "made against mesibo's servers" needs one that is not. Requests are passed to `target`
 * (the fake, which records them) and its answers back.
 */
export async function exposeOffLoopback(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!address) throw new Error('these tests need a network interface with an IPv4 address that is not loopback');
  const to = new URL(target);
  const server = createServer((req, res) => {
    const forward = request({ host: to.hostname, port: to.port, path: to.pathname, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}${to.pathname}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** `create` against a backend that is not the sandbox (--allow-http: plain http to `apiUrl`), no git. */
export async function createProject(work: string, name: string, apiUrl: string, extra: string[] = []): Promise<string> {
  const result = await run([name, '--api-url', apiUrl, '--allow-http', '--yes', '--no-git', '--app-id', APP_ID, '--users', USERS.join(','), ...extra], {
    cwd: work,
    env: { MESIBO_APP_TOKEN: TEST_APP_TOKEN },
  });
  expect(result.code, result.output).toBe(0);
  return path.join(work, name);
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export async function git(dir: string, ...args: string[]) {
  return execa('git', args, { cwd: dir, env: GIT_ENV });
}

/** `git init` and a first commit of everything git does not ignore (as a user would). */
export async function commitAll(dir: string, message = 'first'): Promise<void> {
  await git(dir, 'init', '--quiet');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '--quiet', '-m', message);
}

export function tempDir(prefix = 'cma-doctor-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A private copy of a project, .git and modes included. */
export function copyProject(from: string, to: string): string {
  cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  return to;
}

export interface DoctorReport {
  ok: boolean;
  findings: Array<{ platform: string; check: string; severity: string; message: string; fix: string }>;
}

/**
 * A clock on the day before the pinned Python and C++ build (mesibo 2.7.1) refuses to start: the doctor
 * tests of everything else run there, so a healthy project is healthy; test/doctor-sdk-refusal.test.ts
 * holds both sides of the date.
 */
export const SDK_STILL_STARTS = () => new Date(Date.parse(`${SDK_VERSIONS.python.refusesAfter}T12:00:00Z`) - 86_400_000);

/** `doctor --json` in `cwd` (at SDK_STILL_STARTS unless told): the exit code and the parsed report. */
export async function doctorJson(cwd: string, args: string[] = [], options: Omit<RunOptions, 'cwd'> = {}): Promise<{ code: number; report: DoctorReport; run: Run }> {
  const result = await run(['doctor', ...args, '--json'], { cwd, now: SDK_STILL_STARTS, ...options });
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport, run: result };
}

/** The findings as `platform check` pairs, for exact comparisons. */
export function kinds(report: DoctorReport): string[] {
  return report.findings.map((f) => `${f.platform} ${f.check}`).sort();
}

/** Every token in the project's token configs (64 of [0-9A-Za-z]). */
export function tokensOf(project: string): string[] {
  const configs = ['android/mesibo.properties', 'ios/Config/Secrets.xcconfig', 'web/config.js', 'cpp/mesibo.conf', 'python/config.json'];
  const found = configs.flatMap((rel) => {
    try {
      return [...readFileSync(path.join(project, rel), 'utf8').matchAll(/(?<![0-9A-Za-z])[0-9A-Za-z]{64}(?![0-9A-Za-z])/g)].map((m) => m[0]);
    } catch {
      return [];
    }
  });
  return [...new Set(found)];
}

/** No token, and no 8-character piece of one, in `text`. */
export function expectNoTokenIn(text: string, tokens: readonly string[]): void {
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) for (let i = 0; i + 8 <= token.length; i++) expect(text.includes(token.slice(i, i + 8)), 'a token fragment was printed').toBe(false);
}

export { listFiles };
