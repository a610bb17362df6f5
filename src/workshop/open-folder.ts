/**
 * The workshop folder before anything is sent: a new one (missing or empty), or one this tool made,
 * whose ledger must describe the same workshop as the command. Everything here only reads; every
 * refusal is exit 2 with nothing done. What a rerun must still do is worked out from the ledger, the
 * kept tokens and the seat folders as they are on disk.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { echo } from '../output/redact';
import { newLedger, LEDGER_FILE, WorkshopRecord } from './ledger';
import { differences, readWorkshop } from './ledger-read';
import { confirmedEndpoint } from './endpoint';
import { lifetimeFor, type TokenLifetime } from './expiry';
import { everyone, SEATS_FOLDER, type Seat, type WorkshopPlan } from './workshop-plan';
import { LOCK_FILE } from '../write/lock';
import { checkSeatPaths, seatPath } from './seat-project';

export interface OpenedWorkshop {
  readonly record: WorkshopRecord;
  /** A ledger was there: this run continues an earlier one. */
  readonly resumed: boolean;
  /** The kept token file was gone although the ledger lists tokens. */
  readonly tokensMissing: boolean;
  readonly lifetime: TokenLifetime;
  /** The endpoint the App Token may go to (empty for the sandbox). */
  readonly endpoint: string;
}

function kind(p: string): 'missing' | 'dir' | 'link' | 'other' {
  try {
    const stat = lstatSync(p);
    return stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

/** A folder written by an earlier run whose ledger update was lost (it stopped between the two): its mesibo.json names the seat first. */
function isSeatProject(folder: string, seat: Seat): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'mesibo.json'), 'utf8')) as { users?: Array<{ address?: unknown }> };
    return manifest.users?.[0]?.address === seat.address;
  } catch {
    return false;
  }
}

export function openWorkshop(plan: WorkshopPlan, args: { apiUrl?: string; allowHttp?: boolean }, now: Date): OpenedWorkshop {
  const shown = JSON.stringify(plan.dir);
  const root = kind(plan.root);
  if (root === 'other') throw new UsageError(`${shown} exists and is not a folder. Choose another folder for the workshop.`);
  const existing = root === 'missing' ? undefined : readWorkshop(plan.root, shown);
  if (!existing) {
    // The run's own lock (src/write/lock.ts) is there already: it does not make the folder anyone's.
    const entries = root === 'missing' ? [] : readdirSync(plan.root).filter((name) => name !== LOCK_FILE);
    if (entries.length > 0) {
      throw new UsageError(
        `The folder ${shown} is not empty and holds no ${LEDGER_FILE}, so it is not a workshop this tool made. ` +
          'Choose a new folder for the workshop (to continue one, give the folder that has its workshop.json).',
      );
    }
    const lifetime = lifetimeFor(now, plan.requestedMinutes ?? undefined);
    const record = new WorkshopRecord(plan.root, newLedger(plan, lifetime, now), new Map());
    return { record, resumed: false, tokensMissing: false, lifetime, endpoint: plan.endpoint };
  }

  const { record, tokensMissing } = existing;
  const ledger = `${LEDGER_FILE} in ${shown}`;
  const diffs = differences(record.data, plan);
  if (diffs.length > 0) {
    throw new UsageError(
      `${shown} holds a workshop made with other settings: ${diffs.join('; ')}. Run the same command as before to continue ` +
        'it (it creates only what is missing), or give another folder for a new workshop. Nothing was done.',
    );
  }
  const endpoint = plan.sandbox ? '' : confirmedEndpoint(record.data.endpoint!, plan.apiUrlGiven ? args.apiUrl : undefined, Boolean(args.allowHttp), ledger);
  checkSeatFolders(plan, record);
  const lifetime = { until: new Date(record.data.tokens.until), requestedMinutes: record.data.tokens.requestedMinutes };
  return { record, resumed: true, tokensMissing, lifetime, endpoint };
}

/** Seat folders as they are on disk, reconciled with the ledger; a folder that is not ours is refused. */
function checkSeatFolders(plan: WorkshopPlan, record: WorkshopRecord): void {
  const seats = kind(path.join(plan.root, SEATS_FOLDER));
  if (seats === 'link' || seats === 'other') {
    throw new UsageError(`${echo(path.join(plan.dir, SEATS_FOLDER))} is not a folder (a link, or a file). Move it away; nothing was done.`);
  }
  for (const seat of everyone(plan)) {
    const folder = seatPath(plan.root, seat);
    const state = kind(folder);
    const recorded = record.seat(seat.address);
    if (state === 'link' || state === 'other') {
      throw new UsageError(`${echo(path.join(plan.dir, seat.folder))} is not a folder (a link, or a file). Move it away; nothing was done.`);
    }
    // Deleted since: written again from the kept tokens.
    if (state === 'missing') {
      recorded.written = null;
      continue;
    }
    checkSeatPaths(plan, seat); // a link inside it (web -> elsewhere) is refused before anything is read or sent
    if (recorded.written === null && !isSeatProject(folder, seat)) {
      throw new UsageError(
        `${echo(path.join(plan.dir, seat.folder))} exists but is not the seat's project (this workshop never wrote it). ` +
          'Move it away and run the same command again; nothing was done.',
      );
    } else recorded.written ??= new Date().toISOString();
  }
}
