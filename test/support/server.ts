/**
 * For the token-server tests: the generated server started with `npm start` as a user would, and a
 * counting relay in front of the sandbox backend that records every request the server sends (and can
 * be told to hang, as a backend that accepts a connection and never answers).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execa, type ResultPromise } from 'execa';

export interface CountingBackend {
  url: string;
  /** Every JSON body received, in order. */
  readonly received: Array<Record<string, any>>;
  hang: boolean;
  close(): Promise<void>;
}

/** Forwards each POST to `target` (the sandbox's backend URL) unless `hang` is set, and records its body. */
export async function countingBackend(target: string): Promise<CountingBackend> {
  const received: Array<Record<string, any>> = [];
  const state = { hang: false };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        received.push(JSON.parse(body.toString('utf8')));
      } catch {
        received.push({ unreadable: body.toString('utf8') });
      }
      if (state.hang) return; // accepted, never answered
      const upstream = httpRequest(target, { method: 'POST', headers: { 'content-type': 'application/json' } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/backend/`,
    received,
    get hang() {
      return state.hang;
    },
    set hang(value: boolean) {
      state.hang = value;
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

export interface RunningServer {
  url: string;
  /** Every line it printed so far, stdout and stderr. */
  readonly lines: string[];
  stop(): Promise<void>;
}

/** `npm start` in the generated server folder, on a free loopback port; resolves once it listens. */
export async function startTokenServer(serverDir: string, env: Record<string, string>): Promise<RunningServer> {
  const lines: string[] = [];
  // Its own process group, so stopping it stops npm's children (sh, tsx, node) too.
  const child: ResultPromise = execa('npm', ['start', '--silent'], {
    cwd: serverDir,
    extendEnv: false,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', ...env },
    stdin: 'ignore',
    buffer: false,
    reject: false,
    detached: true,
  });
  const url = await new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(line);
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) resolve(match[1]!);
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    void child.then(() => reject(new Error(`the token server exited before it listened:\n${lines.join('\n')}`)));
  });
  return {
    url,
    lines,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      await child;
    },
  };
}
