/**
 * Issue 19, vulnerabilities 2 and 3 and bug 6: a workshop rerun writes and reads only inside the
 * workshop folder. A written seat whose `web` (or a file in it) became a link to a folder outside is
 * refused (exit 2, the link named) before anything is sent, written or read: the outside folder stays
 * byte for byte as it was, and no zip packs its files. Temp files of a run killed mid-write (a seat
 * zip's, holding tokens) are owner-marked, removed by the next run with a line saying so, and covered
 * by the workshop's .gitignore.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorkshopBackend, type WorkshopBackend } from './support/workshop-backend';
import { ledger, removeScratch, scratchDir, workshop } from './support/workshop-run';
import { currentOwner, ownerTag, tempFileName } from '../src/write/owner';
import { assertToolsOrSkip } from './support/tools';

const gitTool = assertToolsOrSkip(['git']);
const FLAGS = ['--seats', '2', '--platforms', 'web,python', '--python-app-id', 'com.example.room.py'];
let cwd: string;
let backend: WorkshopBackend;
const root = () => path.join(cwd, 'room');
const run = (extra: string[] = [], env?: NodeJS.ProcessEnv) => workshop(['room', ...FLAGS, '--api-url', backend.url, ...extra], cwd, env);

beforeEach(async () => {
  cwd = scratchDir('cma-inside-');
  backend = await startWorkshopBackend({});
  const first = await run();
  expect(first.code, first.output).toBe(0);
  backend.requests.length = 0;
});
afterEach(async () => {
  await backend?.close();
  removeScratch(cwd);
});

/** Every file below `dir` with its bytes, for a byte-for-byte comparison. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true }) as string[]) {
    const abs = path.join(dir, rel);
    try {
      out[rel] = readFileSync(abs).toString('hex');
    } catch {
      out[rel] = '<folder>';
    }
  }
  return out;
}

/** A folder outside the workshop holding someone's files, and `rel` of seat 1 replaced by a link to it. */
function linkSeatOutside(rel: string, files: Record<string, string>): string {
  const outside = path.join(cwd, 'outside');
  mkdirSync(outside, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(outside, name), content);
  const inSeat = path.join(root(), 'seats', 'seat-1', rel);
  rmSync(inSeat, { recursive: true, force: true });
  symlinkSync(outside, inSeat);
  return outside;
}

describe('a workshop rerun never writes or reads through a link', () => {
  it('seats/seat-1/web linked outside, its config.js gone: refused with exit 2 naming the link; nothing written there', async () => {
    const outside = linkSeatOutside('web', { 'index.html': '<p>not yours</p>\n' });
    const before = snapshot(outside);
    const again = await run([], {});
    expect(again.code, again.output).toBe(2);
    expect(again.stderr).toMatch(/"seats\/seat-1\/web\/" in "room" is a symbolic link \(to ".*outside"\)\. create-mesibo-app never writes through a link/);
    expect(again.stderr).toMatch(/points outside the project/);
    expect(snapshot(outside)).toEqual(before);
    expect(existsSync(path.join(outside, 'config.js'))).toBe(false);
    expect(backend.requests).toEqual([]);
  });

  it('the same link with a config.js of someone else outside: untouched byte for byte', async () => {
    const outside = linkSeatOutside('web', { 'config.js': 'someone else\n' });
    const before = snapshot(outside);
    const again = await run([], {});
    expect(again.code, again.output).toBe(2);
    expect(snapshot(outside)).toEqual(before);
  });

  it('--zip added later, seat 1 python/ linked outside: refused, and no zip packs the outside files', async () => {
    const outside = linkSeatOutside('python', { 'config.json': '{"secret": "outside-file-content"}\n', 'main.py': 'print("theirs")\n' });
    const before = snapshot(outside);
    const again = await run(['--zip'], {});
    expect(again.code, again.output).toBe(2);
    expect(again.stderr).toMatch(/"seats\/seat-1\/python\/" in "room" is a symbolic link/);
    expect(snapshot(outside)).toEqual(before);
    const zips = readdirSync(path.join(root(), 'seats')).filter((n) => n.endsWith('.zip'));
    for (const zip of zips) expect(readFileSync(path.join(root(), 'seats', zip)).includes('outside-file-content')).toBe(false);
    expect(zips).not.toContain('seat-1.zip');
  });

  it('a single file of seat 1 (README.md) linked to a file outside: the zip run refuses to read it', async () => {
    const secret = path.join(cwd, 'secret.txt');
    writeFileSync(secret, 'outside-file-content\n');
    const readme = path.join(root(), 'seats', 'seat-1', 'README.md');
    rmSync(readme);
    symlinkSync(secret, readme);
    const again = await run(['--zip'], {});
    expect(again.code, again.output).toBe(2);
    expect(again.stderr).toMatch(/"seats\/seat-1\/README\.md" in "room" is a symbolic link/);
    expect(existsSync(path.join(root(), 'seats', 'seat-1.zip'))).toBe(false);
  });
});

