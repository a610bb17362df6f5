/**
 * The staging folder a project is rendered into before it is moved into place.
 *
 * - Target missing: staged beside it, in the parent, then renamed into place (one atomic rename).
 * - Target existing (an empty folder, `create .`, or --force): staged INSIDE it, then moved entry by
 *   entry, so the moves never cross a file system even when the target is a mount point (a container
 *   bind mount). A move that still fails with EXDEV (a subfolder that is a mount of its own) copies,
 *   then removes.
 * - Its name carries its owner (src/write/owner.ts), so a later run can clean up after a killed one.
 * - It is made by a plain mkdir, so its mode, and the project folder's, follow the umask; token files
 *   inside are 0600 whatever the umask.
 * - Moving into an existing folder never goes through a link: each destination is checked with lstat
 *   right before its move, and an existing one is never replaced.
 */
import { chmodSync, copyFileSync, constants, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { exists } from './exists';
import { pathProblem, UnsafePathError } from './inside';
import { stagingName } from './owner';

/** The name of a staging folder inside an existing target. */
export const INSIDE_BASE = 'mesibo-app';

export interface Staging {
  /** Where to render. */
  readonly dir: string;
  /** Whether it sits inside the target (the target existed). */
  readonly inside: boolean;
  /** Moves everything into the target; undoes its own moves if one fails. */
  commit(): void;
  /** Removes the staging folder and any parents created for it. Safe to call twice, and from a signal handler. */
  discard(): void;
}

export function createStaging(targetPath: string): Staging {
  const inside = isRealDir(targetPath);
  const parent = inside ? targetPath : path.dirname(targetPath);
  const createdParents = inside ? [] : mkdirParents(parent);
  let dir: string;
  try {
    dir = makeUnique(parent, inside ? INSIDE_BASE : path.basename(targetPath));
  } catch (error) {
    removeEmpty(createdParents);
    throw error;
  }
  let committed = false;

  return {
    dir,
    inside,
    commit() {
      if (!inside && !exists(targetPath)) {
        move(dir, targetPath);
      } else {
        if (!isRealDir(targetPath)) throw new Error(`${targetPath} appeared while the project was being written`);
        const moved: Array<[string, string]> = [];
        try {
          moveInto(dir, targetPath, targetPath, moved);
        } catch (error) {
          for (const [from, to] of moved.reverse()) move(to, from);
          throw error;
        }
        rmSync(dir, { recursive: true, force: true });
      }
      committed = true;
    },
    discard() {
      rmSync(dir, { recursive: true, force: true });
      if (!committed) removeEmpty(createdParents);
    },
  };
}

/** mkdir of a fresh owner-named folder (no mkdtemp: that one is 0700 whatever the umask). */
function makeUnique(parent: string, base: string): string {
  for (let attempt = 0; ; attempt++) {
    const dir = path.join(parent, stagingName(base, randomBytes(4).toString('hex')));
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 8) throw error;
    }
  }
}

/** Moves staged entries into an existing folder, descending into folders both sides have. */
function moveInto(from: string, to: string, root: string, moved: Array<[string, string]>): void {
  for (const name of readdirSync(from)) {
    const src = path.join(from, name);
    const dest = path.join(to, name);
    const rel = path.relative(root, dest).split(path.sep).join('/');
    const problem = pathProblem(root, rel, 'any');
    if (problem?.kind === 'link') throw new UnsafePathError(problem, 'the project folder', 'Nothing was left behind.');
    if (isRealDir(src) && isRealDir(dest)) {
      moveInto(src, dest, root, moved);
    } else {
      if (exists(dest)) throw new Error(`${dest} appeared while the project was being written`);
      move(src, dest);
      moved.push([src, dest]);
    }
  }
}

/** rename, or (across file systems) copy then remove; never onto an existing entry. */
function move(from: string, to: string): void {
  try {
    renameSync(from, to);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
  }
  try {
    copyTree(from, to);
  } catch (error) {
    rmSync(to, { recursive: true, force: true }); // `to` did not exist: whatever is there is our partial copy
    throw error;
  }
  rmSync(from, { recursive: true, force: true });
}

function copyTree(from: string, to: string): void {
  const stat = lstatSync(from);
  if (stat.isDirectory()) {
    mkdirSync(to);
    chmodSync(to, stat.mode & 0o7777);
    for (const name of readdirSync(from)) copyTree(path.join(from, name), path.join(to, name));
  } else {
    // EXCL: created, never opened through an existing file or link; libuv gives it the source's mode.
    copyFileSync(from, to, constants.COPYFILE_EXCL);
  }
}

/** mkdir -p that remembers which folders it created, outermost first. */
function mkdirParents(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !exists(d); d = path.dirname(d)) missing.unshift(d);
  if (missing.length) mkdirSync(dir, { recursive: true });
  return missing;
}

/** Removes the folders created for a staging folder, innermost first, while they are empty. */
function removeEmpty(created: readonly string[]): void {
  for (const d of [...created].reverse()) {
    try {
      rmdirSync(d);
    } catch {
      break;
    }
  }
}

/** A folder, not a link to one. */
function isRealDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}
