/**
 * The project folder: checked before any backend call, then written through a hidden staging folder
 * (src/write/staging.ts) and moved into place only once complete.
 *
 * - The target must not exist, be empty, or (with --force) have none of the files about to be written:
 *   nothing in a user's folder is ever replaced, and nothing is written through a symbolic link
 *   (src/write/inside.ts): a `web -> ../outside` in the target is refused before anything happens.
 * - On failure or interrupt the staging folder (and any parent folders created for it) is removed, so
 *   the user's folder is exactly as it was.
 * - The file work is synchronous, as in create-vite: a project is ~50 small files in a folder nobody else
 *   sees, and each promise-based call is a round trip through libuv's thread pool (three per file). Being
 *   synchronous, no write can still be in flight when an interrupt removes the staging folder.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readlinkSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { InterruptGuard } from '../interrupt';
import { UsageError } from '../errors';
import type { RenderedFile } from '../render/project';
import { exists } from './exists';
import { assertInside, mkdirInside, writeNewFileInside } from './inside';
import { removeStaleStaging } from './leftovers';
import { preflight, type Room } from './preflight';
import { createStaging } from './staging';

const SHOWN = 5;

/**
 * Everything about the target before any backend call: stale staging folders of killed runs removed
 * (returned, to be reported), the target checked, and a trial write where the project will go.
 */
export function readyTarget(targetPath: string, targetDir: string, force: boolean, planned: readonly string[], room: Room): string[] {
  const removed = removeStaleStaging(targetPath);
  checkTarget(targetPath, targetDir, force, planned);
  preflight(targetPath, JSON.stringify(targetDir), room);
  return removed;
}

export function checkTarget(targetPath: string, targetDir: string, force: boolean, planned: readonly string[]): void {
  let stat;
  try {
    stat = lstatSync(targetPath);
  } catch {
    return; // does not exist yet (or lies below a file: the pre-flight names that)
  }
  if (stat.isSymbolicLink()) {
    throw new UsageError(
      `${JSON.stringify(targetDir)} is a symbolic link (to ${JSON.stringify(readlinkSync(targetPath))}); create-mesibo-app ` +
        'never writes through a link. Give the folder it points to, or another folder name. Nothing was written.',
    );
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
  // Links first: a linked folder would otherwise hide every collision behind it.
  assertInside(targetPath, planned, JSON.stringify(targetDir), 'Nothing was written, and nothing was sent to the backend.', 'any');
  const collisions = planned.filter((rel) => exists(path.join(targetPath, rel)));
  if (collisions.length > 0) {
    const shown = collisions.slice(0, SHOWN).join(', ') + (collisions.length > SHOWN ? `, … (${collisions.length} files)` : '');
    throw new UsageError(
      `--force was given, but ${JSON.stringify(targetDir)} already has files this run would write (${shown}). ` +
        'Nothing is ever overwritten: move them away, choose another folder, or, in a project made by this tool, ' +
        'run its refresh command (as in the project README) to issue new tokens.',
    );
  }
}

/**
 * Writes the files into `root` (which exists): each folder created once, no file replaced, nothing
 * through a link (src/write/inside.ts: a staging folder is new, but a seat folder being repaired is not).
 */
export function writeFiles(root: string, files: readonly RenderedFile[], where = 'the project folder', outcome = 'Nothing more was written.'): void {
  const dirs = new Set(files.map((f) => f.path.split('/').slice(0, -1).join('/')).filter((d) => d !== ''));
  for (const dir of dirs) mkdirInside(root, dir, where, outcome);
  // EXCL: an existing file means two templates claim one path (or a file is already there); NOFOLLOW: never a link.
  for (const f of files) writeNewFileInside(root, f.path, f.contents, f.mode, where, outcome);
}

export interface WriteOptions {
  /**
   * TEST ONLY (CREATE_MESIBO_APP_TEST_PAUSE_WRITE): once every file is in the staging folder, write its
   * path into this file and wait (up to a minute) until the file is deleted, so a test can kill the run
   * at the point where a leftover would hold tokens.
   */
  readonly pauseFile?: string;
}

/** Writes a rendered project to `targetPath` through a staging folder; nothing is left behind on failure. */
export function writeProject(targetPath: string, files: readonly RenderedFile[], interrupts: InterruptGuard, options: WriteOptions = {}): void {
  const staging = createStaging(targetPath);
  const release = interrupts.onInterrupt(() => staging.discard());
  try {
    writeFiles(staging.dir, files);
    if (options.pauseFile) pauseForTest(options.pauseFile, staging.dir);
    staging.commit();
  } catch (error) {
    staging.discard();
    throw error;
  } finally {
    release();
  }
}

function pauseForTest(file: string, dir: string): void {
  const fd = openSync(file, 'wx', 0o600);
  writeSync(fd, dir);
  closeSync(fd);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (const until = Date.now() + 60_000; existsSync(file) && Date.now() < until; ) Atomics.wait(nap, 0, 0, 20);
  try {
    unlinkSync(file);
  } catch {
    // the test removed it: that is the signal to go on
  }
}
