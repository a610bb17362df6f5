/**
 * Where the App Token may be sent. Pure functions, shared by every place that takes an endpoint: the
 * --api-url flag of create and refresh, and (later) refresh's check of a recorded endpoint.
 * - only http: and https:;
 * - no credentials in the URL (they would be stored in mesibo.json and shown in messages); a refusal
 *   shows the URL with them removed, never the credentials;
 * - plain http only to this machine (127.0.0.0/8, ::1, localhost), where nothing crosses a network,
 *   unless the user says --allow-http: the App Token travels in the request body, readable by anyone
 *   on the path; never for mesibo's older api.php form, whose URL carries the App Token.
 */
import { UsageError } from '../errors';
import { echo } from '../output/redact';
import { isLegacyEndpoint } from './legacy-form';

export interface EndpointPolicy {
  /** --allow-http was given: plain http to another host is the user's explicit choice. */
  allowHttp: boolean;
}

export type EndpointVerdict = { ok: true; url: URL } | { ok: false; problem: string };

/** The URL as it may be shown: any `user:password@` removed, even when the rest does not parse. */
export function displayUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
    }
    return url.href;
  } catch {
    // Not a URL: drop whatever sits before an `@` in what would be its authority.
    return value.replace(/^([^:/?#]*:\/\/)?[^/?#]*@/, '$1');
  }
}

/** Loopback only: names and addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true;
  // IPv4-mapped IPv6 (::ffff:127.x.y.z), which URL parsing writes in hex: ::ffff:7fxx:xxxx.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

/** Why an endpoint may not receive the App Token, or the parsed URL. Never quotes credentials. */
export function judgeEndpoint(value: string, policy: EndpointPolicy): EndpointVerdict {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, problem: 'is not a URL. Give the full endpoint, like https://api.mesibo.com/backend/' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: 'must start with https:// (or http:// for a backend on this machine)' };
  }
  if (url.username || url.password) return credentials;
  // mesibo's older api.php form sends the App Token in the URL, which servers and proxies log: even the
  // user's --allow-http does not extend to that (legacy-form.ts).
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && isLegacyEndpoint(url)) {
    return {
      ok: false,
      problem:
        `is an api.php endpoint over plain http to ${url.hostname}, another machine: mesibo's older api.php form puts ` +
        'the App Token in the URL, where every server and proxy on the way can read and log it, so it is refused even ' +
        `with --allow-http. Use https://${url.hostname}${url.pathname}, or the backend's JSON endpoint`,
    };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !policy.allowHttp) {
    return {
      ok: false,
      problem:
        `uses plain http to ${url.hostname}, another machine: the App Token would cross the network unencrypted, ` +
        `readable by anyone on the way. Use https://${url.hostname}${url.pathname} if the backend serves it; if this ` +
        'on-premise backend really serves only http on a network you trust, add --allow-http',
    };
  }
  return { ok: true, url };
}

/**
 * The flag's check: the endpoint as given (credentials and all, if allowed), or one UsageError
 * paragraph (exit 2) naming the flag and the shortened, credential-free URL.
 */
export function checkEndpoint(value: string, options: EndpointPolicy & { flag: string }): string {
  const verdict = judgeEndpoint(value, options);
  if (!verdict.ok) throw new UsageError(`${options.flag} ${echo(displayUrl(value), 80)} ${verdict.problem}.`);
  return value;
}
