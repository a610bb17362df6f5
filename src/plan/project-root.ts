/**
 * The project a folder belongs to, found as git finds its repository: the folder itself or the nearest
 * one above it that holds a mesibo.json. So a command run from inside android/ or web/src/ works on the
 * whole project.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE } from './manifest';

/** The nearest folder from `start` upwards holding mesibo.json (of any kind: its reader judges it), if any. */
export function findProjectRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    try {
      lstatSync(path.join(dir, MANIFEST_FILE));
      return dir;
    } catch {
      // not here (or not readable): look one folder up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
