/**
 * Which Java doubles each Android check compiles does not depend on where the checkout sits: CI once
 * cloned into a folder named check/, and every double was dropped, so kotlinc saw none of them.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANDROID_DOUBLES, doubleSources } from './support/android';
import { tempDir } from './support/starter-common';

const scratch = tempDir('cma-doubles-where-');
afterAll(scratch.cleanup);
const relative = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();

describe('Android double sources', () => {
  it('splits mesibo from the framework, both with the TestHook mark, the signature checker in neither', () => {
    const mesibo = relative(ANDROID_DOUBLES, doubleSources('mesibo'));
    const framework = relative(ANDROID_DOUBLES, doubleSources('framework'));
    expect(mesibo).toContain('com/mesibo/api/Mesibo.java');
    expect(mesibo).toContain('testing/TestHook.java');
    expect(mesibo.filter((f) => !f.startsWith('com/mesibo/') && f !== 'testing/TestHook.java')).toEqual([]);
    expect(framework).toContain('android/app/Activity.java');
    expect(framework).toContain('testing/TestHook.java');
    expect(framework.filter((f) => f.startsWith('com/') || f.startsWith('check/'))).toEqual([]);
    expect(framework.length).toBeGreaterThanOrEqual(15);
  });

  it('gives the same files from a checkout under folders named check, testing and com/mesibo', () => {
    const root = path.join(scratch.dir, 'check', 'testing', 'com', 'mesibo', 'android');
    mkdirSync(path.dirname(root), { recursive: true });
    cpSync(ANDROID_DOUBLES, root, { recursive: true });
    for (const kind of ['mesibo', 'framework'] as const) {
      expect(relative(root, doubleSources(kind, root))).toEqual(relative(ANDROID_DOUBLES, doubleSources(kind)));
    }
  });
});
