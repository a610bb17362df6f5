/**
 * Before any backend call: can the project be created and written where the user asked? A trial
 * staging folder is made exactly where the real one will be (beside a missing target, inside an
 * existing one), a probe file written and flushed in it, and the free space of that file system
 * measured; then all of it is removed again. A folder that cannot be written, a read-only or full disk,
 * or a file where a folder should be is then one paragraph naming the folder and the reason, before
 * any user exists on mesibo's server, and never "a bug".
 */
import { closeSync, constants, fsyncSync, openSync, statfsSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { CliError, RunError, UsageError } from '../errors';
import { O_NOFOLLOW } from './inside';
import { createStaging, type Staging } from './staging';

const KIB = 1024;

/** What a project needs on disk, roughly and on the safe side. */
export interface Room {
  readonly bytes: number;
  /** Files and folders (inodes). */
  readonly entries: number;
}

/**
 * A project of `files` files holding `tokens` tokens: each file rounded up to two 4 KiB blocks (the
 * largest templates are a few KiB), half a KiB per token line, and some slack for folders.
 */
export function projectRoom(files: number, tokens: number): Room {
  return { bytes: files * 8 * KIB + tokens * 512 + 128 * KIB, entries: files * 2 };
}

/** Throws a CliError (exit 1 for the environment, 2 for the path given) when the project could not be written. */
export function preflight(targetPath: string, shown: string, need: Room): void {
  let staging: Staging | undefined;
  try {
    staging = createStaging(targetPath);
    const fd = openSync(path.join(staging.dir, '.probe'), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, Buffer.alloc(4 * KIB));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const fs = statfsSync(staging.dir);
    const free = fs.bavail * fs.bsize;
    if (free < need.bytes || (fs.files > 0 && fs.ffree < need.entries)) {
      throw Object.assign(new Error('not enough free space'), { code: 'ENOSPC', path: staging.dir, free, need: need.bytes });
    }
  } catch (error) {
    throw cannotWrite(error, targetPath, shown, 'Nothing was sent to the backend and nothing was written.');
  } finally {
    staging?.discard();
  }
}

type FsError = NodeJS.ErrnoException & { free?: number; need?: number };

/** One paragraph for a file-system failure on the way to `targetPath`: the folder, the reason, what to do. */
export function cannotWrite(error: unknown, targetPath: string, shown: string, outcome: string): CliError {
  if (error instanceof CliError) return error;
  const e = error as FsError;
  const code = e?.code ?? 'unknown';
  // The folder the failing call wrote into: the parent of the path it named.
  const folder = JSON.stringify(e?.path ? path.dirname(e.path) : path.dirname(targetPath));
  const start = `Cannot create the project ${shown}:`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new RunError(
        `${start} you do not have permission to create files in ${folder} (${code}). ${outcome} Choose a folder you ` +
          `can write to (for example one in your home folder), or get write access to ${folder} and run again.`,
        { cause: error },
      );
    case 'EROFS':
      return new RunError(
        `${start} ${folder} is on a read-only file system (EROFS). ${outcome} Choose a folder on a writable disk ` +
          '(for example one in your home folder) and run again.',
        { cause: error },
      );
    case 'ENOSPC':
    case 'EDQUOT': {
      const amounts = e.free !== undefined && e.need !== undefined ? `: about ${kib(e.need)} needed, ${kib(e.free)} free` : '';
      return new RunError(
        `${start} the disk holding ${folder} is full${amounts} (${code}). ${outcome} Free some space, or choose a ` +
          'folder on another disk, and run again.',
        { cause: error },
      );
    }
    case 'ENOTDIR':
    case 'EEXIST': {
      const file = fileInTheWay(targetPath);
      const what = file ? `${JSON.stringify(file)} is a file, not a folder` : 'a part of the path is a file, not a folder';
      return new UsageError(`${start} ${what} (${code}). ${outcome} Choose another folder name.`);
    }
    case 'ENAMETOOLONG':
      return new UsageError(`${start} the name is too long for the file system (ENAMETOOLONG). ${outcome} Choose a shorter folder name.`);
    case 'ELOOP':
      return new UsageError(`${start} the path goes through a loop of symbolic links (ELOOP). ${outcome} Choose another folder.`);
    default:
      return new RunError(
        `${start} writing in ${folder} failed: ${e?.message ?? String(error)}. ${outcome} Check that the folder ` +
          'and its disk are usable, then run again.',
        { cause: error },
      );
  }
}

/** The nearest existing ancestor of `p` when it is not a folder. */
function fileInTheWay(p: string): string | undefined {
  for (let d = path.dirname(p); d !== path.dirname(d); d = path.dirname(d)) {
    try {
      return statSync(d).isDirectory() ? undefined : d; // the user's own path: links above the project are theirs
    } catch {
      // missing, or below a file: keep climbing
    }
  }
  return undefined;
}

function kib(bytes: number): string {
  return bytes >= 10 * KIB * KIB ? `${Math.round(bytes / KIB / KIB)} MiB` : `${Math.ceil(bytes / KIB)} KiB`;
}
