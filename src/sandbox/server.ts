/**
 * The sandbox: a real HTTP server on 127.0.0.1 speaking the same JSON contract as mesibo's backend API,
 * so `--sandbox` exercises the very client and code paths a real run uses. Tokens have the real shape
 * (64 characters of [0-9A-Za-z]) but are known only to this process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sandbox {
  url: string;
  port: number;
  /** Requests handled, for tests and the standalone log. */
  readonly requests: number;
  /** Messages accepted by the `message` op, in order (the sandbox delivers nothing: it has no real-time server). */
  readonly messages: ReadonlyArray<SandboxMessage>;
  close(): Promise<void>;
}

export interface SandboxMessage {
  readonly mid: number;
  readonly from: string;
  readonly to: readonly string[];
  readonly message: string;
}

export interface SandboxOptions {
  port?: number;
  /** Called once per request, e.g. for the standalone server's log. */
  onRequest?: (op: string, ok: boolean) => void;
  /** Milliseconds added before each answer (the benchmark uses it to model a real network). */
  latencyMs?: number;
}

// Lower case and digits only: still the shape of mesibo's tokens (64 of [0-9A-Za-z]), but mesibo's real
// library (libmesibo 2.7, Python and C++) crashes in setAccessToken() on many tokens with upper-case letters
// that it did not issue, so a starter run with sandbox tokens would segfault instead of showing AUTHFAIL
// (test/python-sandbox-tokens.test.ts).
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const MAX_BODY = 64 * 1024;

/**
 * Math.random rather than node:crypto: a sandbox token opens nothing but this local server (gone when the
 * run ends, or when `sandbox` is stopped), so it needs to be unique, not unguessable; and loading
 * node:crypto is ~8 ms of a ~180 ms `--sandbox` run, which needs it for nothing else.
 */
export function sandboxToken(): string {
  let token = '';
  for (let i = 0; i < 64; i++) token += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return token;
}

type Answer = Record<string, unknown>;

function fail(op: unknown, error: string, cause: string, properties?: string[]): Answer {
  return { op, result: false, error, code: 400, cause, ...(properties ? { properties } : {}) };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const uids = new Map<string, number>();
  let nextUid = 1001;
  let requests = 0;
  const messages: SandboxMessage[] = [];

  /**
   * The `message` op as docs.mesibo.com/api/backend-api/messaging describes it: `from` must be an existing
   * user (here: one this sandbox created), `to` a comma-separated list; the answer carries the message id.
   */
  function message(op: unknown, body: Record<string, unknown>): Answer {
    const m = body.message as { from?: unknown; to?: unknown; message?: unknown } | undefined;
    if (typeof m?.from !== 'string' || m.from === '') return fail(op, 'MISSINGPARA', 'message.from is required', ['from']);
    if (typeof m.to !== 'string' || m.to === '') return fail(op, 'MISSINGPARA', 'message.to is required', ['to']);
    if (typeof m.message !== 'string') return fail(op, 'MISSINGPARA', 'message.message is required', ['message']);
    // The sandbox's own code (mesibo documents none for this case): the sender must be a user it created.
    if (!uids.has(m.from)) return fail(op, 'BADUSER', `message.from ${JSON.stringify(m.from)} is not a user of this sandbox`, ['from']);
    const mid = 1_000_000 + messages.length + 1;
    messages.push(Object.freeze({ mid, from: m.from, to: Object.freeze(m.to.split(',')), message: m.message }));
    return { op, result: true, mid };
  }

  function handle(body: Record<string, unknown>): Answer {
    const { op } = body;
    if (typeof body.token !== 'string' || body.token === '') return fail(op, 'AUTHFAIL', 'Invalid or expired app token');
    if (op === 'message') return message(op, body);
    if (op !== 'useradd') return fail(op, 'BADOP', `The sandbox supports only useradd and message, not ${String(op)}`);
    const user = body.user as { address?: unknown; name?: unknown; token?: { appid?: unknown; expiry?: unknown } };
    if (typeof user?.address !== 'string' || user.address === '') {
      return fail(op, 'MISSINGPARA', 'user.address is required', ['address']);
    }
    let uid = uids.get(user.address);
    if (uid === undefined) uids.set(user.address, (uid = nextUid++));
    const answer: Answer = { op, result: true, user: { uid: String(uid) } };
    if (user.token !== undefined) {
      if (typeof user.token.appid !== 'string' || user.token.appid === '') {
        return fail(op, 'MISSINGPARA', 'user.token.appid is required to issue a token', ['appid']);
      }
      (answer.user as Answer).token = sandboxToken();
    }
    if (body.id !== undefined) answer.id = body.id;
    return answer;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, answer: Answer) => {
      requests++;
      options.onRequest?.(String(answer.op ?? ''), answer.result === true);
      const reply = () => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      };
      if (options.latencyMs) setTimeout(reply, options.latencyMs);
      else reply();
    };
    if (req.method !== 'POST') return send(405, fail(undefined, 'BADREQUEST', 'POST a JSON body'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(400, fail(undefined, 'BADREQUEST', 'The body is not JSON'));
      }
      if (typeof body !== 'object' || body === null) return send(400, fail(undefined, 'BADREQUEST', 'Expected a JSON object'));
      send(200, handle(body as Record<string, unknown>));
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backend/`,
    port,
    get requests() {
      return requests;
    },
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
