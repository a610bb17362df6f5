/**
 * Proxies from the environment, honoured by undici's own EnvHttpProxyAgent (undici docs,
 * docs/api/EnvHttpProxyAgent.md): `https_proxy`/`HTTPS_PROXY` for https endpoints (falling back to the
 * http one), `http_proxy`/`HTTP_PROXY` for http, `no_proxy`/`NO_PROXY` to bypass; lower case wins over
 * upper case. We read the variables from the run's environment and hand them to the agent explicitly,
 * and decide here only what messages need: whether this endpoint goes through a proxy, which one, and
 * from which variable. A loopback endpoint (the sandbox) never goes through a proxy.
 */
import { Agent, EnvHttpProxyAgent } from './undici';
import { RETRYABLE_CODES } from './retry';
import { UsageError } from '../errors';
import { echo } from '../output/redact';
import { displayUrl, hasCredentials, isLoopbackHost } from './endpoint-policy';

export interface ProxyRoute {
  /** The variable it came from, as set: `HTTPS_PROXY`, `https_proxy`, ... */
  variable: string;
  /** The proxy URL without credentials, for messages. */
  shown: string;
  /** Credentials of the proxy URL, for the redactor: they never appear in output. */
  secrets: string[];
  /** Explicit settings for EnvHttpProxyAgent, so it never reads process.env on its own. */
  settings: { httpProxy: string; httpsProxy: string; noProxy: string };
}

type Env = NodeJS.ProcessEnv;

/** undici's lookup: the lower-case variable when it is set at all, else the upper-case one. */
function variable(env: Env, lower: string): { name: string; value: string } {
  const upper = lower.toUpperCase();
  if (env[lower] !== undefined) return { name: lower, value: env[lower]! };
  return { name: upper, value: env[upper] ?? '' };
}

/** A proxy URL as curl and undici take it; a bare `host:port` means http. */
function proxyUrl(raw: string, name: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL | undefined;
  try {
    url = new URL(withScheme);
  } catch {
    // reported below
  }
  // A password holding `#`, `?` or `/` (unencoded) parses with the host inside it: refused, never shown.
  const garbled = url !== undefined && (url.search !== '' || url.hash !== '' || (hasCredentials(raw) && url.username === '' && url.password === ''));
  if (!url || garbled || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(
      `${name}=${echo(displayUrl(raw))} is not a proxy URL. Set it like ${name}=http://proxy.example.com:3128 ` +
        '(with credentials: http://user:password@proxy.example.com:3128, any `@`, `#`, `?` or `/` in them written ' +
        'as %40, %23, %3F, %2F), or unset it to connect directly.',
    );
  }
  return url;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** NO_PROXY as undici reads it: comma or space separated hosts, optional port, leading `.` or `*.`, or `*`. */
function bypassed(endpoint: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const host = endpoint.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number(endpoint.port) || (endpoint.protocol === 'https:' ? 443 : 80);
  return noProxy.split(/[,\s]/).some((entry) => {
    if (entry === '') return false;
    const [, name = entry, entryPort] = /^(.+):(\d+)$/.exec(entry) ?? [];
    if (entryPort && Number(entryPort) !== port) return false;
    const bare = name.replace(/^\*?\./, '').toLowerCase();
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/** The proxy this endpoint goes through, or undefined for a direct connection. */
export function proxyFor(endpoint: URL, env: Env): ProxyRoute | undefined {
  if (isLoopbackHost(endpoint.hostname)) return undefined;
  const http = variable(env, 'http_proxy');
  const https = variable(env, 'https_proxy');
  const noProxy = variable(env, 'no_proxy').value;
  const chosen = endpoint.protocol === 'https:' && https.value !== '' ? https : http;
  if (chosen.value === '' || bypassed(endpoint, noProxy)) return undefined;
  const url = proxyUrl(chosen.value, chosen.name);
  const secrets = [url.username, url.password].flatMap((s) => [s, safeDecode(s)]);
  return {
    variable: chosen.name,
    shown: displayUrl(url.href),
    secrets: secrets.filter((s) => s !== ''),
    settings: {
      httpProxy: http.value === '' ? '' : proxyUrl(http.value, http.name).href,
      httpsProxy: https.value === '' ? '' : proxyUrl(https.value, https.name).href,
      noProxy,
    },
  };
}

/** The code of a CONNECT the proxy ended without an answer (or with one that is not HTTP): one failed attempt. */
export const PROXY_CONNECT_FAILED = 'PROXY_CONNECT_FAILED';

/**
 * The client to the proxy itself (undici's ProxyAgent `clientFactory`, docs/api/ProxyAgent.md), a
 * direct agent whose CONNECT failures are reported under their own code. undici takes a socket closed
 * before the CONNECT answer (UND_ERR_SOCKET) for a recoverable hiccup and reconnects at once, for ever,
 * without failing the request: a proxy that hangs up on CONNECT made 114,331 tunnels in 40 s. Under
 * PROXY_CONNECT_FAILED the request fails, and the client's retry loop counts it as one attempt under
 * its attempt limit and deadline (src/backend/retry.ts). Aborts (the deadline) pass through unchanged.
 */
class ProxyClient extends Agent {
  override connect(...args: Parameters<Agent['connect']>): ReturnType<Agent['connect']> {
    const [options, callback] = args as unknown as [Parameters<Agent['connect']>[0], ((error: Error | null, data?: unknown) => void) | undefined];
    if (typeof callback === 'function') {
      return (super.connect as (o: unknown, cb: (e: Error | null, d?: unknown) => void) => void)(options, (error, data) =>
        callback(error ? connectFailure(error) : null, data),
      ) as unknown as ReturnType<Agent['connect']>;
    }
    return (super.connect(options) as unknown as Promise<unknown>).catch((error: Error) => {
      throw connectFailure(error);
    }) as ReturnType<Agent['connect']>;
  }
}

function connectFailure(error: Error): Error {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'UND_ERR_ABORTED' || error.name === 'AbortError' || (RETRYABLE_CODES.has(code) && code !== 'UND_ERR_SOCKET')) return error;
  return Object.assign(new Error(`the proxy ended the connection without answering CONNECT (${error.message})`), { code: PROXY_CONNECT_FAILED, cause: error });
}

/**
 * The dispatcher for a route. Tunnelling (CONNECT) for http endpoints too, set explicitly because
 * undici's docs and code disagree on the default: the request, App Token included, then crosses the
 * proxy as opaque bytes rather than as a request it could log. The client to the proxy is a ProxyClient.
 */
export function proxyAgent(route: ProxyRoute, options: Agent.Options): EnvHttpProxyAgent {
  const clientFactory = (_origin: URL | string, opts: { connect?: Agent.Options['connect'] }) => new ProxyClient({ connect: opts.connect });
  return new EnvHttpProxyAgent({ ...options, ...route.settings, proxyTunnel: true, clientFactory } as EnvHttpProxyAgent.Options);
}

/** How to get around a proxy that is in the way: shared by every message about one. */
export function proxyAdvice(route: ProxyRoute, endpoint: URL): string {
  return (
    `If ${endpoint.hostname} should be reached directly, add it to NO_PROXY (NO_PROXY=${endpoint.hostname}); ` +
    `if the proxy is wrong, fix or unset ${route.variable}.`
  );
}
