/**
 * `create-mesibo-app sandbox [folder]`: the local mesibo emulator of a project made with --sandbox, until
 * Ctrl-C. Finds the project (the folder or the nearest one above it with a mesibo.json, as refresh does),
 * reads its key file (.mesibo-sandbox.json: never through a link, never a value shown), and serves on
 * 127.0.0.1 the backend API, the browser script the web starter loads, and the relay between its pages.
 */
import path from 'node:path';
import type { AppContext } from '../app-context';
import { UsageError } from '../errors';
import { findProjectRoot } from '../plan/project-root';
import { detectInvocation } from '../report/invocation';
import { shellWord } from '../render/literals';
import { SANDBOX_FILE, SANDBOX_FILE_MODE, sandboxKeyText, type SandboxKey } from '../sandbox/key-file';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { atomicSwap } from '../write/atomic-swap';
import { readProjectSandboxKey } from './sandbox-key';

export interface SandboxArgs {
  command: 'sandbox';
  dir?: string;
  port?: string;
  webPort?: string;
  verbose: boolean;
}

function portFlag(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) < min || Number(value) > 65535) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} must be a port number from ${min} to 65535${min === 0 ? ' (0 = any free port)' : ''}.`);
  }
  return Number(value);
}

/** Why a page got AUTHFAIL, in words (never the token). */
const AUTHFAIL_REASONS = {
  shape: "its token is not a token of mesibo's shape (64 letters and digits)",
  unknown: "its token was not issued by this project's sandbox for the page's appid (another project's token, or another appid's)",
  expired: 'its token has expired: refresh --sandbox issues new ones',
} as const;

/** The project's key; a project without one is not a sandbox project: one paragraph naming the fix. */
function readKey(root: string, shown: string, command: string): SandboxKey {
  const key = readProjectSandboxKey(root, shown, command, 'The sandbox did not start.');
  if (key) return key;
  throw new UsageError(
    `${shown} has no ${SANDBOX_FILE}, so it is not a sandbox project (made with --sandbox by this version or later): ` +
      `the sandbox could not check its tokens. Make one with ${command} my-chat --sandbox --yes, then run ` +
      `${command} sandbox my-chat; or, in this project, ${command} refresh --sandbox issues sandbox tokens and writes the file.`,
  );
}

export async function runSandbox(args: SandboxArgs, ctx: AppContext): Promise<number> {
  const { printer } = ctx;
  const portGiven = portFlag('--port', args.port, 0);
  const webPort = portFlag('--web-port', args.webPort, 1);
  const start = path.resolve(ctx.cwd, args.dir ?? '.');
  // Commands in messages run this tool as it was run this time (a checkout, a tarball, npm).
  const { command } = detectInvocation(ctx.env);
  const root = findProjectRoot(start);
  if (root === undefined) {
    throw new UsageError(
      `No mesibo project in ${JSON.stringify(args.dir ?? '.')} or any folder above it (no mesibo.json). Run the sandbox ` +
        `in a project made with --sandbox (${command} my-chat --sandbox --yes, then ${command} sandbox my-chat).`,
    );
  }
  const shown = path.relative(ctx.cwd, root) || '.';
  const key = readKey(root, shown, command);
  const port = portGiven ?? key.port;

  // Users the backend API adds (a workshop against this sandbox) are saved at once: their tokens must
  // work in every later run, and a crash loses nothing.
  const save = (changed: SandboxKey) => {
    try {
      atomicSwap([{ file: path.join(root, SANDBOX_FILE), content: sandboxKeyText(changed), mode: SANDBOX_FILE_MODE }], ctx.interrupts, root);
    } catch (error) {
      printer.warn(`Could not save new users to ${path.join(shown, SANDBOX_FILE)} (${(error as Error).message}): their tokens work until this sandbox stops.`);
    }
  };
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      key,
      port,
      appToken: key.appToken,
      project: root,
      webPorts: webPort === undefined ? [key.webPort] : [key.webPort, webPort],
      onUsersAdded: save,
      onRelay: (event) =>
        event.kind === 'online'
          ? printer.info(`page signed in as ${JSON.stringify(event.address)}`)
          : printer.warn(`refused a page with AUTHFAIL: ${AUTHFAIL_REASONS[event.reason]}`),
      onRequest: (op, ok) => printer.info(`backend API: ${op || '(no op)'} ${ok ? 'ok' : 'refused'}`, 'detail'),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use: is this sandbox (or another program) already running there?' : (code ?? (error as Error).message);
    throw new UsageError(
      `Cannot listen on 127.0.0.1:${port} (${why}). Stop the other program, or choose another --port ` +
        `(the web starter's config.js names port ${key.port}: with another one, its page cannot find the sandbox).`,
    );
  }
  // Ctrl-C is how this command ends normally: stop cleanly with 0 instead of the "interrupted" exit. The
  // handlers are in place before the URL is printed: a signal sent as soon as the URL appears would
  // otherwise reach the guard being removed, and be lost with it.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  ctx.interrupts.dispose();
  const origin = `http://127.0.0.1:${sandbox.port}`;
  const pages = [key.webPort, ...(webPort === undefined ? [] : [webPort])].flatMap((p) => [`http://localhost:${p}`, `http://127.0.0.1:${p}`]);
  const name = shown === '.' ? path.basename(root) : shown;
  printer.success(`Local sandbox of ${name} listening on ${origin} (this computer only; not mesibo)`);
  printer.info(`  Web pages load ${sandbox.script} and connect from ${pages.join(', ')} (npm start in web/).`);
  printer.info(`  Backend API: ${sandbox.url}, with the App Token kept in ${path.join(shown, SANDBOX_FILE)}. For workshop, announce or refresh:`);
  printer.info(`    export MESIBO_APP_TOKEN="$(node -p 'require(process.argv[1]).appToken' ${shellWord(path.join(root, SANDBOX_FILE))})"`);
  printer.info(`    then pass --api-url ${sandbox.url}`);
  printer.info('  Messages are kept in memory while it runs (a page that is closed gets them when it opens). Ctrl-C stops it.');
  await stopped;
  await sandbox.close();
  printer.info('Sandbox stopped.');
  return 0;
}
