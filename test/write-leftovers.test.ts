/**
 * Issue 12, item 12: a run killed (SIGKILL) while it writes leaves its staging folder, token files
 * included. Staging folders carry their owner in their name; a later run in the same parent removes
 * those of a dead owner, says so in one line, and never touches one whose owner runs, one of another
 * machine, one not named by us, one owned by another user, or a link.
 *
 * The kill lands at a known point through the test-only hook CREATE_MESIBO_APP_TEST_PAUSE_WRITE: the
 * run writes its staging path into that file once every file is staged, and waits until it is deleted.
 */
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, filesContaining, listFiles, removeDir, runCli, spawnCli, tempDir } from './support/cli';
import { tokensIn } from './support/refresh';
import { currentOwner, ownerState, ownerTag, parseStagingName } from '../src/write/owner';

let dir: string;
beforeAll(() => {
  dir = tempDir('cma-leftovers-');
});
afterAll(() => removeDir(dir));

const sandbox = (target: string) => [target, '--sandbox', '--yes', '--no-git'];

/** Starts a create that stops once every file is staged; resolves with the run and its staging folder. */
async function pausedRun(cwd: string, target: string, name: string) {
  const pause = path.join(dir, `${name}.pause`);
  const run = spawnCli(sandbox(target), { cwd, env: cliEnv({ CI: '1', CREATE_MESIBO_APP_TEST_PAUSE_WRITE: pause }) });
  for (const until = Date.now() + 30_000; !existsSync(pause) || readFileSync(pause, 'utf8') === ''; ) {
    if (Date.now() > until) throw new Error('the run never reached the write step');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { run, pause, staging: readFileSync(pause, 'utf8') };
}

async function killed(run: ReturnType<typeof spawnCli>) {
  run.kill('SIGKILL');
  const result = await run;
  expect(result.signal).toBe('SIGKILL');
}

describe('a run killed while it writes', () => {
  it('leaves a staging folder holding tokens; the next run in the parent removes it and says so', async () => {
    const { run, pause, staging } = await pausedRun(dir, 'killed-app', 'a');
    expect(path.dirname(staging)).toBe(dir); // beside the target, which did not exist
    expect(tokensIn(readFileSync(path.join(staging, 'web/config.js'), 'utf8')).length).toBe(2);
    await killed(run);
    unlinkSync(pause);
    expect(existsSync(staging)).toBe(true); // what issue 12 found: a leftover with token files

    const next = await runCli(sandbox('other-app'), { cwd: dir, env: cliEnv({ CI: '1' }) });
    expect(next.exitCode, String(next.stderr)).toBe(0);
    const notice = String(next.stdout).split('\n').filter((l) => l.startsWith('Removed'));
    expect(notice).toEqual([`Removed a staging folder left by an earlier run that was killed (${path.basename(staging)}), with the token files in it.`]);
    expect(existsSync(staging)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.creating-'))).toEqual([]);
  });

  it('`create .` killed leaves it inside the folder; rerunning `create .` cleans it and succeeds', async () => {
    const target = path.join(dir, 'here');
    mkdirSync(target);
    const { run, pause, staging } = await pausedRun(target, '.', 'b');
    expect(path.dirname(staging)).toBe(target); // staged inside the existing target
    await killed(run);
    unlinkSync(pause);
    const token = tokensIn(readFileSync(path.join(staging, 'web/config.js'), 'utf8'))[0]!;

    const again = await runCli(sandbox('.'), { cwd: target, env: cliEnv({ CI: '1' }) });
    expect(again.exitCode, String(again.stderr)).toBe(0);
    expect(String(again.stdout)).toMatch(/^Removed a staging folder left by an earlier run that was killed/m);
    expect(existsSync(staging)).toBe(false);
    expect(filesContaining(target, token)).toEqual([]); // the dead run's tokens are gone with it
    expect(listFiles(target)).toContain('web/config.js');
  });

  it("never removes a live run's staging folder; that run then completes", async () => {
    const { run, pause, staging } = await pausedRun(dir, 'live-app', 'c');
    const other = await runCli(sandbox('beside-live'), { cwd: dir, env: cliEnv({ CI: '1' }) });
    expect(other.exitCode, String(other.stderr)).toBe(0);
    expect(String(other.stdout)).not.toMatch(/Removed/);
    expect(existsSync(staging)).toBe(true);
    unlinkSync(pause); // let it go on
    const result = await run;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(listFiles(path.join(dir, 'live-app'))).toContain('web/config.js');
  });
});

describe('what is never removed', () => {
  it('folders of another machine, not named by us, of another user, or links', async () => {
    const parent = path.join(dir, 'not-ours');
    mkdirSync(parent);
    const me = currentOwner();
    const dead = { ...me, pid: 2 ** 22 + 17 }; // beyond Linux's pid_max: no such process
    const keep = [
      `.app.creating-${ownerTag({ ...dead, host: 'ffffffff' })}-aaaaaaaa`, // another machine: not ours to judge
      '.app.creating-Xy12Zq', // an older name without an owner
      `.app.creating-${ownerTag(dead)}-bbbbbbbb`, // dead owner, but another user's folder (below)
    ];
    for (const name of keep) mkdirSync(path.join(parent, name));
    chownSync(path.join(parent, keep[2]!), 1000, 1000);
    const outside = path.join(dir, 'link-target');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'keep.txt'), 'keep\n');
    const link = `.app.creating-${ownerTag(dead)}-cccccccc`;
    symlinkSync(outside, path.join(parent, link));
    const removable = `.app.creating-${ownerTag(dead)}-dddddddd`;
    mkdirSync(path.join(parent, removable));

    const result = await runCli(sandbox('app'), { cwd: parent, env: cliEnv({ CI: '1' }) });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toContain(`(${removable})`);
    expect(readdirSync(parent).sort()).toEqual([...keep, link, 'app'].sort());
    expect(readFileSync(path.join(outside, 'keep.txt'), 'utf8')).toBe('keep\n');
  });
});

describe('owner tags', () => {
  it('read back what they wrote', () => {
    const me = currentOwner();
    expect(parseStagingName(`.my app.creating-${ownerTag(me)}-0a1b2c3d`)).toEqual(me);
    expect(parseStagingName('.my-app.creating-abc123')).toBeUndefined();
  });

  it('tell a live owner from a dead one, a reused pid, a restarted machine and another machine', async () => {
    const me = currentOwner();
    expect(ownerState(me)).toBe('alive');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const childOwner = { ...me, pid: child.pid!, start: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]! };
    expect(ownerState(childOwner)).toBe('alive');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(ownerState(childOwner)).toBe('dead');
    expect(ownerState({ ...me, start: String(Number(me.start) + 1) })).toBe('dead'); // our pid, another start: reused
    expect(ownerState({ ...me, boot: 'abcdef01' })).toBe('dead');
    expect(ownerState({ ...me, host: 'ffffffff' })).toBe('foreign');
  });
});
