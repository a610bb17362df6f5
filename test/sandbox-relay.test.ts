/**
 * Issue 21, the sandbox's relay as pages use it (through src/sandbox/relay-client.ts, which speaks the same
 * frames as the browser script): messages both ways with mesibo's sent, delivered and read statuses; a message
 * to a user with no page open kept and delivered when one opens; the backend API's `message` op (workshop
 * announce) delivered into connected pages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectRelay,
  MESIBO_MSGSTATUS_DELIVERED,
  MESIBO_MSGSTATUS_READ,
  MESIBO_MSGSTATUS_SENT,
  startSandbox,
  type RelayClient,
  type RelayMessage,
  type RelayStatus,
  type Sandbox,
} from '../src/sandbox/index';

const APPID = 'com.example.chat';
let sandbox: Sandbox | undefined;
const clients: RelayClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await sandbox?.close();
  sandbox = undefined;
});

/** Resolves with the first `count` events a listener registration sees. */
function collect<T>(register: (listener: (value: T) => void) => void, count: number): Promise<T[]> {
  const seen: T[] = [];
  return new Promise((resolve) =>
    register((value) => {
      seen.push(value);
      if (seen.length === count) resolve(seen);
    }),
  );
}

async function page(user: string, options: { readReceipts?: boolean } = {}): Promise<RelayClient> {
  const client = await connectRelay(sandbox!, { appid: APPID, token: sandbox!.issue(APPID, user), readReceipts: options.readReceipts });
  clients.push(client);
  expect(client.status).toBe(1); // MESIBO_STATUS_ONLINE
  return client;
}

describe('the relay', () => {
  it('carries messages both ways, and tells each sender sent, delivered and read, in that order', async () => {
    sandbox = await startSandbox();
    const alice = await page('123', { readReceipts: true });
    const bob = await page('456', { readReceipts: true });

    const bobGets = collect<RelayMessage>(bob.onMessage, 1);
    const aliceStatuses = collect<RelayStatus>(alice.onStatus, 3);
    const mid = alice.send('456', 'hello from 123');
    expect(await bobGets).toEqual([{ mid, from: '123', text: 'hello from 123' }]);
    expect(await aliceStatuses).toEqual([MESIBO_MSGSTATUS_SENT, MESIBO_MSGSTATUS_DELIVERED, MESIBO_MSGSTATUS_READ].map((status) => ({ mid, peer: '456', status })));

    const aliceGets = collect<RelayMessage>(alice.onMessage, 1);
    const bobStatuses = collect<RelayStatus>(bob.onStatus, 3);
    const back = bob.send('123', 'and back from 456');
    expect(await aliceGets).toEqual([{ mid: back, from: '456', text: 'and back from 456' }]);
    expect((await bobStatuses).map((s) => s.status)).toEqual([1, 2, 3]);
  });

  it('without read receipts, the sender sees delivered but never read', async () => {
    sandbox = await startSandbox();
    const alice = await page('123');
    const bob = await page('456');
    const statuses: number[] = [];
    alice.onStatus((s) => statuses.push(s.status));
    const got = collect<RelayMessage>(bob.onMessage, 1);
    alice.send('456', 'one');
    await got;
    // A second message through the same path: once it is delivered, the first one's statuses are all in.
    const second = collect<RelayStatus>((l) => alice.onStatus((s) => s.status === 2 && l(s)), 2);
    alice.send('456', 'two');
    await second;
    expect(statuses.filter((s) => s === MESIBO_MSGSTATUS_READ)).toEqual([]);
    expect(statuses.filter((s) => s === MESIBO_MSGSTATUS_DELIVERED)).toHaveLength(2);
  });

  it('keeps a message for a user with no page open, and delivers it when one opens (then the sender sees delivered)', async () => {
    sandbox = await startSandbox();
    const alice = await page('123');
    sandbox.issue(APPID, '456'); // a user of the project, whose page is closed
    const statuses: number[] = [];
    const sent = collect<RelayStatus>(alice.onStatus, 1);
    const delivered = collect<RelayStatus>((l) => alice.onStatus((s) => s.status === MESIBO_MSGSTATUS_DELIVERED && l(s)), 1);
    alice.onStatus((s) => statuses.push(s.status));
    const mid = alice.send('456', 'while you were away');
    expect((await sent)[0]).toEqual({ mid, peer: '456', status: MESIBO_MSGSTATUS_SENT });
    expect(statuses).toEqual([MESIBO_MSGSTATUS_SENT]);

    // Bob opens his page: the kept message follows the ONLINE status, so he listens from the first frame on.
    let onMessage!: (m: RelayMessage) => void;
    const got = collect<RelayMessage>((l) => (onMessage = l), 1);
    clients.push(await connectRelay(sandbox, { appid: APPID, token: sandbox.issue(APPID, '456'), onMessage }));
    expect(await got).toEqual([{ mid, from: '123', text: 'while you were away' }]);
    expect((await delivered)[0]).toEqual({ mid, peer: '456', status: MESIBO_MSGSTATUS_DELIVERED });
  });

  it('answers a message to an address that is no user of the project with MESIBO_MSGSTATUS_INVALIDDEST, and keeps nothing for it', async () => {
    sandbox = await startSandbox();
    const alice = await page('123');
    const statuses = collect<RelayStatus>(alice.onStatus, 1);
    const mid = alice.send('nobody', 'hello?');
    expect(await statuses).toEqual([{ mid, peer: 'nobody', status: 0x83 }]);
    // mesibo/libmesibo include/mesibo.h: #define MESIBO_MSGSTATUS_INVALIDDEST 0x83
    const { MESIBO_MSGSTATUS_INVALIDDEST } = await import('../src/sandbox/relay');
    expect(MESIBO_MSGSTATUS_INVALIDDEST).toBe(0x83);
  });

  it("delivers the backend API's message op (workshop announce) into every connected page", async () => {
    sandbox = await startSandbox({ appToken: 'per-run-secret' });
    sandbox.issue(APPID, 'host');
    const seats = [await page('123'), await page('456')];
    const got = seats.map((s) => collect<RelayMessage>(s.onMessage, 1));
    const answer = await fetch(sandbox.url, {
      method: 'POST',
      body: JSON.stringify({ op: 'message', token: 'per-run-secret', message: { from: 'host', to: '123,456', message: 'Welcome!' } }),
    }).then((r) => r.json());
    expect(answer).toMatchObject({ op: 'message', result: true });
    for (const g of got) expect((await g)[0]).toMatchObject({ from: 'host', text: 'Welcome!' });
  });

  it('refuses the message op without the App Token it was given, and delivers nothing', async () => {
    sandbox = await startSandbox({ appToken: 'per-run-secret' });
    sandbox.issue(APPID, 'host');
    await page('123');
    const answer = await fetch(sandbox.url, {
      method: 'POST',
      body: JSON.stringify({ op: 'message', token: 'guessed', message: { from: 'host', to: '123', message: 'spoofed' } }),
    }).then((r) => r.json());
    expect(answer).toMatchObject({ result: false, error: 'AUTHFAIL' });
    expect(sandbox.messages).toEqual([]);
  });
});

