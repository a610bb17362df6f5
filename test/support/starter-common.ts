/**
 * Shared by the web, C++ and Python starter tests: the hostile fixture, reading a test double's call log,
 * the check that user tokens live only in the secret config file, and running without that file.
 */
import { copyFileSync, readFileSync, readdirSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { PLATFORMS, type PlatformId } from '../../src/platforms';
import { fakeToken } from './render';

export const DOUBLES_DIR = path.resolve(import.meta.dirname, '..', 'doubles');

/** Values that break naive templating in every language the starters use. */
export const HOSTILE = {
  name: 'Tom\'s "chat" {{x}} </script> ${y} ü',
  users: ['a"b\\c', '</script>${x}{{y}}ü', "it's $(id) `x` #1 ; ?? \\n"],
};

export interface CallRecord {
  call: string;
  [arg: string]: unknown;
}

/** The JSON-lines log a test double appends to (empty when the starter never reached mesibo). */
export function readCalls(logFile: string): CallRecord[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CallRecord);
}

/** Every file of a generated platform folder but its secret config holds none of the users' tokens. */
export function expectTokensOnlyInSecretFile(projectDir: string, id: PlatformId, appId: string, users: string[]): void {
  const dir = path.join(projectDir, PLATFORMS[id].dir);
  const secret = path.join(dir, PLATFORMS[id].secretFile);
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
  expect(files).toContain(secret);
  const tokens = users.map((u) => fakeToken(u, appId));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const token of tokens) {
      if (file === secret) expect(text, file).toContain(token);
      else expect(text.includes(token), `${file} holds a user token`).toBe(false);
    }
  }
}

/** A temp folder removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `check` with a starter's token config moved away, as after a fresh git clone, then puts the real
 * one back. `useExample` copies the committed `.example` twin into its place meanwhile.
 */
export async function withoutSecretFile(file: string, check: (useExample: () => void) => Promise<void>): Promise<void> {
  renameSync(file, `${file}.moved`);
  try {
    await check(() => copyFileSync(`${file}.example`, file));
  } finally {
    rmSync(file, { force: true });
    renameSync(`${file}.moved`, file);
  }
}