describe('temp files of a run killed mid-write', () => {
  const deadOwner = () => ({ ...currentOwner(), pid: spawnSync('true').pid! });

  it('are owner-marked: the names the writer uses carry the pid and parse back', () => {
    expect(tempFileName('seat-1.zip', 'abc123')).toBe(`.seat-1.zip.writing-${ownerTag()}-abc123.tmp`);
  });

  it('a dead run\'s seat-zip temp is removed by the next run, with a line saying so; a live one stays', async () => {
    const seats = path.join(root(), 'seats');
    const dead = path.join(seats, `.seat-1.zip.writing-${ownerTag(deadOwner())}-abc123.tmp`);
    const deadTokens = path.join(root(), `..workshop-tokens.json.writing-${ownerTag(deadOwner())}-def456.tmp`);
    const live = path.join(seats, `.seat-2.zip.writing-${ownerTag()}-ghi789.tmp`);
    for (const f of [dead, deadTokens, live]) writeFileSync(f, 'PK tokens', { mode: 0o600 });
    const again = await run([], {});
    expect(again.code, again.output).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(deadTokens)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(again.stdout).toMatch(/Removed 2 temporary files left by an earlier run that was killed while writing \(.*room\/seats\/\.seat-1\.zip\.writing-/);
  });

  it.skipIf(gitTool.skip)('are git-ignored by the workshop\'s .gitignore, at the top and in seats/', () => {
    execFileSync('git', ['init', '-q'], { cwd: root() });
    const names = [`seats/.seat-1.zip.writing-${ownerTag()}-abc123.tmp`, `..workshop-tokens.json.writing-${ownerTag()}-abc123.tmp`];
    for (const name of names) {
      const ignored = spawnSync('git', ['check-ignore', '-q', name], { cwd: root() });
      expect(ignored.status, name).toBe(0);
    }
    expect(ledger(root()).seats).toHaveLength(2);
  });
});

describe('a hand-edited ledger', () => {
  it('whose uid is a kept token is refused (exit 2), the token not shown, nothing sent', async () => {
    const file = path.join(root(), 'workshop.json');
    const data = ledger(root());
    const kept = JSON.parse(readFileSync(path.join(root(), '.workshop-tokens.json'), 'utf8')).tokens;
    const token = kept[data.seats[1].address]['com.example.room'];
    data.seats[0].issued['com.example.room'].uid = token;
    writeFileSync(file, JSON.stringify(data));
    const again = await run([], {});
    expect(again.code, again.output).toBe(2);
    expect(again.stderr).toMatch(/is not a valid workshop ledger: the uid for "seat-1" \("com\.example\.room"\) holds a user token \(not shown\)/);
    expect(again.output).not.toContain(token.slice(20, 28));
    expect(backend.requests).toEqual([]);
  });
});

describe("an earlier version's workshop .gitignore", () => {
  it('gets the temp-file and lock lines it lacks on a rerun; a user\'s own .gitignore is left alone', async () => {
    const file = path.join(root(), '.gitignore');
    const old = '# create-mesibo-app workshop: these hold user access tokens\n.workshop-tokens.json\nseats/*.zip\n';
    writeFileSync(file, old);
    expect((await run([], {})).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${old}.*.writing-*.tmp\n.create-mesibo-app.lock\n`);
    writeFileSync(file, 'my own rules\n');
    expect((await run([], {})).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('my own rules\n');
  });
});
