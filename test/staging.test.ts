import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTarget } from '../src/write/project-folder';
import { createStaging } from '../src/write/staging';
import { removeDir, tempDir } from './support/cli';
import { currentOwner, parseStagingName } from '../src/write/owner';

let root: string;
beforeEach(() => {
  root = tempDir('cma-staging-');
});
afterEach(() => removeDir(root));

function stage(target: string, files: Record<string, string>) {
  const staging = createStaging(target);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(staging.dir, rel)), { recursive: true });
    writeFileSync(path.join(staging.dir, rel), content);
  }
  return staging;
}

describe('staging', () => {
  it('stages beside the target and renames into place', () => {
    const target = path.join(root, 'app');
    const staging = stage(target, { 'a.txt': '1', 'web/b.txt': '2' });
    expect(path.dirname(staging.dir)).toBe(root);
    staging.commit();
    expect(readFileSync(path.join(target, 'web/b.txt'), 'utf8')).toBe('2');
    expect(readdirSync(root)).toEqual(['app']);
  });

  it('discard removes the staging folder and the parents it created, and nothing else', () => {
    writeFileSync(path.join(root, 'keep'), 'x');
    const staging = stage(path.join(root, 'deep', 'er', 'app'), { 'a.txt': '1' });
    staging.discard();
    staging.discard(); // idempotent: a signal may arrive during a failure cleanup
    expect(readdirSync(root)).toEqual(['keep']);
  });

  it('merges into an existing folder and rolls back its own moves when one fails', () => {
    const target = path.join(root, 'app');
    mkdirSync(path.join(target, 'web'), { recursive: true });
    writeFileSync(path.join(target, 'web', 'mine.js'), 'mine');
    const staging = stage(target, { 'a.txt': '1', 'web/new.js': 'new', 'z.txt': 'z' });
    writeFileSync(path.join(target, 'z.txt'), 'appeared meanwhile');
    expect(() => staging.commit()).toThrow(/appeared while the project was being written/);
    staging.discard();
    expect(readdirSync(target).sort()).toEqual(['web', 'z.txt']);
    expect(readdirSync(path.join(target, 'web'))).toEqual(['mine.js']);
    expect(readFileSync(path.join(target, 'z.txt'), 'utf8')).toBe('appeared meanwhile');
    expect(existsSync(staging.dir)).toBe(false);
  });
});

describe('staging: where, named by whom, with which mode', () => {
  it('stages inside an existing target (so a mount point is never crossed), named with its owner', () => {
    const target = path.join(root, 'app');
    mkdirSync(target);
    const staging = stage(target, { 'a.txt': '1' });
    expect(staging.inside).toBe(true);
    expect(path.dirname(staging.dir)).toBe(target);
    expect(parseStagingName(path.basename(staging.dir))).toEqual(currentOwner());
    staging.commit();
    expect(readdirSync(target)).toEqual(['a.txt']);
  });

  it('beside a missing target, named with its owner; its mode follows the umask, not mkdtemp\'s 0700', () => {
    const old = process.umask(0o022);
    try {
      const staging = stage(path.join(root, 'app'), { 'a.txt': '1' });
      expect(staging.inside).toBe(false);
      expect(parseStagingName(path.basename(staging.dir))?.pid).toBe(process.pid);
      staging.commit();
      expect(statSync(path.join(root, 'app')).mode & 0o777).toBe(0o755);
    } finally {
      process.umask(old);
    }
  });

  it('refuses to move into a folder that became a link after the checks, and undoes its moves', () => {
    const target = path.join(root, 'app');
    const outside = path.join(root, 'outside');
    mkdirSync(path.join(target, 'web'), { recursive: true });
    mkdirSync(outside);
    const staging = stage(target, { 'a.txt': '1', 'x/b.txt': '2', 'z/c.txt': '3' });
    symlinkSync(outside, path.join(target, 'z')); // slipped in between the check and the write
    expect(() => staging.commit()).toThrow(/"z\/" in the project folder is a symbolic link/);
    staging.discard();
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(target).sort()).toEqual(['web', 'z']);
  });
});

describe('target checks', () => {
  it('accepts a missing or empty folder', () => {
    expect(() => checkTarget(path.join(root, 'nope'), 'nope', false, [])).not.toThrow();
    mkdirSync(path.join(root, 'empty'));
    expect(() => checkTarget(path.join(root, 'empty'), 'empty', false, [])).not.toThrow();
  });
  it('refuses a file in the way', () => {
    writeFileSync(path.join(root, 'file'), 'x');
    expect(() => checkTarget(path.join(root, 'file'), 'file', true, [])).toThrow(/exists and is not a folder/);
  });
  it('with --force refuses only collisions, listing them', () => {
    mkdirSync(path.join(root, 'app'));
    writeFileSync(path.join(root, 'app', 'README.md'), 'mine');
    expect(() => checkTarget(path.join(root, 'app'), 'app', true, ['mesibo.json'])).not.toThrow();
    expect(() => checkTarget(path.join(root, 'app'), 'app', true, ['README.md', 'mesibo.json'])).toThrow(/already has files this run would write \(README\.md\)/);
  });
});
