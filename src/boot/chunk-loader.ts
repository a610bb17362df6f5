/**
 * Loads the bundle's chunks (CommonJS, see scripts/build.mjs) with vm.Script, so that V8's compiled code
 * can be kept in a code cache (./code-cache.ts) and reused by the next run instead of compiling ~700 KB
 * of JavaScript again. A chunk is read and evaluated only when first required, so the lazy loading the
 * build arranges (no generator for --help, no prompt library without a question) is kept.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { CodeCacheStore } from './code-cache';

/** Chunks smaller than this compile about as fast as their cache entry can be read and checked. */
export const MIN_CACHED_BYTES = 1024;

/** The parameters a chunk's code sees: CommonJS's, plus what the build turned `import.meta.url` into. */
const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', '__cmaImportMetaUrl'];

export interface ChunkLoaderOptions {
  /** Resolves everything that is not a chunk: Node's built-in modules. */
  nodeRequire: (id: string) => unknown;
  cache?: CodeCacheStore;
  minCachedBytes?: number;
}

export interface ChunkLoader {
  load(file: string): unknown;
  /** Saves compiled code for the chunks that had no usable cache entry. Call as the process ends. */
  saveCache(): void;
  /** What happened to each chunk loaded so far, for tests: cached (entry accepted), compiled (no entry),
   *  rejected (entry refused by V8), small (not worth caching). */
  readonly report: ReadonlyMap<string, 'cached' | 'compiled' | 'rejected' | 'small'>;
}

/** What a cache entry is checked against (see CacheEntry in ./code-cache.ts). */
export function fileIdentity(file: string): string {
  const st = statSync(file, { bigint: true });
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

export function createChunkLoader({ nodeRequire, cache, minCachedBytes = MIN_CACHED_BYTES }: ChunkLoaderOptions): ChunkLoader {
  const modules = new Map<string, { exports: unknown }>();
  let chunkDir: string | undefined; // every chunk of a build is in one folder
  const toSave: Array<{ chunk: string; identity: string; script: vm.Script }> = [];
  const report = new Map<string, 'cached' | 'compiled' | 'rejected' | 'small'>();

  function load(file: string): unknown {
    const known = modules.get(file);
    if (known) return known.exports;
    const source = readFileSync(file, 'utf8');
    const chunk = path.basename(file);
    const dir = path.dirname(file);
    chunkDir ??= dir;
    const cacheable = cache !== undefined && source.length >= minCachedBytes;
    const identity = cacheable ? fileIdentity(file) : '';
    const cachedData = cacheable ? cache.read(chunk, identity) : undefined;
    // One line, so V8's line numbers in stack traces are the chunk's own.
    const script = new vm.Script(`(function (${PARAMS.join(', ')}) {${source}\n})`, { filename: file, cachedData });
    const status = !cacheable ? 'small' : !cachedData ? 'compiled' : script.cachedDataRejected ? 'rejected' : 'cached';
    report.set(chunk, status);
    if (status === 'compiled' || status === 'rejected') toSave.push({ chunk, identity, script });

    const module = { exports: {} };
    modules.set(file, module); // before running: a cycle between chunks sees the partial exports, as in Node
    const require = (id: string) => (id.startsWith('./') || id.startsWith('../') ? load(path.resolve(dir, id)) : nodeRequire(id));
    const fn = script.runInThisContext() as (...args: unknown[]) => void;
    fn.call(module.exports, module.exports, require, module, file, dir, pathToFileURL(file).href);
    return module.exports;
  }

  return {
    load,
    report,
    saveCache() {
      if (!cache || toSave.length === 0) return;
      // Taken at the end of the run, the data also holds every function the run compiled along the way.
      const fresh = toSave.splice(0).map(({ chunk, identity, script }) => ({ chunk, identity, data: script.createCachedData() }));
      // Entries of chunks this run did not load stay if their file is still there, unchanged.
      cache.write(fresh, (entry) => {
        try {
          return fileIdentity(path.join(chunkDir!, entry.chunk)) === entry.identity;
        } catch {
          return false;
        }
      });
    },
  };
}