describe('a page that closes before it acknowledges', () => {
  it("gets the message again on the user's next page: nothing is lost when a tab shuts while a message is on its way", async () => {
    sandbox = await startSandbox();
    const alice = await page('123');
    // Bob's page as a bare socket that says hello and never acknowledges (a tab closed mid-delivery).
    const { WebSocket } = await import('ws');
    const bare = new WebSocket(sandbox.relay, { origin: `http://localhost:${sandbox.key?.webPort ?? 8080}` });
    const frames: Array<Record<string, unknown>> = [];
    await new Promise<void>((resolve) => {
      bare.on('open', () => bare.send(JSON.stringify({ t: 'hello', appid: APPID, token: sandbox!.issue(APPID, '456') })));
      bare.on('message', (data) => {
        frames.push(JSON.parse(String(data)));
        if (frames.length === 1) resolve();
      });
    });
    expect(frames[0]).toEqual({ t: 'status', status: 1 });
    const gotIt = new Promise<void>((resolve) => bare.on('message', () => resolve()));
    const mid = alice.send('456', 'sent while the tab was closing');
    await gotIt;
    expect(frames[1]).toMatchObject({ t: 'msg', mid, from: '123' });
    bare.terminate();
    await new Promise((resolve) => bare.on('close', resolve));

    const next: RelayMessage[] = [];
    const bob = await connectRelay(sandbox, { appid: APPID, token: sandbox.issue(APPID, '456'), onMessage: (m) => next.push(m) });
    clients.push(bob);
    await expect.poll(() => next).toEqual([{ mid, from: '123', text: 'sent while the tab was closing' }]);
  });
});
