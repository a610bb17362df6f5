/**
 * Issue 21, tokens the sandbox can check later, and issue 19's "only this machine, only this starter": a token
 * issued by one sandbox run is accepted by a later run of the same project (its key read back from the key
 * file's text), and by no other project's; another appid, an expired token or one it never issued gets
 * AUTHFAIL with mesibo's value (4); the relay takes a WebSocket only from the web starter's origins and only
 * for its own Host names; the backend API takes no browser request and no App Token but the project's.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectRelay, newSandboxKey, parseSandboxKey, sandboxKeyText, startSandbox, type Sandbox } from '../src/sandbox/index';
import { AUTHFAIL_CLOSE, MESIBO_STATUS_AUTHFAIL, MESIBO_STATUS_ONLINE } from '../src/sandbox/relay';
import { checkToken, issueToken, tagIndex } from '../src/sandbox/tokens';

const APPID = 'com.example.chat';
const running: Sandbox[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
});
async function start(options: Parameters<typeof startSandbox>[0] = {}): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  running.push(sandbox);
  return sandbox;
}

/** The status a page gets for this token and appid, and the close code when the sandbox hung up. */
async function login(sandbox: Sandbox, token: string, appid = APPID): Promise<{ status: number | undefined; closed?: number }> {
  const client = await connectRelay(sandbox, { appid, token });
  if (client.status !== MESIBO_STATUS_ONLINE) return { status: client.status, closed: await client.closed };
  client.close();
  return { status: client.status };
}

describe('sandbox tokens', () => {
  it("have mesibo's shape: 64 characters, lower case and digits only, different each time", () => {
    const key = newSandboxKey();
    const tokens = Array.from({ length: 50 }, () => issueToken(key, APPID, '123', new Date(Date.now() + 60_000)));
    for (const t of tokens) expect(t).toMatch(/^[0-9a-z]{64}$/);
    expect(new Set(tokens).size).toBe(50);
  });

  it('are accepted by a later sandbox run of the same project, its key read back from the key file', async () => {
    const first = await start();
    const token = first.issue(APPID, '123');
    expect(await login(first, token)).toEqual({ status: MESIBO_STATUS_ONLINE });
    const saved = sandboxKeyText(first.key);
    await first.close();

    const later = await start({ key: parseSandboxKey(saved) });
    expect(await login(later, token)).toEqual({ status: MESIBO_STATUS_ONLINE });
  });

  it("are refused with AUTHFAIL (4) by another project's sandbox, and the page is not retried", async () => {
    const mine = await start();
    const token = mine.issue(APPID, '123');
    const other = await start();
    other.issue(APPID, '123'); // the same address exists there too: still not its token
    expect(MESIBO_STATUS_AUTHFAIL).toBe(4);
    expect(await login(other, token)).toEqual({ status: MESIBO_STATUS_AUTHFAIL, closed: AUTHFAIL_CLOSE });
  });

  it('are refused with AUTHFAIL when used with another appid, when expired, or when never issued', async () => {
    const sandbox = await start();
    const token = sandbox.issue(APPID, '123');
    expect((await login(sandbox, token, 'com.example.other')).status).toBe(MESIBO_STATUS_AUTHFAIL);
    const expired = issueToken(sandbox.key, APPID, '123', new Date(Date.now() - 1000));
    expect((await login(sandbox, expired)).status).toBe(MESIBO_STATUS_AUTHFAIL);
    expect(checkToken(sandbox.key, tagIndex(sandbox.key), APPID, expired)).toEqual({ ok: false, reason: 'expired' });
    // One character changed, a made-up token of the right shape, and one of mesibo's upper-case shape.
    const changed = token.slice(0, 63) + (token[63] === 'a' ? 'b' : 'a');
    for (const bad of [changed, 'a'.repeat(64), 'A'.repeat(64), '']) expect((await login(sandbox, bad)).status).toBe(MESIBO_STATUS_AUTHFAIL);
  });

  it('for a user the backend API added are accepted too, and that user is in the key file it saves', async () => {
    let saved = '';
    const sandbox = await start({ appToken: 'project-secret', onUsersAdded: (key) => (saved = sandboxKeyText(key)) });
    const answer = await post(sandbox, { op: 'useradd', token: 'project-secret', user: { address: 'seat-7', token: { appid: APPID, expiry: 60 } } });
    expect(answer.body).toMatchObject({ result: true, user: { uid: expect.any(String), token: expect.stringMatching(/^[0-9a-z]{64}$/) } });
    expect(parseSandboxKey(saved).users.has('seat-7')).toBe(true);
    await sandbox.close();
    running.splice(0);
    const later = await start({ key: parseSandboxKey(saved) });
    expect(await login(later, answer.body.user.token)).toEqual({ status: MESIBO_STATUS_ONLINE });
  });
});

