/**
 * What a backend failure means for the user. mesibo answers `result: false` with an `error` code and,
 * lately, a `cause`; the two token kinds are the most common confusion, so AUTHFAIL says which one.
 */
import { RunError } from '../errors';

export interface MesiboFailure {
  op: string;
  error?: string;
  cause?: string;
  code?: number;
  properties?: string[];
}

const APP_TOKEN_REJECTED = new Set(['AUTHFAIL', 'INVALIDTOKEN']);

/** Failures about the App Token itself: final, whatever the HTTP status. */
export function isTokenRejection(failure: MesiboFailure): boolean {
  return APP_TOKEN_REJECTED.has(failure.error ?? '') || failure.error === 'TOKENBREACH';
}

export class BackendError extends RunError {}

export function describeFailure(
  failure: MesiboFailure,
  what: string,
  endpoint: string,
  status: number,
): BackendError {
  const code = failure.error ?? 'UNKNOWN';
  const detail = failure.cause ? ` (${failure.cause})` : '';
  if (APP_TOKEN_REJECTED.has(code)) {
    return new BackendError(
      `mesibo rejected the App Token: ${code}${detail}. The App Token is your application's server-side ` +
        'secret, shown in the mesibo console under your application (it is not a user access token; this ' +
        'tool issues those for you). Check the value in MESIBO_APP_TOKEN or your --app-token-file, and that ' +
        `--api-url (${endpoint}) is the backend of that application. To try without an account, use --sandbox.`,
    );
  }
  if (code === 'TOKENBREACH') {
    return new BackendError(
      `mesibo disabled this application's App Token (TOKENBREACH${detail}): it was used from more than five ` +
        'IP addresses. Create a new App Token in the mesibo console and provision from a single machine.',
    );
  }
  const fields = failure.properties?.length ? ` Fields: ${failure.properties.join(', ')}.` : '';
  return new BackendError(
    `The backend at ${endpoint} refused ${what}: ${code}${detail} (HTTP ${status}).${fields}`,
  );
}
