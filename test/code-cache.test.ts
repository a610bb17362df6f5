/**
 * The launcher's V8 code cache (src/boot): where it lives, that a second run takes compiled code from it
 * instead of rewriting it, that damaged or untrustworthy data is never run, and that it holds no secret.
 * Acceptance can only be seen across processes (V8 also caches compiled scripts inside one process), so
 * those checks run the built CLI; the location rules and the loader's module semantics are unit-tested.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_CACHE_ENV, codeCacheDir, openCodeCache } from '../src/boot/code-cache';
import { createChunkLoader, fileIdentity } from '../src/boot/chunk-loader';
import { VERSION } from '../src/version';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';
import { execa } from 'execa';
import { startFakeBackend, TEST_APP_TOKEN } from './support/fake-backend';

const DIST_CHUNKS = path.join(path.dirname(CLI), 'chunks');
const CACHE_FILE = 'chunks.v8cache';

/** The entries a cache file lists (chunk, identity, data length), read the way the format is documented. */
function cacheIndex(dir: string): Array<{ chunk: string; identity: string; length: number }> {
  const file = readFileSync(path.join(dir, CACHE_FILE));
  expect(file.subarray(0, 8).toString()).toBe('CMA-V8C3');
  return JSON.parse(file.toString('utf8', 12, 12 + file.readUInt32LE(8)));
}
/** The generator's chunk (node-plop, handlebars, the precompiled templates) is among the entries. */
const hasGenerator = (dir: string) => cacheIndex(dir).some((e) => /^mesibo-app-\w+\.js$/.test(e.chunk));
const VERSIONED = `${VERSION}-v8-${process.versions.v8}-${process.arch}`.replace(/[^\w.-]/g, '_');

let work: string;
beforeAll(() => {
  work = tempDir('cma-code-cache-');
});
afterAll(() => removeDir(work));

let counter = 0;
/** A create run through the sandbox with the cache in `cacheBase` (or the given env), checked to succeed. */
async function create(env: Record<string, string | undefined>) {
  const result = await runCli([`app-${++counter}`, '--sandbox', '--yes', '--no-git'], { cwd: work, env: cliEnv(env) });
  expect(result.exitCode, String(result.stderr)).toBe(0);
  expect(existsSync(path.join(work, `app-${counter}`, 'web', 'config.js'))).toBe(true);
  return result;
}

function cacheFile(dir: string): { ino: number; mtimeMs: number; bytes: Buffer } {
  const st = statSync(path.join(dir, CACHE_FILE));
  return { ino: st.ino, mtimeMs: st.mtimeMs, bytes: readFileSync(path.join(dir, CACHE_FILE)) };
}

describe('where the cache lives', () => {
  const home = () => '/home/ada';
  const at = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform = 'linux') =>
    codeCacheDir({ env, platform, homedir: home, version: '1.2.3', v8: '11.3.244.8-node.33', arch: 'x64' });

  it('follows each platform\'s convention for per-user caches, one folder per CLI version, V8 version and CPU', () => {
    expect(at({})).toBe('/home/ada/.cache/create-mesibo-app/1.2.3-v8-11.3.244.8-node.33-x64');
    expect(at({ XDG_CACHE_HOME: '/var/cache/ada' })).toBe('/var/cache/ada/create-mesibo-app/1.2.3-v8-11.3.244.8-node.33-x64');
    expect(at({ XDG_CACHE_HOME: 'relative/is/ignored' })).toBe('/home/ada/.cache/create-mesibo-app/1.2.3-v8-11.3.244.8-node.33-x64');
    expect(at({}, 'darwin')).toBe('/home/ada/Library/Caches/create-mesibo-app/1.2.3-v8-11.3.244.8-node.33-x64');
    expect(at({ LOCALAPPDATA: path.resolve('/appdata') }, 'win32')).toBe(path.join(path.resolve('/appdata'), 'create-mesibo-app', '1.2.3-v8-11.3.244.8-node.33-x64'));
  });

  it(`moves with ${CODE_CACHE_ENV}=<folder> and is off with 0, off, false or no`, () => {
    expect(at({ [CODE_CACHE_ENV]: '/tmp/cc' })).toBe('/tmp/cc/1.2.3-v8-11.3.244.8-node.33-x64');
    for (const off of ['0', 'off', 'OFF', 'false', 'no']) expect(at({ [CODE_CACHE_ENV]: off }), off).toBeUndefined();
  });

  it('is off when there is no home folder to put it in', () => {
    const noHome = () => {
      throw new Error('no home');
    };
    expect(codeCacheDir({ env: {}, platform: 'linux', homedir: noHome, version: '1', v8: '1', arch: 'x64' })).toBeUndefined();
  });
});

