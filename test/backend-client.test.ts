/** The backend client against a fault-injecting fake on loopback, with an injected clock for backoff. */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackendClient, type BackendClientOptions } from '../src/backend/client';
import { backoffDelay, parseRetryAfter, DEFAULT_RETRY } from '../src/backend/retry';
import { RunError } from '../src/errors';
import { startFakeBackend, TEST_APP_TOKEN, type Behaviour, type FakeBackend } from './support/fake-backend';

let fake: FakeBackend | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const user = { address: '123', name: 'User 123', appId: 'com.example.chat', expiryMinutes: 60 };

async function clientFor(script: Behaviour[], extra: Partial<BackendClientOptions> = {}) {
  fake = await startFakeBackend(script);
  const sleeps: number[] = [];
  const client = createBackendClient({
    endpoint: fake.url,
    appToken: TEST_APP_TOKEN,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    timeoutMs: 500,
    ...extra,
  });
  return { client, sleeps, fake };
}

async function failure(promise: Promise<unknown>): Promise<RunError> {
  try {
    await promise;
  } catch (error) {
    return error as RunError;
  }
  throw new Error('expected a failure');
}

describe('useradd', () => {
  it('sends the documented JSON body and returns uid and token', async () => {
    const { client, fake } = await clientFor([{ kind: 'ok' }]);
    const issued = await client.useradd(user);
    expect(fake.requests).toEqual([
      { op: 'useradd', token: TEST_APP_TOKEN, user: { address: '123', name: 'User 123', token: { appid: 'com.example.chat', expiry: 60, v2: true } } },
    ]);
    expect(issued.token).toMatch(/^[0-9A-Za-z]{64}$/);
    expect(typeof issued.uid).toBe('string'); // the fake answers a number; it is normalised
    await client.close();
  });

  it.each([200, 401])('AUTHFAIL with HTTP %i says the App Token was rejected, without retrying', async (status) => {
    const { client, fake, sleeps } = await clientFor([
      { kind: 'json', status, body: { op: 'useradd', result: false, error: 'AUTHFAIL', code: 401, cause: 'Invalid or expired app token' } },
    ]);
    const error = await failure(client.useradd(user));
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/rejected the App Token: AUTHFAIL \(Invalid or expired app token\)/);
    expect(error.message).toMatch(/not a user access token/);
    expect(error.message).not.toContain(TEST_APP_TOKEN);
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('INVALIDTOKEN (the older name) means the same', async () => {
    const { client } = await clientFor([{ kind: 'json', status: 200, body: { op: 'useradd', result: false, error: 'INVALIDTOKEN' } }]);
    expect((await failure(client.useradd(user))).message).toMatch(/rejected the App Token: INVALIDTOKEN/);
  });

  it('retries 503 twice, then succeeds', async () => {
    const busy: Behaviour = { kind: 'raw', status: 503, body: 'busy' };
    const { client, fake, sleeps } = await clientFor([busy, busy, { kind: 'ok' }]);
    await expect(client.useradd(user)).resolves.toMatchObject({ token: expect.any(String) });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([backoffDelay(DEFAULT_RETRY, 1, () => 0.5), backoffDelay(DEFAULT_RETRY, 2, () => 0.5)]);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]!);
  });

  it('retries a connection reset', async () => {
    const { client, fake } = await clientFor([{ kind: 'reset' }, { kind: 'ok' }]);
    await expect(client.useradd(user)).resolves.toBeDefined();
    expect(fake.requests).toHaveLength(2);
  });

  it('honours Retry-After on 429 when it is longer than the backoff', async () => {
    const { client, sleeps } = await clientFor([
      { kind: 'json', status: 429, body: { result: false, error: 'RATELIMIT' }, headers: { 'retry-after': '3' } },
      { kind: 'ok' },
    ]);
    await client.useradd(user);
    expect(sleeps).toEqual([3000]);
  });

  it('gives up on a Retry-After longer than a minute, saying how long was asked', async () => {
    const { client } = await clientFor([{ kind: 'json', status: 429, body: {}, headers: { 'retry-after': '600' } }]);
    expect((await failure(client.useradd(user))).message).toMatch(/asked to wait 600 s/);
  });

  it('times out a hanging request and retries, then reports the endpoint', async () => {
    const { client, fake } = await clientFor([{ kind: 'hang' }], { timeoutMs: 150, retry: { ...DEFAULT_RETRY, maxAttempts: 2 } });
    const error = await failure(client.useradd(user));
    expect(error.message).toMatch(/kept failing .*TIMEOUT.*\(2 attempts\)/);
    expect(error.message).toContain(fake.url);
    expect(fake.requests).toHaveLength(2);
  });

  it('reports a body that is not JSON with the endpoint and HTTP status, without retrying a 200', async () => {
    const { client, fake } = await clientFor([{ kind: 'raw', status: 200, body: '<html>proxy login</html>' }]);
    const error = await failure(client.useradd(user));
    expect(error.message).toMatch(/answered HTTP 200 with a body that is not JSON \(text\/html/);
    expect(error.message).toContain(fake.url);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops after the bounded number of attempts on persistent 5xx', async () => {
    const { client, fake } = await clientFor([{ kind: 'raw', status: 502, body: 'bad gateway' }]);
    const error = await failure(client.useradd(user));
    expect(error.message).toMatch(/kept failing .*HTTP 502 \(5 attempts\)/);
    expect(fake.requests).toHaveLength(DEFAULT_RETRY.maxAttempts);
  });

  it('does not retry other mesibo errors and names the fields', async () => {
    const { client, fake } = await clientFor([
      { kind: 'json', status: 400, body: { op: 'useradd', result: false, error: 'MISSINGPARA', cause: 'address missing', properties: ['address'] } },
    ]);
    const error = await failure(client.useradd(user));
    expect(error.message).toMatch(/refused useradd for user "123" \(appid "com.example.chat"\): MISSINGPARA \(address missing\) \(HTTP 400\)\. Fields: address\./);
    expect(fake.requests).toHaveLength(1);
  });

  it('a refused connection is retried and then explained', async () => {
    const client = createBackendClient({
      endpoint: 'http://127.0.0.1:9/backend/',
      appToken: TEST_APP_TOKEN,
      sleep: async () => {},
      retry: { ...DEFAULT_RETRY, maxAttempts: 2 },
    });
    expect((await failure(client.useradd(user))).message).toMatch(/kept failing .*ECONNREFUSED/);
  });

  it('success without user.token is an error, not an empty token', async () => {
    const { client } = await clientFor([{ kind: 'json', status: 200, body: { op: 'useradd', result: true, user: { uid: 1 } } }]);
    expect((await failure(client.useradd(user))).message).toMatch(/accepted useradd .* but its answer has no user\.token/);
  });
});

describe('retry policy', () => {
  it('backs off exponentially with jitter up to the cap', () => {
    const delays = [1, 2, 3, 10].map((n) => backoffDelay(DEFAULT_RETRY, n, () => 1));
    expect(delays).toEqual([300, 600, 1200, DEFAULT_RETRY.maxDelayMs]);
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 0)).toBe(150);
  });
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