describe('the key file', () => {
  it('round-trips, and a damaged one is refused naming the field, never a value', () => {
    const key = newSandboxKey({ port: 8123 });
    key.users.set('123', { uid: '1001' });
    const back = parseSandboxKey(sandboxKeyText(key));
    expect(back).toEqual(key);
    const damaged = sandboxKeyText(key).replace(key.key, 'nothex');
    expect(() => parseSandboxKey(damaged)).toThrow(/"key" must be 64 hexadecimal digits/);
    expect(() => parseSandboxKey('{')).toThrow(/not JSON/);
    let message = '';
    try {
      parseSandboxKey(sandboxKeyText(key).replace(key.appToken, `${key.appToken}X`));
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/"appToken" must be 64 characters/);
    expect(message).not.toContain(key.appToken.slice(0, 8));
  });
});

/** A raw HTTP request, with the headers a test chooses (fetch would set Host and Origin itself). */
function raw(sandbox: Sandbox, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sandbox.port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function post(sandbox: Sandbox, body: object, headers: Record<string, string> = {}) {
  const answer = await raw(sandbox, { method: 'POST', path: '/backend/', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: answer.status, body: JSON.parse(answer.text) };
}

/** The HTTP status of a WebSocket handshake with these headers (101 when accepted). */
function handshake(sandbox: Sandbox, headers: { origin?: string; host?: string }): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(sandbox.relay, { ...(headers.origin ? { origin: headers.origin } : {}), headers: headers.host ? { host: headers.host } : {} });
    socket.on('upgrade', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    socket.on('error', () => resolve(0));
  });
}

