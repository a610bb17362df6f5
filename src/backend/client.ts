/**
 * mesibo backend client (JSON form: POST <endpoint> with {op, token, ...}; or, for an endpoint ending in
 * api.php, mesibo's older GET form, legacy-form.ts) on undici, with keep-alive,
 * an overall deadline per request, retries for transient failures, and the proxy the environment names.
 * The App Token lives only inside this closure and the request body; it and every user token the
 * backend issues are registered with the redactor the moment they are known, so no message can print
 * them, and every string the backend sends is checked and cleaned before use (answer.ts).
 */
import { Agent, request, type Dispatcher } from './undici';
import { CliError, RunError } from '../errors';
import { DEFAULT_TIMEOUT_MS } from '../defaults';
import { FRAGMENT, Redactor, echo, stripControls } from '../output/redact';
import { BackendError, describeFailure, isTokenRejection, networkReason } from './errors';
import { isAnswer, jsonKind, readFailure, readIssued, tokensIn } from './answer';
import { displayUrl } from './endpoint-policy';
import { isLegacyEndpoint, legacyUrl } from './legacy-form';
import { MaybeSentError, messageBody, readMessageAnswer, type MessageRequest, type MessageResult } from './message';
import { proxyAdvice, proxyAgent, proxyFor, type ProxyRoute } from './proxy';
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
  /** Connection pool; defaults to a keep-alive Agent sized for `connections` (through the proxy, if any). */
  dispatcher?: Dispatcher;
  connections?: number;
  /** Overall deadline of one attempt: connect, headers and the whole body. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
  signal?: AbortSignal;
  onRetry?: (info: { what: string; attempt: number; delayMs: number; reason: string }) => void;
  /** Learns every secret this client sees. The printer's redactor in a run; a private one otherwise. */
  redactor?: Redactor;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read; without it, connections are direct. */
  env?: NodeJS.ProcessEnv;
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
  /** The `message` op (message.ts): one message from a user to a list of users. */
  message(request: MessageRequest): Promise<MessageResult>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
const CHECK_URL = 'Check that --api-url points at a mesibo backend API, like https://api.mesibo.com/backend/.';

/**
 * A failure worth another attempt, with the words to use if attempts run out. `notSent`: the request
 * surely did not reach the server (no connection, no address, or a 429 that says when to come back), so
 * even a request that must not arrive twice (`message`) may be sent again.
 */
class Transient extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
    readonly notSent = false,
  ) {
    super(reason);
  }
}

/** Failures before any connection carried the request: connection refused, name lookup, connect timeout. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The useradd body, for create, refresh and the workshop alike. `v2: true` asks for mesibo's v2 token
 * format, sent together with the appid as mesibo's own backend sample does (mesibo/samples
 * backend-api/php/mesiboapi.php, MesiboAddUser: `token` = appid, expiry, v2; February 2026).
 */
export function useraddBody(appToken: string, user: UserAddRequest): object {
  return {
    op: 'useradd',
    token: appToken,
    user: { address: user.address, name: user.name, token: { appid: user.appId, expiry: user.expiryMinutes, v2: true } },
  };
}

