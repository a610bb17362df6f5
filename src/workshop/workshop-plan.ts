/**
 * The workshop's plan: flags (and the roster) become one validated, frozen description of the seats,
 * their buddies, the host, the appids and the backend. Nothing here touches the network or writes.
 *
 * Seats are paired in order (1 with 2, 3 with 4, …); an odd last seat pairs with the host. Each seat's
 * project is rendered with users [seat, buddy], so every starter logs in as the seat and talks to the
 * buddy by default. The host's own project pairs it with the odd seat, or else with seat 1.
 */
import path from 'node:path';
import { UsageError } from '../errors';
import { APP_ID_PLATFORMS, PLATFORMS, type PlatformId } from '../platforms';
import { DEFAULT_API_URL, defaultAppId, defaultName } from '../defaults';
import { InvalidValue, fromFlag, parseAppId, parseExpiry, parsePlatforms, parseTargetDir, validateAddress } from '../validators';
import { checkEndpoint } from '../backend/endpoint-policy';
import { echo } from '../output/redact';
import type { PlannedPlatform } from '../plan/plan';
import { uniqueFolders } from './folder-names';
import { MAX_SEATS, readRoster } from './roster';

/** `workshop`'s flags as src/cli/args.ts parsed them: raw strings, checked here. */
export interface WorkshopArgs {
  command: 'workshop';
  dir?: string;
  seats?: string;
  roster?: string;
  platforms?: string;
  appId?: string;
  platformAppIds: Partial<Record<PlatformId, string>>;
  tokenExpiry?: string;
  apiUrl?: string;
  allowHttp?: boolean;
  appTokenFile?: string;
  sandbox: boolean;
  host?: string;
  zip: boolean;
  json: boolean;
  yes: boolean;
  verbose: boolean;
}

/** `workshop announce`'s flags. */
export interface AnnounceArgs {
  command: 'workshop-announce';
  dir?: string;
  text?: string;
  apiUrl?: string;
  allowHttp?: boolean;
  appTokenFile?: string;
  json: boolean;
  yes: boolean;
  verbose: boolean;
}

export const DEFAULT_WORKSHOP_DIR = 'mesibo-workshop';
export const DEFAULT_HOST = 'host';
export const HOST_FOLDER = 'host';
export const SEATS_FOLDER = 'seats';

export interface Seat {
  /** 1-based place in the roster; 0 for the host. */
  readonly number: number;
  /** Display name sent to useradd. */
  readonly name: string;
  readonly address: string;
  /** The seat's project folder, relative to the workshop folder, with forward slashes. */
  readonly folder: string;
  /** The buddy's address: the default peer of the seat's starters. */
  readonly buddy: string;
}

export interface WorkshopPlan {
  /** The folder as typed (for messages) and resolved. */
  readonly dir: string;
  readonly root: string;
  /** The app's display name in every seat's project. */
  readonly name: string;
  readonly platforms: readonly PlannedPlatform[];
  /** Distinct appids, in platform order: one token per user and appid. */
  readonly appIds: readonly string[];
  readonly seats: readonly Seat[];
  readonly host: Seat;
  /** --token-expiry, or null for the default (the end of the next day). */
  readonly requestedMinutes: number | null;
  /** The backend; empty for the sandbox, whose URL exists only once it listens. */
  readonly endpoint: string;
  /** --api-url was given in this run (the endpoint is chosen, not only recorded). */
  readonly apiUrlGiven: boolean;
  readonly sandbox: boolean;
  readonly zip: boolean;
  readonly json: boolean;
}

/** `--seats 9` -> seat-1 … seat-9; `--seats 30` -> seat-01 … seat-30; `--seats 100` -> seat-001 …: as wide as n. */
export function numberedSeats(count: number): Array<{ name: string; address: string }> {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(width, '0');
    return { name: `Seat ${n}`, address: `seat-${n}` };
  });
}

function parseSeatCount(raw: string): number {
  return fromFlag('--seats', raw, (value) => {
    const n = Number(value.trim());
    if (!/^\s*\d+\s*$/.test(value) || n < 1 || n > MAX_SEATS) {
      throw new InvalidValue(`must be a whole number of seats from 1 to ${MAX_SEATS}, like --seats 30.`);
    }
    return n;
  });
}

function hostAddress(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_HOST;
  const problem = raw.includes(',') ? "contains a comma, which mesibo's comma-separated recipient lists cannot carry" : validateAddress(raw);
  if (problem) throw new UsageError(`--host ${echo(raw, 40)} ${problem}. Give the host's address, like --host host.`);
  return raw;
}