describe('the chunk loader', () => {
  it('runs a chunk when first required, once, with CommonJS semantics and its own file URL', () => {
    const dir = tempDir('cma-loader-');
    try {
      writeFileSync(path.join(dir, 'main.js'), 'globalThis.__cmaOrder.push("main"); const s = require("./shared.js"); exports.url = __cmaImportMetaUrl; exports.lazy = () => require("./lazy.js").value + s.count; exports.path = require("node:path").sep;');
      writeFileSync(path.join(dir, 'shared.js'), 'globalThis.__cmaOrder.push("shared"); exports.count = 1;');
      writeFileSync(path.join(dir, 'lazy.js'), `globalThis.__cmaOrder.push("lazy"); module.exports = { value: 41 }; // ${'x'.repeat(5000)}`);
      const order: string[] = [];
      (globalThis as Record<string, unknown>).__cmaOrder = order;
      const store = openCodeCache(path.join(dir, 'cache'));
      const loader = createChunkLoader({ nodeRequire: createRequire(import.meta.url), cache: store, minCachedBytes: 4096 });
      const main = loader.load(path.join(dir, 'main.js')) as { url: string; lazy: () => number; path: string };
      expect(order).toEqual(['main', 'shared']); // the large chunk is not read until required
      expect(main.url).toBe(new URL(`file://${path.join(dir, 'main.js')}`).href);
      expect(main.path).toBe(path.sep);
      expect(main.lazy()).toBe(42);
      expect(main.lazy()).toBe(42);
      expect(order).toEqual(['main', 'shared', 'lazy']);
      expect(Object.fromEntries(loader.report)).toEqual({ 'main.js': 'small', 'shared.js': 'small', 'lazy.js': 'compiled' });

      loader.saveCache();
      expect(readdirSync(store.dir)).toEqual([CACHE_FILE]);
      expect(cacheIndex(store.dir).map((e) => e.chunk)).toEqual(['lazy.js']);
      if (process.platform !== 'win32') {
        expect(statSync(store.dir).mode & 0o777).toBe(0o700);
        expect(statSync(path.join(store.dir, CACHE_FILE)).mode & 0o777).toBe(0o600);
      }
      const reopened = openCodeCache(store.dir);
      const identity = fileIdentity(path.join(dir, 'lazy.js'));
      expect(reopened.read('lazy.js', identity)?.length).toBeGreaterThan(0);
      // An entry is offered to V8 only for the very file it was compiled from.
      expect(reopened.read('lazy.js', identity.replace(/:\d+$/, ':1'))).toBeUndefined();
      expect(reopened.read('main.js', fileIdentity(path.join(dir, 'main.js')))).toBeUndefined();
    } finally {
      delete (globalThis as Record<string, unknown>).__cmaOrder;
      removeDir(dir);
    }
  });
});

