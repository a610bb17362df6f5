/**
 * An atomic swap of a few files (refresh's write step): all are replaced, or none. Every new content is first written to a temp file
 * beside its target (final mode from the first byte, flushed to disk); only then is each original
 * hard-linked to a backup and the temp renamed over it. Any failure, or an interrupt, puts every
 * original back. The whole exchange is synchronous, so a Ctrl-C (handled on the event loop) can land
 * only before it starts or after it ends; the registered cleanup covers the rest.
 *
 * Given the project root, every path is checked (no symbolic link on the way, src/write/inside.ts)
 * before anything is written and again right before each file is written and swapped.
 */
import {
  closeSync,
  copyFileSync,
  constants,
  fsyncSync,
  fchmodSync,
  linkSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { InterruptGuard } from '../interrupt';
import { assertInside, O_NOFOLLOW, relativeTo } from './inside';

export interface Replacement {
  /** Absolute path of the file to replace or create. */
  readonly file: string;
  readonly content: string;
  /** Permission bits of the new file. */
  readonly mode: number;
}

interface Entry extends Replacement {
  temp: string;
  backup: string;
  /** The original existed and now has a backup link. */
  backedUp: boolean;
  /** The new content is in place. */
  swapped: boolean;
  /** Whether our temp file exists on disk. */
  staged: boolean;
}

/** Thrown when putting an original back failed: names the backups left for the user. */
export class RestoreError extends Error {
  constructor(
    readonly cause: unknown,
    readonly leftBackups: Array<{ file: string; backup: string }>,
  ) {
    super('could not restore every original');
  }
}

/**
 * Writes every replacement or none. Returns the paths of backups it could not delete afterwards (the
 * caller warns: they hold old tokens); throws the first error after restoring the originals.
 */
export function atomicSwap(replacements: readonly Replacement[], interrupts: InterruptGuard, root?: string): string[] {
  // Without a root, each file's own folder is the boundary: the file itself must not be a link.
  // Before anything, the whole check; right before each write, links only (what a race could slip in;
  // anything else in the way fails the write itself, and the rollback below puts every original back).
  const guard = (file: string, final: 'file' | 'any' = 'any') => {
    const base = root ?? path.dirname(file);
    assertInside(base, [relativeTo(base, file)], root ? 'the project' : JSON.stringify(base), 'Nothing was changed.', final);
  };
  for (const r of replacements) guard(r.file, 'file');
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const entries: Entry[] = replacements.map((r) => {
    const hidden = (suffix: string) => path.join(path.dirname(r.file), `.${path.basename(r.file)}.${tag}.${suffix}`);
    return { ...r, temp: hidden('refresh-new'), backup: hidden('refresh-old'), backedUp: false, swapped: false, staged: false };
  });
  let done = false;
  const release = interrupts.onInterrupt(() => {
    if (!done) rollback(entries);
  });
  try {
    for (const e of entries) {
      guard(e.file);
      writeTemp(e);
    }
    for (const e of entries) {
      guard(e.file);
      e.backedUp = backup(e.file, e.backup);
      renameSync(e.temp, e.file);
      e.staged = false;
      e.swapped = true;
    }
    done = true;
  } catch (error) {
    const left = rollback(entries);
    if (left.length) throw new RestoreError(error, left);
    throw error;
  } finally {
    release();
  }
  const leftover: string[] = [];
  for (const e of entries) {
    if (e.backedUp && !tryUnlink(e.backup)) leftover.push(e.backup);
  }
  return leftover;
}

function writeTemp(e: Entry): void {
  const fd = openSync(e.temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, e.mode);
  e.staged = true;
  try {
    writeSync(fd, e.content, null, 'utf8');
    fchmodSync(fd, e.mode); // the umask may have narrowed the mode
    fsyncSync(fd); // the content is on disk before the rename makes it the file
  } finally {
    closeSync(fd);
  }
}

/** Keeps the original reachable under a second name; false when there is no original. */
function backup(file: string, to: string): boolean {
  try {
    linkSync(file, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK' && code !== 'EOPNOTSUPP') throw error;
  }
  // File systems without hard links: a copy (Node keeps the original's mode) does the same job.
  copyFileSync(file, to, constants.COPYFILE_EXCL);
  return true;
}

/** Puts every original back and removes our temp files; returns backups that could not be restored. */
function rollback(entries: Entry[]): Array<{ file: string; backup: string }> {
  const left: Array<{ file: string; backup: string }> = [];
  for (const e of [...entries].reverse()) {
    try {
      if (e.swapped) {
        if (e.backedUp) renameSync(e.backup, e.file);
        else unlinkSync(e.file); // it did not exist before
        e.swapped = false;
        e.backedUp = false;
      } else if (e.backedUp) {
        unlinkSync(e.backup);
        e.backedUp = false;
      }
    } catch {
      if (e.backedUp) left.push({ file: e.file, backup: e.backup });
    }
    if (e.staged && tryUnlink(e.temp)) e.staged = false;
  }
  return left;
}

function tryUnlink(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
