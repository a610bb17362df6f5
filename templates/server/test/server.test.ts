/**
 * The server against a stand-in for mesibo's backend on 127.0.0.1 that counts what it receives. Run with
 * `npm test`. No test waits on the wall clock except the deadline one, whose backend never answers.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/app.ts';
import type { ServerConfig } from '../src/config.ts';

const APP_TOKEN = 'apptoken0123456789abcdefghijklmnopqrstuvwxyzAPPTOKEN';
const PASSCODE = 'test-passcode-0123456789';

/** A backend that answers useradd like mesibo's, or as `mode` says; it records each body it receives. */
async function fakeBackend() {
  const received: Array<Record<string, any>> = [];
  let mode: 'ok' | 'hang' | 'refuse' | 'flaky' | 'huge' = 'ok';
  let flakyLeft = 0;
  let uid = 1000;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push(JSON.parse(text));
      if (mode === 'hang') return; // never answers
      if (mode === 'flaky' && flakyLeft-- > 0) return res.writeHead(503).end('busy');
      res.writeHead(200, { 'content-type': 'application/json' });
      if (mode === 'huge') return res.end(`{"result":true,"pad":"${'x'.repeat(70_000)}"}`);
      if (mode === 'refuse') return res.end(JSON.stringify({ result: false, error: 'AUTHFAIL', cause: `bad token ${APP_TOKEN}` }));
      const token = `t${++uid}`.padEnd(64, 'x');
      res.end(JSON.stringify({ op: 'useradd', result: true, user: { uid: String(uid), token } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/backend/`,
    received,
    set: (m: typeof mode, n = 0) => ((mode = m), (flakyLeft = n)),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

function config(apiUrl: string, over: Partial<ServerConfig> = {}): ServerConfig {
  return {
    apiUrl,
    appIds: ['com.example.chat'],
    tokenExpiryMinutes: 60,
    allowedOrigins: ['http://localhost:8080'],
    rateLimit: { requests: 1000, windowSeconds: 60 },
    backendDeadlineMs: 2000,
    host: '127.0.0.1',
    port: 0,
    appToken: APP_TOKEN,
    passcodeFile: '/nonexistent',
    ...over,
  };
}

const ask = (body: object, headers: Record<string, string> = { 'x-passcode': PASSCODE }) =>
  ({ method: 'POST' as const, url: '/v1/token', headers: { 'content-type': 'application/json', ...headers } as Record<string, string>, payload: JSON.stringify(body) });

describe('token server', () => {
  let backend: Awaited<ReturnType<typeof fakeBackend>>;
  const logs: string[] = [];
  const responses: string[] = [];
  let clock = 1_000_000;
  const make = (over: Partial<ServerConfig> = {}) =>
    buildApp({ config: config(backend.url, over), auth: { passcode: PASSCODE }, log: (l) => logs.push(l), now: () => clock });
  const send = async (app: ReturnType<typeof make>, request: ReturnType<typeof ask>) => {
    const res = await app.inject(request);
    responses.push(JSON.stringify(res.headers) + res.body);
    return res;
  };

  before(async () => (backend = await fakeBackend()));
  after(async () => {
    await backend.close();
    // Not the App Token, nor any 8 characters of it, in any answer or log line.
    for (const text of [...responses, ...logs]) {
      for (let i = 0; i + 8 <= APP_TOKEN.length; i++) assert.ok(!text.includes(APP_TOKEN.slice(i, i + 8)), `App Token piece in: ${text}`);
    }
  });

  it('answers /healthz', async () => {
    const app = make();
    const res = await send(app, { method: 'GET', url: '/healthz' } as any);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ok: true, canMint: true });
  });

  it('refuses a request without the passcode, or with a wrong one, and sends nothing to the backend', async () => {
    const app = make();
    const before = backend.received.length;
    for (const headers of [{}, { 'x-passcode': 'wrong' }, { 'x-passcode': `${PASSCODE}x` }] as Array<Record<string, string>>) {
      const res = await send(app, ask({ appid: 'com.example.chat', address: '123' }, headers));
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error, 'unauthorized');
    }
    assert.equal(backend.received.length, before);
  });

  it('refuses everybody when there is no passcode (nobody may ask by default)', async () => {
    const app = buildApp({ config: config(backend.url), auth: {}, log: (l) => logs.push(l) });
    const res = await send(app, ask({ appid: 'com.example.chat', address: '123' }));
    assert.equal(res.statusCode, 401);
  });

  it('mints only for the appids in mesibo.json', async () => {
    const res = await send(make(), ask({ appid: 'com.evil.app', address: '123' }));
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error, 'forbidden-appid');
  });

  it('mints a token with useradd (v2, the configured expiry), no-store, and reuses it', async () => {
    const app = make();
    const before = backend.received.length;
    const res = await send(app, ask({ appid: 'com.example.chat', address: 'alice' }));
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['cache-control'], 'no-store');
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['address', 'appid', 'expiresAt', 'token', 'uid']);
    assert.equal(body.address, 'alice');
    assert.equal(new Date(body.expiresAt).getTime(), clock + 60 * 60_000);
    const sent = backend.received.at(-1)!;
    assert.equal(sent.op, 'useradd');
    assert.deepEqual(sent.user, { address: 'alice', token: { appid: 'com.example.chat', expiry: 60, v2: true } });
    const again = await send(app, ask({ appid: 'com.example.chat', address: 'alice' }));
    assert.equal(again.json().token, body.token);
    assert.equal(backend.received.length, before + 1);
    clock += 55 * 60_000; // past 90% of its life: renewed
    const renewed = await send(app, ask({ appid: 'com.example.chat', address: 'alice' }));
    assert.notEqual(renewed.json().token, body.token);
    assert.equal(backend.received.length, before + 2);
  });

  it('sends one useradd for 50 concurrent requests for the same user', async () => {
    const app = make();
    const before = backend.received.length;
    const all = await Promise.all(Array.from({ length: 50 }, () => send(app, ask({ appid: 'com.example.chat', address: 'bob' }))));
    assert.deepEqual([...new Set(all.map((r) => r.statusCode))], [201]);
    assert.equal(new Set(all.map((r) => r.json().token)).size, 1);
    assert.equal(backend.received.length, before + 1);
  });

  it('answers 429 with Retry-After past the rate limit, and accepts again once the window has passed', async () => {
    const app = make({ rateLimit: { requests: 3, windowSeconds: 10 } });
    for (let i = 0; i < 3; i++) assert.equal((await send(app, ask({ appid: 'com.example.chat', address: 'carol' }))).statusCode, 201);
    const refused = await send(app, ask({ appid: 'com.example.chat', address: 'carol' }));
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.json().error, 'rate-limited');
    assert.equal(refused.headers['retry-after'], '10');
    clock += 10_001;
    assert.equal((await send(app, ask({ appid: 'com.example.chat', address: 'carol' }))).statusCode, 201);
  });

  it('retries a backend that answers 503, and answers 502 when it refuses', async () => {
    const app = make();
    backend.set('flaky', 2);
    const before = backend.received.length;
    assert.equal((await send(app, ask({ appid: 'com.example.chat', address: 'dave' }))).statusCode, 201);
    assert.equal(backend.received.length, before + 3);
    backend.set('refuse');
    const res = await send(app, ask({ appid: 'com.example.chat', address: 'erin' }));
    assert.equal(res.statusCode, 502);
    assert.equal(res.json().error, 'backend-failed');
    assert.ok(logs.some((l) => l.includes('AUTHFAIL')), 'the log says why');
    backend.set('huge');
    assert.equal((await send(app, ask({ appid: 'com.example.chat', address: 'gina' }))).statusCode, 502);
    assert.ok(logs.some((l) => l.includes('more than 64 KB')));
    backend.set('ok');
  });

  it('answers 504 when the backend hangs past the deadline', async () => {
    const app = make({ backendDeadlineMs: 300 });
    backend.set('hang');
    const res = await send(app, ask({ appid: 'com.example.chat', address: 'frank' }));
    backend.set('ok');
    assert.equal(res.statusCode, 504);
    assert.equal(res.json().error, 'backend-timeout');
  });

  it('answers 503 without an App Token', async () => {
    const app = buildApp({ config: config(backend.url, { appToken: undefined }), auth: { passcode: PASSCODE }, log: (l) => logs.push(l) });
    const res = await send(app, ask({ appid: 'com.example.chat', address: '123' }));
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().error, 'not-configured');
  });

  it('allows only the listed browser origins', async () => {
    const app = make();
    const pre = await send(app, { method: 'OPTIONS', url: '/v1/token', headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'POST' } } as any);
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'http://localhost:8080');
    assert.match(String(pre.headers['access-control-allow-headers']), /x-passcode/);
    const evil = await send(app, { ...ask({ appid: 'com.example.chat', address: '123' }), headers: { origin: 'https://evil.example', 'content-type': 'application/json', 'x-passcode': PASSCODE } });
    assert.equal(evil.statusCode, 403);
    assert.equal(evil.json().error, 'forbidden-origin');
  });

  it('answers bad input with { error, explanation } and no stack trace', async () => {
    const app = make();
    const cases = [
      [ask({ appid: 'com.example.chat', address: '123', admin: true }), 400],
      [ask({ address: '123' }), 400],
      [ask({ appid: 123, address: '123' }), 400],
      [ask({ appid: 'com.example.chat' }), 400],
      [{ ...ask({}), payload: '{not json' }, 400],
      [{ ...ask({}), payload: JSON.stringify({ appid: 'x'.repeat(5000) }) }, 413],
      [{ ...ask({}), headers: { 'content-type': 'text/plain', 'x-passcode': PASSCODE } }, 415],
      [{ method: 'GET', url: '/nothing' }, 404],
    ] as const;
    for (const [request, status] of cases) {
      const res = await send(app, request as any);
      assert.equal(res.statusCode, status, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'explanation']);
      assert.doesNotMatch(res.body, /\n\s+at |node_modules|\.ts:\d/);
    }
  });
});
