/**
 * The sandbox: a real HTTP server on 127.0.0.1, a local emulator of mesibo for the web starter. It serves
 *   - the backend API: POST JSON as mesibo's backend API takes it (useradd, message), so `--sandbox` exercises
 *     the very client and code paths a real run uses; and `GET …/api.php?op=…`, mesibo's older query form;
 *   - `GET /mesibo.js`: the browser script, the part of mesibo's JavaScript API the web starter uses;
 *   - `/relay`: the WebSocket relay that carries messages between pages (relay.ts).
 * Tokens have mesibo's shape and are signed with the project's key (tokens.ts), so every later run of this
 * project accepts them, and no other project's.
 *
 * Only this machine, only this starter: it listens on 127.0.0.1; every request must name it in Host (127.0.0.1
 * or localhost, at its port: anything else is another site's name, DNS rebinding); a WebSocket is accepted only
 * from the web starter's own origins; the backend API refuses any browser request (one with an Origin) and,
 * given an App Token (the standalone sandbox's, from .mesibo-sandbox.json), every request without it.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { browserScript } from './browser-script';
import { newSandboxKey, type SandboxKey } from './key-file';
import { legacyQueryToBody } from './legacy-form';
import { createRelay, type Relay, type RelayEvent } from './relay';
import { issueToken } from './tokens';

/** A token of the sandbox's shape, signed with a throw-away key (tests of what real libraries do with one). */
export function sandboxToken(): string {
  return issueToken(newSandboxKey(), 'com.example.sandbox', 'sandbox', new Date(Date.now() + 3_600_000));
}

export interface Sandbox {
  url: string;
  port: number;
  /** The browser script's URL, as a page loads it. */
  script: string;
  /** The WebSocket relay's URL. */
  relay: string;
  /** The key its tokens are signed with (the project's, or a fresh one kept in memory). */
  key: SandboxKey;
  /** Requests handled, for tests and the standalone log. */
  readonly requests: number;
  /** Messages accepted by the `message` op, in order (each also delivered through the relay). */
  readonly messages: ReadonlyArray<SandboxMessage>;
  /** The relay's state, for tests and the benchmark. */
  readonly live: Relay;
  /** A token as the backend API would issue it (tests and the benchmark; the user is added to the key). */
  issue(appId: string, address: string, expiryMinutes?: number): string;
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
  /** The project's key (.mesibo-sandbox.json); a fresh in-memory one when absent. */
  key?: SandboxKey;
  /** When set, the backend API accepts this App Token only. */
  appToken?: string;
  /** Web ports whose origins may open the relay (http://localhost:<p>, http://127.0.0.1:<p>); default the key's. */
  webPorts?: readonly number[];
  /** The project folder (the standalone sandbox's): told, with the App Token, to a workshop made against it. */
  project?: string;
  /** Called once per backend request, e.g. for the standalone server's log. */
  onRequest?: (op: string, ok: boolean) => void;
  /** Called after the backend API added users to the key: the standalone sandbox saves the key file. */
  onUsersAdded?: (key: SandboxKey) => void;
  /** Called when a page signs in or is refused (the standalone sandbox's log). */
  onRelay?: (event: RelayEvent) => void;
  /** Milliseconds added before each backend answer (the benchmark uses it to model a real network). */
  latencyMs?: number;
}

const MAX_BODY = 64 * 1024;
const DEFAULT_EXPIRY_MINUTES = 525600;

type Answer = Record<string, unknown>;

function fail(op: unknown, error: string, cause: string, properties?: string[]): Answer {
  return { op, result: false, error, code: 400, cause, ...(properties ? { properties } : {}) };
}

/** The request's URL, or undefined when it cannot be read as one (never a crash of the server). */
function urlOf(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://sandbox');
  } catch {
    return undefined;
  }
}

