/**
 * The project folder: checked before any backend call, then written through a hidden staging folder
 * beside it and moved into place only once complete.
 *
 * - The target must not exist, be empty, or (with --force) have none of the files about to be written:
 *   nothing in a user's folder is ever replaced.
 * - On failure or interrupt the staging folder (and any parent folders created for it) is removed, so
 *   the user's folder is exactly as it was.
 * - The file work is synchronous, as in create-vite: a project is ~50 small files in a folder nobody else
 *   sees, and each promise-based call is a round trip through libuv's thread pool (three per file). Being
 *   synchronous, no write can still be in flight when an interrupt removes the staging folder.
 */
import { closeSync, fchmodSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InterruptGuard } from '../interrupt';
import { UsageError } from '../errors';
import type { RenderedFile } from '../render/project';
import { exists } from './exists';

const SHOWN = 5;

export function checkTarget(targetPath: string, targetDir: string, force: boolean, planned: readonly string[]): void {
  let stat;
  try {
    stat = lstatSync(targetPath);
  } catch {
    return; // does not exist yet: the normal case
  }
  if (!stat.isDirectory()) {
    throw new UsageError(`${JSON.stringify(targetDir)} exists and is not a folder. Choose another folder name.`);
  }
  const entries = readdirSync(targetPath).sort();
  if (entries.length === 0) return;
  if (!force) {
    const shown = entries.slice(0, SHOWN).join(', ') + (entries.length > SHOWN ? `, … (${entries.length} entries)` : '');
    throw new UsageError(
      `The folder ${JSON.stringify(targetDir)} is not empty (${shown}). Choose a new folder, or pass --force ` +
        'to add the project beside what is there (existing files are never overwritten or deleted).',
    );
  }
  const collisions = planned.filter((rel) => exists(path.join(targetPath, rel)));
  if (collisions.length > 0) {
    const shown = collisions.slice(0, SHOWN).join(', ') + (collisions.length > SHOWN ? `, … (${collisions.length} files)` : '');
    throw new UsageError(
      `--force was given, but ${JSON.stringify(targetDir)} already has files this run would write (${shown}). ` +
        'Nothing is ever overwritten: move them away, choose another folder, or use `create-mesibo-app refresh` ' +
        'to issue new tokens into an existing project.',
    );
  }
}

export interface Staging {
  /** Where to render. */
  dir: string;
  /** Moves everything into the target; undoes its own moves if one fails. */
  commit(): void;
  /** Removes the staging folder and any parents created for it. Safe to call twice, and from a signal handler. */
  discard(): void;
}

export function createStaging(targetPath: string): Staging {
  const parent = path.dirname(targetPath);
  const createdParents = mkdirParents(parent);
  const dir = mkdtempSync(path.join(parent, `.${path.basename(targetPath)}.creating-`));
  let committed = false;

  return {
    dir,
    commit() {
      if (!isDir(targetPath)) {
        renameSync(dir, targetPath); // the common case: one atomic rename
      } else {
        const moved: Array<[string, string]> = [];
        try {
          moveInto(dir, targetPath, moved);
        } catch (error) {
          for (const [from, to] of moved.reverse()) renameSync(to, from);
          throw error;
        }
        rmSync(dir, { recursive: true, force: true });
      }
      committed = true;
    },
    discard() {
      rmSync(dir, { recursive: true, force: true });
      if (!committed) {
        for (const created of createdParents.reverse()) {
          try {
            rmdirSync(created); // only if still empty
          } catch {
            break;
          }
        }
      }
    },
  };
}

/** Moves staged entries into an existing folder, descending into folders both sides have. */
function moveInto(from: string, to: string, moved: Array<[string, string]>): void {
  for (const name of readdirSync(from)) {
    const src = path.join(from, name);
    const dest = path.join(to, name);
    if (isDir(src) && isDir(dest)) {
      moveInto(src, dest, moved);
    } else {
      if (exists(dest)) throw new Error(`${dest} appeared while the project was being written`);
      renameSync(src, dest);
      moved.push([src, dest]);
    }
  }
}

/** mkdir -p that remembers which folders it created, outermost first. */
function mkdirParents(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !exists(d); d = path.dirname(d)) missing.unshift(d);
  if (missing.length) mkdirSync(dir, { recursive: true });
  return missing;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Writes the files into `root` (which exists): each folder created once, no file replaced. */
export function writeFiles(root: string, files: readonly RenderedFile[]): void {
  const absolute = files.map((f) => ({ ...f, abs: path.join(root, ...f.path.split('/')) }));
  for (const dir of new Set(absolute.map((f) => path.dirname(f.abs)))) mkdirSync(dir, { recursive: true });
  // 'wx': the folder is new, so an existing file means two templates claim one path.
  for (const f of absolute) {
    const fd = openSync(f.abs, 'wx', f.mode);
    try {
      writeFileSync(fd, f.contents);
      // A private file gets its mode from the first byte and keeps it whatever the umask or platform did.
      if ((f.mode & 0o077) === 0) fchmodSync(fd, f.mode);
    } finally {
      closeSync(fd);
    }
  }
}

/** Writes a rendered project to `targetPath` through a staging folder; nothing is left behind on failure. */
export function writeProject(targetPath: string, files: readonly RenderedFile[], interrupts: InterruptGuard): void {
  const staging = createStaging(targetPath);
  const release = interrupts.onInterrupt(() => staging.discard());
  try {
    writeFiles(staging.dir, files);
    staging.commit();
  } catch (error) {
    staging.discard();
    throw error;
  } finally {
    release();
  }
}

