/**
 * Issue 16: Ctrl-C in the middle of a workshop run, in a real process (the built CLI, a real SIGINT).
 * The fake backend answers the first 10 useradds and holds every later one, so the run is caught with
 * requests in flight. Once the held requests have arrived, every answered one has been handled (a
 * worker sends its next request only after recording the previous answer). Then SIGINT: exit 130,
 * the ledger and the kept tokens list exactly those 10 (written on the way out, not left to a timer),
 * nothing half-written is left; a rerun completes with no second useradd for any of them.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { CLI, cliEnv } from './support/cli';
import { startWorkshopBackend, useraddKeys, WORKSHOP_APP_TOKEN, type WorkshopBackend } from './support/workshop-backend';
import { keptTokens, ledger, removeScratch, scratchDir, seatFolders } from './support/workshop-run';

const CONCURRENCY = 4;
const ANSWERED = 10;

let backend: WorkshopBackend | undefined;
let cwd: string | undefined;
afterEach(async () => {
  await backend?.close();
  if (cwd) removeScratch(cwd);
});

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every file below `dir` whose name marks it as a leftover: staging folders and temp files. */
function leftovers(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.creating-|\.tmp$|\.mesibo-app/.test(path.basename(f)));
}

describe('SIGINT in the middle of a workshop run', () => {
  it('exits 130 with every answered user recorded; the rerun completes with no duplicate useradd', async () => {
    backend = await startWorkshopBackend({ hold: (body, answered) => body.op === 'useradd' && answered >= ANSWERED });
    cwd = scratchDir('cma-sigint-');
    const args = [CLI, 'workshop', 'room', '--seats', '20', '--platforms', 'web,python', '--python-app-id', 'com.example.room.py', '--api-url', backend.url];
    const env = cliEnv({ MESIBO_APP_TOKEN: WORKSHOP_APP_TOKEN, CREATE_MESIBO_APP_CONCURRENCY: String(CONCURRENCY) });
    const child = execa('node', args, { cwd, env, extendEnv: false, reject: false, stdin: 'ignore' });
    await until(() => backend!.requests.length >= ANSWERED + CONCURRENCY, 'the held requests');
    child.kill('SIGINT');
    const first = await child;
    expect(first.exitCode, first.stderr).toBe(130);
    expect(first.stderr).toMatch(/Stopped \(interrupted\)\. What this run made is kept: 10 tokens, recorded in room\/workshop\.json, and \d+ seat folders\. Run the same command again/);
    expect(first.stderr).not.toContain('nothing was written');

    const root = path.join(cwd, 'room');
    const answered = backend.issued.map((i) => `${i.address} ${i.appid}`).sort();
    expect(answered).toHaveLength(ANSWERED);
    const l = ledger(root);
    const recorded = [l.host, ...l.seats].flatMap((s: any) => Object.keys(s.issued).map((appId) => `${s.address} ${appId}`)).sort();
    expect(recorded).toEqual(answered);
    const kept = keptTokens(root);
    for (const i of backend.issued) expect(kept[i.address]![i.appid]).toBe(i.token);
    expect(leftovers(root)).toEqual([]);
    // The folders that were complete are whole: host (with seat 1, tokens by request 4) and seats 1-2.
    for (const s of l.seats.filter((s: any) => s.written)) expect(existsSync(path.join(root, s.folder, 'web', 'config.js'))).toBe(true);

    // The rerun: the same command, the backend now answering everything.
    backend.release();
    backend.requests.length = 0;
    const second = await execa('node', args, { cwd, env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(second.exitCode, second.stderr).toBe(0);
    const again = useraddKeys(backend.requests);
    expect(again.filter((k) => answered.includes(k))).toEqual([]);
    expect(new Set(again).size).toBe(again.length);
    expect(again).toHaveLength(21 * 2 - ANSWERED);
    expect(seatFolders(root)).toHaveLength(20);
    expect(second.stdout).toContain(`created by this run: ${21 * 2 - ANSWERED} tokens; before it: ${ANSWERED} tokens`);
  }, 60_000);
});
