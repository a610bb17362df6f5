/** The CLI's main chunk (dist/chunks/main.js), loaded by the launcher in src/boot/launcher.ts. */
import { isatty } from 'node:tty';
import { main } from './main';

void main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  // Not process.stdin: its getter opens a stream (and loads fs streams, fs/promises and readline with it)
  // that only a prompt needs; the prompt library opens it then.
  stdin: { isTTY: isatty(0) },
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (c) => process.exit(c),
}).then((code) => {
  process.exitCode = code;
});
