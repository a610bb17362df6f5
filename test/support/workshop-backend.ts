/**
 * A fault-injecting stand-in for mesibo's backend API on 127.0.0.1, for the workshop tests. It speaks
 * the two ops the workshop uses, as docs.mesibo.com documents them:
 * - `useradd` (docs.mesibo.com/api/backend-api, "Add a User"): {op, token, user: {address, name,
 *   token: {appid, expiry}}} -> {op, result: true, user: {uid, token}}; one uid per address;
 * - `message` (docs.mesibo.com/api/backend-api/messaging): {op, token, message: {from, to, message}}
 *   -> {op, result: true, mid}.
 * A wrong App Token gets AUTHFAIL ("Invalid or expired app token", as mesibo words it). `fault` may
 * answer any request its own way; `hold` keeps a request unanswered (until `release()`), which is how
 * the SIGINT test catches a run mid-way. Every request body is recorded, and every useradd answered.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash } from 'node:crypto';

export const WORKSHOP_APP_TOKEN = 'wOrKsHoPaPpToKeN0123456789abcdefghijklmnopqrstuvwxyzABCDEF77';

export interface Reply {
  status: number;
  body: unknown;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export interface WorkshopBackendOptions {
  /** Answer this request yourself (a failure), or undefined for the normal answer. */
  fault?: (body: Record<string, any>) => Reply | undefined;
  /** Keep this request unanswered; `answered` is how many useradds were answered so far. */
  hold?: (body: Record<string, any>, answered: number) => boolean;
  /** Milliseconds before each answer. */
  latencyMs?: number;
}

export interface Issued {
  address: string;
  appid: string;
  uid: string;
  token: string;
  expiry: number;
}

export interface WorkshopBackend {
  url: string;
  /** Every request body, in arrival order. */
  requests: Array<Record<string, any>>;
  /** useradd requests answered with a token, in order. */
  issued: Issued[];
  /** message requests answered, in order. */
  messages: Array<{ from: string; to: string[]; message: string; token: string }>;
  /** Answers every held request now (normally). */
  release(): void;
  close(): Promise<void>;
}

/** A token of mesibo's shape (64 of [0-9a-z]: the real library accepts these, see src/sandbox/server.ts), distinct per seed. */
export function workshopToken(seed: string): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return [...createHash('sha512').update(seed).digest()].map((b) => alphabet[b % alphabet.length]).join('');
}

export async function startWorkshopBackend(options: WorkshopBackendOptions = {}): Promise<WorkshopBackend> {
  const requests: Array<Record<string, any>> = [];
  const issued: Issued[] = [];
  const messages: WorkshopBackend['messages'] = [];
  const uids = new Map<string, string>();
  const held: Array<() => void> = [];
  const sockets = new Set<Socket>();
  let tokenCounter = 0;

  const send = (res: ServerResponse, reply: Reply) => {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    };
    if (options.latencyMs) setTimeout(write, options.latencyMs);
    else write();
  };

  function answer(body: Record<string, any>): Reply {
    const op = body.op;
    if (body.token !== WORKSHOP_APP_TOKEN) return { status: 401, body: { op, result: false, error: 'AUTHFAIL', cause: 'Invalid or expired app token' } };
    if (op === 'message') {
      const m = body.message ?? {};
      messages.push({ from: m.from, to: String(m.to).split(','), message: m.message, token: body.token });
      return { status: 200, body: { op, result: true, mid: 1387628 + messages.length } };
    }
    if (op !== 'useradd') return { status: 400, body: { op, result: false, error: 'BADOP' } };
    const address = String(body.user?.address);
    const appid = String(body.user?.token?.appid);
    if (!uids.has(address)) uids.set(address, String(5001 + uids.size));
    const token = workshopToken(`${address}\u0000${appid}\u0000${++tokenCounter}`);
    issued.push({ address, appid, uid: uids.get(address)!, token, expiry: body.user?.token?.expiry });
    return { status: 200, body: { op, result: true, user: { uid: uids.get(address), token } } };
  }

  const server = createServer((req, res) => {
    // Not the backend API: a new workshop's one question whether a backend on this machine is a local sandbox
    // (src/backend/sandbox-probe.ts). mesibo's backend has no such script: 404, and not counted as a request.
    if (req.method === 'GET' && req.url === '/mesibo.js') return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // recorded as {}
      }
      requests.push(body);
      const go = () => send(res, options.fault?.(body) ?? answer(body));
      if (options.hold?.(body, issued.length)) held.push(go);
      else go();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backend/`,
    requests,
    issued,
    messages,
    release() {
      options.hold = undefined;
      for (const go of held.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** useradd requests as "address appid" strings, for set comparisons. */
export function useraddKeys(requests: Array<Record<string, any>>): string[] {
  return requests.filter((r) => r.op === 'useradd').map((r) => `${r.user.address} ${r.user.token.appid}`);
}
