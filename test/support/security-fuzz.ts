/**
 * Random backend answers for the fuzz test: a seeded PRNG (mulberry32, so a failing seed replays the
 * same run), random strings built from the pieces that have broken terminals, parsers and config
 * files (control characters, escape sequences, bidi overrides, quotes, huge lengths, secrets and
 * fragments of secrets), and random answers to mesibo's useradd (docs.mesibo.com backend API:
 * `{op, result, user: {uid, token}}` on success, `{op, result: false, error, cause, code, properties}`
 * on failure), well-formed or not. Secrets go into uids (whole, or 8 to 40 characters of one) and error
 * texts, where a careless client would write or print them.
 */
import type { Reply } from './security-backend';

export type Random = () => number;

/** mulberry32: small, fast, good enough to explore inputs; the seed is the whole state. */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Random, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const chance = (r: Random, p: number) => r() < p;

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const NASTY = [
  ' ', '\n', '\r', '\t', '\u0000', '\u0007', '\u0008', '\u007f', '\u0085', '\u009b', '"', "'", '\\', '$', '/', '#', '=', ':',
  '<', '>', '&', '`', '{', '}', 'é', '中', '😀', '\u202e', '\u2066', '\u200f', '\u2028', '\ufeff',
  '\u001b[31m', '\u001b[2J', '\u001b]0;owned\u0007', '\u001b]8;;http://evil/\u0007', '\u001b[', '\u001bP', '%s', '${x}',
];

export function alnum(r: Random, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[Math.floor(r() * ALNUM.length)];
  return s;
}

/** What the fuzzed backend knows: the App Token it was sent and every token it has handed out. */
export interface Secrets {
  appToken: string;
  issued: string[];
}

/** A fragment of a known secret (sometimes all of it), to be embedded in text the backend sends. */
function secretPiece(r: Random, secrets: Secrets): string {
  const from = pick(r, [secrets.appToken, ...secrets.issued]);
  if (chance(r, 0.3)) return from;
  const start = int(r, 0, Math.max(0, from.length - 1));
  return from.slice(start, start + int(r, 1, 40));
}

function stringLength(r: Random): number {
  const roll = r();
  if (roll < 0.75) return int(r, 0, 40);
  if (roll < 0.95) return int(r, 40, 2000);
  return int(r, 20_000, 120_000);
}

/** A random string: letters and digits, nasty pieces, and pieces of secrets. */
export function text(r: Random, secrets: Secrets, length = stringLength(r)): string {
  let s = '';
  while (s.length < length) {
    const roll = r();
    if (roll < 0.6) s += alnum(r, int(r, 1, 12));
    else if (roll < 0.9) s += pick(r, NASTY);
    else s += secretPiece(r, secrets);
  }
  return s.slice(0, Math.max(length, 0));
}

/** Any JSON value, nested a little. */
export function anyJson(r: Random, secrets: Secrets, depth = 0): unknown {
  const roll = r();
  if (roll < 0.15) return null;
  if (roll < 0.3) return pick(r, [true, false]);
  if (roll < 0.45) return pick(r, [0, -1, 1.5, 2 ** 53 + 2, 1e308, 5302]);
  if (roll < 0.7 || depth >= 3) return text(r, secrets, int(r, 0, 60));
  if (roll < 0.85) return Array.from({ length: int(r, 0, 4) }, () => anyJson(r, secrets, depth + 1));
  return Object.fromEntries(Array.from({ length: int(r, 0, 4) }, () => [text(r, secrets, int(r, 0, 10)), anyJson(r, secrets, depth + 1)]));
}

/** A user token: mostly mesibo's shape, often broken in one of the ways the issue lists. */
function token(r: Random, secrets: Secrets): unknown {
  const good = alnum(r, 64);
  const roll = r();
  if (roll < 0.55) return good;
  if (roll < 0.65) return `${good.slice(0, 30)}${pick(r, NASTY)}${good.slice(30)}`; // one bad character
  if (roll < 0.7) return alnum(r, int(r, 0, 15)); // too short
  if (roll < 0.75) return alnum(r, int(r, 513, 4000)); // too long
  if (roll < 0.8) return secretPiece(r, secrets) + alnum(r, 20); // built from another secret
  if (roll < 0.9) return text(r, secrets, int(r, 0, 100));
  return anyJson(r, secrets); // not a string at all, or missing
}

/** A secret, or a piece of one of 8 to 40 characters, as a plain id would look (issue 19: a uid or mid that is a token). */
export function secretId(r: Random, secrets: Secrets): string {
  const from = pick(r, [secrets.appToken, ...secrets.issued]);
  if (chance(r, 0.5) || from.length <= 8) return from;
  const start = int(r, 0, from.length - 8);
  return from.slice(start, start + int(r, 8, 40));
}

