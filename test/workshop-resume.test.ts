/**
 * Issue 16, resuming: the fake backend refuses seat 17's useradd; the run stops with what it made
 * recorded; a rerun of the same command creates only what is missing (no second useradd for seats 1-16,
 * nor for anything answered before) and finishes every seat. Also: a token file deleted from a written
 * seat comes back from the kept tokens without a request; a lost kept-token file costs new tokens only
 * for the folders that still need them; other settings, or another endpoint, are refused before any request.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkshopBackend, useraddKeys, type WorkshopBackend } from './support/workshop-backend';
import { keptTokens, ledger, removeScratch, scratchDir, seatFolders, workshop } from './support/workshop-run';
import { mode } from './support/cli';
import { currentOwner, ownerTag } from '../src/write/owner';

const seat = (n: number) => `seat-${String(n).padStart(2, '0')}`;
let failing = true;
const refuseSeat17 = (body: Record<string, any>) =>
  failing && body.op === 'useradd' && body.user.address === 'seat-17'
    ? { status: 400, body: { op: 'useradd', result: false, error: 'MISSINGPARA', cause: 'injected failure' } }
    : undefined;
const FLAGS = ['--seats', '30', '--platforms', 'web,python', '--python-app-id', 'com.example.room.py'];

let cwd: string;
let backend: WorkshopBackend;
const root = () => path.join(cwd, 'room');
const run = (extra: string[] = [], env?: NodeJS.ProcessEnv) => workshop(['room', ...FLAGS, '--api-url', backend.url, ...extra], cwd, env);

beforeEach(() => {
  cwd = scratchDir('cma-resume-');
});
afterEach(async () => {
  await backend?.close();
  removeScratch(cwd);
});

/** The first run against a backend refusing seat 17; then the same backend, answering everything, with its records cleared. */
async function failAtSeat17() {
  failing = true;
  backend = await startWorkshopBackend({ fault: refuseSeat17 });
  const first = await run();
  const answered = new Set(backend.issued.map((i) => `${i.address} ${i.appid}`));
  failing = false;
  backend.requests.length = 0;
  backend.issued.length = 0;
  return { first, answered };
}

describe('a failure at seat 17, then a rerun', () => {
  it('stops with everything answered recorded, then creates only what is missing: no second useradd for seats 1-16', async () => {
    const { first, answered } = await failAtSeat17();
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/refused useradd for user "seat-17" \(appid "com\.example\.room"\): MISSINGPARA \(injected failure\)/);
    expect(first.stderr).toMatch(/Run the same command again \((create-mesibo-app|node \S+) workshop "room" …\): it creates only what is missing/);
    // Every token the backend gave is kept and recorded (the run waited for the requests in flight).
    const kept = keptTokens(root());
    expect(Object.entries(kept).flatMap(([a, perApp]) => Object.keys(perApp).map((appId) => `${a} ${appId}`)).sort()).toEqual([...answered].sort());
    for (let n = 1; n <= 16; n++) expect(answered.has(`${seat(n)} com.example.room`)).toBe(true);
    expect(seatFolders(root())).toEqual(expect.arrayContaining(Array.from({ length: 16 }, (_, i) => seat(i + 1))));
    expect(seatFolders(root())).not.toContain('seat-17');
    const seat1Config = readFileSync(path.join(root(), 'seats', 'seat-01', 'web', 'config.js'), 'utf8');

    const second = await run();
    expect(second.code, second.output).toBe(0);
    const again = useraddKeys(backend.requests);
    expect(again.filter((k) => answered.has(k))).toEqual([]);
    expect(again.some((k) => /^seat-(0\d|1[0-6]) /.test(k))).toBe(false);
    expect(new Set([...again, ...answered]).size).toBe(62); // together: every user and appid, once
    expect(again).toHaveLength(62 - answered.size);
    expect(seatFolders(root())).toEqual(Array.from({ length: 30 }, (_, i) => seat(i + 1)));
    expect(readFileSync(path.join(root(), 'seats', 'seat-01', 'web', 'config.js'), 'utf8')).toBe(seat1Config);
    expect(second.stdout).toMatch(new RegExp(`created by this run: ${62 - answered.size} tokens; before it: ${answered.size} tokens`));
    expect(ledger(root()).seats.every((s: any) => s.written !== null && Object.keys(s.issued).length === 2)).toBe(true);
  });

  it('without the kept-token file, issues again only what unwritten folders need (never seats 1-16)', async () => {
    const { answered } = await failAtSeat17();
    rmSync(path.join(root(), '.workshop-tokens.json'));
    const second = await run();
    expect(second.code, second.output).toBe(0);
    const again = useraddKeys(backend.requests);
    expect(again.some((k) => /^seat-(0\d|1[0-6]) /.test(k))).toBe(false);
    const reissued = again.filter((k) => answered.has(k));
    expect(reissued.length).toBeGreaterThan(0); // seat 18's: its folder still needs them
    expect(reissued.every((k) => !/^seat-(0\d|1[0-6]) /.test(k))).toBe(true);
    expect(second.stderr).toContain(`.workshop-tokens.json is gone: ${reissued.length} tokens recorded as issued are issued again`);
    expect(seatFolders(root())).toHaveLength(30);
    expect(mode(path.join(root(), '.workshop-tokens.json'))).toBe(0o600);
  });
});

