/**
 * Is the backend at a loopback --api-url a running create-mesibo-app sandbox, and whose? A workshop made against
 * a project's sandbox needs the answer before it renders a seat: the seats' web pages must load that sandbox's
 * script, not mesibo's CDN, and say how to start it again (in its project's folder). Asked, not assumed from the
 * loopback address alone: a loopback URL is also how a test's fake backend, or an on-premise mesibo backend behind
 * an SSH tunnel, is reached, and those pages need mesibo's SDK.
 * 1. `GET <origin>/mesibo.js`, with nothing secret: the sandbox answers with its browser script (known by its
 *    first line), anything else with something else. Only a sandbox gets the second question:
 * 2. the backend API's `sandbox` op, the sandbox's own, with the App Token the workshop sends there anyway: the
 *    project folder it runs for.
 * Never through a proxy: nothing on this machine is reached through one.
 */
import { Agent, request } from './undici';

/** How the sandbox's script (src/sandbox/mesibo.js) begins: what tells it from anything else a local port serves. */
const SCRIPT_SIGNATURE = "// create-mesibo-app's local sandbox:";

export type ProbeAnswer = { kind: 'sandbox'; project?: string } | { kind: 'other' } | { kind: 'unreachable' };

export async function probeLocalSandbox(apiUrl: string, appToken: string, timeoutMs: number): Promise<ProbeAnswer> {
  const dispatcher = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  try {
    const script = await request(new URL('/mesibo.js', apiUrl).href, { dispatcher, method: 'GET' });
    const head = (await script.body.text()).slice(0, SCRIPT_SIGNATURE.length);
    if (script.statusCode !== 200 || head !== SCRIPT_SIGNATURE) return { kind: 'other' };
    const asked = await request(apiUrl, {
      dispatcher,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op: 'sandbox', token: appToken }),
    });
    const answer = (await asked.body.json().catch(() => undefined)) as { result?: unknown; project?: unknown } | undefined;
    return { kind: 'sandbox', project: answer?.result === true && typeof answer.project === 'string' ? answer.project : undefined };
  } catch {
    return { kind: 'unreachable' };
  } finally {
    await dispatcher.close().catch(() => {});
  }
}