function uid(r: Random, secrets: Secrets): unknown {
  const roll = r();
  if (roll < 0.15) return secretId(r, secrets);
  if (roll < 0.6) return int(r, 1, 99999);
  if (roll < 0.75) return String(int(r, 1, 99999));
  if (roll < 0.85) return text(r, secrets, int(r, 0, 80));
  return anyJson(r, secrets);
}

/** A failure answer: an error code, a cause, properties, each of any type. */
function failure(r: Random, secrets: Secrets): Record<string, unknown> {
  const body: Record<string, unknown> = { op: 'useradd', result: pick(r, [false, false, 'false', 0, null]) };
  if (chance(r, 0.8)) body.error = chance(r, 0.5) ? pick(r, ['AUTHFAIL', 'INVALIDTOKEN', 'TOKENBREACH', 'MISSINGPARA', 'BADOP']) : anyJson(r, secrets);
  if (chance(r, 0.7)) body.cause = chance(r, 0.7) ? text(r, secrets) : anyJson(r, secrets);
  if (chance(r, 0.4)) body.properties = chance(r, 0.5) ? [text(r, secrets, 10), text(r, secrets, 10)] : anyJson(r, secrets);
  if (chance(r, 0.3)) body.code = anyJson(r, secrets);
  return body;
}

const TOKEN_CHARS = `${ALNUM}._-`;

/** A success that must be accepted: mesibo's shape, or the unusual but valid (long, `._-`, string uid). */
function valid(r: Random, secrets: Secrets): Reply {
  let token = alnum(r, 64);
  if (chance(r, 0.3)) {
    token = '';
    for (let i = int(r, 16, 512); i > 0; i--) token += TOKEN_CHARS[Math.floor(r() * TOKEN_CHARS.length)];
  }
  secrets.issued.push(token);
  const uid = pick(r, [int(r, 0, 2 ** 40), String(int(r, 1, 99999)), alnum(r, int(r, 1, 64)), 'uid_1.a-b']);
  const body: Record<string, unknown> = { op: 'useradd', result: true, user: { uid, token } };
  // Extra fields, of any type, must be ignored.
  if (chance(r, 0.2)) body.error = anyJson(r, secrets);
  if (chance(r, 0.2)) (body.user as Record<string, unknown>).extra = anyJson(r, secrets);
  return { status: 200, body };
}

/**
 * One answer to a useradd. Tokens it hands out (as any value at user.token) are added to
 * `secrets.issued` before the answer leaves, so later answers can echo them.
 */
export function answer(r: Random, secrets: Secrets, request: Record<string, any>): Reply {
  const status = pick(r, [200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 502, 503]);
  const headers: Record<string, string> = {};
  if (status === 429 || status >= 500) {
    if (chance(r, 0.5)) headers['retry-after'] = pick(r, ['0', 'soon', '999', '-1', '1e3', 'Wed, 21 Oct 2015 07:28:00 GMT']);
  }
  if (chance(r, 0.75)) return valid(r, secrets);
  const roll = r();
  if (roll < 0.03) return { reset: true };
  if (roll < 0.05) return { status: 200, body: { op: 'useradd', result: true, user: { uid: 1, token: alnum(r, 64) } }, trickleMs: 200 };
  if (roll < 0.2) {
    // Not JSON at all: an HTML page, an echo of the request, random text.
    const body = pick(r, [`<html>${text(r, secrets)}</html>`, `echo: ${JSON.stringify(request)}`, text(r, secrets)]);
    return { status, headers: { 'content-type': pick(r, ['text/html', 'text/plain', text(r, secrets, 20).replace(/[^\x20-\x7e]/g, '')]), ...headers }, body };
  }
  if (roll < 0.3) return { status, headers, body: JSON.stringify(anyJson(r, secrets)) };
  if (roll < 0.55) return { status, headers, body: failure(r, secrets) };
  const user: Record<string, unknown> = {};
  if (chance(r, 0.95)) user.uid = uid(r, secrets);
  if (chance(r, 0.95)) user.token = token(r, secrets);
  const sent = chance(r, 0.95) ? user : anyJson(r, secrets);
  if (sent === user && typeof user.token === 'string') secrets.issued.push(user.token);
  const body: Record<string, unknown> = { op: 'useradd', result: chance(r, 0.93) ? true : anyJson(r, secrets), user: sent };
  if (chance(r, 0.2)) body.error = text(r, secrets, 30);
  return { status: chance(r, 0.85) ? 200 : status, headers, body };
}
