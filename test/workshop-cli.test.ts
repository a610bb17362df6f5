/**
 * Issue 16, the command line and the run's own words: `workshop` and `workshop announce` parse to their
 * commands (a folder named "announce" stays possible), help for both, the flags that belong to the other
 * one are named; usage errors before anything is done; progress with count, rate and time left, never
 * under --json, whose summary holds no token; and the built CLI answers `workshop --help`.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/args';
import { progress } from '../src/workshop/summary';
import type { Printer } from '../src/output/printer';
import { runCli, tempDir, removeDir } from './support/cli';
import { startWorkshopBackend } from './support/workshop-backend';
import { removeScratch, scratchDir, workshop } from './support/workshop-run';

describe('parsing', () => {
  it('reads workshop and workshop announce, and a folder called announce with ./', () => {
    expect(parseCommandLine(['workshop', 'room', '--seats', '30', '--zip', '--host', 'teacher'])).toMatchObject({
      command: 'workshop',
      dir: 'room',
      seats: '30',
      zip: true,
      host: 'teacher',
    });
    expect(parseCommandLine(['workshop', '--roster', 'a.csv', '--android-app-id', 'com.a.b'])).toMatchObject({
      command: 'workshop',
      roster: 'a.csv',
      platformAppIds: { android: 'com.a.b' },
    });
    expect(parseCommandLine(['workshop', 'announce', 'room', '--text', 'Hi'])).toMatchObject({ command: 'workshop-announce', dir: 'room', text: 'Hi' });
    expect(parseCommandLine(['workshop', './announce', '--seats', '2'])).toMatchObject({ command: 'workshop', dir: './announce' });
    expect(parseCommandLine(['help', 'workshop', 'announce'])).toEqual({ command: 'help', topic: 'workshop announce' });
    expect(parseCommandLine(['workshop', '--help'])).toEqual({ command: 'help', topic: 'workshop' });
  });

  it("names the command a flag belongs to, and refuses a repeated one", () => {
    expect(() => parseCommandLine(['workshop', '--seats', '3', '--text', 'x'])).toThrow(/--text is for create-mesibo-app workshop announce/);
    expect(() => parseCommandLine(['workshop', 'announce', '--text', 'x', '--seats', '3'])).toThrow(/--seats is for create-mesibo-app workshop/);
    expect(() => parseCommandLine(['workshop', '--seats', '3', '--seats', '4'])).toThrow(/--seats was given more than once/);
  });
});

describe('usage errors: exit 2, nothing written, no request', () => {
  it.each([
    [['--platforms', 'web'], /Say who comes: --seats <n>/],
    [['--seats', '0'], /--seats "0" must be a whole number of seats from 1 to 1000/],
    [['--seats', '1001'], /from 1 to 1000/],
    [['--seats', '3', '--roster', 'a.csv'], /--seats and --roster cannot be used together/],
    [['--seats', '3', '--host', 'seat-1'], /--host "seat-1" is also a seat's address/],
    [['--seats', '3', '--host', 'a,b'], /--host "a,b" contains a comma/],
    [['--seats', '3', '--token-expiry', '-5'], /--token-expiry "-5" must be/],
    [['--seats', '3', '--api-url', 'http://example.com/backend/'], /uses plain http to example.com/],
    [['--seats', '3', '--sandbox', '--api-url', 'https://x.example/'], /--sandbox and --api-url cannot be used together/],
  ])('%j', async (flags, message) => {
    const backend = await startWorkshopBackend();
    const cwd = scratchDir('cma-workshop-usage-');
    try {
      const run = await workshop(['room', ...flags], cwd);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(backend.requests).toEqual([]);
      expect((await import('node:fs')).existsSync(path.join(cwd, 'room'))).toBe(false);
    } finally {
      await backend.close();
      removeScratch(cwd);
    }
  });
});

describe('progress', () => {
  const lines = (json: boolean) => {
    const seen: string[] = [];
    const printer = { progress: (label: string, done: number, total: number) => seen.push(`${label} ${done} of ${total}`) } as unknown as Printer;
    let now = 0;
    const report = progress(printer, json, () => now);
    report(0, 300);
    now = 2000;
    report(100, 300);
    now = 6000;
    report(300, 300);
    return seen;
  };

  it('shows the count, the rate and the time left, then the time in all', () => {
    expect(lines(false)).toEqual([
      'Users and tokens: 0 of 300',
      'Users and tokens (50.0/s, about 4 s left): 100 of 300',
      'Users and tokens (50.0/s, 6 s in all): 300 of 300',
    ]);
  });

  it('says nothing under --json', () => {
    expect(lines(true)).toEqual([]);
  });

  it('--json prints one summary on stdout with the seats and no token', async () => {
    const backend = await startWorkshopBackend();
    const cwd = scratchDir('cma-workshop-json-');
    try {
      const run = await workshop(['room', '--seats', '3', '--platforms', 'web', '--api-url', backend.url, '--json'], cwd);
      expect(run.code, run.output).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary).toMatchObject({ ok: true, sandbox: false, endpoint: backend.url, created: { now: { tokens: 4, folders: 4 }, before: { tokens: 0, folders: 0 } } });
      expect(summary.seats.map((s: any) => [s.address, s.buddy, s.folder])).toEqual([
        ['seat-1', 'seat-2', 'seats/seat-1'],
        ['seat-2', 'seat-1', 'seats/seat-2'],
        ['seat-3', 'host', 'seats/seat-3'],
      ]);
      expect(run.stderr).not.toMatch(/Users and tokens/);
      for (const { token } of backend.issued) expect(run.output).not.toContain(token);
    } finally {
      await backend.close();
      removeScratch(cwd);
    }
  });
});

describe('the built CLI', () => {
  it('answers workshop --help and help workshop announce', async () => {
    const cwd = tempDir();
    try {
      for (const args of [['workshop', '--help'], ['help', 'workshop', 'announce']]) {
        const run = await runCli(args, { cwd });
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/^Usage: create-mesibo-app workshop \[dir\] \(--seats <n> \| --roster <file\.csv>\)/);
        expect(run.stdout).toContain('create-mesibo-app workshop announce [dir] --text <message>');
      }
    } finally {
      removeDir(cwd);
    }
  });
});
