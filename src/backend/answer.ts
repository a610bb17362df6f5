/**
 * A backend's answer is data from outside: nothing in it is used, written or printed before it has
 * been checked here. Values that fail are reported as a backend problem (never "a bug"), and a token
 * that fails is described by its length alone, never quoted.
 */
import { echo, stripControls } from '../output/redact';

/**
 * mesibo issues user tokens of 64 characters of [0-9A-Za-z] (as its backend API answers useradd). The rule is
 * looser so that an on-premise backend or a newer token format still works, but every character
 * accepted is inert in all five config formats the starters use: no space (it splits mesibo.conf's
 * `key value` lines), no quote or backslash, no `$` (xcconfig variables), no `/` (`//` starts an
 * xcconfig comment), no `#`, `=`, `:` (properties), no control character.
 */
export const TOKEN_PATTERN = /^[0-9A-Za-z._-]{16,512}$/;
/** mesibo's uids are numbers (sent as a number or a string); a short plain word is tolerated. */
export const UID_PATTERN = /^[0-9A-Za-z._-]{1,64}$/;

/** What knows the run's secrets (the Redactor): App Token, tokens issued, tokens read from files. */
export interface SecretCheck {
  holdsSecret(text: string): boolean;
}
const CODE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export interface MesiboFailure {
  /** mesibo's error code (AUTHFAIL, MISSINGPARA...), as sent when it looks like one, else quoted. */
  error?: string;
  /** mesibo's human text, cleaned and shortened. */
  cause?: string;
  properties?: string[];
}

export type Answer = Record<string, unknown>;

export function isAnswer(json: unknown): json is Answer {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

/** What the JSON is, in words, for an answer that is not an object. */
export function jsonKind(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  return typeof json === 'object' ? 'an object' : `a ${typeof json}`;
}

type Redact = (text: string) => string;

/**
 * A line of outside text, cleaned, redacted (before it is cut, so no cut-off fragment of a secret
 * survives), on one line, at most `max` characters.
 */
function line(text: string, max: number, redact: Redact): string {
  const clean = redact(stripControls(text)).replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** The failure fields that have the documented types; anything else is ignored, not trusted. */
export function readFailure(answer: Answer, redact: Redact): MesiboFailure {
  const failure: MesiboFailure = {};
  const { error, cause, properties } = answer;
  if (typeof error === 'string' && error !== '') {
    failure.error = CODE_PATTERN.test(error) ? redact(error) : echo(redact(stripControls(error)), 40);
  }
  if (typeof cause === 'string' && line(cause, 200, redact) !== '') failure.cause = line(cause, 200, redact);
  if (Array.isArray(properties)) {
    const names = properties.filter((p): p is string => typeof p === 'string').map((p) => line(p, 40, redact)).filter(Boolean);
    if (names.length > 0) failure.properties = names.slice(0, 10);
  }
  return failure;
}

/** A token's problem in words that never include the token. */
function tokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'string') return token === undefined ? 'has no user.token' : `has a user.token that is ${jsonKind(token)}`;
  if (TOKEN_PATTERN.test(token)) return undefined;
  const what = /[\s\p{Cc}\p{Cf}]/u.test(token)
    ? ', with spaces or control characters'
    : /[^0-9A-Za-z._-]/.test(token)
      ? ', with characters other than letters, digits, ".", "_" and "-"'
      : '';
  return (
    `has a user.token that is not an access token as mesibo issues them (${token.length} characters${what}; ` +
    'expected 16 to 512 letters, digits, ".", "_" or "-")'
  );
}

/**
 * The problem with an id from a backend that is written to files (useradd's user.uid, message's mid),
 * in words that follow "its answer", or undefined when it is fine: a whole number, or a bounded string
 * of safe characters (UID_PATTERN) that holds no secret the run knows. An id that does (a uid that is
 * the App Token or another user's token) is refused without being quoted: it would otherwise be written
 * to mesibo.json, the README, the workshop ledger and the first commit.
 */
export function backendIdProblem(value: unknown, field: string, secrets?: SecretCheck): string | undefined {
  if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= 0)) return `has a ${field} that is not a whole number (${value})`;
  if (typeof value === 'number' || typeof value === 'string') {
    if (secrets?.holdsSecret(String(value))) return `has a ${field} that holds a secret this run knows (the App Token or a user token; not shown, and nothing was written)`;
    return typeof value === 'number' || UID_PATTERN.test(value) ? undefined : `has a ${field} that is not a plain id (${echo(value, 30)})`;
  }
  return value === undefined ? `has no ${field}` : `has a ${field} that is ${jsonKind(value)}`;
}

/** The issued uid and token, or what is wrong with them. `secrets`: every secret the run knows. */
export function readIssued(answer: Answer, secrets?: SecretCheck): { uid: string; token: string } | { problem: string } {
  const user = answer.user;
  if (!isAnswer(user)) return { problem: user === undefined ? 'has no user object' : `has a user that is ${jsonKind(user)}` };
  const problem = backendIdProblem(user.uid, 'user.uid', secrets) ?? tokenProblem(user.token);
  if (problem) return { problem };
  return { uid: String(user.uid), token: user.token as string };
}

/** Every string at user.token in an answer, for the redactor, before anything else looks at it. */
export function tokensIn(json: unknown): string[] {
  if (!isAnswer(json) || !isAnswer(json.user)) return [];
  return typeof json.user.token === 'string' ? [json.user.token] : [];
}
