/**
 * mesibo backend client (JSON form: POST <endpoint> with {op, token, ...}) on undici, with keep-alive,
 * a per-request timeout and retries for transient failures. The App Token lives only inside this closure
 * and the request body; it is never part of an error or a log line.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { RunError } from '../errors';
import { DEFAULT_TIMEOUT_MS } from '../defaults';
import { BackendError, describeFailure, isTokenRejection, type MesiboFailure } from './errors';
import {
  DEFAULT_RETRY,
  RETRYABLE_CODES,
  RETRYABLE_STATUS,
  backoffDelay,
  parseRetryAfter,
  realSleep,
  type RetryPolicy,
  type Sleep,
} from './retry';

export interface BackendClientOptions {
  endpoint: string;
  appToken: string;
  /** Connection pool; defaults to a keep-alive Agent sized for `connections`. */
  dispatcher?: Dispatcher;
  connections?: number;
  timeoutMs?: number;
  retry?: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  signal?: AbortSignal;
  onRetry?: (info: { what: string; attempt: number; delayMs: number; reason: string }) => void;
}

export interface UserAddRequest {
  address: string;
  name: string;
  appId: string;
  expiryMinutes: number;
}

export interface UserAddResult {
  uid: string;
  token: string;
}

export interface BackendClient {
  useradd(user: UserAddRequest): Promise<UserAddResult>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

/** A failure worth another attempt, with the words to use if attempts run out. */
class Transient extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
  }
}

export function useraddBody(appToken: string, user: UserAddRequest): object {
  return {
    op: 'useradd',
    token: appToken,
    user: { address: user.address, name: user.name, token: { appid: user.appId, expiry: user.expiryMinutes } },
  };
}

export function createBackendClient(options: BackendClientOptions): BackendClient {
  const endpoint = options.endpoint;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({ connections: options.connections ?? 8, keepAliveTimeout: 10_000, connectTimeout: timeoutMs });
  const dispatcher = options.dispatcher ?? ownAgent!;

  async function attempt(body: string): Promise<{ status: number; json: unknown; headers: Dispatcher.ResponseData['headers'] }> {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(endpoint, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: options.signal,
      });
    } catch (error) {
      throw networkFailure(error);
    }
    let text: string;
    try {
      text = await readLimited(response.body);
    } catch (error) {
      throw networkFailure(error);
    }
    const { statusCode: status } = response;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (RETRYABLE_STATUS.has(status)) throw transientStatus(status, response.headers);
      const type = String(response.headers['content-type'] ?? 'no content type');
      throw new BackendError(
        `The backend at ${endpoint} answered HTTP ${status} with a body that is not JSON (${type}; ` +
          `starts with ${JSON.stringify(text.slice(0, 60))}). Check that --api-url points at a mesibo backend API, ` +
          'like https://api.mesibo.com/backend/.',
      );
    }
    return { status, json, headers: response.headers };
  }

  function transientStatus(status: number, headers: Dispatcher.ResponseData['headers']): Transient {
    const header = headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, now());
    return new Transient(`HTTP ${status}`, retryAfterMs);
  }

  function networkFailure(error: unknown): Error {
    if (options.signal?.aborted) return options.signal.reason as Error;
    const code = (error as { code?: string }).code ?? '';
    const reason = code ? `${code}: ${(error as Error).message}` : String((error as Error).message ?? error);
    if (RETRYABLE_CODES.has(code)) return new Transient(reason);
    return new RunError(`Could not reach the backend at ${endpoint}: ${reason}. Check your network and --api-url.`, {
      cause: error,
    });
  }

  async function call(what: string, payload: object): Promise<Record<string, unknown>> {
    const body = JSON.stringify(payload);
    for (let n = 1; ; n++) {
      try {
        const { status, json, headers } = await attempt(body);
        const answer = (json ?? {}) as Record<string, unknown> & MesiboFailure;
        if (answer.result === true) return answer;
        // A rejected App Token will not get better with retries, whatever the HTTP status says.
        if (!isTokenRejection(answer) && RETRYABLE_STATUS.has(status)) {
          const transient = transientStatus(status, headers);
          throw new Transient(`${transient.reason} (${answer.error ?? 'no error code'})`, transient.retryAfterMs);
        }
        throw describeFailure(answer, what, endpoint, status);
      } catch (error) {
        if (!(error instanceof Transient)) throw error;
        if (n >= policy.maxAttempts) {
          throw new RunError(
            `The backend at ${endpoint} kept failing for ${what}: ${error.reason} (${n} attempts). ` +
              'It may be down or overloaded; try again in a few minutes.',
          );
        }
        if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
          throw new RunError(
            `The backend at ${endpoint} asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s before retrying ` +
              `${what} (${error.reason}). Try again later.`,
          );
        }
        const delayMs = Math.max(backoffDelay(policy, n, random), error.retryAfterMs ?? 0);
        options.onRetry?.({ what, attempt: n, delayMs, reason: error.reason });
        await sleep(delayMs, options.signal);
      }
    }
  }

  return {
    async useradd(user) {
      const what = `useradd for user ${JSON.stringify(user.address)} (appid ${JSON.stringify(user.appId)})`;
      const answer = await call(what, useraddBody(options.appToken, user));
      const issued = answer.user as { uid?: unknown; token?: unknown } | undefined;
      const uid = issued?.uid;
      const token = issued?.token;
      if ((typeof uid !== 'string' && typeof uid !== 'number') || typeof token !== 'string' || token === '') {
        throw new BackendError(
          `The backend at ${endpoint} accepted ${what} but its answer has no user.uid and user.token. ` +
            'Check that --api-url points at a mesibo backend API.',
        );
      }
      return { uid: String(uid), token };
    },
    async close() {
      await ownAgent?.close();
    },
  };
}

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new RunError(`The backend's answer is larger than ${MAX_BODY_BYTES} bytes; is --api-url right?`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
