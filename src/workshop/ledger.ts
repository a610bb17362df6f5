/**
 * The workshop's record, kept as the run goes so that a rerun creates only what is missing:
 * - `workshop.json`, the ledger: seats, buddies, folders, and per appid the uid and when its token was
 *   issued; when each seat's folder (and zip) was written; announcements. Never a token.
 * - `.workshop-tokens.json` (0600, git-ignored): the tokens themselves. A seat's project needs its own
 *   tokens and its buddy's, which arrive at different moments, and an interrupted run must not lose the
 *   ones it was given: re-issuing them would mean a second token for the same user. So they are kept
 *   here, beside the seat folders that hold copies of them anyway, and nowhere else.
 *
 * Both are replaced atomically (a temp file beside each, flushed, then renamed over it; the token
 * file first, so the ledger never claims a token that is not kept). After each answer the record is
 * written on the next turn of the event loop, or FLUSH_MS after the previous write if that was more
 * recent, so a run of 1000 seats does not rewrite a growing file 5000 times. Ctrl-C and SIGTERM write
 * it before the run exits (registered by the command); only a kill -9 or a power cut can lose the
 * last FLUSH_MS of answers (their users are then issued a new token by the rerun).
 */
import { VERSION } from '../version';
import { jsonText } from '../output/redact';
import type { WorkshopPlan } from './workshop-plan';
import type { TokenLifetime } from './expiry';
import { replaceFileBytes } from './write-file';

export const LEDGER_FILE = 'workshop.json';
export const TOKENS_FILE = '.workshop-tokens.json';
export const LEDGER_VERSION = 1;
const FLUSH_MS = 100;

export interface IssuedRecord {
  uid: string;
  /** When the token was issued (ISO). */
  at: string;
}

export interface SeatRecord {
  number: number;
  name: string;
  address: string;
  folder: string;
  buddy: string;
  /** Per appid: what was issued. */
  issued: Record<string, IssuedRecord>;
  /** When the folder was written (ISO), or null. */
  written: string | null;
  /** The zip beside the folder, when one was written. */
  zip: string | null;
}

export interface Announcement {
  text: string;
  at: string;
  /** Who was sent it, in order; a rerun with the same text sends only to the others. */
  to: string[];
  mids: string[];
  /** Who may have been sent it: the backend failed after their request reached it. Never sent it again. */
  maybe?: string[];
}

export interface LedgerData {
  workshopVersion: number;
  createdBy: string;
  createdAt: string;
  name: string;
  /** null for the in-process sandbox, whose address means nothing after the run. */
  endpoint: string | null;
  sandbox: boolean;
  /**
   * The endpoint, on this machine, is a project's running sandbox (asked when the workshop began): the seats' web
   * pages load its script, and name the command that starts it in `project`, its folder, as that sandbox told it.
   * A rerun renders from this, so it writes the same files and needs no request to know.
   */
  runningSandbox?: { project?: string };
  platforms: Array<{ id: string; appId: string }>;
  tokens: { until: string; requestedMinutes: number | null; kept: string };
  host: SeatRecord;
  seats: SeatRecord[];
  announcements: Announcement[];
}

/** Tokens by address, then appid. */
export type TokenStore = Map<string, Map<string, string>>;

function seatRecord(seat: WorkshopPlan['host']): SeatRecord {
  return { number: seat.number, name: seat.name, address: seat.address, folder: seat.folder, buddy: seat.buddy, issued: {}, written: null, zip: null };
}

/** A fresh ledger for a plan: nothing issued yet. */
export function newLedger(plan: WorkshopPlan, lifetime: TokenLifetime, now: Date): LedgerData {
  return {
    workshopVersion: LEDGER_VERSION,
    createdBy: `create-mesibo-app ${VERSION}`,
    createdAt: now.toISOString(),
    name: plan.name,
    endpoint: plan.sandbox ? null : plan.endpoint,
    sandbox: plan.sandbox,
    platforms: plan.platforms.map((p) => ({ id: p.id, appId: p.appId })),
    tokens: { until: lifetime.until.toISOString(), requestedMinutes: lifetime.requestedMinutes, kept: TOKENS_FILE },
    host: seatRecord(plan.host),
    seats: plan.seats.map(seatRecord),
    announcements: [],
  };
}

/** The ledger and the tokens of one workshop folder, written as they change. */
export class WorkshopRecord {
  private dirty = false;
  private lastFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly byAddress = new Map<string, SeatRecord>();

  constructor(
    readonly root: string,
    readonly data: LedgerData,
    readonly tokens: TokenStore,
  ) {
    for (const seat of [data.host, ...data.seats]) this.byAddress.set(seat.address, seat);
  }

  seat(address: string): SeatRecord {
    const seat = this.byAddress.get(address);
    if (!seat) throw new Error(`internal: no seat ${address} in the ledger`);
    return seat;
  }

  token(address: string, appId: string): string | undefined {
    return this.tokens.get(address)?.get(appId);
  }

  /** Every appid has a kept token for this address. */
  hasAllTokens(address: string): boolean {
    return this.data.platforms.every((p) => this.token(address, p.appId) !== undefined);
  }

  /** One answer of useradd: kept at once (see the file comment for when it reaches the disk). */
  recordIssued(address: string, appId: string, uid: string, token: string, at: Date): void {
    this.seat(address).issued[appId] = { uid, at: at.toISOString() };
    let perSeat = this.tokens.get(address);
    if (!perSeat) this.tokens.set(address, (perSeat = new Map()));
    perSeat.set(appId, token);
    this.changed();
  }

  markWritten(address: string, at: Date, zip: string | null): void {
    const seat = this.seat(address);
    seat.written ??= at.toISOString();
    if (zip) seat.zip = zip;
    this.changed();
  }

  /** Anything else that changed (an announcement); written like the rest. */
  changed(): void {
    this.dirty = true;
    // On a timer, even when due: the answer's worker sends its next request before the write.
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, this.lastFlush + FLUSH_MS - Date.now()));
  }

  /** Writes both files now if anything changed. Synchronous, so it is safe from a signal handler. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    const tokens: Record<string, Record<string, string>> = {};
    for (const [address, perApp] of this.tokens) tokens[address] = Object.fromEntries(perApp);
    replaceFileBytes(this.root, TOKENS_FILE, `${JSON.stringify({ workshopTokens: LEDGER_VERSION, tokens }, null, 1)}\n`, 0o600, 'the workshop folder');
    replaceFileBytes(this.root, LEDGER_FILE, `${jsonText(this.data, 2)}\n`, 0o644, 'the workshop folder');
    this.dirty = false;
    this.lastFlush = Date.now();
  }
}
