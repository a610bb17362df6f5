/**
 * doctor reads projects it did not make (a clone, a download, a hand-edited folder), so every read
 * stays inside the project and is bounded: a path is read only when no component below the root is a
 * symbolic link (a committed link can point anywhere, /etc or another user's files), the file is a
 * regular one, at most `max` bytes, and UTF-8 text. Nothing read here is ever executed.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import path from 'node:path';

export type Entry =
  | { readonly kind: 'file'; readonly mode: number; readonly size: number }
  | { readonly kind: 'missing' }
  /** `at`: the project-relative path of the link (the file itself or a folder above it). */
  | { readonly kind: 'link'; readonly at: string }
  | { readonly kind: 'not-file' }
  | { readonly kind: 'unreadable'; readonly reason: string };

export type Read =
  | { readonly kind: 'text'; readonly text: string; readonly mode: number }
  | Exclude<Entry, { kind: 'file' }>
  | { readonly kind: 'too-large'; readonly size: number }
  | { readonly kind: 'binary' };

/** What `rel` (forward slashes, below `root`) is, without following any link. */
export function entryInside(root: string, rel: string): Entry {
  const parts = rel.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return { kind: 'not-file' };
  let stat: Stats | undefined;
  for (let i = 0; i < parts.length; i++) {
    try {
      stat = lstatSync(path.join(root, ...parts.slice(0, i + 1)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
      return { kind: 'unreadable', reason: code ?? String(error) };
    }
    if (stat.isSymbolicLink()) return { kind: 'link', at: parts.slice(0, i + 1).join('/') };
    if (i < parts.length - 1 && !stat.isDirectory()) return { kind: 'missing' };
  }
  if (!stat?.isFile()) return { kind: 'not-file' };
  return { kind: 'file', mode: stat.mode & 0o777, size: stat.size };
}

/** Whether `rel` is a real folder inside the project (no link on the way). */
export function isFolderInside(root: string, rel: string): boolean {
  const parts = rel.split('/').filter(Boolean);
  try {
    for (let i = 0; i < parts.length; i++) {
      const stat = lstatSync(path.join(root, ...parts.slice(0, i + 1)));
      if (stat.isSymbolicLink() || !stat.isDirectory()) return false;
    }
    return true;
  } catch {
    return false;
  }
}

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

/** The text of `rel`, or why it was not read. Reads at most `max` bytes. */
export function readInside(root: string, rel: string, max: number): Read {
  const entry = entryInside(root, rel);
  if (entry.kind !== 'file') return entry;
  if (entry.size > max) return { kind: 'too-large', size: entry.size };
  let fd: number;
  try {
    // O_NOFOLLOW: a link swapped in after the check above is refused, not followed.
    fd = openSync(path.join(root, ...rel.split('/')), constants.O_RDONLY | NO_FOLLOW | NON_BLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'link', at: rel };
    return code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable', reason: code ?? String(error) };
  }
  try {
    if (!fstatSync(fd).isFile()) return { kind: 'not-file' };
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > max) return { kind: 'too-large', size: length };
    }
    return decode(buffer.subarray(0, length), entry.mode);
  } catch (error) {
    return { kind: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    closeSync(fd);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Text only: a NUL byte or invalid UTF-8 means it is not a file any starter wrote. */
export function decode(bytes: Uint8Array, mode = 0): Read {
  if (bytes.includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: UTF8.decode(bytes).replace(/^\uFEFF/, ''), mode };
  } catch {
    return { kind: 'binary' };
  }
}

/** Why a file was not read, in a few words for a finding (`shown` names it). */
export function unreadableWhy(read: Exclude<Read, { kind: 'text' }>, shown: string): string {
  switch (read.kind) {
    case 'missing':
      return `${shown} is missing`;
    case 'link':
      return read.at === shown
        ? `${shown} is a symbolic link, which doctor does not follow (it could point outside the project)`
        : `${read.at} is a symbolic link, which doctor does not follow (it could point outside the project)`;
    case 'not-file':
      return `${shown} is not a regular file`;
    case 'too-large':
      return `${shown} is ${read.size} bytes or more, far larger than any file a starter writes`;
    case 'binary':
      return `${shown} is not text (it holds binary data)`;
    case 'unreadable':
      return `${shown} cannot be read (${read.reason})`;
  }
}
