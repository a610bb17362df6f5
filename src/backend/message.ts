/**
 * The backend API's `message` op: one message from a user to a comma-separated list of users, as
 * documented at docs.mesibo.com/api/backend-api/messaging:
 *   {"op":"message","token":APP_TOKEN,"message":{"from":A,"to":"B,C","message":TEXT}}
 *   -> {"op":"message","result":true,"mid":1387628}
 * Only the fields the workshop needs are sent (gid, type, expiry and the rest keep mesibo's defaults).
 * The answer is outside data like useradd's: its mid is checked before it is recorded or printed. An
 * answer without a mid, {"op":"message","result":true} (the older documented shape), still means sent.
 *
 * A message must not arrive twice, so the client retries `message` only when the request surely did not
 * reach the server (client.ts); any other failure after sending is a MaybeSentError.
 */
import { RunError } from '../errors';
import { backendIdProblem, type Answer, type SecretCheck } from './answer';

export interface MessageRequest {
  /** The sender's address: mesibo requires an existing user. */
  from: string;
  /** Recipients' addresses; sent joined with commas, so none may contain one. */
  to: readonly string[];
  message: string;
}

export interface MessageResult {
  /** mesibo's message id, as a string; absent when the answer carried none. */
  mid?: string;
}

/** The request may have reached the backend, which then failed: the message may have been sent. */
export class MaybeSentError extends RunError {}

export function messageBody(appToken: string, request: MessageRequest): object {
  return { op: 'message', token: appToken, message: { from: request.from, to: request.to.join(','), message: request.message } };
}

/**
 * The mid of a successful answer (none when it has none), or what is wrong with it (in words that follow
 * "its answer"). The same rule as useradd's uid: a plain id that holds no secret this run knows.
 */
export function readMessageAnswer(answer: Answer, secrets?: SecretCheck): MessageResult | { problem: string } {
  if (answer.mid === undefined) return {};
  const problem = backendIdProblem(answer.mid, 'mid', secrets);
  return problem ? { problem } : { mid: String(answer.mid) };
}
