/**
 * Issue 12, case 8: a backend that sends its headers and then one byte a second used to keep a request
 * alive for ever (undici's bodyTimeout bounds only the wait between two chunks). Every attempt now has
 * an overall deadline, and running out of it is retried like any timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackendClient } from '../src/backend/client';
import { DEFAULT_RETRY } from '../src/backend/retry';
import { SECURITY_APP_TOKEN, startScriptedBackend, userToken, type ScriptedBackend } from './support/security-backend';

let backend: ScriptedBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const user = { address: '123', name: 'User 123', appId: 'com.example.chat', expiryMinutes: 60 };
const ok = { op: 'useradd', result: true, user: { uid: 5001, token: userToken('123') } };

describe('overall deadline', () => {
  it('ends a trickling answer at the deadline, retries it, then says so', async () => {
    backend = await startScriptedBackend(() => ({ body: ok, trickleMs: 100 }));
    const client = createBackendClient({
      endpoint: backend.url,
      appToken: SECURITY_APP_TOKEN,
      timeoutMs: 400,
      retry: { ...DEFAULT_RETRY, maxAttempts: 2 },
      sleep: async () => {},
    });
    const started = Date.now();
    const error = await client.useradd(user).catch((e: Error) => e);
    const elapsed = Date.now() - started;
    await client.close();
    expect((error as Error).message).toMatch(/kept failing for useradd .*TIMEOUT: no complete answer within 0\.4 s \(2 attempts\)/);
    expect(backend.requests).toHaveLength(2);
    // Two attempts of 0.4 s each (the trickle would take 10 s per answer), with slack for a busy machine.
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(4000);
  });

  it('a slow first answer does not fail a retry that is fast', async () => {
    backend = await startScriptedBackend((_body, i) => (i === 0 ? { body: ok, trickleMs: 200 } : { body: ok }));
    const retries: string[] = [];
    const client = createBackendClient({
      endpoint: backend.url,
      appToken: SECURITY_APP_TOKEN,
      timeoutMs: 300,
      sleep: async () => {},
      onRetry: ({ reason }) => retries.push(reason),
    });
    await expect(client.useradd(user)).resolves.toEqual({ uid: '5001', token: ok.user.token });
    await client.close();
    expect(retries).toEqual(['TIMEOUT: no complete answer within 0.3 s']);
  });

  it('Ctrl-C during a request is an interruption, not a timeout', async () => {
    backend = await startScriptedBackend(() => ({ body: ok, trickleMs: 1000 }));
    const abort = new AbortController();
    const client = createBackendClient({ endpoint: backend.url, appToken: SECURITY_APP_TOKEN, timeoutMs: 5000, signal: abort.signal });
    const interrupted = new Error('interrupted');
    setTimeout(() => abort.abort(interrupted), 100);
    await expect(client.useradd(user)).rejects.toBe(interrupted);
    await client.close();
  });
});
