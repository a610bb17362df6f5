/**
 * Issue 19, bug 4: a proxy that closes the connection on CONNECT. Each closed tunnel is one failed
 * attempt, under the same attempt limit and deadline as any other failure: the run ends with a clear
 * error naming the proxy, after at most maxAttempts CONNECTs (before the fix: 114,331 in 40 s). The proxy
 * here is a bare TCP server on 127.0.0.1 that counts every CONNECT line it receives, then hangs up.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackendClient } from '../src/backend/client';
import { Redactor } from '../src/output/redact';
import { SECURITY_APP_TOKEN } from './support/security-backend';

interface ClosingProxy {
  url: string;
  connects: () => number;
  close(): Promise<void>;
}

/** Answers nothing: reads the CONNECT request line, counts it, closes (or resets) the socket. */
async function closingProxy(how: 'end' | 'reset' | 'garbage'): Promise<ClosingProxy> {
  let connects = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (chunk) => {
      if (chunk.toString('latin1').startsWith('CONNECT ')) connects++;
      if (how === 'end') socket.end();
      else if (how === 'reset') socket.resetAndDestroy();
      else socket.end('this is not HTTP\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects: () => connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let proxy: ClosingProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const user = { address: '123', name: 'User 123', appId: 'com.example.chat', expiryMinutes: 60 };

describe('a proxy that closes the connection on CONNECT', () => {
  it.each(['end', 'reset', 'garbage'] as const)('(%s): the run stops after the attempt limit, each CONNECT one attempt', async (how) => {
    proxy = await closingProxy(how);
    const retries: number[] = [];
    const client = createBackendClient({
      endpoint: 'https://backend.test/backend/',
      appToken: SECURITY_APP_TOKEN,
      redactor: new Redactor(),
      env: { HTTPS_PROXY: proxy.url },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1000 },
      timeoutMs: 5000,
      sleep: async () => {},
      onRetry: (r) => retries.push(r.attempt),
    });
    // A guard, not a timing assertion: a run that loops forever fails here instead of hanging the suite.
    const guard = new Promise<Error>((resolve) => setTimeout(() => resolve(new Error('still retrying after 30 s')), 30_000).unref());
    const result = await Promise.race([client.useradd(user).then(() => new Error('no error'), (e: Error) => e), guard]);
    await client.close();
    expect(result.message).not.toBe('still retrying after 30 s');
    expect(result.message).toMatch(/kept failing for useradd for user "123" .*\(3 attempts\)/);
    expect(result.message).toContain(`through the proxy ${proxy.url}/ (from HTTPS_PROXY)`);
    expect(retries).toEqual([1, 2]);
    expect(proxy.connects()).toBeGreaterThanOrEqual(1);
    expect(proxy.connects()).toBeLessThanOrEqual(3);
  }, 60_000);
});
