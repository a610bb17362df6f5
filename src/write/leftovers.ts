/**
 * Leftovers of a run that was killed (SIGKILL, power loss) while it wrote: its staging folder, holding
 * token files, beside the target or inside it. A later run in the same place removes those whose owner
 * is gone, and only those: the name must carry an owner tag (src/write/owner.ts) of this machine, the
 * folder must be a real folder owned by this user, and its owner must no longer run.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ownerState, parseStagingName, parseTempName } from './owner';
import { INSIDE_BASE } from './staging';

/** Removes stale staging folders for `targetPath` (beside it and inside it); returns what was removed. */
export function removeStaleStaging(targetPath: string): string[] {
  const removed: string[] = [];
  const places: Array<[string, (base: string) => boolean]> = [
    [path.dirname(targetPath), () => true], // any target in this parent: a killed `create a` is found by `create b` too
  ];
  // Inside the target only when it is a real folder: never through a link (nothing was staged through one).
  if (isRealFolder(targetPath)) places.push([targetPath, (base) => base === INSIDE_BASE]);
  for (const [folder, wanted] of places) {
    for (const name of entries(folder)) {
      const owner = parseStagingName(name);
      const base = name.slice(1, name.indexOf('.creating-'));
      if (!owner || !wanted(base)) continue;
      const dir = path.join(folder, name);
      if (!ourRealFolder(dir) || ownerState(owner) !== 'dead') continue;
      try {
        rmSync(dir, { recursive: true, force: true });
        removed.push(dir);
      } catch {
        // not ours to fight over: it stays, and the next run tries again
      }
    }
  }
  return removed;
}

/**
 * Removes the temp files (src/write/owner.ts tempFileName) that runs killed mid-write left in `folder`:
 * a seat zip or the kept tokens, half-written or whole, so holding tokens. Only regular files of this
 * user whose owner is gone; returns what was removed.
 */
export function removeStaleTemps(folder: string): string[] {
  const removed: string[] = [];
  for (const name of entries(folder)) {
    const owner = parseTempName(name);
    if (!owner) continue;
    const file = path.join(folder, name);
    if (!ourFile(file) || ownerState(owner) !== 'dead') continue;
    try {
      rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // the next run tries again
    }
  }
  return removed;
}

function ourFile(file: string): boolean {
  try {
    const stat = lstatSync(file);
    return stat.isFile() && (process.getuid === undefined || stat.uid === process.getuid());
  } catch {
    return false;
  }
}

function entries(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function isRealFolder(dir: string): boolean {
  try {
    return lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function ourRealFolder(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    return stat.isDirectory() && (process.getuid === undefined || stat.uid === process.getuid());
  } catch {
    return false;
  }
}

/** The one line that says what was removed (paths relative to `cwd`). */
export function leftoverNotice(removed: readonly string[], cwd: string): string {
  const names = removed.map((dir) => path.relative(cwd, dir) || dir).join(', ');
  const what = removed.length === 1 ? 'a staging folder' : `${removed.length} staging folders`;
  return `Removed ${what} left by an earlier run that was killed (${names}), with the token files in it.`;
}

/** The one line that says which temp files were removed (paths relative to `cwd`). */
export function tempNotice(removed: readonly string[], cwd: string): string {
  const names = removed.map((file) => path.relative(cwd, file) || file).join(', ');
  const what = removed.length === 1 ? 'a temporary file' : `${removed.length} temporary files`;
  return `Removed ${what} left by an earlier run that was killed while writing (${names}): they may hold tokens.`;
}
