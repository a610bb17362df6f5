#!/usr/bin/env node
/**
 * The bin (dist/index.js). On Node ≥ 22.1, Node's own compile cache keeps V8's compiled code for the
 * bundle's chunks between runs (in the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off); Node 20
 * has no such API, and this line does nothing there. It runs before the CLI is imported, so the CLI's
 * chunks are covered.
 */
import module from 'node:module';
import { isatty } from 'node:tty';
import { setFlagsFromString } from 'node:v8';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/**
 * V8's documented `--liftoff-only` (node --v8-options), set before any WebAssembly is compiled: the only
 * WebAssembly this CLI runs is undici's HTTP/1 parser (llhttp), a few requests per run, which V8 would
 * otherwise also recompile with its optimizing compiler on background threads. On Node 20 the process waits
 * for those threads before it exits (60–80 ms of a sandbox create, ~70 ms of CPU; docs/performance.md).
 * Liftoff's code parses a handful of short responses just as well.
 */
setFlagsFromString('--liftoff-only');

/**
 * `create-mesibo-app … | head` closes the pipe early: later writes are dropped instead of ending in an
 * EPIPE stack trace, and the run finishes its work and exits with its own code (0 when it was done).
 */
function quietWhenClosed(stream: NodeJS.WriteStream) {
  let closed = false;
  stream.on('error', () => {
    closed = true; // EPIPE (the reader is gone) or worse: either way nobody can read what follows
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write: (chunk: string) => closed || stream.write(chunk),
  };
}

const { main } = await import('./main');
process.exitCode = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  // Not process.stdin: its getter opens a stream (and loads fs streams, fs/promises and readline with it)
  // that only a prompt needs; the prompt library opens it then.
  stdin: { isTTY: isatty(0) },
  stdout: quietWhenClosed(process.stdout),
  stderr: quietWhenClosed(process.stderr),
  exit: (c) => process.exit(c),
});
