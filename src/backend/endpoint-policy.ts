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

/**
 * The URL as it may be shown: credentials replaced by `***`, as `https://***@host/path`, whatever they
 * hold. Everything up to the last `@` after the scheme counts as credentials, parsed or not: a password
 * with `#`, `?` or `/` in it makes the URL parse with its host inside the password (or not at all), and
 * an `@` is never part of a backend or proxy address, so masking too much is the only possible mistake.
 */
export function displayUrl(value: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  const rest = value.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const address = at < 0 ? value : `${scheme}${rest.slice(at + 1)}`;
  let shown = address;
  try {
    shown = new URL(address).href;
  } catch {
    // not a URL: shown as given, credentials removed
  }
  return at < 0 ? shown : shown.startsWith(scheme) ? `${scheme}***@${shown.slice(scheme.length)}` : `***@${shown}`;
}

/** The URL carries credentials: a user name or password as parsed, or any `@` after its scheme (see displayUrl). */
export function hasCredentials(value: string): boolean {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  return value.slice(scheme.length).includes('@');
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
  const credentials = {
    ok: false as const,
    problem:
      'carries a user name or password (not shown here). Remove the "user:password@" part: mesibo\'s backend ' +
      'API is authorised by the App Token alone, and credentials in the URL would be stored in mesibo.json',
  };
  // Before parsing: a password holding `#`, `?` or `/` parses as another host (or not at all).
  if (hasCredentials(value)) return credentials;
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
