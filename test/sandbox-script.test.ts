/**
 * Issue 21, the browser script (src/sandbox/mesibo.js) as a page runs it, here in a Node context whose
 * WebSocket is the `ws` client sending the web starter's Origin: mesibo's connection statuses (connecting,
 * online; AUTHFAIL for a bad token; offline when the sandbox stops, online again when it is back), messages
 * both ways reported to Mesibo_onMessage, the sender's Mesibo_onMessageStatus with sent, delivered and read,
 * the banner, and a clear error for any call it does not emulate. (test/chat-*.test.ts runs it in Chromium
 * with the real web starter.)
 */
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { browserScript } from '../src/sandbox/browser-script';
import { startSandbox, type Sandbox } from '../src/sandbox/index';

const APPID = 'com.example.chat';
let sandbox: Sandbox | undefined;
const pages: Page[] = [];
afterEach(async () => {
  for (const p of pages.splice(0)) p.api.stop();
  await sandbox?.close();
  sandbox = undefined;
});

interface Page {
  window: Record<string, any>;
  api: any;
  statuses: number[];
  messages: any[];
  msgStatuses: Array<{ mid: number; status: number }>;
  banner: { id?: string; textContent?: string } | undefined;
}

/** The script loaded into a fresh "page" with a listener that records what mesibo would report. */
function openPage(relay: string, token: string, options: { appid?: string; start?: boolean } = {}): Page {
  const page: Page = { window: {}, api: undefined, statuses: [], messages: [], msgStatuses: [], banner: undefined };
  const body = { prepend: (el: any) => (page.banner = el) };
  const document = {
    body,
    getElementById: () => null,
    createElement: () => ({ style: {}, setAttribute() {} }),
    addEventListener() {},
  };
  const context: Record<string, any> = {
    document,
    setTimeout,
    clearTimeout,
    WebSocket: class extends NodeWebSocket {
      constructor(url: string) {
        super(url, { origin: 'http://localhost:8080' });
      }
    },
  };
  context.window = context;
  vm.runInNewContext(browserScript(relay), context);
  page.window = context;
  const api = new context.Mesibo();
  api.setAppName(options.appid ?? APPID);
  api.setListener({
    Mesibo_onConnectionStatus: (status: number) => page.statuses.push(status),
    Mesibo_onMessage: (msg: any) => page.messages.push(msg),
    Mesibo_onMessageStatus: (msg: any) => page.msgStatuses.push({ mid: msg.mid, status: msg.getStatus() }),
  });
  api.setAccessToken(token);
  page.api = api;
  pages.push(page);
  if (options.start !== false) api.start();
  return page;
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check(), what).toBe(true);
}

