/**
 * Issue 12, case 7: when user k of n fails, the error says exactly which users now exist on mesibo's
 * server (address and uid, per appid) and which do not, as words and as data for --json, and keeps the
 * real cause: an AUTHFAIL after some successes means the App Token was accepted, then rejected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackendClient } from '../src/backend/client';
import { provision, ProvisionError } from '../src/provision';
import { SECURITY_APP_TOKEN, startScriptedBackend, userToken, type Reply, type ScriptedBackend } from './support/security-backend';

let backend: ScriptedBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const users = Array.from({ length: 10 }, (_, i) => ({ address: `u${i + 1}`, name: `User u${i + 1}` }));
const issued = (body: Record<string, any>): Reply => ({
  body: { op: 'useradd', result: true, user: { uid: 5000 + Number(body.user.address.slice(1)), token: userToken(body.user.address + body.user.token.appid) } },
});

/** Provisions `users` for `appIds`, one request at a time, the backend answering request i with `script(i)`. */
async function provisionAgainst(script: (body: Record<string, any>, i: number) => Reply, appIds = ['com.example.chat']) {
  backend = await startScriptedBackend(script);
  const client = createBackendClient({ endpoint: backend.url, appToken: SECURITY_APP_TOKEN, sleep: async () => {}, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
  try {
    const platforms = appIds.map((appId, i) => ({ id: (['android', 'web'] as const)[i]!, appId }));
    await provision(client, { platforms, users, tokenExpiryMinutes: 60 }, { concurrency: 1 });
    throw new Error('expected a failure');
  } catch (error) {
    return error as ProvisionError;
  } finally {
    await client.close();
  }
}

const refused = { status: 400, body: { op: 'useradd', result: false, error: 'MISSINGPARA', cause: 'name too long' } };

describe('partial failure', () => {
  it('user 3 of 10 refused: users 1 and 2 are listed as created with their uids, 3 to 10 as not', async () => {
    const error = await provisionAgainst((body, i) => (i === 2 ? refused : issued(body)));
    expect(error).toBeInstanceOf(ProvisionError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/^The backend at .* refused useradd for user "u3" \(appid "com.example.chat"\): MISSINGPARA \(name too long\) \(HTTP 400\)\./);
    expect(error.message).toContain(
      'Before the run stopped, the backend created (or issued a new token to) 2 of the users: appid "com.example.chat": "u1" (uid 5001), "u2" (uid 5002).',
    );
    expect(error.message).toContain('Not created: appid "com.example.chat": "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10".');
    expect(error.message).toMatch(/Running the same command again is safe/);
    expect(error.details.provisioned).toEqual({
      created: [
        { appId: 'com.example.chat', address: 'u1', uid: '5001' },
        { appId: 'com.example.chat', address: 'u2', uid: '5002' },
      ],
      notCreated: users.slice(2).map((u) => ({ appId: 'com.example.chat', address: u.address })),
      unconfirmed: [],
    });
  });

  it('an AUTHFAIL after successes says the App Token was accepted first, then rejected', async () => {
    const authfail = { status: 401, body: { op: 'useradd', result: false, error: 'AUTHFAIL', cause: 'Invalid or expired app token' } };
    const error = await provisionAgainst((body, i) => (i >= 2 ? authfail : issued(body)));
    expect(error.message).toMatch(
      /^mesibo accepted the App Token for 2 requests, then rejected it \(AUTHFAIL: Invalid or expired app token\): it was valid when this run started, so it was probably revoked/,
    );
    expect(error.message).not.toMatch(/mesibo rejected the App Token/);
    expect(error.details.provisioned.created.map((c) => c.address)).toEqual(['u1', 'u2']);
  });

  it('a TOKENBREACH after successes says the App Token was disabled during the run', async () => {
    const breach = { status: 403, body: { op: 'useradd', result: false, error: 'TOKENBREACH' } };
    const error = await provisionAgainst((body, i) => (i >= 1 ? breach : issued(body)));
    expect(error.message).toMatch(/^mesibo accepted the App Token for 1 request, then disabled it during this run \(TOKENBREACH\)/);
  });

  it('an AUTHFAIL on the first request is still "rejected the App Token", with nothing created', async () => {
    const error = await provisionAgainst(() => ({ status: 401, body: { op: 'useradd', result: false, error: 'AUTHFAIL' } }));
    expect(error.message).toMatch(/^mesibo rejected the App Token: AUTHFAIL\. /);
    expect(error.message).not.toMatch(/Before the run stopped/);
    expect(error.details.provisioned.created).toEqual([]);
    expect(error.details.provisioned.notCreated).toHaveLength(10);
  });

  it('lists per appid, and a request that got no answer as unconfirmed', async () => {
    // 20 requests: the 10 users for the first appid, then for the second; the 13th gets no answer.
    const error = await provisionAgainst((body, i) => (i === 12 ? { reset: true } : issued(body)), ['com.example.chat', 'chat-web']);
    expect(error.message).toMatch(/kept failing for useradd for user "u3" \(appid "chat-web"\)/);
    expect(error.message).toContain('"u10" (uid 5010); appid "chat-web": "u1" (uid 5001), "u2" (uid 5002).');
    expect(error.message).toContain('No answer came for appid "chat-web": "u3": they may or may not exist.');
    expect(error.message).toContain('Not created: appid "chat-web": "u4",');
    expect(error.details.provisioned.created).toHaveLength(12);
    expect(error.details.provisioned.unconfirmed).toEqual([{ appId: 'chat-web', address: 'u3' }]);
    expect(error.details.provisioned.notCreated).toHaveLength(7);
  });
});
