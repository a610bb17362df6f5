/** The CLI's main chunk (dist/chunks/main.js), loaded by the launcher in src/boot/launcher.ts. */
import { main } from './main';

void main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (c) => process.exit(c),
}).then((code) => {
  process.exitCode = code;
});
