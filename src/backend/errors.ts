/**
 * What a backend failure means for the user. mesibo answers `result: false` with an `error` code and,
 * lately, a `cause`; the two token kinds are the most common confusion, so AUTHFAIL says which one.
 * Every field used here has been checked and cleaned by readFailure (answer.ts).
 */
import { RunError } from '../errors';
import type { MesiboFailure } from './answer';

const APP_TOKEN_REJECTED = new Set(['AUTHFAIL', 'INVALIDTOKEN']);

/** Failures about the App Token itself: final, whatever the HTTP status. */
export function isTokenRejection(failure: MesiboFailure): boolean {
  return APP_TOKEN_REJECTED.has(failure.error ?? '') || failure.error === 'TOKENBREACH';
}

/** The backend answered, and the answer was a refusal or unusable: the request is known not to have worked. */
export class BackendError extends RunError {
  constructor(
    message: string,
    /** mesibo's error code when the backend sent one (AUTHFAIL, TOKENBREACH, ...). */
    readonly failure: MesiboFailure = {},
  ) {
    super(message);
  }

  get rejectedAppToken(): boolean {
    return isTokenRejection(this.failure);
  }
}

export function describeFailure(failure: MesiboFailure, what: string, endpoint: string, status: number): BackendError {
  const code = failure.error ?? 'UNKNOWN';
  const detail = failure.cause ? ` (${failure.cause})` : '';
  if (APP_TOKEN_REJECTED.has(code)) {
    return new BackendError(
      `mesibo rejected the App Token: ${code}${detail}. The App Token is your application's server-side ` +
        'secret, shown in the mesibo console under your application (it is not a user access token; this ' +
        'tool issues those for you). Check the value in MESIBO_APP_TOKEN or your --app-token-file, and that ' +
        `--api-url (${endpoint}) is the backend of that application. To try without an account, use --sandbox.`,
      failure,
    );
  }
  if (code === 'TOKENBREACH') {
    return new BackendError(
      `mesibo disabled this application's App Token (TOKENBREACH${detail}): it was used from more than five ` +
        'IP addresses. Create a new App Token in the mesibo console and provision from a single machine.',
      failure,
    );
  }
  const fields = failure.properties?.length ? ` Fields: ${failure.properties.join(', ')}.` : '';
  return new BackendError(`The backend at ${endpoint} refused ${what}: ${code}${detail} (HTTP ${status}).${fields}`, failure);
}

/** OpenSSL's error line as Node passes it through: `<hex>:error:<hex>:<library>:<function>:<reason>:<file>:<line>:`. */
const OPENSSL_LINE = /[0-9A-F]+:error:[0-9A-F]+:[^:\n]*:[^:\n]*:([^:\n]+):[^\s]*/;

/**
 * A network error's reason in one clean line. For a TLS failure Node passes OpenSSL's raw text through
 * (the error line above, its source file and a line break), which tells a user nothing: its reason phrase
 * is kept, with what it usually means.
 */
export function networkReason(code: string, message: string): string {
  const openssl = OPENSSL_LINE.exec(message);
  let text = (openssl ? `TLS handshake failed: ${openssl[1]!.trim()}` : message).replace(/\s+/g, ' ').trim();
  if (/WRONG_VERSION_NUMBER|wrong version number/i.test(`${code} ${text}`)) {
    text += ' (the server there does not speak TLS; a plain-http backend needs an http:// URL)';
  }
  return code ? `${code}: ${text}` : text;
}
