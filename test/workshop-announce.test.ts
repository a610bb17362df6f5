/**
 * Issue 16, announce: one message from the host to every seat through the backend API's `message` op
 * (docs.mesibo.com/api/backend-api/messaging), recipients in batches of 50, the App Token only to the
 * endpoint the workshop was made on and confirmed in this run; a rerun after a failure sends only to
 * those who did not get it. And the sandbox answers the op too.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/server';
import { startWorkshopBackend, WORKSHOP_APP_TOKEN, type WorkshopBackend } from './support/workshop-backend';
import { announce, keptTokens, ledger, removeScratch, scratchDir, workshop } from './support/workshop-run';

const seat = (n: number) => `seat-${String(n).padStart(3, '0')}`;
const TEXT = 'Welcome! Open your web starter and say hi to your buddy.';

describe('workshop announce, 120 seats', () => {
  let backend: WorkshopBackend;
  let failing = false;
  let cwd: string;
  const messages = () => backend.requests.filter((r) => r.op === 'message');

  beforeAll(async () => {
    // The second batch fails while `failing` is set (HTTP 400: not retried).
    backend = await startWorkshopBackend({
      fault: (body) =>
        failing && body.op === 'message' && String(body.message.to).startsWith('seat-051')
          ? { status: 400, body: { op: 'message', result: false, error: 'MISSINGPARA', cause: 'injected failure' } }
          : undefined,
    });
    cwd = scratchDir('cma-announce-');
    const made = await workshop(['room', '--seats', '120', '--platforms', 'web', '--api-url', backend.url], cwd);
    expect(made.code, made.output).toBe(0);
    backend.requests.length = 0;
  }, 60_000);
  afterAll(async () => {
    await backend.close();
    removeScratch(cwd);
  });

  it('without --api-url again, refuses (exit 2) and sends nothing: the recorded endpoint is not mesibo\'s', async () => {
    const run = await announce(['room', '--text', TEXT], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`give --api-url "${backend.url}" again to confirm it`);
    expect(backend.requests).toEqual([]);
  });

  it('with another --api-url, refuses too: neither backend gets anything', async () => {
    const other = await startWorkshopBackend();
    try {
      const run = await announce(['room', '--text', TEXT, '--api-url', other.url], cwd);
      expect(run.code).toBe(2);
      expect(other.requests).toEqual([]);
      expect(backend.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('stops at a failed batch, saying how far it got; the rerun sends only to the others', async () => {
    failing = true;
    const broken = await announce(['room', '--text', TEXT, '--api-url', backend.url], cwd);
    failing = false;
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('It reached 50 of 120 seats before it stopped. Run the same command again to send it to the 70 others only.');
    expect(messages()).toHaveLength(2);
    backend.requests.length = 0;

    const rerun = await announce(['room', '--text', TEXT, '--api-url', backend.url, '--json'], cwd);
    expect(rerun.code, rerun.output).toBe(0);
    const sent = messages();
    // Batches of 50 in seat order: seats 51-100, then 101-120 (1-50 had it).
    expect(sent.map((r) => r.message.to.split(',').length)).toEqual([50, 20]);
    expect(sent[0].message.to).toBe(Array.from({ length: 50 }, (_, i) => seat(51 + i)).join(','));
    expect(sent[1].message.to).toBe(Array.from({ length: 20 }, (_, i) => seat(101 + i)).join(','));
    for (const r of sent) {
      expect(Object.keys(r).sort()).toEqual(['message', 'op', 'token']);
      expect(r.token).toBe(WORKSHOP_APP_TOKEN);
      expect(r.message).toEqual({ from: 'host', to: expect.any(String), message: TEXT });
    }
    const summary = JSON.parse(rerun.stdout);
    expect(summary).toMatchObject({ ok: true, from: 'host', sentNow: 70, sentBefore: 50 });
    expect(rerun.output).not.toContain(WORKSHOP_APP_TOKEN);
    const recorded = ledger(path.join(cwd, 'room')).announcements;
    expect(recorded).toHaveLength(1);
    expect(recorded[0].to).toEqual(Array.from({ length: 120 }, (_, i) => seat(i + 1)));
    expect(recorded[0].mids).toHaveLength(3);
  });

  it('the same text again sends nothing; a new text goes to all 120 in 3 requests', async () => {
    backend.requests.length = 0;
    const same = await announce(['room', '--text', TEXT, '--api-url', backend.url], cwd);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Every seat already got this message');
    expect(backend.requests).toEqual([]);
    const next = await announce(['room', '--text', 'Lunch at 12:30', '--api-url', backend.url], cwd);
    expect(next.code, next.output).toBe(0);
    expect(messages().map((r) => r.message.to.split(',').length)).toEqual([50, 50, 20]);
    expect(next.stdout).toContain('Sent "Lunch at 12:30" from host to 120 seats in 3 requests.');
  });

  it('refuses an empty text or a control character (exit 2, nothing sent)', async () => {
    backend.requests.length = 0;
    expect((await announce(['room', '--text', '  ', '--api-url', backend.url], cwd)).code).toBe(2);
    expect((await announce(['room', '--text', 'a\u001b[2Jb', '--api-url', backend.url], cwd)).code).toBe(2);
    expect((await announce(['room', '--api-url', backend.url], cwd)).code).toBe(2);
    expect(backend.requests).toEqual([]);
  });
});

describe("the message op's answer is checked before it is recorded", () => {
  it.each([
    [{ op: 'message', result: true, mid: { id: 1 } }, 'its answer has a mid that is an object'],
    [{ op: 'message', result: true, mid: '<b>\u001b[31m' }, 'its answer has a mid that is not a plain id'],
    [{ op: 'message', result: true, mid: -3 }, 'its answer has a mid that is not a whole number (-3)'],
  ])('%j: exit 1, a backend problem (never a bug), nothing recorded as sent', async (answer, problem) => {
    const backend = await startWorkshopBackend({ fault: (body) => (body.op === 'message' ? { status: 200, body: answer } : undefined) });
    const cwd = scratchDir('cma-announce-answer-');
    try {
      expect((await workshop(['room', '--seats', '2', '--platforms', 'web', '--api-url', backend.url], cwd)).code).toBe(0);
      const run = await announce(['room', '--text', 'Hi', '--api-url', backend.url], cwd);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`accepted message from "host" to 2 users but ${problem}`);
      expect(run.stderr).not.toMatch(/bug|\u001b\[31m/);
      expect(ledger(path.join(cwd, 'room')).announcements.flatMap((a: any) => a.to)).toEqual([]);
    } finally {
      await backend.close();
      removeScratch(cwd);
    }
  });
});

describe('announce never sends a message twice to a seat', () => {
  let cwd: string;
  const perSeat = (backend: WorkshopBackend) => {
    const count = new Map<string, number>();
    for (const r of backend.requests.filter((q) => q.op === 'message')) {
      for (const to of String(r.message.to).split(',')) count.set(to, (count.get(to) ?? 0) + 1);
    }
    return count;
  };
  beforeEach(() => {
    cwd = scratchDir('cma-announce-once-');
  });
  afterEach(() => removeScratch(cwd));

  it('an answer without mid ({"op":"message","result":true}, the older documented shape) counts as sent; a rerun sends nothing', async () => {
    const backend = await startWorkshopBackend({ fault: (body) => (body.op === 'message' ? { status: 200, body: { op: 'message', result: true } } : undefined) });
    try {
      expect((await workshop(['room', '--seats', '3', '--platforms', 'web', '--api-url', backend.url], cwd)).code).toBe(0);
      // The workshop's useradds ask for v2 tokens, as create's do (one body for both: src/backend/client.ts).
      const useradds = backend.requests.filter((r) => r.op === 'useradd');
      expect(useradds.length).toBeGreaterThan(0);
      for (const r of useradds) expect(r.user.token).toEqual({ appid: expect.any(String), expiry: expect.any(Number), v2: true });
      const run = await announce(['room', '--text', 'Hi', '--api-url', backend.url, '--json'], cwd);
      expect(run.code, run.output).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, sentNow: 3, batches: [{ to: 3, mid: null }] });
      const recorded = ledger(path.join(cwd, 'room')).announcements[0];
      expect(recorded).toMatchObject({ to: ['seat-1', 'seat-2', 'seat-3'], mids: [] });
      const rerun = await announce(['room', '--text', 'Hi', '--api-url', backend.url], cwd);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain('Every seat already got this message');
      expect([...perSeat(backend).values()]).toEqual([1, 1, 1]);
    } finally {
      await backend.close();
    }
  });

  it('a 503 after the body was sent is not retried: that batch is "may have been sent", recorded, and a rerun skips it', async () => {
    let failed = 0;
    // The second batch (seats 51-100) reaches the backend, which then answers 503, once.
    const backend = await startWorkshopBackend({
      fault: (body) =>
        body.op === 'message' && String(body.message.to).startsWith('seat-051') && failed++ === 0
          ? { status: 503, body: { op: 'message', result: false, error: 'UNAVAILABLE' } }
          : undefined,
    });
    try {
      expect((await workshop(['room', '--seats', '120', '--platforms', 'web', '--api-url', backend.url], cwd)).code).toBe(0);
      const run = await announce(['room', '--text', TEXT, '--api-url', backend.url], cwd);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('after the request may have reached it (HTTP 503 (UNAVAILABLE))');
      expect(run.stderr).toContain('50 seats may have been sent this message now');
      expect(run.stderr).toContain('It reached 50 of 120 seats before it stopped. Run the same command again to send it to the 20 others only.');
      // Not retried: two message requests, the second the one that failed.
      expect(backend.requests.filter((r) => r.op === 'message')).toHaveLength(2);
      const recorded = ledger(path.join(cwd, 'room')).announcements[0];
      expect(recorded.to).toEqual(Array.from({ length: 50 }, (_, i) => seat(i + 1)));
      expect(recorded.maybe).toEqual(Array.from({ length: 50 }, (_, i) => seat(51 + i)));

      const rerun = await announce(['room', '--text', TEXT, '--api-url', backend.url], cwd);
      expect(rerun.code, rerun.output).toBe(0);
      expect(rerun.output).toContain('50 seats may have been sent this message in an earlier run');
      const count = perSeat(backend);
      expect(count.size).toBe(120);
      expect(Math.max(...count.values())).toBe(1);
      // 1-50 got it, 51-100 may have (the 503'd request), 101-120 got it in the rerun.
      const seats = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => seat(from + i));
      expect(backend.messages.flatMap((m) => m.to)).toEqual([...seats(1, 50), ...seats(101, 120)]);
    } finally {
      await backend.close();
    }
  });

  it('a 429 with Retry-After surely did not reach the server: it is retried, and every seat gets it once', async () => {
    let refused = 0;
    const backend = await startWorkshopBackend({
      fault: (body) =>
        body.op === 'message' && refused++ === 0 ? { status: 429, body: { op: 'message', result: false, error: 'TOOMANY' }, headers: { 'retry-after': '1' } } : undefined,
    });
    try {
      expect((await workshop(['room', '--seats', '3', '--platforms', 'web', '--api-url', backend.url], cwd)).code).toBe(0);
      const run = await announce(['room', '--text', 'Hi', '--api-url', backend.url], cwd);
      expect(run.code, run.output).toBe(0);
      expect(backend.requests.filter((r) => r.op === 'message')).toHaveLength(2);
      expect(backend.messages.flatMap((m) => m.to)).toEqual(['seat-1', 'seat-2', 'seat-3']);
    } finally {
      await backend.close();
    }
  });

  it('refuses a text holding the App Token or 8 characters of a seat token, without showing it: exit 2, nothing sent', async () => {
    const backend = await startWorkshopBackend();
    try {
      expect((await workshop(['room', '--seats', '2', '--platforms', 'web', '--api-url', backend.url], cwd)).code).toBe(0);
      const seatToken = Object.values(keptTokens(path.join(cwd, 'room'))['seat-1']!)[0]!;
      for (const text of [`token: ${WORKSHOP_APP_TOKEN}`, `look ${seatToken.slice(10, 18)} here`]) {
        backend.requests.length = 0;
        const run = await announce(['room', '--text', text, '--api-url', backend.url], cwd);
        expect(run.code, run.output).toBe(2);
        expect(run.output).not.toContain(WORKSHOP_APP_TOKEN.slice(0, 8));
        expect(run.output).not.toContain(seatToken.slice(10, 18));
        expect(backend.requests).toEqual([]);
      }
      expect(ledger(path.join(cwd, 'room')).announcements).toEqual([]);
    } finally {
      await backend.close();
    }
  });
});

describe('the sandbox answers the message op', () => {
  let sandbox: Sandbox;
  let cwd: string;
  beforeAll(async () => {
    sandbox = await startSandbox();
    cwd = scratchDir('cma-announce-sandbox-');
  });
  afterAll(async () => {
    await sandbox.close();
    removeScratch(cwd);
  });

  it('a workshop on a standalone sandbox, then announce: the sandbox records the message from the host to every seat', async () => {
    const env = { MESIBO_APP_TOKEN: 'any-app-token-the-sandbox-accepts' };
    expect((await workshop(['room', '--seats', '5', '--platforms', 'web', '--api-url', sandbox.url], cwd, env)).code).toBe(0);
    const run = await announce(['room', '--text', 'Hello room', '--api-url', sandbox.url], cwd, env);
    expect(run.code, run.output).toBe(0);
    expect(sandbox.messages).toEqual([{ mid: 1000001, from: 'host', to: ['seat-1', 'seat-2', 'seat-3', 'seat-4', 'seat-5'], message: 'Hello room' }]);
  });

  it('a --sandbox workshop cannot announce (its users lived only during that run): exit 2', async () => {
    expect((await workshop(['local', '--seats', '2', '--platforms', 'web', '--sandbox'], cwd, {})).code).toBe(0);
    const run = await announce(['local', '--text', 'Hello'], cwd, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('was set up with --sandbox');
  });
});
