/**
 * Hostile stand-ins for a backend and a proxy, on 127.0.0.1, for the security tests:
 * - `startScriptedBackend(answer)`: every request is answered by a function (any status, headers and
 *   raw body, or a trickle of one byte at a time), and its parsed body recorded;
 * - `startProxy()`: a real HTTP proxy implementing CONNECT (what undici's ProxyAgent uses, for http and
 *   https endpoints alike) that records every tunnel it opened and sends each to `target`, whatever host
 *   was asked for, so an endpoint such as http://backend.test/ can only be reached through it.
 * The request contract is mesibo's useradd (docs.mesibo.com backend API: POST JSON {op, token, user}).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createHash } from 'node:crypto';

/** An App Token for these tests (mesibo's console shows a long [0-9a-z] string; the exact shape is not checked). */
export const SECURITY_APP_TOKEN = 'sEcUrItYaPpToKeN0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH42';

/** A user token of mesibo's shape (64 characters of [0-9A-Za-z]), distinct per seed. */
export function userToken(seed: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return [...createHash('sha512').update(seed).digest()].map((b) => alphabet[b % alphabet.length]).join('');
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as it is; objects are JSON-encoded. */
  body?: unknown;
  /** Send headers, then the body one byte every `trickleMs` (a backend that never quite finishes). */
  trickleMs?: number;
  /** Close the connection without an answer. */
  reset?: boolean;
}

export interface ScriptedBackend {
  url: string;
  port: number;
  requests: Array<Record<string, any>>;
  close(): Promise<void>;
}

function track(server: ReturnType<typeof createServer>): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function closer(server: ReturnType<typeof createServer>, sockets: Set<Socket>, timers: Set<NodeJS.Timeout>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

export async function startScriptedBackend(
  answer: (body: Record<string, any>, index: number) => Reply | Promise<Reply>,
): Promise<ScriptedBackend> {
  const requests: Array<Record<string, any>> = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // recorded as {}
      }
      const index = requests.push(body) - 1;
      const reply = await answer(body, index);
      if (reply.reset) return req.socket.destroy();
      const raw = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      try {
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      } catch (error) {
        // A header Node refuses to send is a bug of the test's script, not of the client: make it loud.
        return res.writeHead(599).end(`test backend: ${(error as Error).message}`);
      }
      if (!reply.trickleMs) return res.end(raw);
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        res.write(raw[at % raw.length]!);
        at++;
      }, reply.trickleMs);
      timers.add(timer);
    });
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/backend/`, port, requests, close: closer(server, sockets, timers) };
}

export interface TestProxy {
  url: string;
  port: number;
  /** `host:port` of every CONNECT, and the Proxy-Authorization header it carried. */
  tunnels: Array<{ target: string; authorization?: string }>;
  close(): Promise<void>;
}

/** A CONNECT proxy that sends every tunnel to 127.0.0.1:`targetPort` (or answers `refuse` to each). */
export async function startProxy(targetPort: number, options: { refuse?: number } = {}): Promise<TestProxy> {
  const tunnels: TestProxy['tunnels'] = [];
  const server = createServer((_req, res) => {
    res.writeHead(405).end('this test proxy only tunnels');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push({ target: req.url ?? '', authorization: req.headers['proxy-authorization'] });
    if (options.refuse) {
      client.end(`HTTP/1.1 ${options.refuse} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });
  const sockets = track(server);
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, tunnels, close: closer(server, sockets, new Set()) };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every substring of `secret` with `length` characters: what must never be printed. */
export function fragments(secret: string, length = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i + length <= secret.length; i++) out.push(secret.slice(i, i + length));
  return out;
}

/** The first fragment of any secret that `text` contains, or undefined. */
export function leakedFragment(text: string, secrets: string[], length = 8): string | undefined {
  for (const secret of secrets) for (const f of fragments(secret, length)) if (text.includes(f)) return f;
  return undefined;
}
