/**
 * Issue 16, the seats: --seats numbering (the width follows n), the roster CSV (header, RFC 4180
 * quotes, every error with its line number, exit 2, nothing written, no request), and folder names a
 * roster cannot break (path tricks, Windows device names, emoji, duplicates after sanitising), with
 * the names still shown as typed, escaped, on the handout.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { numberedSeats } from '../src/workshop/workshop-plan';
import { folderBase, uniqueFolders } from '../src/workshop/folder-names';
import { parseRoster } from '../src/workshop/roster';
import { startWorkshopBackend, type WorkshopBackend } from './support/workshop-backend';
import { ledger, removeScratch, scratchDir, seatFolders, webUsers, workshop } from './support/workshop-run';

describe('--seats n', () => {
  it('numbers seats as wide as n: 9 -> seat-1..seat-9, 10 -> seat-01.., 100 -> seat-001.., 1000 -> seat-0001..', () => {
    expect(numberedSeats(1).map((s) => s.address)).toEqual(['seat-1']);
    expect(numberedSeats(9).map((s) => s.address).slice(-2)).toEqual(['seat-8', 'seat-9']);
    expect(numberedSeats(10).map((s) => s.address).slice(0, 2)).toEqual(['seat-01', 'seat-02']);
    expect(numberedSeats(100)[0]).toEqual({ address: 'seat-001', name: 'Seat 001' });
    expect(numberedSeats(1000).at(-1)!.address).toBe('seat-1000');
    expect(numberedSeats(1000)[0]!.address).toBe('seat-0001');
  });
});

describe('the roster', () => {
  it('reads name,address lines with an optional header, quotes, commas and "" inside quotes, CRLF, a BOM and blank lines', () => {
    const text = '\uFEFFName,Address\r\n"Lovelace, Ada",ada@example.com\r\n\r\n  Grace Hopper , grace \n"Say ""hi""",q\n';
    expect(parseRoster(text, 'host')).toEqual({
      entries: [
        { line: 2, name: 'Lovelace, Ada', address: 'ada@example.com' },
        { line: 4, name: 'Grace Hopper', address: 'grace' },
        { line: 5, name: 'Say "hi"', address: 'q' },
      ],
      problems: [],
    });
  });

  it('reports every problem with the line it is on (a quoted line break counts), and takes no line as the header unless it is one', () => {
    const text = [
      'ada,ada', // 1: not a header: an attendee
      'bob', // 2: one field
      'carol,ada', // 3: duplicate of line 1
      ',dave', // 4: empty name
      'eve,', // 5: empty address
      '"Multi', // 6-7: a quoted line break inside a name (a control character)
      'line",m',
      'frank,host', // 8: the host's address
      'gina,"a,b"', // 9: a comma in the address
      'h,i,j', // 10: three fields
      '"unclosed,x', // 11: never closed
    ].join('\n');
    const { problems } = parseRoster(text, 'host');
    expect(problems).toEqual([
      'line 2: has 1 field, expected 2 (name,address); quote a name that contains a comma',
      'line 3: the address "ada" is already on line 1; addresses must be unique',
      'line 4: the name "" is empty',
      'line 5: the address is empty',
      'line 6: the name "Multi line" contains a control character',
      'line 8: the address "host" is the host\'s; give the host another one with --host',
      'line 9: the address "a,b" contains a comma, which mesibo\'s comma-separated recipient lists cannot carry',
      'line 10: has 3 fields, expected 2 (name,address); quote a name that contains a comma',
      'line 11: a quote opened here is never closed',
    ]);
  });

  it('refuses more than 1000 attendees and an empty file', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `n${i},a${i}`).join('\n');
    expect(parseRoster(many, 'host').problems).toEqual(['has 1001 attendees; at most 1000 are supported']);
    expect(parseRoster('name,address\n\n', 'host').problems).toEqual(['has no attendees: give one "name,address" a line']);
  });
});

describe('folder names from hostile addresses', () => {
  it('never leave seats/, hide, clash with a device name or differ only in case', () => {
    expect(folderBase('../x')).toBe('x');
    expect(folderBase('a/b')).toBe('a-b');
    expect(folderBase('..\\..\\windows')).toBe('windows');
    expect(folderBase('.hidden')).toBe('hidden');
    expect(folderBase('CON')).toBe('con-seat');
    expect(folderBase('lpt1')).toBe('lpt1-seat');
    expect(folderBase('nul.txt')).toBe('nul-txt');
    expect(folderBase('😀')).toBe('seat');
    expect(folderBase('José Núñez')).toBe('jose-nunez');
    expect(folderBase('trailing dots...')).toBe('trailing-dots');
    expect(folderBase('x'.repeat(100))).toHaveLength(40);
    expect(uniqueFolders(['Ada', 'ada', 'a/d/a', 'ADA', '😀', '🎉', 'ada-2'])).toEqual(['ada', 'ada-2', 'a-d-a', 'ada-3', 'seat', 'seat-2', 'ada-2-2']);
  });
});

describe('workshop --roster (e2e)', () => {
  let backend: WorkshopBackend;
  let cwd: string;
  beforeEach(async () => {
    backend = await startWorkshopBackend();
    cwd = scratchDir('cma-roster-');
  });
  afterEach(async () => {
    await backend.close();
    removeScratch(cwd);
  });

  it('with errors: exit 2, every error with its line number, nothing written, no request made', async () => {
    writeFileSync(path.join(cwd, 'room.csv'), 'name,address\nAda,ada\nBob\nCarol,ada\n,x\n');
    const run = await workshop(['room', '--roster', 'room.csv', '--api-url', backend.url], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--roster "room.csv" has 3 problems; nothing was done:');
    expect(run.stderr).toMatch(/line 3: has 1 field[\s\S]*line 4: the address "ada" is already on line 2[\s\S]*line 5: the name "" is empty/);
    expect(existsSync(path.join(cwd, 'room'))).toBe(false);
    expect(readdirSync(cwd)).toEqual(['room.csv']);
    expect(backend.requests).toEqual([]);
  });

  it('hostile names and addresses: unique safe folders, the address kept as the user, the name escaped on the handout', async () => {
    const rows = [
      ['<script>alert(1)</script>', '../x'],
      ['Con Man', 'CON'],
      ['Smiley', '😀'],
      ['Slash', 'a/b'],
      ['Slash again', 'A/B'],
      ['"Quote" & Co', 'a.b'],
    ];
    const csv = `name,address\n${rows.map(([n, a]) => `"${n!.replace(/"/g, '""')}",${a}`).join('\n')}\n`;
    writeFileSync(path.join(cwd, 'room.csv'), csv);
    const run = await workshop(['room', '--roster', 'room.csv', '--platforms', 'web', '--api-url', backend.url], cwd);
    expect(run.code, run.output).toBe(0);
    const root = path.join(cwd, 'room');
    expect(seatFolders(root)).toEqual(['a-b', 'a-b-2', 'a-b-3', 'con-seat', 'seat', 'x']);
    expect(readdirSync(cwd).sort()).toEqual(['room', 'room.csv']); // nothing landed beside the workshop
    expect(webUsers(path.join(root, 'seats', 'x')).users.map((u) => u.address)).toEqual(['../x', 'CON']);
    expect(webUsers(path.join(root, 'seats', 'a-b-3')).users.map((u) => u.address)).toEqual(['a.b', 'A/B']);
    expect(ledger(root).seats.map((s: any) => [s.address, s.folder])).toEqual([
      ['../x', 'seats/x'],
      ['CON', 'seats/con-seat'],
      ['😀', 'seats/seat'],
      ['a/b', 'seats/a-b'],
      ['A/B', 'seats/a-b-2'],
      ['a.b', 'seats/a-b-3'],
    ]);
    const html = readFileSync(path.join(root, 'handout.html'), 'utf8');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>');
    expect(html).toContain('<h2>&quot;Quote&quot; &amp; Co</h2>');
    expect(html).toContain('<dt>Your folder</dt><dd><code>seats/x/</code></dd>');
    expect(html).toContain('http://localhost:8080/?user=..%2Fx');
  });
});