export function createBackendClient(options: BackendClientOptions): BackendClient {
  const endpoint = options.endpoint;
  const shown = displayUrl(endpoint);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const redactor = options.redactor ?? new Redactor();
  // Shorter values are the sandbox's placeholder or registered by the caller (a short word masked whole
  // would mask that word everywhere).
  if (options.appToken.length >= FRAGMENT) redactor.addKnown(options.appToken, 'app-token');
  const redact = (text: string) => redactor.redact(text);
  // The App Token alone, to refuse a "user token" built from it: it would land in the starters' files.
  const appTokenOnly = new Redactor();
  if (options.appToken.length >= FRAGMENT) appTokenOnly.add(options.appToken);

  const route: ProxyRoute | undefined = options.dispatcher ? undefined : proxyFor(new URL(endpoint), options.env ?? {});
  for (const secret of route?.secrets ?? []) if (secret.length >= FRAGMENT) redactor.add(secret);
  const via = route ? ` through the proxy ${route.shown} (from ${route.variable})` : '';
  const agentOptions = { connections: options.connections ?? 8, keepAliveTimeout: 10_000, connectTimeout: timeoutMs };
  const ownAgent = options.dispatcher ? undefined : route ? proxyAgent(route, agentOptions) : new Agent(agentOptions);
  const dispatcher = options.dispatcher ?? ownAgent!;

  // An endpoint ending in api.php speaks mesibo's older GET form (legacy-form.ts); any other, the JSON body.
  const legacy = isLegacyEndpoint(endpoint);

  async function attempt(payload: Record<string, unknown>): Promise<{ status: number; json: unknown; headers: Dispatcher.ResponseData['headers'] }> {
    // undici's headersTimeout and bodyTimeout bound each wait; this bounds the whole, so a backend that
    // trickles one byte a second still ends at the deadline.
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      const form = legacy
        ? { url: legacyUrl(endpoint, payload), method: 'GET' as const, headers: { accept: 'application/json' } }
        : { url: endpoint, method: 'POST' as const, body: JSON.stringify(payload), headers: { 'content-type': 'application/json', accept: 'application/json' } };
      response = await request(form.url, {
        method: form.method,
        body: form.body,
        headers: form.headers,
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal,
      });
      text = await readLimited(response.body);
    } catch (error) {
      throw networkFailure(error, deadline);
    }
    const { statusCode: status } = response;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (RETRYABLE_STATUS.has(status)) throw transientStatus(status, response.headers);
      const type = echo(String(response.headers['content-type'] ?? 'no content type'), 40).slice(1, -1);
      // Redacted whole, then cut: a secret the body echoes is masked entirely, never cut into a fragment.
      const excerpt = echo(redact(stripControls(text)), 60);
      throw new BackendError(
        `The backend at ${shown} answered HTTP ${status} with a body that is not JSON (${type}; starts with ${excerpt}). ${CHECK_URL}`,
      );
    }
    // Registered before anything else reads the answer, so no later message can show them.
    for (const token of tokensIn(json)) redactor.add(token);
    return { status, json, headers: response.headers };
  }

  function transientStatus(status: number, headers: Dispatcher.ResponseData['headers']): Transient {
    const header = headers['retry-after'];
    const retryAfterMs = parseRetryAfter(Array.isArray(header) ? header[0] : header, now());
    return new Transient(`HTTP ${status}`, retryAfterMs, status === 429 && retryAfterMs !== undefined);
  }

  function networkFailure(error: unknown, deadline: AbortSignal): Error {
    if (options.signal?.aborted) return options.signal.reason as Error;
    if (error instanceof CliError) return error;
    if (deadline.aborted) return new Transient(`TIMEOUT: no complete answer within ${seconds(timeoutMs)}`);
    const code = String((error as { code?: unknown })?.code ?? '');
    const message = redact(stripControls(String((error as Error)?.message ?? error)));
    const reason = networkReason(code, message);
    if (NOT_SENT_CODES.has(code)) return new Transient(reason, undefined, true);
    if (RETRYABLE_CODES.has(code)) return new Transient(reason);
    const proxyStatus = route && /^Proxy response \((\d{3})\)/.exec(message)?.[1];
    if (route && proxyStatus) {
      const why = proxyStatus === '407' ? `; it wants credentials, given as http://user:password@host:port in ${route.variable}` : '';
      return new RunError(
        `The proxy ${route.shown} (from ${route.variable}) refused to connect to ${new URL(endpoint).host} ` +
          `(HTTP ${proxyStatus}${why}). ${proxyAdvice(route, new URL(endpoint))}`,
        { cause: error },
      );
    }
    const fix = route ? proxyAdvice(route, new URL(endpoint)) : 'Check your network and --api-url.';
    return new RunError(`Could not reach the backend at ${shown}${via}: ${reason}. ${fix}`, { cause: error });
  }

  /** `once`: the request must not reach the server twice; it is retried only when it surely did not. */
  async function call(what: string, payload: object, once = false): Promise<Record<string, unknown>> {
    for (let n = 1; ; n++) {
      try {
        const { status, json, headers } = await attempt(payload as Record<string, unknown>);
        if (!isAnswer(json)) {
          if (RETRYABLE_STATUS.has(status)) throw transientStatus(status, headers);
          throw new BackendError(`The backend at ${shown} answered ${what} with JSON that is ${jsonKind(json)}, not a mesibo answer. ${CHECK_URL}`);
        }
        if (json.result === true) return json;
        const failure = readFailure(json, redact);
        // A rejected App Token will not get better with retries, whatever the HTTP status says.
        if (!isTokenRejection(failure) && RETRYABLE_STATUS.has(status)) {
          const transient = transientStatus(status, headers);
          throw new Transient(`${transient.reason} (${failure.error ?? 'no error code'})`, transient.retryAfterMs, transient.notSent);
        }
        throw describeFailure(failure, what, shown, status);
      } catch (error) {
        if (!(error instanceof Transient)) throw error;
        if (once && !error.notSent) {
          throw new MaybeSentError(
            `The backend at ${shown} failed for ${what} after the request may have reached it (${error.reason}), ` +
              'so it may have been sent; it is not sent again, so that no one gets it twice.',
          );
        }
        if (n >= policy.maxAttempts) {
          const proxyNote = route ? ` Requests go${via}. ${proxyAdvice(route, new URL(endpoint))}` : '';
          throw new RunError(
            `The backend at ${shown} kept failing for ${what}: ${error.reason} (${n} attempts). ` +
              `It may be down or overloaded; try again in a few minutes.${proxyNote}`,
          );
        }
        if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
          throw new RunError(
            `The backend at ${shown} asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s before retrying ` +
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
      const issued = readIssued(await call(what, useraddBody(options.appToken, user)), redactor);
      const problem =
        'problem' in issued
          ? issued.problem
          : appTokenOnly.redact(issued.token) !== issued.token
            ? 'has a user.token that contains part of the App Token (never written to a file)'
            : undefined;
      if (problem) throw new BackendError(`The backend at ${shown} accepted ${what} but its answer ${problem}. ${CHECK_URL}`);
      return issued as UserAddResult;
    },
    async message(request) {
      const what = `message from ${JSON.stringify(request.from)} to ${request.to.length} ${request.to.length === 1 ? 'user' : 'users'}`;
      const sent = readMessageAnswer(await call(what, messageBody(options.appToken, request), true), redactor);
      if ('problem' in sent) throw new BackendError(`The backend at ${shown} accepted ${what} but its answer ${sent.problem}. ${CHECK_URL}`);
      return sent;
    },
    async close() {
      await ownAgent?.close();
    },
  };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
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
