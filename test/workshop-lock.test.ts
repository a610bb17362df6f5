/**
 * Issue 19, bug 5: two `workshop` runs on one folder at once. The first holds a lock file in the
 * folder (created O_EXCL, naming its owner) for the whole run; a second run on the same folder is
 * refused at once (exit 2, saying the folder is in use and what to do) without a single request or
 * write, so no token is issued twice and the seat folders match the ledger. A lock left by a run that
 * was killed (its process is gone) is removed by the next run, which then completes.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkshopBackend, useraddKeys, type WorkshopBackend } from './support/workshop-backend';
import { keptTokens, ledger, removeScratch, scratchDir, webUsers, workshop } from './support/workshop-run';
import { currentOwner, ownerTag } from '../src/write/owner';
import { LOCK_FILE } from '../src/write/lock';

const FLAGS = ['--seats', '3', '--platforms', 'web'];
let cwd: string;
let backend: WorkshopBackend | undefined;
const root = () => path.join(cwd, 'room');

beforeEach(() => {
  cwd = scratchDir('cma-lock-');
});
afterEach(async () => {
  await backend?.close();
  removeScratch(cwd);
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (const end = Date.now() + 20_000; !check(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('workshop runs lock their folder', () => {
  it('a second run while the first is working is refused (exit 2), sends nothing, and the first completes consistent', async () => {
    // The first run's first two useradds are answered, then every request is held: it is mid-run.
    backend = await startWorkshopBackend({ hold: (body, answered) => body.op === 'useradd' && answered >= 2 });
    const first = workshop(['room', ...FLAGS, '--api-url', backend.url], cwd);
    await until(() => backend!.requests.length >= 3, 'the first run to be mid-way');
    const sentByFirst = backend.requests.length;

    const second = await workshop(['room', ...FLAGS, '--api-url', backend.url], cwd);
    expect(second.code, second.output).toBe(2);
    expect(second.stderr).toMatch(/"room" is in use: create-mesibo-app \(process \d+\) is working on it now/);
    expect(second.stderr).toMatch(/Wait for that run to end, then run (create-mesibo-app|node \S+) workshop "room" … again/);
    expect(second.stderr).toContain('Nothing was done.');
    expect(second.stderr).not.toMatch(/a bug/);
    expect(backend.requests.length).toBe(sentByFirst); // not one request from the second run

    backend.release();
    const done = await first;
    expect(done.code, done.output).toBe(0);
    const keys = useraddKeys(backend.requests);
    expect(new Set(keys).size).toBe(keys.length); // no user issued twice
    expect(keys).toHaveLength(4);
    // Every seat folder carries the tokens the ledger keeps.
    const kept = keptTokens(root());
    for (const seat of ledger(root()).seats) {
      const users = webUsers(path.join(root(), seat.folder)).users;
      for (const u of users) expect(u.token).toBe(Object.values(kept[u.address]!)[0]);
    }
    expect(existsSync(path.join(root(), LOCK_FILE))).toBe(false); // released at the end
  }, 40_000);

  it("a lock left by a killed run (its process is gone) is removed, and the run completes", async () => {
    backend = await startWorkshopBackend({});
    mkdirSync(root());
    const dead = spawnSync('true').pid!;
    writeFileSync(path.join(root(), LOCK_FILE), `${ownerTag({ ...currentOwner(), pid: dead })}\n`);
    const run = await workshop(['room', ...FLAGS, '--api-url', backend.url], cwd);
    expect(run.code, run.output).toBe(0);
    expect(existsSync(path.join(root(), LOCK_FILE))).toBe(false);
    expect(readFileSync(path.join(root(), '.gitignore'), 'utf8')).toContain(LOCK_FILE);
  });

  it('a refused run (bad App Token source) leaves no lock and no empty folder behind', async () => {
    const run = await workshop(['room', ...FLAGS, '--api-url', 'https://api.example.test/api.php'], cwd, {});
    expect(run.code, run.output).toBe(2);
    expect(existsSync(root())).toBe(false);
  });
});
