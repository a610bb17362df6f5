/**
 * A backend for the length of one piece of work: the in-process sandbox (started and stopped here) or
 * the configured endpoint, with one client whose connections are closed afterwards. Shared by create
 * and refresh.
 */
import { createBackendClient, type BackendClient } from './client';
import { startSandbox } from '../sandbox/server';
import { randomWord, type SandboxKey } from '../sandbox/key-file';
import type { AppContext } from '../app-context';
import { InterruptedError } from '../errors';

export async function withBackend<T>(
  target: { sandbox: boolean; endpoint: string; sandboxKey?: SandboxKey },
  appToken: string,
  ctx: AppContext,
  work: (client: BackendClient, endpoint: string) => Promise<T>,
): Promise<T> {
  // The in-process sandbox signs with the project's key (tokens a later `sandbox` run accepts), and takes only
  // a per-run App Token that never leaves this process: no other local process can have tokens minted meanwhile.
  if (target.sandbox) appToken = randomWord(64);
  const sandbox = target.sandbox ? await startSandbox({ key: target.sandboxKey, appToken }) : undefined;
  const endpoint = sandbox?.url ?? target.endpoint;
  const abort = new AbortController();
  const release = ctx.interrupts.onInterrupt(() => abort.abort(new InterruptedError()));
  const client = createBackendClient({
    endpoint,
    appToken,
    timeoutMs: ctx.tuning.timeoutMs,
    retry: ctx.tuning.retry,
    connections: ctx.tuning.concurrency,
    signal: abort.signal,
    redactor: ctx.redactor,
    env: ctx.env,
    onRetry: ({ what, attempt, delayMs, reason }) => {
      ctx.printer.warn(`${what}: ${reason}; trying again in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1})`);
    },
  });
  try {
    return await work(client, endpoint);
  } finally {
    release();
    await client.close();
    await sandbox?.close();
  }
}
