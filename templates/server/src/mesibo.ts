/**
 * mesibo's backend API, one operation: useradd, which creates a user (or finds the existing one) and
 * issues an access token for an appid. POST <apiUrl> with a JSON body; the App Token travels in that body,
 * to that URL only, and is never logged.
 *
 * Field names from mesibo's own sample, mesibo/samples backend-api/php/mesiboapi.php (MesiboAPI adds
 * `token`; MesiboAddUser sends op "useradd" and user { name, address, token { appid, expiry, v2 } }); the
 * answer's `result`, `user.uid`, `user.token`, `error` and `cause` are mesibo's documented backend answer.
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import { isLoopback } from './config.ts';

export interface Issued {
  uid: string;
  token: string;
}

/** The backend failed (an error answer, or an answer that is not one): the server answers 502. */
export class BackendFailure extends Error {}
/** The deadline passed before the backend answered: the server answers 504. */
export class BackendTimeout extends Error {}

export interface BackendOptions {
  apiUrl: string;
  appToken: string;
  deadlineMs: number;
  /** Attempts in all (network errors, 5xx and 429 are retried with backoff, within the deadline). */
  attempts?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const MAX_ANSWER_BYTES = 64 * 1024;

export function mesiboBackend(options: BackendOptions) {
  const { apiUrl, appToken, deadlineMs } = options;
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? abortableSleep;
  // HTTPS_PROXY / HTTP_PROXY / NO_PROXY as the environment says, except for this machine (a local sandbox).
  const dispatcher: Dispatcher = isLoopback(new URL(apiUrl).hostname) ? new Agent() : new EnvHttpProxyAgent();

  async function useradd(address: string, appid: string, expiryMinutes: number): Promise<Issued> {
    const body = JSON.stringify({ op: 'useradd', token: appToken, user: { address, token: { appid, expiry: expiryMinutes, v2: true } } });
    const signal = AbortSignal.timeout(deadlineMs);
    let last = 'no attempt was made';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let status: number;
      let text: string;
      let retryAfter: string | undefined;
      try {
        const response = await request(apiUrl, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json' },
          dispatcher,
          signal,
        });
        status = response.statusCode;
        retryAfter = header(response.headers['retry-after']);
        text = await readLimited(response.body);
      } catch (error) {
        if (signal.aborted) throw new BackendTimeout(`mesibo's backend did not answer within ${deadlineMs} ms`);
        if (error instanceof BackendFailure) throw error;
        // A network failure (refused, reset, DNS): worth another try.
        last = `could not reach the backend (${(error as { code?: string }).code ?? 'network error'})`;
        await backoff(attempt, undefined, signal);
        continue;
      }
      if (RETRY_STATUS.has(status)) {
        last = `the backend answered HTTP ${status}`;
        await backoff(attempt, retryAfter, signal);
        continue;
      }
      return readAnswer(status, text);
    }
    throw new BackendFailure(`${last}, ${attempts} times`);
  }

  /** Capped exponential backoff with jitter; Retry-After when longer; never past the deadline. */
  async function backoff(attempt: number, retryAfter: string | undefined, signal: AbortSignal): Promise<void> {
    if (attempt >= attempts) return;
    const base = Math.min(4_000, 250 * 2 ** (attempt - 1));
    const asked = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 0;
    try {
      await sleep(Math.max(base / 2 + Math.random() * (base / 2), asked), signal);
    } catch {
      throw new BackendTimeout(`mesibo's backend did not answer within ${deadlineMs} ms`);
    }
  }

  return { useradd, close: () => dispatcher.close() };
}

export type Backend = ReturnType<typeof mesiboBackend>;

/**
 * Only the fields we use, checked; the backend's own words are not passed on to callers (they are logged,
 * through the redacting logger, by the route).
 */
function readAnswer(status: number, text: string): Issued {
  let answer: { result?: unknown; error?: unknown; user?: { uid?: unknown; token?: unknown } };
  try {
    answer = JSON.parse(text);
  } catch {
    throw new BackendFailure(`the backend answered HTTP ${status} with a body that is not JSON`);
  }
  if (answer?.result !== true) {
    const code = typeof answer?.error === 'string' && /^[A-Z_]{1,32}$/.test(answer.error) ? answer.error : 'no error code';
    throw new BackendFailure(`the backend refused useradd (HTTP ${status}, ${code})`);
  }
  const uid = answer.user?.uid;
  const token = answer.user?.token;
  if ((typeof uid !== 'string' && typeof uid !== 'number') || typeof token !== 'string' || !/^[0-9A-Za-z]{16,512}$/.test(token)) {
    throw new BackendFailure('the backend answered useradd without a uid and token');
  }
  return { uid: String(uid), token };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      body.destroy();
      throw new BackendFailure('the backend answered with more than 64 KB');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
