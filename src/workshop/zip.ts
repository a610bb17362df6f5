/**
 * A small, correct ZIP writer (PKWARE APPNOTE 6.3.x, the subset every unzip reads): entries deflated
 * with node:zlib's raw deflate (stored when that would not be smaller), CRC-32 from node:zlib,
 * UTF-8 names (general-purpose flag bit 11), and Unix permissions in the external attributes ("version
 * made by" 3 = UNIX), so a token file unzips as 0600 and a script as 0755. One zip holds one seat's
 * project (some 50 small files), so it is built in memory: no ZIP64, and the limits are checked.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the zip, with forward slashes; a folder ends with `/`. */
  readonly path: string;
  readonly contents: string | Uint8Array;
  /** Permission bits (0o644, 0o600, 0o755). */
  readonly mode: number;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const UTF8_NAMES = 0x0800;
const MADE_BY_UNIX = (3 << 8) | 20;
const NEEDED = 20;
const MAX_ENTRIES = 0xffff;
const MAX_SIZE = 0xffffffff;

/** MS-DOS date and time, as ZIP stores them (local time, two-second resolution, from 1980). */
function dosTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** The folders `files` need, each once, parents first (unzip makes them anyway; listing them keeps their mode). */
function withFolders(files: readonly ZipEntry[]): ZipEntry[] {
  const folders = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) folders.add(`${parts.slice(0, i).join('/')}/`);
  }
  return [...[...folders].sort().map((p) => ({ path: p, contents: '', mode: 0o755 })), ...files];
}

/**
 * The run of fields a local header and its central-directory record share, in the same order: version
 * needed, flags, method, time, date, CRC-32, compressed and real size, name length.
 */
function writeEntryFields(
  header: Buffer,
  at: number,
  f: { method: number; time: number; date: number; crc: number; compressed: number; size: number; nameLength: number },
): void {
  header.writeUInt16LE(NEEDED, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE(f.time, at + 6);
  header.writeUInt16LE(f.date, at + 8);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressed, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
}

export function zipArchive(files: readonly ZipEntry[], modified: Date): Buffer {
  const entries = withFolders(files);
  if (entries.length > MAX_ENTRIES) throw new Error(`a zip without ZIP64 holds at most ${MAX_ENTRIES} entries`);
  const { time, date } = dosTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8');
    const folder = entry.path.endsWith('/');
    const data = typeof entry.contents === 'string' ? Buffer.from(entry.contents, 'utf8') : Buffer.from(entry.contents);
    const deflated = folder ? data : deflateRawSync(data);
    const method = !folder && deflated.length < data.length ? 8 : 0;
    const stored = method === 8 ? deflated : data;
    const crc = crc32(data);
    if (data.length > MAX_SIZE || offset > MAX_SIZE) throw new Error('a zip without ZIP64 holds at most 4 GiB');

    const fields = { method, time, date, crc, compressed: stored.length, size: data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields); // extra length at 28: 0
    locals.push(local, name, stored);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    writeEntryFields(central, 6, fields);
    // extra length, comment length, disk number start, internal attributes: all 0
    // External attributes: the Unix mode in the high 16 bits; MS-DOS's directory bit (0x10) for folders.
    const unixMode = (folder ? S_IFDIR : S_IFREG) | (entry.mode & 0o777);
    central.writeUInt32LE(((unixMode << 16) | (folder ? 0x10 : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
