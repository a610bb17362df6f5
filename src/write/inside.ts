/**
 * Every path the tool creates or replaces stays inside the project: walked component by component from
 * the project root with lstat, no component may be a symbolic link (a committed `web -> ../outside` would
 * otherwise send files, tokens included, to someone else's folder). A link that points inside the
 * project is refused too: writing through it changes another file than the one named, and replacing it
 * silently cuts the link.
 *
 * Node has no openat()/renameat(), so a check and the write after it are two steps; callers re-check
 * right before each write and create files with O_EXCL | O_NOFOLLOW, which keeps the window to
 * microseconds and means a link slipped in as the file itself makes the write fail instead of follow.
 */
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';

/** O_NOFOLLOW where the platform has it (not on Windows, where links need privileges to create). */
export const O_NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;

/** A path below the project that is a link, or a file where a folder must be. */
export interface PathProblem {
  /** Relative to the project root, forward slashes; a folder ends with `/`. */
  readonly rel: string;
  readonly kind: 'link' | 'not-a-folder' | 'not-a-file';
  /** For a link: what it points to, as stored. */
  readonly linkTarget?: string;
  /** For a link: whether that target resolves inside the project. */
  readonly pointsInside?: boolean;
}

/**
 * The first problem on the way from `root` to `root/rel`, or undefined. Missing components are fine:
 * they will be created by us. `final` says what the last component must be when it exists.
 */
export function pathProblem(root: string, rel: string, final: 'file' | 'any' = 'file'): PathProblem | undefined {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 0; i < parts.length; i++) {
    const shown = parts.slice(0, i + 1).join('/');
    const abs = path.join(root, ...parts.slice(0, i + 1));
    const last = i === parts.length - 1;
    let stat;
    try {
      stat = lstatSync(abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      throw error;
    }
    if (stat.isSymbolicLink()) return linkProblem(root, abs, last && !pointsToFolder(abs) ? shown : `${shown}/`);
    if (!last && !stat.isDirectory()) return { rel: shown, kind: 'not-a-folder' };
    if (last && final === 'file' && !stat.isFile()) return { rel: shown, kind: 'not-a-file' };
  }
  return undefined;
}

function pointsToFolder(link: string): boolean {
  try {
    return statSync(link).isDirectory();
  } catch {
    return false;
  }
}

function linkProblem(root: string, abs: string, rel: string): PathProblem {
  const linkTarget = readlinkSync(abs);
  let pointsInside = false;
  try {
    const real = realpathSync(abs);
    const realRoot = realpathSync(root);
    pointsInside = real === realRoot || real.startsWith(realRoot + path.sep);
  } catch {
    pointsInside = false; // dangling: it points nowhere we could call inside
  }
  return { rel, kind: 'link', linkTarget, pointsInside };
}

/** Thrown when a path to be written is a link or goes through one: exit 2, nothing written. */
export class UnsafePathError extends UsageError {
  constructor(
    readonly problem: PathProblem,
    where: string,
    outcome: string,
  ) {
    super(describe(problem, where, outcome));
  }
}

function describe(p: PathProblem, where: string, outcome: string): string {
  const name = JSON.stringify(p.rel);
  if (p.kind === 'link') {
    const to = JSON.stringify(p.linkTarget);
    const why = p.pointsInside
      ? `It points inside the project, but it is refused all the same: writing through it would change ${to} ` +
        'instead, and replacing it would silently cut the link.'
      : 'It points outside the project, so writing there would put files (tokens included) in a folder that is not the project.';
    return (
      `${name} in ${where} is a symbolic link (to ${to}). create-mesibo-app never writes through a link. ${why} ` +
      `Replace the link with a real ${p.rel.endsWith('/') ? 'folder' : 'file'} (or remove it), then run again. ${outcome}`
    );
  }
  if (p.kind === 'not-a-folder') {
    return `${name} in ${where} is a file where a folder is needed. Move it away, then run again. ${outcome}`;
  }
  return `${name} in ${where} is not a regular file, so it will not be replaced. Move it away, then run again. ${outcome}`;
}

/** Throws UnsafePathError for the first of `rels` (relative to `root`) that is or goes through a link. */
export function assertInside(root: string, rels: readonly string[], where: string, outcome: string, final: 'file' | 'any' = 'file'): void {
  for (const rel of rels) {
    const problem = pathProblem(root, rel, final);
    if (problem) throw new UnsafePathError(problem, where, outcome);
  }
}

/** `abs` relative to `root` with forward slashes (for paths known to be below it). */
export function relativeTo(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/**
 * Creates the folder `root/rel` and any missing parents one component at a time: each existing
 * component must be a real folder (lstat, never followed), each missing one is made with a plain
 * mkdir (which never follows a link either: a link in its place makes it fail with EEXIST) and checked
 * again once made. This is `mkdir -p` that cannot be led out of the project.
 */
export function mkdirInside(root: string, rel: string, where: string, outcome: string): void {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    const abs = path.join(root, ...parts.slice(0, i));
    try {
      mkdirSync(abs);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    assertInside(root, [sub], where, outcome, 'any');
    if (!lstatSync(abs).isDirectory()) throw new UnsafePathError({ rel: sub, kind: 'not-a-folder' }, where, outcome);
  }
}

/**
 * Creates the file `root/rel` (which must not exist; its folder must) with `contents`: the path checked
 * component by component, then opened O_CREAT | O_EXCL | O_NOFOLLOW, so neither a link on the way nor
 * one slipped in as the file itself is followed. A private mode is set from the first byte. `sync`:
 * flushed to disk before it is closed (a temp file about to be renamed over the real one). A failed
 * write removes the file it created.
 */
export function writeNewFileInside(
  root: string,
  rel: string,
  contents: string | Uint8Array,
  mode: number,
  where: string,
  outcome: string,
  sync = false,
): void {
  assertInside(root, [rel], where, outcome);
  const abs = path.join(root, ...rel.split('/'));
  const fd = openSync(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode);
  try {
    if ((mode & 0o077) === 0) fchmodSync(fd, mode);
    writeFileSync(fd, contents);
    if (sync) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(abs, { force: true });
    throw error;
  }
  closeSync(fd);
}

/** writeNewFileInside, its missing folders made first (mkdirInside). */
export function createFileInside(
  root: string,
  rel: string,
  contents: string | Uint8Array,
  mode: number,
  where: string,
  outcome: string,
  sync = false,
): void {
  const parent = rel.split('/').slice(0, -1).join('/');
  if (parent) mkdirInside(root, parent, where, outcome);
  writeNewFileInside(root, rel, contents, mode, where, outcome, sync);
}

/**
 * Reads the regular file `root/rel`, never through a link: the path checked component by component,
 * then opened O_NOFOLLOW and checked again on the open descriptor (a file swapped in between is either
 * refused by the open or seen by fstat). Returns its bytes and permission bits; a file over `maxBytes`
 * is not read (EFBIG).
 */
export function readFileInside(root: string, rel: string, where: string, outcome: string, maxBytes = Infinity): { contents: Buffer; mode: number } {
  assertInside(root, [rel], where, outcome);
  const fd = openSync(path.join(root, ...rel.split('/')), constants.O_RDONLY | O_NOFOLLOW);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UnsafePathError({ rel, kind: 'not-a-file' }, where, outcome);
    if (stat.size > maxBytes) throw Object.assign(new Error(`${rel} is larger than ${maxBytes} bytes`), { code: 'EFBIG' });
    return { contents: readFileSync(fd), mode: stat.mode & 0o777 };
  } finally {
    closeSync(fd);
  }
}
