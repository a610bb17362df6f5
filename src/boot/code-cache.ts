/**
 * Where compiled chunks are kept between runs, and the rules for trusting what is found there.
 *
 * V8 can serialize the bytecode it compiled for a script and take it back later instead of parsing and
 * compiling again. Node 22 does this for modules (module.enableCompileCache); Node 20 does not, so the
 * chunk loader (./chunk-loader.ts) does it for the bundle's chunks. On this project that saves 35-65 ms
 * of a ~220 ms create run (docs/performance.md).
 *
 * The cache is an optimisation only. Every failure here (no home folder, read-only disk, a file from
 * another Node version) means "compile as usual", never an error.
 */
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CODE_CACHE_ENV = 'CREATE_MESIBO_APP_CODE_CACHE';

/**
 * Which source an entry belongs to: V8 itself compares only the source's length (and its own version and
 * flags), so an entry for an edited or rebuilt chunk of the same length would run the old code. Each
 * entry therefore records the identity of the chunk file it was compiled from (device, inode, size and
 * modification time in nanoseconds), much as Python's .pyc files record their source's size and mtime:
 * a rebuilt, edited or copied chunk differs in at least one. (A digest of the source would need
 * node:crypto, which takes longer to load than V8 takes to compile the chunks.)
 */
export interface CacheEntry {
  chunk: string;
  identity: string;
  data: Buffer;
}

export interface CodeCacheStore {
  readonly dir: string;
  /** The stored data for a chunk compiled from the file with this identity, or undefined. */
  read(chunk: string, identity: string): Buffer | undefined;
  /**
   * Replaces the cache file (atomically: temp file, then rename) with `fresh` plus the entries found
   * earlier that `stillCurrent` confirms, so one command's run keeps another's entries. Never throws.
   */
  write(fresh: CacheEntry[], stillCurrent: (entry: { chunk: string; identity: string }) => boolean): void;
}

export interface CacheLocation {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: () => string;
  /** Package version, V8 version and CPU: data from any other combination is useless, so each gets a folder. */
  version: string;
  v8: string;
  arch: string;
}

/** The per-user cache folder for this version of the CLI and of V8, or undefined when caching is off. */
export function codeCacheDir({ env, platform, homedir, version, v8, arch }: CacheLocation): string | undefined {
  const setting = env[CODE_CACHE_ENV];
  if (setting !== undefined && /^(0|off|false|no)$/i.test(setting.trim())) return undefined;
  let base = setting?.trim() || undefined;
  if (!base) {
    const home = safeHome(homedir);
    // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
    const absolute = (p: string | undefined) => (p && path.isAbsolute(p) ? p : undefined);
    const userCache =
      platform === 'win32'
        ? absolute(env.LOCALAPPDATA) ?? (home && path.join(home, 'AppData', 'Local'))
        : platform === 'darwin'
          ? home && path.join(home, 'Library', 'Caches')
          : absolute(env.XDG_CACHE_HOME) ?? (home && path.join(home, '.cache'));
    if (!userCache || !path.isAbsolute(userCache)) return undefined;
    base = path.join(userCache, 'create-mesibo-app');
  }
  return path.join(path.resolve(base), `${version}-v8-${v8}-${arch}`.replace(/[^\w.-]/g, '_'));
}

function safeHome(homedir: () => string): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compiled code is code: data from a folder another user can write to would run as ours. A folder is
 * used only if it is a real directory (not a symlink), owned by this user and writable by no one else.
 */
function trustworthy(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (process.platform === 'win32') return true; // per-user %LOCALAPPDATA%; POSIX modes mean nothing there
    return st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

// One file for all chunks. A run reads its index, then only the entries of the chunks it loads; a run
// that compiled anything new writes the whole file once. Layout: MAGIC, the index's length (uint32,
// little-endian), the index (JSON: chunk, identity and data length of each entry), then each entry's
// data in index order.
const FILE = 'chunks.v8cache';
const MAGIC = Buffer.from('CMA-V8C3');
const HEADER = MAGIC.length + 4;

interface Located {
  chunk: string;
  identity: string;
  offset: number;
  length: number;
}

/** `length` bytes at `position`, or undefined if the file ends first. */
function readAt(fd: number, length: number, position: number): Buffer | undefined {
  const buffer = Buffer.allocUnsafe(length);
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) return undefined;
    done += n;
  }
  return buffer;
}

