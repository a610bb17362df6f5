/**
 * For the refresh tests: a sandbox project made once by the built CLI and copied per test, refresh run
 * the way the tests need it, a snapshot of a folder (sha256 and mode of every file) to prove what changed
 * and what did not, and the tokens a file holds.
 */
import { cpSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { cliEnv, listFiles, removeDir, runCli, tempDir } from './cli';
import { TEST_APP_TOKEN } from './fake-backend';
import { fakeToken } from './render';

export const APP_ID = 'com.example.chat';
export const USERS = ['123', '456', '789'];

export const SECRET_FILES = [
  'android/mesibo.properties',
  'ios/Config/Secrets.xcconfig',
  'web/config.js',
  'cpp/mesibo.conf',
  'python/config.json',
];

/** Makes `name` in `work` with create --sandbox; returns its path. */
export async function createSandboxProject(work: string, name: string, extra: string[] = []): Promise<string> {
  const result = await runCli([name, '--sandbox', '--yes', '--no-git', ...extra], { cwd: work, env: cliEnv({ CI: '1' }) });
  expect(result.exitCode, String(result.stderr)).toBe(0);
  return path.join(work, name);
}

/** A private copy of a template project, modes kept. */
export function copyProject(template: string, to: string): string {
  cpSync(template, to, { recursive: true, preserveTimestamps: true });
  return to;
}

export type Snapshot = Map<string, { sha256: string; mode: number }>;

export function snapshot(dir: string): Snapshot {
  return new Map(
    listFiles(dir).map((rel) => {
      const file = path.join(dir, rel);
      return [rel, { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), mode: statSync(file).mode & 0o777 }];
    }),
  );
}

/** Same file list, and every file not in `except` byte-identical with the same mode. */
export function expectUnchanged(before: Snapshot, after: Snapshot, except: string[] = []): void {
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [rel, was] of before) {
    if (except.includes(rel)) continue;
    expect(after.get(rel), rel).toEqual(was);
  }
}

/** Every mesibo-shaped token (64 characters of [0-9A-Za-z]) in a text. */
export function tokensIn(text: string): string[] {
  return [...text.matchAll(/(?<![0-9A-Za-z])[0-9A-Za-z]{64}(?![0-9A-Za-z])/g)].map((m) => m[0]).sort();
}

/** The tokens the fake backend issues for these users and appid. */
export function fakeTokensFor(users: string[], appId: string): string[] {
  return users.map((u) => fakeToken(`fake:${u}`, appId)).sort();
}

/** Files below `dir` holding `secret`, `.git` excluded. */
export function filesHolding(dir: string, secret: string): string[] {
  return listFiles(dir).filter((f) => readFileSync(path.join(dir, f), 'latin1').includes(secret));
}

/**
 * A test file's projects: one sandbox project (APP_ID, USERS) made once by the built CLI, and a private
 * copy of it per test. `work()` is the temp folder they live in.
 */
export function refreshFixture(): { work: () => string; template: () => string; freshProject: () => string } {
  let work = '';
  let template = '';
  let copies = 0;
  beforeAll(async () => {
    work = tempDir('cma-refresh-');
    template = await createSandboxProject(work, 'template', ['--app-id', APP_ID, '--users', USERS.join(',')]);
  });
  afterAll(() => removeDir(work));
  return { work: () => work, template: () => template, freshProject: () => copyProject(template, path.join(work, `project-${++copies}`)) };
}

export function manifestOf(project: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(project, 'mesibo.json'), 'utf8'));
}

/** Runs refresh in `cwd` with the App Token in the environment unless `env` says otherwise. */
export async function refresh(cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = await runCli(['refresh', ...args], {
    cwd,
    env: cliEnv({ CI: '1', MESIBO_APP_TOKEN: TEST_APP_TOKEN, CREATE_MESIBO_APP_TIMEOUT_MS: '2000', ...env }),
    timeout: 60_000,
  });
  const output = `${result.stdout}\n${result.stderr}`;
  expect(output).not.toContain(TEST_APP_TOKEN);
  expect(output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  return { result, output };
}

/** A failed refresh: the exit code, the key words, every file as it was, no App Token anywhere. */
export async function expectRefusal(project: string, args: string[], code: number, message: RegExp, env: Record<string, string | undefined> = {}) {
  const before = snapshot(project);
  const { result, output } = await refresh(project, args, env);
  expect(result.exitCode, output).toBe(code);
  expect(output).toMatch(message);
  expectUnchanged(before, snapshot(project));
  expect(filesHolding(project, TEST_APP_TOKEN)).toEqual([]);
  return output;
}