describe('only this machine, only the web starter', () => {
  it("accepts a WebSocket from the web starter's two origins only", async () => {
    const sandbox = await start({ key: newSandboxKey({ webPort: 8080 }) });
    expect(await handshake(sandbox, { origin: 'http://localhost:8080' })).toBe(101);
    expect(await handshake(sandbox, { origin: 'http://127.0.0.1:8080' })).toBe(101);
    for (const origin of ['http://localhost:8081', 'https://localhost:8080', 'http://evil.example', 'null', undefined]) {
      expect(await handshake(sandbox, { origin }), String(origin)).toBe(403);
    }
  });

  it('accepts the origins of another web port when told to', async () => {
    const sandbox = await start({ webPorts: [8080, 5173] });
    expect(await handshake(sandbox, { origin: 'http://localhost:5173' })).toBe(101);
    expect(await handshake(sandbox, { origin: 'http://localhost:8080' })).toBe(101);
  });

  it("refuses a Host that is not its own name (DNS rebinding): script, relay and backend API", async () => {
    const sandbox = await start();
    const evil = `evil.example:${sandbox.port}`;
    expect((await raw(sandbox, { path: '/mesibo.js', headers: { host: evil } })).status).toBe(421);
    expect(await handshake(sandbox, { origin: 'http://localhost:8080', host: evil })).toBe(421);
    expect((await raw(sandbox, { method: 'POST', path: '/backend/', headers: { host: evil }, body: '{}' })).status).toBe(421);
    expect((await raw(sandbox, { path: '/mesibo.js', headers: { host: `localhost:${sandbox.port}` } })).status).toBe(200);
  });

  it('serves the browser script with the relay address it is reached at', async () => {
    const sandbox = await start();
    const script = await raw(sandbox, { path: '/mesibo.js', headers: { host: `127.0.0.1:${sandbox.port}` } });
    expect(script.text).toContain(`("ws://127.0.0.1:${sandbox.port}/relay")`);
    expect(script.text).not.toContain(sandbox.key.key);
  });

  it("answers mesibo's older GET form (…/api.php?op=useradd…) with the same rules: its App Token only, tokens it accepts", async () => {
    const sandbox = await start({ appToken: 'project-secret' });
    const query = (token: string) => `/api.php?${new URLSearchParams({ op: 'useradd', token, addr: '321', appid: APPID, expiry: '60' })}`;
    const refused = JSON.parse((await raw(sandbox, { path: query('guessed') })).text);
    expect(refused).toMatchObject({ result: false, error: 'AUTHFAIL' });
    const issued = JSON.parse((await raw(sandbox, { path: query('project-secret') })).text);
    expect(issued).toMatchObject({ op: 'useradd', result: true, user: { token: expect.stringMatching(/^[0-9a-z]{64}$/) } });
    expect(await login(sandbox, issued.user.token)).toEqual({ status: MESIBO_STATUS_ONLINE });
    const fromPage = await raw(sandbox, { path: query('project-secret'), headers: { origin: 'http://localhost:8080' } });
    expect(fromPage.status).toBe(403);
  });

  it('refuses any browser request to the backend API, and any App Token but its own', async () => {
    const sandbox = await start({ appToken: 'project-secret' });
    const useradd = { op: 'useradd', token: 'project-secret', user: { address: '999', token: { appid: APPID, expiry: 60 } } };
    const fromPage = await post(sandbox, useradd, { origin: 'http://localhost:8080' });
    expect(fromPage.status).toBe(403);
    expect(JSON.stringify(fromPage.body)).not.toMatch(/[0-9a-z]{64}/);
    const guessed = await post(sandbox, { ...useradd, token: 'sandbox' });
    expect(guessed.body).toMatchObject({ result: false, error: 'AUTHFAIL' });
    expect((await post(sandbox, useradd)).body).toMatchObject({ result: true });
  });
});

describe("create's and refresh's in-process sandbox", () => {
  it('takes only a per-run App Token that never leaves the process: another local process cannot have tokens minted', async () => {
    const { withBackend } = await import('../src/backend/session');
    const { Redactor } = await import('../src/output/redact');
    const { tuningFromEnv } = await import('../src/tuning');
    const ctx = {
      env: {},
      redactor: new Redactor(),
      tuning: tuningFromEnv({}),
      interrupts: { onInterrupt: () => () => {}, dispose() {} },
      printer: { warn() {}, info() {} },
    } as unknown as import('../src/app-context').AppContext;
    const key = newSandboxKey();
    await withBackend({ sandbox: true, endpoint: '', sandboxKey: key }, 'sandbox', ctx, async (client, endpoint) => {
      const body = { op: 'useradd', user: { address: 'intruder', token: { appid: APPID, expiry: 60 } } };
      for (const token of ['sandbox', key.appToken]) {
        const answer = await fetch(endpoint, { method: 'POST', body: JSON.stringify({ ...body, token }) }).then((r) => r.json());
        expect(answer, token).toMatchObject({ result: false, error: 'AUTHFAIL' });
      }
      const issued = await client.useradd({ address: '123', name: 'User 123', appId: APPID, expiryMinutes: 60 });
      expect(issued.token).toMatch(/^[0-9a-z]{64}$/);
      expect(key.users.has('123')).toBe(true);
      expect(key.users.has('intruder')).toBe(false);
    });
  });
});

describe('a request it cannot read', () => {
  it('gets 400 and the sandbox keeps serving', async () => {
    const sandbox = await start();
    expect((await raw(sandbox, { path: 'http://[' })).status).toBe(400);
    expect((await raw(sandbox, { path: '/mesibo.js' })).status).toBe(200);
  });
});
