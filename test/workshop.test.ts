/**
 * Issue 16, happy path: 30 seats against a fake mesibo backend, two appids (web and python differ).
 * What an organiser and the attendees get: one project per seat carrying its own token and its buddy's
 * for each appid, with the buddy as the default peer; a handout without tokens; a ledger without
 * tokens; one useradd per user and appid, never two; token files 0600 and git-ignored; no App Token
 * anywhere on disk or in the output. An odd count pairs the last seat with the host.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkshopBackend, useraddKeys, WORKSHOP_APP_TOKEN, type WorkshopBackend } from './support/workshop-backend';
import { filesBelow, keptTokens, ledger, pythonUsers, removeScratch, scratchDir, seatFolders, webUsers, workshop } from './support/workshop-run';
import { endOfNextDay, minutesUntil } from '../src/workshop/expiry';
import { mode } from './support/cli';

const WEB = 'com.example.room.web';
const PY = 'com.example.room.py';
const seat = (n: number) => `seat-${String(n).padStart(2, '0')}`;

describe('workshop --seats 30 (two appids)', () => {
  let backend: WorkshopBackend;
  let cwd: string;
  let root: string;
  let run: Awaited<ReturnType<typeof workshop>>;
  let started: Date;
  let ended: Date;

  beforeAll(async () => {
    backend = await startWorkshopBackend();
    cwd = scratchDir('cma-workshop-');
    root = path.join(cwd, 'room');
    started = new Date();
    run = await workshop(['room', '--seats', '30', '--platforms', 'web,python', '--web-app-id', WEB, '--python-app-id', PY, '--api-url', backend.url], cwd);
    ended = new Date();
  }, 60_000);
  afterAll(async () => {
    await backend.close();
    removeScratch(cwd);
  });

  it('succeeds with one useradd per user and appid: 31 users (30 seats and the host) x 2 appids, none twice', () => {
    expect(run.code, run.output).toBe(0);
    const keys = useraddKeys(backend.requests);
    expect(keys).toHaveLength(62);
    expect(new Set(keys).size).toBe(62);
    const expected = ['host', ...Array.from({ length: 30 }, (_, i) => seat(i + 1))].flatMap((a) => [`${a} ${WEB}`, `${a} ${PY}`]);
    expect([...keys].sort()).toEqual(expected.sort());
    // The host's requests go first, so the odd seat's (and the host's own) folder can be completed early.
    expect(keys.slice(0, 2).every((k) => k.startsWith('host '))).toBe(true);
  });

  it('writes one folder per seat, seat-01 to seat-30 (two digits: the width follows 30), and the host\'s', () => {
    expect(seatFolders(root)).toEqual(Array.from({ length: 30 }, (_, i) => seat(i + 1)));
    expect(existsSync(path.join(root, 'host', 'mesibo.json'))).toBe(true);
  });

  it("puts in each seat's starters its own token and its buddy's, per appid, the seat first and the buddy as its peer", () => {
    const issued = new Map(backend.issued.map((i) => [`${i.address} ${i.appid}`, i.token]));
    for (let n = 1; n <= 30; n++) {
      const buddy = seat(n % 2 === 1 ? n + 1 : n - 1);
      const dir = path.join(root, 'seats', seat(n));
      const web = webUsers(dir);
      expect(web.appId).toBe(WEB);
      expect(web.users).toEqual([
        { address: seat(n), token: issued.get(`${seat(n)} ${WEB}`) },
        { address: buddy, token: issued.get(`${buddy} ${WEB}`) },
      ]);
      const py = pythonUsers(dir);
      expect(py.appId).toBe(PY);
      expect(py.users).toEqual([
        { address: seat(n), token: issued.get(`${seat(n)} ${PY}`) },
        { address: buddy, token: issued.get(`${buddy} ${PY}`) },
      ]);
      // mesibo.json: the pair with the uids the backend gave.
      const manifest = JSON.parse(readFileSync(path.join(dir, 'mesibo.json'), 'utf8'));
      expect(manifest.users.map((u: any) => u.address)).toEqual([seat(n), buddy]);
      expect(manifest.users[0].uid).toBe(backend.issued.find((i) => i.address === seat(n))!.uid);
    }
  });

  it('keeps every token file 0600 and git-ignored, and the kept-token file too', () => {
    execFileSync('git', ['init', '-q'], { cwd: root });
    const secrets = [
      '.workshop-tokens.json',
      ...Array.from({ length: 30 }, (_, i) => [`seats/${seat(i + 1)}/web/config.js`, `seats/${seat(i + 1)}/python/config.json`]).flat(),
      'host/web/config.js',
    ];
    for (const file of secrets) expect(mode(path.join(root, file)), file).toBe(0o600);
    const ignored = execFileSync('git', ['check-ignore', '--no-index', ...secrets], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    expect(ignored.sort()).toEqual([...secrets].sort());
    // The committed twins are not ignored.
    expect(() => execFileSync('git', ['check-ignore', '--no-index', `seats/${seat(1)}/web/config.js.example`], { cwd: root })).toThrow();
  });

  it('writes a ledger with the seats, buddies, folders and uids, and no token', () => {
    const l = ledger(root);
    expect(l.seats).toHaveLength(30);
    expect(l.seats[0]).toMatchObject({ number: 1, address: 'seat-01', name: 'Seat 01', folder: 'seats/seat-01', buddy: 'seat-02' });
    expect(l.seats[29]).toMatchObject({ address: 'seat-30', buddy: 'seat-29' });
    expect(l.host).toMatchObject({ address: 'host', folder: 'host', buddy: 'seat-01' });
    for (const s of [l.host, ...l.seats]) {
      const uid = backend.issued.find((i) => i.address === s.address)!.uid;
      expect(s.issued[WEB].uid).toBe(uid);
      expect(s.issued[PY].uid).toBe(uid);
      expect(s.written).not.toBeNull();
    }
    const text = readFileSync(path.join(root, 'workshop.json'), 'utf8');
    for (const { token } of backend.issued) expect(text).not.toContain(token);
    // What was issued is kept (0600) so a rerun can render without issuing again.
    const kept = keptTokens(root);
    for (const i of backend.issued) expect(kept[i.address]![i.appid]).toBe(i.token);
  });

  it('gives every token the same end, the end of the next day (local time), and says so', () => {
    const lo = minutesUntil(endOfNextDay(ended), ended);
    const hi = minutesUntil(endOfNextDay(started), started);
    for (const r of backend.requests) expect(r.user.token.expiry).toBeGreaterThanOrEqual(lo), expect(r.user.token.expiry).toBeLessThanOrEqual(hi);
    expect(ledger(root).tokens).toEqual({ until: endOfNextDay(started).toISOString(), requestedMinutes: null, kept: '.workshop-tokens.json' });
    expect(run.output).toMatch(/tokens last until the end of \w+day, \d+ \w+ \d{4} \(midnight, [^)]*\), \d+ minutes from now: the default, the end of the next day/);
  });

  it('writes a handout: one card per seat with name, address, buddy and folder, web first, and no token', () => {
    const html = readFileSync(path.join(root, 'handout.html'), 'utf8');
    const cards = html.split('<article class="card">').slice(1);
    expect(cards).toHaveLength(30);
    expect(cards[0]).toContain('<h2>Seat 01</h2>');
    expect(cards[0]).toContain('<dt>You are</dt><dd><code>seat-01</code></dd>');
    expect(cards[0]).toContain('<dt>Your buddy</dt><dd>Seat 02 (<code>seat-02</code>)</dd>');
    expect(cards[0]).toContain('<dt>Your folder</dt><dd><code>seats/seat-01/</code></dd>');
    expect(cards[0]!.indexOf('Web (JavaScript)')).toBeLessThan(cards[0]!.indexOf('Python'));
    expect(cards[0]).toContain('http://localhost:8080/?user=seat-01');
    expect(cards[0]).toContain('python main.py --user seat-01 --to seat-02');
    expect(html).toMatch(/@media print/);
    for (const { token } of backend.issued) expect(html).not.toContain(token);
  });

  it('never writes or prints the App Token', () => {
    for (const { file, content } of filesBelow(root)) expect(content.includes(WORKSHOP_APP_TOKEN), file).toBe(false);
    expect(run.output).not.toContain(WORKSHOP_APP_TOKEN);
    expect(run.output).toMatch(/created by this run: 62 tokens; before it: 0 tokens/);
  });
});

describe('an odd number of seats', () => {
  it('pairs the last seat with the host, both ways (the host\'s folder has the odd seat as its peer)', async () => {
    const backend = await startWorkshopBackend();
    const cwd = scratchDir('cma-workshop-odd-');
    try {
      const run = await workshop(['odd', '--seats', '7', '--platforms', 'web', '--api-url', backend.url], cwd);
      expect(run.code, run.output).toBe(0);
      const root = path.join(cwd, 'odd');
      // Seven seats: one digit.
      expect(seatFolders(root)).toEqual(['seat-1', 'seat-2', 'seat-3', 'seat-4', 'seat-5', 'seat-6', 'seat-7']);
      expect(webUsers(path.join(root, 'seats', 'seat-7')).users.map((u) => u.address)).toEqual(['seat-7', 'host']);
      expect(webUsers(path.join(root, 'seats', 'seat-5')).users.map((u) => u.address)).toEqual(['seat-5', 'seat-6']);
      expect(webUsers(path.join(root, 'host')).users.map((u) => u.address)).toEqual(['host', 'seat-7']);
      const card7 = readFileSync(path.join(root, 'handout.html'), 'utf8').split('<article class="card">')[7]!;
      expect(card7).toContain('<dt>Your buddy</dt><dd>Workshop host (<code>host</code>)</dd>');
      expect(useraddKeys(backend.requests)).toHaveLength(8);
    } finally {
      await backend.close();
      removeScratch(cwd);
    }
  });
});
