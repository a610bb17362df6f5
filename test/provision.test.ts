import { afterEach, describe, expect, it } from 'vitest';
import { createBackendClient } from '../src/backend/client';
import { provision } from '../src/provision';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';

let fake: FakeBackend | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const users = Array.from({ length: 20 }, (_, i) => ({ address: `u${i}`, name: `User u${i}` }));

describe('provision', () => {
  it('makes one request per distinct (address, appid) pair, never more than `concurrency` at once', async () => {
    fake = await startFakeBackend([{ kind: 'delay', ms: 20 }]);
    const client = createBackendClient({ endpoint: fake.url, appToken: TEST_APP_TOKEN });
    const progress: number[] = [];
    const result = await provision(
      client,
      {
        platforms: [{ id: 'android', appId: 'a.b' }, { id: 'ios', appId: 'a.b' }, { id: 'web', appId: 'web-app' }],
        users,
        tokenExpiryMinutes: 5,
      },
      { concurrency: 4, onProgress: (done) => progress.push(done) },
    );
    await client.close();
    expect(fake.requests).toHaveLength(40);
    expect(new Set(fake.requests.map((r) => `${r.user.address}/${r.user.token.appid}`)).size).toBe(40);
    expect(fake.peakInFlight).toBeLessThanOrEqual(4);
    expect(fake.peakInFlight).toBeGreaterThan(1);
    expect([...result.keys()].sort()).toEqual(['a.b', 'web-app']);
    expect(result.get('web-app')!.size).toBe(20);
    expect(progress.at(-1)).toBe(40);
  });

  it('stops starting requests after the first failure and reports it', async () => {
    fake = await startFakeBackend([
      { kind: 'delay', ms: 10 },
      { kind: 'json', status: 200, body: { op: 'useradd', result: false, error: 'AUTHFAIL' } },
    ]);
    const client = createBackendClient({ endpoint: fake.url, appToken: TEST_APP_TOKEN });
    await expect(
      provision(client, { platforms: [{ id: 'web', appId: 'w' }], users, tokenExpiryMinutes: 5 }, { concurrency: 2 }),
    ).rejects.toThrow(/App Token/);
    await client.close();
    expect(fake.requests.length).toBeLessThan(users.length);
  });
});
