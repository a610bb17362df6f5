/**
 * Issue 16, --zip: the ZIP writer read back by two independent readers, Python's zipfile (CRC check,
 * contents, Unix modes in the external attributes) and Info-ZIP's unzip (integrity test, extraction
 * with modes), on entries chosen to be awkward: UTF-8 names and text, incompressible bytes (stored),
 * an empty file, nested folders, 0600 and 0755. Then a workshop's seat zip against its folder: the
 * same files, the same bytes, token files 0600.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipArchive, type ZipEntry } from '../src/workshop/zip';
import { assertToolsOrSkip } from './support/tools';
import { listFiles, mode } from './support/cli';
import { startWorkshopBackend, type WorkshopBackend } from './support/workshop-backend';
import { removeScratch, scratchDir, workshop } from './support/workshop-run';

const unzipTool = assertToolsOrSkip(['unzip']);

/** What Python's zipfile reads: every entry's name, Unix mode and bytes (hex), after testzip() checked every CRC. */
function pythonRead(zip: string): Array<{ name: string; mode: number; hex: string }> {
  const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([{"name": i.filename, "mode": i.external_attr >> 16, "hex": z.read(i).hex()} for i in z.infolist()]))
`;
  return JSON.parse(execFileSync('python3', ['-c', script, zip], { encoding: 'utf8' }));
}

describe('the ZIP writer', () => {
  let dir: string;
  const random = randomBytes(10_000);
  const entries: ZipEntry[] = [
    { path: 'seat/README.md', contents: `# Ünïcödé 😀\n${'repeat '.repeat(200)}\n`, mode: 0o644 },
    { path: 'seat/web/config.js', contents: 'window.MESIBO_CONFIG = { token: "abc" };\n', mode: 0o600 },
    { path: 'seat/run.sh', contents: '#!/bin/sh\necho hi\n', mode: 0o755 },
    { path: 'seat/deep/er/naïve-😀.bin', contents: new Uint8Array(random), mode: 0o644 },
    { path: 'seat/empty.txt', contents: '', mode: 0o644 },
  ];
  const bytes = (c: string | Uint8Array) => Buffer.from(typeof c === 'string' ? Buffer.from(c, 'utf8') : c);

  beforeAll(() => {
    dir = scratchDir('cma-zip-');
    writeFileSync(path.join(dir, 'a.zip'), zipArchive(entries, new Date(2026, 11, 1, 9, 30, 44)));
  });
  afterAll(() => removeScratch(dir));

  it('is read by Python zipfile: every CRC right, the bytes and the Unix modes as written, folders listed', () => {
    const read = pythonRead(path.join(dir, 'a.zip'));
    const files = read.filter((e) => !e.name.endsWith('/'));
    expect(files.map((e) => e.name)).toEqual(entries.map((e) => e.path));
    for (const [i, e] of entries.entries()) {
      expect(files[i]!.hex, e.path).toBe(bytes(e.contents).toString('hex'));
      expect(files[i]!.mode, e.path).toBe(0o100000 | e.mode);
    }
    expect(read.filter((e) => e.name.endsWith('/')).map((e) => [e.name, e.mode])).toEqual(
      ['seat/', 'seat/deep/', 'seat/deep/er/', 'seat/web/'].map((n) => [n, 0o040755]),
    );
  });

  it.skipIf(unzipTool.skip)('passes unzip -t and extracts with its modes (0600 stays private, 0755 executable)', () => {
    execFileSync('unzip', ['-tq', path.join(dir, 'a.zip')]);
    const out = path.join(dir, 'out');
    mkdirSync(out);
    execFileSync('unzip', ['-q', path.join(dir, 'a.zip'), '-d', out]);
    for (const e of entries) {
      const file = path.join(out, ...e.path.split('/'));
      expect(readFileSync(file).equals(bytes(e.contents)), e.path).toBe(true);
      expect(mode(file), e.path).toBe(e.mode);
    }
    // The two-second MS-DOS time of the entries, in local time.
    expect(statSync(path.join(out, 'seat', 'run.sh')).mtime).toEqual(new Date(2026, 11, 1, 9, 30, 44));
  });
});

describe('workshop --zip', () => {
  let backend: WorkshopBackend;
  let cwd: string;
  beforeAll(async () => {
    backend = await startWorkshopBackend();
    cwd = scratchDir('cma-zip-workshop-');
    const run = await workshop(['room', '--seats', '3', '--platforms', 'web,python,cpp', '--zip', '--api-url', backend.url], cwd);
    expect(run.code, run.output).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await backend.close();
    removeScratch(cwd);
  });

  it("holds exactly the seat's folder, byte for byte and mode for mode, under one folder named like it; 0600 itself", () => {
    for (const seat of ['seat-1', 'seat-2', 'seat-3']) {
      const folder = path.join(cwd, 'room', 'seats', seat);
      const zip = `${folder}.zip`;
      expect(mode(zip)).toBe(0o600);
      const read = pythonRead(zip).filter((e) => !e.name.endsWith('/'));
      expect(read.map((e) => e.name).sort()).toEqual(listFiles(folder).map((f) => `${seat}/${f}`).sort());
      for (const e of read) {
        const file = path.join(folder, ...e.name.split('/').slice(1));
        expect(e.hex, e.name).toBe(readFileSync(file).toString('hex'));
        expect(e.mode & 0o777, e.name).toBe(mode(file));
      }
      expect(read.find((e) => e.name === `${seat}/web/config.js`)!.mode & 0o777).toBe(0o600);
      expect(read.find((e) => e.name === `${seat}/cpp/mesibo.conf`)!.mode & 0o777).toBe(0o600);
    }
    // The zips hold tokens: git-ignored by the workshop folder's .gitignore.
    const root = path.join(cwd, 'room');
    execFileSync('git', ['init', '-q'], { cwd: root });
    const zips = ['seats/seat-1.zip', 'seats/seat-2.zip', 'seats/seat-3.zip'];
    expect(execFileSync('git', ['check-ignore', '--no-index', ...zips], { cwd: root, encoding: 'utf8' }).trim().split('\n')).toEqual(zips);
  });
});