describe('a rerun of a finished workshop', () => {
  beforeEach(async () => {
    backend = await startWorkshopBackend();
    expect((await run()).code).toBe(0);
    backend.requests.length = 0;
  });

  it('puts a deleted token file back from the kept tokens, with no request and no App Token', async () => {
    const file = path.join(root(), 'seats', 'seat-03', 'web', 'config.js');
    const before = readFileSync(file, 'utf8');
    rmSync(file);
    const again = await run([], {});
    expect(again.code, again.output).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(mode(file)).toBe(0o600);
    expect(again.stdout).toContain('token files put back into written seats: 1');
    expect(backend.requests).toEqual([]);
  });

  it('removes the staging folder a killed run (kill -9) left in seats/, with its token files, and says so', async () => {
    // A staging folder named for a process that has exited (src/write/owner.ts), as a killed run leaves it.
    const dead = spawnSync('true').pid!;
    const owner = { ...currentOwner(), pid: dead };
    const leftover = path.join(root(), 'seats', `.seat-05.creating-${ownerTag(owner)}-abc123`);
    mkdirSync(path.join(leftover, 'web'), { recursive: true });
    writeFileSync(path.join(leftover, 'web', 'config.js'), 'tokens', { mode: 0o600 });
    const again = await run([], {});
    expect(again.code, again.output).toBe(0);
    expect(existsSync(leftover)).toBe(false);
    expect(again.stdout).toMatch(/Removed a staging folder left by an earlier run that was killed \(room\/seats\/\.seat-05\.creating-/);
    expect(backend.requests).toEqual([]);
  });

  it('adds the zips when --zip is given later, with no request', async () => {
    const again = await run(['--zip'], {});
    expect(again.code, again.output).toBe(0);
    expect(ledger(root()).seats.map((s: any) => s.zip)).toEqual(Array.from({ length: 30 }, (_, i) => `seats/${seat(i + 1)}.zip`));
    expect(mode(path.join(root(), 'seats', 'seat-30.zip'))).toBe(0o600);
    expect(backend.requests).toEqual([]);
  });

  it('refuses other settings (exit 2, nothing sent)', async () => {
    const other = await workshop(['room', '--seats', '31', '--platforms', 'web,python', '--python-app-id', 'com.example.room.py', '--api-url', backend.url], cwd);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('"room" holds a workshop made with other settings: the seats (recorded: 30; now: 31)');
    expect(backend.requests).toEqual([]);
  });

  it('sends the App Token only to the recorded endpoint, confirmed by --api-url again', async () => {
    rmSync(path.join(root(), 'seats', 'seat-05'), { recursive: true });
    const unconfirmed = await workshop(['room', ...FLAGS], cwd);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain(`This workshop's users were created on "${backend.url}"`);
    expect(unconfirmed.stderr).toContain(`give --api-url "${backend.url}" again to confirm it`);
    const elsewhere = await startWorkshopBackend();
    try {
      const wrong = await workshop(['room', ...FLAGS, '--api-url', elsewhere.url], cwd);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(`is not the backend this workshop's users were created on`);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
    expect(backend.requests).toEqual([]);
    // Confirmed: the deleted seat is written again from the kept tokens, still without a request.
    const confirmed = await run();
    expect(confirmed.code, confirmed.output).toBe(0);
    expect(seatFolders(root())).toContain('seat-05');
    expect(backend.requests).toEqual([]);
  });
});
