/** Entry point of the bundled CLI. */
import { main } from './main';

const code = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  exit: (c) => process.exit(c),
});
process.exitCode = code;