function sameSecret(given: unknown, secret: string): boolean {
  return typeof given === 'string' && given.length === secret.length && timingSafeEqual(Buffer.from(given), Buffer.from(secret));
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const key = options.key ?? newSandboxKey();
  const relay = createRelay(key, options.onRelay);
  let nextUid = 1001 + key.users.size;
  let requests = 0;
  const messages: SandboxMessage[] = [];

  function addUser(address: string): string {
    let user = key.users.get(address);
    if (user === undefined) {
      while ([...key.users.values()].some((u) => u.uid === String(nextUid))) nextUid++;
      key.users.set(address, (user = { uid: String(nextUid++) }));
      relay.usersChanged();
    }
    return user.uid;
  }

  function issue(appId: string, address: string, expiryMinutes = DEFAULT_EXPIRY_MINUTES): string {
    addUser(address);
    return issueToken(key, appId, address, new Date(Date.now() + expiryMinutes * 60_000));
  }

  /**
   * The `message` op as docs.mesibo.com/api/backend-api/messaging describes it: `from` must be an existing
   * user (here: one this project's sandbox created), `to` a comma-separated list; the answer carries the
   * message id. Delivered into the recipients' pages, or kept for them until they open one.
   */
  function message(op: unknown, body: Record<string, unknown>): Answer {
    const m = body.message as { from?: unknown; to?: unknown; message?: unknown } | undefined;
    if (typeof m?.from !== 'string' || m.from === '') return fail(op, 'MISSINGPARA', 'message.from is required', ['from']);
    if (typeof m.to !== 'string' || m.to === '') return fail(op, 'MISSINGPARA', 'message.to is required', ['to']);
    if (typeof m.message !== 'string') return fail(op, 'MISSINGPARA', 'message.message is required', ['message']);
    // The sandbox's own code (mesibo documents none for this case): the sender must be a user it created.
    if (!key.users.has(m.from)) return fail(op, 'BADUSER', `message.from ${JSON.stringify(m.from)} is not a user of this sandbox`, ['from']);
    const mid = 1_000_000 + messages.length + 1;
    const to = Object.freeze(m.to.split(','));
    messages.push(Object.freeze({ mid, from: m.from, to, message: m.message }));
    relay.post(m.from, to, m.message);
    return { op, result: true, mid };
  }

  function handle(body: Record<string, unknown>): Answer {
    const { op } = body;
    if (typeof body.token !== 'string' || body.token === '') return fail(op, 'AUTHFAIL', 'Invalid or expired app token');
    if (options.appToken !== undefined && !sameSecret(body.token, options.appToken)) {
      return fail(op, 'AUTHFAIL', "Invalid app token: this sandbox takes only the App Token in its project's .mesibo-sandbox.json");
    }
    if (op === 'message') return message(op, body);
    // The sandbox's own op, not mesibo's: a workshop made against this sandbox asks where its project is, so that
    // its seats can print the command that starts this sandbox again (src/backend/sandbox-probe.ts).
    if (op === 'sandbox' && options.project !== undefined) return { op, result: true, project: options.project };
    if (op !== 'useradd') return fail(op, 'BADOP', `The sandbox supports only useradd and message (and its own sandbox op), not ${String(op)}`);
    const user = body.user as { address?: unknown; name?: unknown; token?: { appid?: unknown; expiry?: unknown } };
    if (typeof user?.address !== 'string' || user.address === '') {
      return fail(op, 'MISSINGPARA', 'user.address is required', ['address']);
    }
    const known = key.users.size;
    const answer: Answer = { op, result: true, user: { uid: addUser(user.address) } };
    if (user.token !== undefined) {
      if (typeof user.token.appid !== 'string' || user.token.appid === '') {
        return fail(op, 'MISSINGPARA', 'user.token.appid is required to issue a token', ['appid']);
      }
      const expiry = Number(user.token.expiry);
      (answer.user as Answer).token = issue(user.token.appid, user.address, Number.isFinite(expiry) && expiry > 0 ? expiry : DEFAULT_EXPIRY_MINUTES);
    }
    if (key.users.size !== known) options.onUsersAdded?.(key);
    if (body.id !== undefined) answer.id = body.id;
    return answer;
  }

  let hosts = new Set<string>();
  const origins = new Set((options.webPorts ?? [key.webPort]).flatMap((p) => [`http://localhost:${p}`, `http://127.0.0.1:${p}`]));
  // `ws` loads on the first page that connects: create's and refresh's in-process sandbox never needs it.
  let sockets: Promise<WebSocketServer> | undefined;

  const text = (res: ServerResponse, status: number, body: string) =>
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`${body}\n`);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!hosts.has(req.headers.host ?? '')) return text(res, 421, 'This is a local sandbox: reach it as 127.0.0.1 or localhost.');
    const url = urlOf(req);
    if (!url) return text(res, 400, 'Bad request');
    if (req.method === 'GET' && url.pathname === '/mesibo.js') {
      res.writeHead(200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-store',
        // Loaded by the web starter's page, another origin: a plain <script>, nothing secret in it.
        'cross-origin-resource-policy': 'cross-origin',
        'x-content-type-options': 'nosniff',
      });
      return res.end(browserScript(`ws://${req.headers.host}/relay`));
    }
    const send = (status: number, answer: Answer) => {
      requests++;
      options.onRequest?.(String(answer.op ?? ''), answer.result === true);
      const reply = () => res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(answer));
      if (options.latencyMs) setTimeout(reply, options.latencyMs);
      else reply();
    };
    // No page may use the backend API: a browser always sends Origin on a POST, and mesibo's clients send none.
    if (req.headers.origin !== undefined) return send(403, fail(undefined, 'BADREQUEST', 'The sandbox backend API takes no requests from web pages'));
    // mesibo's older GET form (…/api.php?op=…), read into the same body and answered by the same code.
    if (req.method === 'GET' && url.pathname.endsWith('/api.php')) return send(200, handle(legacyQueryToBody(url.searchParams)));
    if (req.method !== 'POST') return send(405, fail(undefined, 'BADREQUEST', 'POST a JSON body, or GET …/api.php?op=…'));
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

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.on('error', () => socket.destroy());
    if (!hosts.has(req.headers.host ?? '')) return refuse('421 Misdirected Request');
    if (urlOf(req)?.pathname !== '/relay') return refuse('404 Not Found');
    if (!origins.has(req.headers.origin ?? '')) return refuse('403 Forbidden');
    sockets ??= import('ws').then(({ WebSocketServer }) => new WebSocketServer({ noServer: true, maxPayload: 2 * MAX_BODY }));
    sockets.then(
      (wss) => wss.handleUpgrade(req, socket, head, (ws) => relay.accept(ws)),
      () => refuse('500 Internal Server Error'),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/backend/`,
    port,
    script: `http://127.0.0.1:${port}/mesibo.js`,
    relay: `ws://127.0.0.1:${port}/relay`,
    key,
    get requests() {
      return requests;
    },
    messages,
    live: relay,
    issue,
    close: () =>
      new Promise<void>((resolve) => {
        relay.close();
        void sockets?.then((wss) => wss.close());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