describe('the browser script', () => {
  it('reports connecting then online, shows its banner, and carries messages both ways with sent, delivered and read', async () => {
    sandbox = await startSandbox();
    const alice = openPage(sandbox.relay, sandbox.issue(APPID, '123'));
    const bob = openPage(sandbox.relay, sandbox.issue(APPID, '456'));
    await until('both online', () => alice.statuses.at(-1) === 1 && bob.statuses.at(-1) === 1);
    expect(alice.statuses).toEqual([alice.window.MESIBO_STATUS_CONNECTING, alice.window.MESIBO_STATUS_ONLINE]);
    expect(alice.banner?.textContent).toMatch(/^local sandbox, not mesibo/);
    expect(alice.banner?.id).toBe('mesibo-sandbox-banner');

    // Bob reads what Alice sends him, as the web starter does: a read session with read receipts on.
    const session = bob.api.getProfile('123', 0).createReadSession({});
    session.enableReadReceipt(true);
    expect(session.read(100)).toBe(0);

    const msg = alice.api.getProfile('456', 0).newMessage();
    msg.message = 'hello from 123';
    msg.send();
    expect(alice.messages).toHaveLength(1); // mesibo reports a sent message too, as outgoing
    expect(alice.messages[0].isOutgoing()).toBe(true);
    await until('bob got it', () => bob.messages.length === 1);
    const got = bob.messages[0];
    expect([got.isIncoming(), got.message, got.profile.getNameOrAddress(''), got.mid]).toEqual([true, 'hello from 123', '123', msg.mid]);
    await until('alice saw read', () => alice.msgStatuses.length === 3);
    const { MESIBO_MSGSTATUS_SENT: sent, MESIBO_MSGSTATUS_DELIVERED: delivered, MESIBO_MSGSTATUS_READ: read } = alice.window;
    expect(alice.msgStatuses).toEqual([sent, delivered, read].map((status) => ({ mid: msg.mid, status })));

    // And back; Alice has no read session for Bob: delivered, never read.
    const reply = bob.api.getProfile('123', 0).newMessage();
    reply.message = 'hi 123';
    reply.send();
    await until('alice got the reply', () => alice.messages.length === 2);
    expect(alice.messages[1].message).toBe('hi 123');
    await until('bob saw delivered', () => bob.msgStatuses.length === 2);
    expect(bob.msgStatuses.map((s) => s.status)).toEqual([sent, delivered]);
    // Opening a read session later marks what was received as read.
    const late = alice.api.getProfile('456', 0).createReadSession({});
    late.enableReadReceipt(true);
    late.read(10);
    await until('bob saw read', () => bob.msgStatuses.length === 3);
    expect(bob.msgStatuses[2]).toEqual({ mid: reply.mid, status: read });
  });

  it('reports AUTHFAIL (4) for a token of another appid, and does not retry', async () => {
    sandbox = await startSandbox();
    const page = openPage(sandbox.relay, sandbox.issue(APPID, '123'), { appid: 'com.example.other' });
    await until('AUTHFAIL', () => page.statuses.includes(4));
    await new Promise((r) => setTimeout(r, 1200)); // longer than the first retry would wait
    expect(page.statuses).toEqual([6, 4]);
  });

  it('goes offline when the sandbox stops, stays offline while it keeps trying, and is online again when it is back; a message sent meanwhile goes out then', async () => {
    sandbox = await startSandbox();
    const { port, key } = sandbox;
    const alice = openPage(sandbox.relay, sandbox.issue(APPID, '123'));
    const bobToken = sandbox.issue(APPID, '456');
    await until('online', () => alice.statuses.at(-1) === 1);
    await sandbox.close();
    await until('offline', () => alice.statuses.includes(2));
    await new Promise((r) => setTimeout(r, 1200)); // a retry or two fail meanwhile
    expect(alice.statuses).toEqual([6, 1, 2]);
    const queued = alice.api.getProfile('456', 0).newMessage();
    queued.message = 'sent while the sandbox was down';
    queued.send();

    sandbox = await startSandbox({ key, port });
    await until('online again', () => alice.statuses.at(-1) === 1);
    expect(alice.statuses).toEqual([6, 1, 2, 1]);
    const bob = openPage(sandbox.relay, bobToken);
    await until('bob got the queued message', () => bob.messages.length === 1);
    expect(bob.messages[0].message).toBe('sent while the sandbox was down');
  });

  it('throws an error naming any call it does not emulate', () => {
    const page = openPage('ws://127.0.0.1:9/relay', 'x'.repeat(64), { start: false });
    expect(() => page.api.setupVideoCall('a', 'b', true)).toThrow(/Mesibo\.setupVideoCall is not emulated by create-mesibo-app's local sandbox/);
    expect(() => page.api.getProfile('456', 7)).toThrow(/getProfile\(\) of a group .* is not emulated/);
    const msg = page.api.getProfile('456', 0).newMessage();
    expect(() => (msg.title = 'Himalaya')).toThrow(/message\.title is not emulated/);
    expect(() => msg.setContent('filefield')).toThrow(/message\.setContent is not emulated/);
    expect(() => page.api.setDatabase('mesibo', () => {})).toThrow(/setDatabase\(\) with a callback is not emulated/);
    expect(page.api.setDatabase('mesibo')).toBeUndefined();
  });
});

describe('a message the sandbox hands again', () => {
  it('is reported to Mesibo_onMessage once, and acknowledged each time (the relay re-sends what a closed page never acknowledged)', async () => {
    const { WebSocketServer } = await import('ws');
    const acks: unknown[] = [];
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.t === 'ack') acks.push(frame);
        if (frame.t !== 'hello') return;
        socket.send(JSON.stringify({ t: 'status', status: 1 }));
        const again = JSON.stringify({ t: 'msg', mid: 77, from: '123', text: 'once only' });
        socket.send(again);
        socket.send(again);
      });
    });
    try {
      const port = (server.address() as { port: number }).port;
      const bob = openPage(`ws://127.0.0.1:${port}/relay`, 'a'.repeat(64));
      await until('both copies acknowledged', () => acks.length === 2);
      expect(bob.messages.map((m) => m.message)).toEqual(['once only']);
    } finally {
      for (const p of pages.splice(0)) p.api.stop();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
