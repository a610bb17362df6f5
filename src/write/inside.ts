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
import { constants, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
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
