/**
 * `--roster <file.csv>`: one attendee a line, `name,address`, with an optional `name,address` header.
 * Quoting follows RFC 4180 (a field in double quotes may hold commas, line breaks and `""` for a quote);
 * blank lines are skipped; a UTF-8 byte-order mark is ignored. Every problem is collected with its line
 * number (the line a record starts on), so one run shows them all, and nothing is done until none is left.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../errors';
import { echo } from '../output/redact';
import { validateAddress, validateDisplayName } from '../validators';

export const MAX_SEATS = 1000;
/** A roster of 1000 attendees is ~50 KB; anything much bigger is the wrong file. */
const MAX_ROSTER_BYTES = 1 << 20;
const SHOWN_PROBLEMS = 20;

export interface RosterEntry {
  readonly line: number;
  readonly name: string;
  readonly address: string;
}

interface Row {
  line: number;
  fields: string[];
}

/** RFC 4180 records; an unterminated quote is reported, not guessed at. */
function records(text: string, problems: string[]): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let open = false;
    let stray = false;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (open) {
        if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
        else if (c === '"') open = false;
        else {
          if (c === '\n') line++;
          field += c;
        }
      } else if (c === ',') fields.push(quoted ? field : field.trim()), (field = ''), (quoted = false);
      else if (c === '\n' || c === '\r') break;
      else if (quoted) {
        // Spaces after a closing quote are ignored; anything else there is a mistake worth naming.
        if (c.trim() !== '' && !stray) problems.push(`line ${start}: text after a closing quote; write a quote inside a quoted field as ""`);
        if (c.trim() !== '') stray = true;
      } else if (c === '"' && field.trim() === '') (open = true), (quoted = true), (field = '');
      else field += c;
    }
    if (open) {
      problems.push(`line ${start}: a quote opened here is never closed`);
      return rows;
    }
    fields.push(quoted ? field : field.trim());
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '' && !quoted)) rows.push({ line: start, fields });
  }
  return rows;
}

const isHeader = (row: Row) => row.fields.length === 2 && row.fields[0]!.toLowerCase() === 'name' && row.fields[1]!.toLowerCase() === 'address';

/** The attendees, or every problem with its line number. `host` may not be an attendee's address. */
export function parseRoster(text: string, host: string): { entries: RosterEntry[]; problems: string[] } {
  const problems: string[] = [];
  const rows = records(text.replace(/^\uFEFF/, ''), problems);
  if (rows.length > 0 && isHeader(rows[0]!)) rows.shift();
  const entries: RosterEntry[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, fields } of rows) {
    if (fields.length !== 2) {
      problems.push(`line ${line}: has ${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, expected 2 (name,address); quote a name that contains a comma`);
      continue;
    }
    const [name, address] = fields as [string, string];
    const nameProblem = validateDisplayName(name);
    if (nameProblem) problems.push(`line ${line}: the name ${echo(name, 30)} ${nameProblem}`);
    const addressProblem =
      address === ''
        ? 'is empty'
        : address.includes(',')
          ? `${echo(address, 30)} contains a comma, which mesibo's comma-separated recipient lists cannot carry`
          : validateAddress(address);
    if (addressProblem) problems.push(`line ${line}: the address ${addressProblem}`);
    else if (address === host) problems.push(`line ${line}: the address ${echo(address, 30)} is the host's; give the host another one with --host`);
    else if (firstLine.has(address)) problems.push(`line ${line}: the address ${echo(address, 30)} is already on line ${firstLine.get(address)}; addresses must be unique`);
    else firstLine.set(address, line);
    if (!nameProblem && !addressProblem) entries.push({ line, name: name.trim(), address });
  }
  if (rows.length === 0 && problems.length === 0) problems.push('has no attendees: give one "name,address" a line');
  if (rows.length > MAX_SEATS) problems.push(`has ${rows.length} attendees; at most ${MAX_SEATS} are supported`);
  // In file order, whichever check found them (a stable sort keeps each line's own order).
  const lineOf = (p: string) => Number(/^line (\d+):/.exec(p)?.[1] ?? 0);
  return { entries, problems: problems.sort((a, b) => lineOf(a) - lineOf(b)) };
}

/** Reads and parses the roster file; any problem is one UsageError (exit 2) listing them with line numbers. */
export function readRoster(file: string, host: string, given = file): RosterEntry[] {
  const shown = `--roster ${echo(given, 80)}`;
  let text: string;
  try {
    text = readCapped(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : code === 'EFBIG' ? `is larger than ${MAX_ROSTER_BYTES} bytes` : `cannot be read (${code})`;
    throw new UsageError(`${shown} ${why}. Give a CSV file with one "name,address" a line.`);
  }
  if (text.includes('\u0000')) throw new UsageError(`${shown} is not a text file. Give a CSV file with one "name,address" a line.`);
  const { entries, problems } = parseRoster(text, host);
  if (problems.length === 0) return entries;
  const listed = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${p}`);
  if (problems.length > SHOWN_PROBLEMS) listed.push(`  … and ${problems.length - SHOWN_PROBLEMS} more`);
  throw new UsageError(
    `${shown} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was done:\n${listed.join('\n')}\n` +
      'Fix the file and run the same command again.',
  );
}

/** At most MAX + 1 bytes whatever the file is (a pipe works; /dev/zero cannot exhaust memory). */
function readCapped(file: string): string {
  const fd = openSync(file, 'r');
  try {
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    const buffer = Buffer.alloc(MAX_ROSTER_BYTES + 1);
    let size = 0;
    for (let n = -1; n !== 0 && size < buffer.length; size += n) n = readSync(fd, buffer, size, buffer.length - size, null);
    if (size > MAX_ROSTER_BYTES) throw Object.assign(new Error('too big'), { code: 'EFBIG' });
    return buffer.subarray(0, size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