describe('the cache file', () => {
  const entry = (chunk: string, byte: number) => ({ chunk, identity: `id-${chunk}`, data: Buffer.alloc(64, byte) });

  it("keeps other runs' entries while their chunk files are unchanged, and drops the rest", () => {
    const dir = path.join(work, 'store-merge');
    openCodeCache(dir).write([entry('a.js', 1), entry('b.js', 2)], () => true);
    openCodeCache(dir).write([entry('c.js', 3)], (e) => e.chunk === 'a.js');
    const store = openCodeCache(dir);
    expect(cacheIndex(dir).map((e) => e.chunk).sort()).toEqual(['a.js', 'c.js']);
    expect(store.read('a.js', 'id-a.js')).toEqual(Buffer.alloc(64, 1));
    expect(store.read('c.js', 'id-c.js')).toEqual(Buffer.alloc(64, 3));
    expect(store.read('b.js', 'id-b.js')).toBeUndefined();
  });

  it('offers nothing from a damaged or cut-short file', () => {
    const dir = path.join(work, 'store-damaged');
    openCodeCache(dir).write([entry('a.js', 1), entry('b.js', 2)], () => true);
    const file = path.join(dir, CACHE_FILE);
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 10));
    expect(openCodeCache(dir).read('a.js', 'id-a.js')).toBeUndefined();
    writeFileSync(file, Buffer.concat([Buffer.from('CMA-V8C3'), Buffer.from([255, 255, 0, 0]), whole.subarray(12)]));
    expect(openCodeCache(dir).read('a.js', 'id-a.js')).toBeUndefined();
    writeFileSync(file, 'not a cache file at all');
    expect(openCodeCache(dir).read('a.js', 'id-a.js')).toBeUndefined();
  });
});

