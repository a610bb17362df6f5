/**
 * A page's side of the relay without a browser: what the benchmark and the tests connect as (N clients).
 * Speaks the frames described in relay.ts, as the browser script does: it acknowledges every message (the
 * sender sees DELIVERED) and, with `readReceipts`, reads it too (READ).
 */
import { WebSocket } from 'ws';
import { MESIBO_STATUS_ONLINE } from './relay';

export interface RelayMessage {
  readonly mid: number;
  readonly from: string;
  readonly text: string;
}

export interface RelayStatus {
  readonly mid: number;
  readonly peer: string;
  readonly status: number;
}

export interface RelayClient {
  /** The MESIBO_STATUS_* value the sandbox sent last (undefined before any). */
  readonly status: number | undefined;
  /** Sends `text` to `to`; returns the message id its statuses will carry. */
  send(to: string, text: string): number;
  onMessage(listener: (message: RelayMessage) => void): void;
  onStatus(listener: (status: RelayStatus) => void): void;
  /** Resolves when the socket is closed (by either side), with its close code. */
  readonly closed: Promise<number>;
  close(): void;
}

export interface RelayClientOptions {
  appid: string;
  token: string;
  /** The page origin sent in the handshake: the web starter's by default. */
  origin?: string;
  /** Host header to send (tests of the Host check); the relay URL's by default. */
  host?: string;
  readReceipts?: boolean;
  /** Listens from the first frame on: messages kept for this user arrive right after the ONLINE status. */
  onMessage?: (message: RelayMessage) => void;
}

let mids = 0;

/** Connects and says hello; resolves once the sandbox answered with a status (ONLINE or AUTHFAIL). */
export function connectRelay(sandbox: { relay: string; key?: { webPort: number } }, options: RelayClientOptions): Promise<RelayClient> {
  const origin = options.origin ?? `http://localhost:${sandbox.key?.webPort ?? 8080}`;
  const socket = new WebSocket(sandbox.relay, { origin, ...(options.host ? { headers: { host: options.host } } : {}) });
  const messageListeners: Array<(m: RelayMessage) => void> = options.onMessage ? [options.onMessage] : [];
  const statusListeners: Array<(s: RelayStatus) => void> = [];
  let status: number | undefined;
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const frame = (data: Record<string, unknown>) => socket.send(JSON.stringify(data));
  const client: RelayClient = {
    get status() {
      return status;
    },
    send(to, text) {
      const mid = Date.now() * 1000 + (mids++ % 1000);
      frame({ t: 'send', mid, to, text });
      return mid;
    },
    onMessage: (listener) => void messageListeners.push(listener),
    onStatus: (listener) => void statusListeners.push(listener),
    closed,
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.on('open', () => frame({ t: 'hello', appid: options.appid, token: options.token }));
    socket.on('unexpected-response', (_req, res) => reject(new Error(`the relay refused the connection: HTTP ${res.statusCode}`)));
    socket.on('error', reject);
    socket.on('message', (data) => {
      const f = JSON.parse(String(data)) as Record<string, any>;
      if (f.t === 'status') {
        status = f.status;
        resolve(client);
      } else if (f.t === 'msg') {
        frame({ t: 'ack', mid: f.mid, from: f.from });
        if (options.readReceipts) frame({ t: 'read', mid: f.mid, from: f.from });
        for (const l of messageListeners) l({ mid: f.mid, from: f.from, text: f.text });
      } else if (f.t === 'msgstatus') {
        for (const l of statusListeners) l({ mid: f.mid, peer: f.peer, status: f.status });
      }
    });
    closed.then(() => resolve(client));
  });
}

export { MESIBO_STATUS_ONLINE };