/** Every platform's appid, as create chooses them: a per-platform flag, else --app-id, else from the folder. */
function appIdsFor(args: WorkshopArgs, dir: string, cwd: string): PlannedPlatform[] {
  // Every platform whose starter carries the seat's tokens (the token server mints them from the App Token: not for attendees).
  const ids = args.platforms === undefined ? APP_ID_PLATFORMS.map((p) => p.id) : fromFlag('--platforms', args.platforms, parsePlatforms);
  const unused = (Object.keys(args.platformAppIds) as PlatformId[]).filter((id) => !ids.includes(id));
  if (unused.length > 0) {
    throw new UsageError(
      `${unused.map((id) => PLATFORMS[id].appIdFlag).join(', ')} was given but ${unused.join(', ')} is not among --platforms ` +
        `${ids.join(',')}. Add the platform to --platforms or drop the flag.`,
    );
  }
  return ids.map((id) => {
    const own = args.platformAppIds[id];
    if (own !== undefined) return { id, appId: fromFlag(PLATFORMS[id].appIdFlag, own, parseAppId(id, false)) };
    const label = args.appId !== undefined ? '--app-id' : 'the default appid';
    return { id, appId: fromFlag(label, args.appId ?? defaultAppId(dir, cwd), parseAppId(id, args.appId !== undefined)) };
  });
}

export function collectWorkshopPlan(args: WorkshopArgs, cwd: string): WorkshopPlan {
  if (args.sandbox && args.apiUrl !== undefined) {
    throw new UsageError('--sandbox and --api-url cannot be used together: the sandbox is its own local backend. Drop one of them.');
  }
  if ((args.seats === undefined) === (args.roster === undefined)) {
    throw new UsageError(
      args.seats === undefined
        ? 'Say who comes: --seats <n> for numbered seats (seat-01, seat-02, …), or --roster <file.csv> with one "name,address" a line.'
        : '--seats and --roster cannot be used together: give the number of seats, or the roster with every attendee.',
    );
  }
  const dir = args.dir === undefined ? DEFAULT_WORKSHOP_DIR : fromFlag('the folder argument', args.dir, parseTargetDir);
  const host = hostAddress(args.host);
  const requestedMinutes = args.tokenExpiry === undefined ? null : fromFlag('--token-expiry', args.tokenExpiry, parseExpiry);
  const apiUrl = args.apiUrl === undefined ? undefined : checkEndpoint(args.apiUrl, { flag: '--api-url', allowHttp: Boolean(args.allowHttp) });
  const platforms = appIdsFor(args, dir, cwd);

  const attendees = args.seats !== undefined ? numberedSeats(parseSeatCount(args.seats)) : readRoster(path.resolve(cwd, args.roster!), host, args.roster);
  const clash = attendees.find((a) => a.address === host);
  if (clash) throw new UsageError(`--host ${echo(host, 40)} is also a seat's address. Give the host another address with --host.`);
  const folders = uniqueFolders(attendees.map((a) => a.address));
  const buddyOf = (i: number) => attendees[i % 2 === 0 ? i + 1 : i - 1]?.address ?? host;
  const seats = attendees.map((a, i) =>
    Object.freeze({ number: i + 1, name: a.name, address: a.address, folder: `${SEATS_FOLDER}/${folders[i]}`, buddy: buddyOf(i) }),
  );
  const odd = seats.length % 2 === 1 ? seats[seats.length - 1]! : seats[0]!;
  const hostSeat = Object.freeze({ number: 0, name: 'Workshop host', address: host, folder: HOST_FOLDER, buddy: odd.address });

  return Object.freeze({
    dir,
    root: path.resolve(cwd, dir),
    name: defaultName(dir, cwd),
    platforms: Object.freeze(platforms.map((p) => Object.freeze(p))),
    appIds: Object.freeze([...new Set(platforms.map((p) => p.appId))]),
    seats: Object.freeze(seats),
    host: hostSeat,
    requestedMinutes,
    endpoint: args.sandbox ? '' : (apiUrl ?? DEFAULT_API_URL),
    apiUrlGiven: apiUrl !== undefined,
    sandbox: args.sandbox,
    zip: args.zip,
    json: args.json,
  });
}

/** Everyone with a user: the host first, then the seats in order (the order requests are sent in). */
export function everyone(plan: Pick<WorkshopPlan, 'host' | 'seats'>): readonly Seat[] {
  return [plan.host, ...plan.seats];
}