/** Where each entry's data is in an open cache file; empty for a damaged or cut-short file. */
function readIndex(fd: number): Map<string, Located> {
  const none = new Map<string, Located>();
  const size = fstatSync(fd).size;
  const header = size >= HEADER ? readAt(fd, HEADER, 0) : undefined;
  if (!header?.subarray(0, MAGIC.length).equals(MAGIC)) return none;
  let offset = HEADER + header.readUInt32LE(MAGIC.length);
  let index: unknown;
  try {
    index = offset <= size ? JSON.parse(readAt(fd, offset - HEADER, HEADER)!.toString('utf8')) : undefined;
  } catch {
    return none;
  }
  if (!Array.isArray(index)) return none;
  const entries = new Map<string, Located>();
  for (const { chunk, identity, length } of index as Array<Record<string, unknown>>) {
    const valid = typeof chunk === 'string' && typeof identity === 'string' && Number.isSafeInteger(length) && (length as number) >= 0;
    if (!valid || offset + (length as number) > size) return none; // damaged or cut short: none of it
    entries.set(chunk, { chunk, identity, offset, length: length as number });
    offset += length as number;
  }
  return entries;
}

function serialize(entries: CacheEntry[]): Buffer {
  const index = Buffer.from(JSON.stringify(entries.map(({ chunk, identity, data }) => ({ chunk, identity, length: data.length }))));
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header);
  header.writeUInt32LE(index.length, MAGIC.length);
  return Buffer.concat([header, index, ...entries.map((e) => e.data)]);
}

export function openCodeCache(dir: string): CodeCacheStore {
  let fd: number | undefined;
  let index: Map<string, Located> | undefined;
  const entries = () => {
    if (!index) {
      index = new Map();
      try {
        if (trustworthy(dir)) {
          fd = openSync(path.join(dir, FILE), 'r');
          index = readIndex(fd);
        }
      } catch {
        // no cache yet, or not readable: compile as usual
      }
    }
    return index;
  };
  const dataOf = (entry: Located) => (fd === undefined ? undefined : readAt(fd, entry.length, entry.offset));
  return {
    dir,
    read(chunk, identity) {
      const entry = entries().get(chunk);
      try {
        return entry?.identity === identity ? dataOf(entry) : undefined;
      } catch {
        return undefined;
      }
    },
    write(fresh, stillCurrent) {
      try {
        const kept: CacheEntry[] = [];
        for (const entry of entries().values()) {
          if (fresh.some((f) => f.chunk === entry.chunk) || !stillCurrent(entry)) continue;
          const data = dataOf(entry);
          if (data) kept.push({ chunk: entry.chunk, identity: entry.identity, data });
        }
        if (fd !== undefined) closeSync(fd); // no handle left on the file about to be replaced
        fd = undefined;
        index = undefined;
        const created = mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined;
        if (!trustworthy(dir)) return;
        if (created) pruneOtherVersions(dir);
        const temp = path.join(dir, `.${FILE}.${process.pid}.tmp`);
        writeFileSync(temp, serialize([...kept, ...fresh]), { mode: 0o600 });
        renameSync(temp, path.join(dir, FILE));
      } catch {
        // Full disk, read-only home, a race with another run: the next run compiles as usual.
      }
    },
  };
}

/** A new version's folder replaces the folders earlier versions left beside it. */
function pruneOtherVersions(dir: string): void {
  const parent = path.dirname(dir);
  for (const name of readdirSync(parent)) {
    if (name !== path.basename(dir) && /^\d+\.\d+\.\d+.*-v8-/.test(name)) {
      rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}
