/**
 * Checks of where the App Token would go, made before it is read (refresh, and create's --api-url):
 * - a backend that mesibo.json names, other than mesibo's own, is sent nothing until this run confirms it
 *   (a yes at a prompt; without a terminal, exit 2 asking for --api-url): mesibo.json is a committed file
 *   that anyone with push access can change;
 * - a backend on this machine must be listening: a refused connection there means a sandbox that has
 *   stopped, not a backend that is "down or overloaded", and the way back to mesibo's backend is given.
 */
import { connect } from 'node:net';
import type { AppContext } from '../app-context';
import { RunError, UsageError } from '../errors';
import { DEFAULT_API_URL } from '../defaults';
import { displayUrl, isLoopbackHost } from '../backend/endpoint-policy';
import { unconfirmedEndpoint, type RefreshBackend } from '../plan/refresh-plan';

export async function confirmRecordedEndpoint(backend: RefreshBackend, ctx: Pick<AppContext, 'interactive' | 'prompt'>): Promise<void> {
  if (!backend.needsConfirmation) return;
  if (!ctx.interactive) throw unconfirmedEndpoint(backend.endpoint);
  const shown = displayUrl(backend.endpoint);
  const answers = await ctx.prompt([
    {
      type: 'confirm',
      name: 'sendAppToken',
      message: `mesibo.json names ${shown} as this project's backend (not mesibo's). Send your App Token there?`,
      default: false,
    },
  ]);
  if (answers.sendAppToken !== true) {
    throw new UsageError(
      `Nothing was sent to ${shown}. To use another backend, give it with --api-url (mesibo's is ${DEFAULT_API_URL}). ` +
        'Nothing was changed.',
    );
  }
}

/**
 * Exit 1 at once, before the App Token is asked for, when nothing listens at a loopback endpoint (create's
 * --api-url or refresh's backend). `back` says how to go back to mesibo's backend instead.
 */
export async function checkLocalBackend(endpoint: string, run: string, back: string): Promise<void> {
  const url = new URL(endpoint);
  if (!isLoopbackHost(url.hostname)) return;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!(await refused(url.hostname.replace(/^\[|\]$/g, ''), port))) return;
  throw new RunError(
    // Said of whatever was meant to be there: it may never have been started, so never "start it again".
    `Nothing is listening at ${displayUrl(endpoint)} (connection refused): no sandbox or local backend is ` +
      `running there. For a sandbox project's sandbox, start it in that project's folder (\`${run} sandbox --port ${port}\`) ` +
      `and rerun; or use mesibo's backend: ${back}. Nothing was sent or changed.`,
  );
}

/** True only for a refused connection; anything else (a timeout, a listener) is left to the real request. */
function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.once('connect', () => done(false));
    socket.once('timeout', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}