describe('the built CLI with a code cache', () => {
  it('fills the cache on the first run and takes compiled code from it on the next, rewriting nothing', async () => {
    const base = path.join(work, 'cache-a');
    // What an earlier version left: replaced by this version's folder. Other files are not ours to remove.
    mkdirSync(path.join(base, '0.0.1-v8-11.3.244.8-node.1-x64'), { recursive: true });
    writeFileSync(path.join(base, '0.0.1-v8-11.3.244.8-node.1-x64', CACHE_FILE), 'old');
    writeFileSync(path.join(base, 'notes.txt'), 'mine');
    await create({ [CODE_CACHE_ENV]: base });
    const dir = path.join(base, VERSIONED);
    expect(readdirSync(base).sort()).toEqual([VERSIONED, 'notes.txt'].sort());
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);
    expect(hasGenerator(dir)).toBe(true);
    for (const { chunk } of cacheIndex(dir)) expect(existsSync(path.join(DIST_CHUNKS, chunk)), chunk).toBe(true);
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(dir, CACHE_FILE)).mode & 0o777).toBe(0o600);
    }
    const first = cacheFile(dir);

    await create({ [CODE_CACHE_ENV]: base });
    // A rejected or missing entry would have meant a new file (new inode, new time): nothing changed.
    expect(cacheFile(dir)).toEqual(first);

    // Another command adds its chunks and keeps create's.
    const before = cacheIndex(dir).map((e) => e.chunk);
    const help = await runCli(['--help'], { cwd: work, env: cliEnv({ [CODE_CACHE_ENV]: base }) });
    expect(help.exitCode).toBe(0);
    const after = cacheIndex(dir).map((e) => e.chunk);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after.some((c) => c.startsWith('help-'))).toBe(true);
  });

  it('never runs damaged data: a corrupted or truncated cache is recompiled and replaced', async () => {
    const base = path.join(work, 'cache-b');
    await create({ [CODE_CACHE_ENV]: base });
    const dir = path.join(base, VERSIONED);
    const { bytes } = cacheFile(dir);
    // Bytes inside the largest entry's data, past the index: only V8's checksum can notice.
    const corrupted = Buffer.from(bytes);
    for (let i = bytes.length - 5000; i < bytes.length - 4936; i++) corrupted[i]! ^= 0x5a;
    writeFileSync(path.join(dir, CACHE_FILE), corrupted);
    await create({ [CODE_CACHE_ENV]: base });
    expect(cacheFile(dir).bytes.equals(corrupted)).toBe(false);
    expect(hasGenerator(dir)).toBe(true);

    writeFileSync(path.join(dir, CACHE_FILE), bytes.subarray(0, bytes.length >> 1));
    await create({ [CODE_CACHE_ENV]: base });
    expect(cacheFile(dir).bytes.length).toBeGreaterThan(bytes.length >> 1);
    expect(hasGenerator(dir)).toBe(true);
  });

  it('runs the code on disk, not an entry compiled from an edited chunk of the same name and length', async () => {
    // A second copy of the CLI whose generator chunk differs in a few letters: same file name, same length.
    const copy = path.join(work, 'edited-copy');
    cpSync(path.dirname(CLI), path.join(copy, 'dist'), { recursive: true });
    symlinkSync(path.resolve(path.dirname(CLI), '..', 'templates'), path.join(copy, 'templates'), 'dir');
    const chunk = readdirSync(path.join(copy, 'dist', 'chunks')).find((f) => f.startsWith('mesibo-app-'))!;
    const file = path.join(copy, 'dist', 'chunks', chunk);
    const original = readFileSync(file, 'utf8');
    // The C++ README's opening, last found in its precompiled form (first in its source, the lookup key).
    const opening = ': C++ starter\n\nA terminal chat client';
    const at = original.lastIndexOf(opening) + opening.length - 'terminal chat client'.length;
    expect(at).toBeGreaterThan(original.indexOf(opening));
    writeFileSync(file, `${original.slice(0, at)}TERMINAL CHAT CLIENT${original.slice(at + 'TERMINAL CHAT CLIENT'.length)}`);

    const base = path.join(work, 'cache-e');
    await create({ [CODE_CACHE_ENV]: base }); // fills the cache from the original chunk
    const result = await execa('node', [path.join(copy, 'dist', 'index.js'), 'edited', '--sandbox', '--yes', '--no-git'], {
      cwd: work,
      reject: false,
      extendEnv: false,
      env: cliEnv({ [CODE_CACHE_ENV]: base }),
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(readFileSync(path.join(work, 'edited', 'cpp', 'README.md'), 'utf8')).toContain('A TERMINAL CHAT CLIENT');
    expect(readFileSync(path.join(work, `app-${counter}`, 'cpp', 'README.md'), 'utf8')).toContain('A terminal chat client');
  });

  it('ignores a folder other users can write to', async () => {
    if (process.platform === 'win32') return;
    const base = path.join(work, 'cache-c');
    const dir = path.join(base, VERSIONED);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    await create({ [CODE_CACHE_ENV]: base });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is never a reason to fail: a cache that cannot be written is silently skipped', async () => {
    const blocker = path.join(work, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const result = await create({ [CODE_CACHE_ENV]: path.join(blocker, 'cache') });
    expect(String(result.stderr)).not.toMatch(/cache|ENOTDIR|EACCES/i);
    expect(readFileSync(blocker, 'utf8')).toBe('not a folder');
  });

  it('lives under XDG_CACHE_HOME by default, and writes nothing anywhere when turned off', async () => {
    const xdg = path.join(work, 'xdg');
    const home = path.join(work, 'home');
    mkdirSync(home);
    await create({ [CODE_CACHE_ENV]: undefined, XDG_CACHE_HOME: xdg, HOME: home });
    expect(hasGenerator(path.join(xdg, 'create-mesibo-app', VERSIONED))).toBe(true);

    const xdgOff = path.join(work, 'xdg-off');
    await create({ [CODE_CACHE_ENV]: 'off', XDG_CACHE_HOME: xdgOff, HOME: home });
    expect(existsSync(xdgOff)).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it('holds compiled code only: neither the App Token nor an issued token', async () => {
    const fake = await startFakeBackend([{ kind: 'ok' }]);
    try {
      const base = path.join(work, 'cache-d');
      const result = await runCli(['real', '--yes', '--no-git', '--api-url', fake.url], {
        cwd: work,
        env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN, [CODE_CACHE_ENV]: base }),
      });
      expect(result.exitCode, String(result.stderr)).toBe(0);
      const issued = readFileSync(path.join(work, 'real', 'python', 'config.json'), 'utf8').match(/[0-9A-Za-z]{40,}/g) ?? [];
      expect(issued.length).toBeGreaterThan(0);
      const { bytes } = cacheFile(path.join(base, VERSIONED));
      expect(hasGenerator(path.join(base, VERSIONED))).toBe(true);
      for (const secret of [TEST_APP_TOKEN, ...issued]) {
        expect(bytes.includes(secret, 0, 'latin1'), `the cache holds ${secret.slice(0, 6)}…`).toBe(false);
        expect(bytes.includes(secret, 0, 'utf16le'), `the cache holds ${secret.slice(0, 6)}…`).toBe(false);
      }
    } finally {
      await fake.close();
    }
  });
});
