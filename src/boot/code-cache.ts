/**
 * Where compiled chunks are kept between runs, and the rules for trusting what is found there.
 *
 * V8 can serialize the bytecode it compiled for a script and take it back later instead of parsing and
 * compiling again. Node 22 does this for modules (module.enableCompileCache); Node 20 does not, so the
 * launcher (./chunk-loader.ts) does it for the bundle's chunks. On this project that is ~45 ms of a
 * ~230 ms create run: most of the time npm create spends before it writes anything.
 *
 * The cache is an optimisation only. Every failure here (no home folder, read-only disk, a file from
 * another Node version) means "compile as usual", never an error.
 */
import { lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CODE_CACHE_ENV = 'CREATE_MESIBO_APP_CODE_CACHE';

/**
 * A cache entry is kept for exactly one source text. V8 itself compares only the source's length (and
 * its own version and flags), so an entry for an edited or rebuilt chunk of the same length would run
 * the old code: every entry holds the very source it was compiled from, compared byte for byte before
 * use. (A digest would be smaller, but node:crypto takes longer to load than V8 takes to compile.)
 */
export interface CacheEntry {
  chunk: string;
  source: Buffer;
  data: Buffer;
}

export interface CodeCacheStore {
  readonly dir: string;
  /** The stored data for a chunk compiled from exactly this source, or undefined. */
  read(chunk: string, source: Buffer): Buffer | undefined;
  /** Stores entries, each file atomically (temp file, then rename). Never throws. */
  write(entries: CacheEntry[]): void;
  /** Deletes data for chunks `isCurrent` no longer knows (left by an earlier build of this version). */
  removeStale(isCurrent: (chunk: string) => boolean): void;
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

const fileOf = (dir: string, chunk: string) => path.join(dir, `${chunk}.v8cache`);

// File layout: MAGIC, the source's length (uint32, little-endian), the source, then V8's data.
const MAGIC = Buffer.from('CMA-V8C2');
const HEADER = MAGIC.length + 4;

export function openCodeCache(dir: string): CodeCacheStore {
  let trusted: boolean | undefined;
  const isTrusted = () => (trusted ??= trustworthy(dir));
  return {
    dir,
    read(chunk, source) {
      if (!isTrusted()) return undefined;
      let file: Buffer;
      try {
        file = readFileSync(fileOf(dir, chunk));
      } catch {
        return undefined;
      }
      if (file.length < HEADER || !file.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
      const end = HEADER + file.readUInt32LE(MAGIC.length);
      return file.subarray(HEADER, end).equals(source) ? file.subarray(end) : undefined;
    },
    write(entries) {
      try {
        const created = mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined;
        trusted = undefined;
        if (!isTrusted()) return;
        if (created) pruneOtherVersions(dir);
        for (const { chunk, source, data } of entries) {
          const temp = path.join(dir, `.${chunk}.${process.pid}.tmp`);
          const length = Buffer.alloc(4);
          length.writeUInt32LE(source.length);
          writeFileSync(temp, Buffer.concat([MAGIC, length, source, data]), { mode: 0o600 });
          renameSync(temp, fileOf(dir, chunk));
        }
      } catch {
        // Full disk, read-only home, a race with another run: the next run compiles as usual.
      }
    },
    removeStale(isCurrent) {
      try {
        if (!isTrusted()) return;
        for (const name of readdirSync(dir)) {
          const chunk = name.endsWith('.v8cache') ? name.slice(0, -'.v8cache'.length) : undefined;
          if (chunk && !isCurrent(chunk)) rmSync(path.join(dir, name), { force: true });
        }
      } catch {
        // as above
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
