/**
 * dist/index.js, the bin: sets V8's flags, then loads the CLI's main chunk through the chunk loader with
 * a per-user code cache. Kept to Node built-ins and these three small files; the CLI itself starts in
 * the main chunk (src/index.ts).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { codeCacheDir, openCodeCache } from './code-cache';
import { createChunkLoader } from './chunk-loader';
import { VERSION } from '../version';

// Both flags are part of the fingerprint V8 stores in cached code, so they are set before anything is
// compiled and never changed after; otherwise no cached chunk would ever be accepted.
// --liftoff-only: undici parses HTTP with llhttp compiled to WebAssembly, and by default V8 also compiles
//   it with its optimizing compiler on a background thread (~130 ms of CPU) for a few hundred small answers.
// --verify-snapshot-checksum: V8 checks cached code against a checksum (off by default in release builds),
//   so a damaged cache file is rejected and recompiled instead of being run.
v8.setFlagsFromString('--liftoff-only --verify-snapshot-checksum');

const dir = codeCacheDir({
  env: process.env,
  platform: process.platform,
  homedir: os.homedir,
  version: VERSION,
  v8: process.versions.v8,
  arch: process.arch,
});
const loader = createChunkLoader({ nodeRequire: createRequire(__filename), cache: dir ? openCodeCache(dir) : undefined });
process.on('exit', (code) => {
  // An interrupted run (130, 143) should end at once.
  if (code < 128) loader.saveCache();
});
loader.load(path.join(__dirname, 'chunks', 'main.js'));
