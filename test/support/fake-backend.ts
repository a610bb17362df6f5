/**
 * A scriptable, fault-injecting stand-in for mesibo's backend API on 127.0.0.1. Each request takes the
 * next scripted behaviour (the last one repeats); every request body is recorded so tests can assert
 * exactly what the backend received.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fakeToken } from './render';

export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; status: number; body: string; contentType?: string }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number };

export interface FakeBackend {
  url: string;
  requests: Array<Record<string, any>>;
  /** Requests being answered right now, and the most ever at once. */
  peakInFlight: number;
  close(): Promise<void>;
}

export const TEST_APP_TOKEN = 'Tk9AppTokenSecretValue0123456789abcdefABCDEF0123456789abcdefXYZ1';

let uidCounter = 5000;

function okAnswer(body: Record<string, any>) {
  const address = body.user?.address ?? '';
  const appid = body.user?.token?.appid ?? '';
  return { op: 'useradd', result: true, user: { uid: uidCounter++, token: fakeToken(`fake:${address}`, appid) } };
}

export async function startFakeBackend(script: Behaviour[] = [{ kind: 'ok' }]): Promise<FakeBackend> {
  const requests: Array<Record<string, any>> = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let seen = 0;
  const state = { peakInFlight: 0 };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      requests.push(body);
      const behaviour = script[Math.min(seen++, script.length - 1)]!;
      inFlight++;
      state.peakInFlight = Math.max(state.peakInFlight, inFlight);
      const done = () => inFlight--;
      answer(behaviour, body, res, req.socket, done);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function answer(b: Behaviour, body: Record<string, any>, res: ServerResponse, socket: Socket, done: () => void) {
    switch (b.kind) {
      case 'ok':
        if (body.token !== TEST_APP_TOKEN) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ op: body.op, result: false, error: 'AUTHFAIL', cause: 'Invalid or expired app token' }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(okAnswer(body)));
        }
        return done();
      case 'json':
        res.writeHead(b.status, { 'content-type': 'application/json', ...b.headers });
        res.end(JSON.stringify(b.body));
        return done();
      case 'raw':
        res.writeHead(b.status, { 'content-type': b.contentType ?? 'text/html' });
        res.end(b.body);
        return done();
      case 'reset':
        socket.destroy();
        return done();
      case 'hang':
        return; // never answers; the client's timeout must fire
      case 'delay':
        setTimeout(() => answer({ kind: 'ok' }, body, res, socket, done), b.ms);
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/backend/`,
    requests,
    get peakInFlight() {
      return state.peakInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
