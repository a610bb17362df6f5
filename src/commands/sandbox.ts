/** `create-mesibo-app sandbox [--port N]`: the sandbox backend as a process of its own, until Ctrl-C. */
import type { AppContext } from '../app-context';
import { UsageError } from '../errors';
import { startSandbox } from '../sandbox/server';

export interface SandboxArgs {
  command: 'sandbox';
  port?: string;
  verbose: boolean;
}

export async function runSandbox(args: SandboxArgs, ctx: AppContext): Promise<number> {
  let port = 0;
  if (args.port !== undefined) {
    if (!/^\d+$/.test(args.port) || Number(args.port) > 65535) {
      throw new UsageError(`--port ${JSON.stringify(args.port)} must be a port number from 0 to 65535 (0 = any free port).`);
    }
    port = Number(args.port);
  }
  let sandbox;
  try {
    sandbox = await startSandbox({ port, onRequest: (op, ok) => ctx.printer.info(`${op || '(no op)'} ${ok ? 'ok' : 'refused'}`) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot listen on 127.0.0.1:${port} (${code ?? (error as Error).message}). Choose another --port, or omit it.`);
  }
  // Ctrl-C is how this command ends normally: stop cleanly with 0 instead of the "interrupted" exit. The
  // handlers are in place before the URL is printed: a signal sent as soon as the URL appears would
  // otherwise reach the guard being removed, and be lost with it.
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  ctx.interrupts.dispose();
  ctx.printer.info(sandbox.url);
  ctx.printer.info(
    `Sandbox backend listening. Use it with --api-url ${sandbox.url} and any App Token ` +
      '(e.g. MESIBO_APP_TOKEN=sandbox). Its tokens work only with this sandbox. Ctrl-C stops it.',
  );
  await stopped;
  await sandbox.close();
  ctx.printer.info('Sandbox stopped.');
  return 0;
}
