/**
 * Who owns a staging folder, written into its name when it is created (one atomic mkdir, so there is
 * no moment when the folder exists unmarked): the pid, that process's start time, the boot and the
 * machine. A later run can then tell a leftover of a killed run (no live owner) from a run still in
 * progress, and from a folder of another machine sharing the disk, which it never judges.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Owner {
  readonly pid: number;
  /** Start time of the process: clock ticks since boot on Linux, else milliseconds since the epoch. */
  readonly start: string;
  /** The boot it ran in (hash of Linux's boot_id), or 0s where unknown. */
  readonly boot: string;
  /** The machine and pid namespace it ran in (hash). */
  readonly host: string;
}

const short = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

function readOr(file: string, fallback: string, read: (f: string) => string = (f) => readFileSync(f, 'utf8')): string {
  try {
    return read(file).trim();
  } catch {
    return fallback;
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
function linuxStart(pid: number | 'self'): string | undefined {
  const stat = readOr(`/proc/${pid}/stat`, '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return /^\d+$/.test(fields[19] ?? '') ? fields[19] : undefined;
}

let self: Owner | undefined;

export function currentOwner(): Owner {
  self ??= Object.freeze({
    pid: process.pid,
    start: linuxStart('self') ?? String(Math.round(Date.now() - process.uptime() * 1000)),
    boot: (() => {
      const id = readOr('/proc/sys/kernel/random/boot_id', '');
      return id ? short(id) : '00000000';
    })(),
    host: short(`${hostname()}\n${readOr('/proc/self/ns/pid', '', readlinkSync)}`),
  });
  return self;
}

/** `<pid>-<start>-<boot>-<host>`: the part of a staging folder's name that names its owner. */
export function ownerTag(owner: Owner = currentOwner()): string {
  return `${owner.pid}-${owner.start}-${owner.boot}-${owner.host}`;
}

/** Staging folder names: `.<target>.creating-<owner>-<random>` beside, `.mesibo-app.creating-…` inside. */
const STAGING_NAME = /^\.(.+)\.creating-(\d+)-(\d+)-([0-9a-f]{8})-([0-9a-f]{8})-[0-9a-z]{6,}$/;

export function stagingName(base: string, random: string): string {
  return `.${base}.creating-${ownerTag()}-${random}`;
}

export function parseStagingName(name: string): Owner | undefined {
  const m = STAGING_NAME.exec(name);
  if (!m) return undefined;
  return { pid: Number(m[2]), start: m[3]!, boot: m[4]!, host: m[5]! };
}

/**
 * Temp files a file is written to before it is renamed over the real one (a seat zip, the kept
 * tokens): `.<file>.writing-<owner>-<random>.tmp`, marked like staging folders so that one left by a
 * killed run (it holds tokens) is removed by the next run, and only once its owner is gone.
 */
const TEMP_NAME = /^\.(.+)\.writing-(\d+)-(\d+)-([0-9a-f]{8})-([0-9a-f]{8})-[0-9a-z]{6,}\.tmp$/;

export function tempFileName(base: string, random: string): string {
  return `.${base}.writing-${ownerTag()}-${random}.tmp`;
}

export function parseTempName(name: string): Owner | undefined {
  const m = TEMP_NAME.exec(name);
  if (!m) return undefined;
  return { pid: Number(m[2]), start: m[3]!, boot: m[4]!, host: m[5]! };
}

/**
 * 'alive' while the owner runs (or might: when unsure, it is alive), 'dead' once it is gone, 'foreign'
 * for another machine or pid namespace, whose processes cannot be seen from here.
 */
export function ownerState(owner: Owner): 'alive' | 'dead' | 'foreign' {
  const me = currentOwner();
  if (owner.host !== me.host) return 'foreign';
  if (owner.boot !== me.boot && owner.boot !== '00000000') return 'dead'; // the machine restarted since
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
    // EPERM: a process of another user has that pid; its start time below says whether it is the owner.
  }
  const start = linuxStart(owner.pid);
  if (start !== undefined && start !== owner.start) return 'dead'; // the pid was reused
  return 'alive';
}
