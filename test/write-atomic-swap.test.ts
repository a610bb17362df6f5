/**
 * refresh's atomic swap re-checks every path itself (a link may appear after refresh's first check):
 * given the project root, a linked folder on the way or a linked file is refused and nothing is written,
 * inside or outside.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { atomicSwap } from '../src/write/atomic-swap';
import { UnsafePathError } from '../src/write/inside';
import type { InterruptGuard } from '../src/interrupt';
import { removeDir, tempDir } from './support/cli';

const guard: InterruptGuard = { onInterrupt: () => () => {}, dispose() {} };
let dir: string;
let project: string;
let outside: string;
beforeEach(() => {
  dir = tempDir('cma-swap-');
  project = path.join(dir, 'project');
  outside = path.join(dir, 'outside');
  mkdirSync(path.join(project, 'python'), { recursive: true });
  writeFileSync(path.join(project, 'python', 'config.json'), '{"old":1}\n', { mode: 0o600 });
  writeFileSync(path.join(project, 'mesibo.json'), '{}\n');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'config.js'), 'someone else\n');
});
afterEach(() => removeDir(dir));

const swap = (rel: string) =>
  atomicSwap(
    [
      { file: path.join(project, 'python', 'config.json'), content: '{"new":1}\n', mode: 0o600 },
      { file: path.join(project, ...rel.split('/')), content: 'tokens\n', mode: 0o600 },
    ],
    guard,
    project,
  );

describe('atomicSwap with the project root', () => {
  it('refuses a linked folder on the way, and writes nothing anywhere', () => {
    symlinkSync(outside, path.join(project, 'web'));
    expect(() => swap('web/config.js')).toThrow(UnsafePathError);
    expect(() => swap('web/config.js')).toThrow(/"web\/" in the project is a symbolic link/);
    expect(readFileSync(path.join(outside, 'config.js'), 'utf8')).toBe('someone else\n');
    expect(readdirSync(outside)).toEqual(['config.js']);
    expect(readFileSync(path.join(project, 'python', 'config.json'), 'utf8')).toBe('{"old":1}\n');
    expect(readdirSync(path.join(project, 'python'))).toEqual(['config.json']);
  });

  it('refuses a linked file, even one pointing inside the project', () => {
    mkdirSync(path.join(project, 'web'));
    symlinkSync('../mesibo.json', path.join(project, 'web', 'config.js'));
    expect(() => swap('web/config.js')).toThrow(/points inside the project, but it is refused all the same/);
    expect(readFileSync(path.join(project, 'mesibo.json'), 'utf8')).toBe('{}\n');
  });

  it('good input is unchanged: both files swapped', () => {
    mkdirSync(path.join(project, 'web'));
    expect(swap('web/config.js')).toEqual([]);
    expect(readFileSync(path.join(project, 'web', 'config.js'), 'utf8')).toBe('tokens\n');
    expect(readFileSync(path.join(project, 'python', 'config.json'), 'utf8')).toBe('{"new":1}\n');
  });
});
