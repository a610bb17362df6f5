/**
 * Reading a workshop folder's record back (a rerun, `announce`). The ledger is input like any flag: a
 * hand-edited or damaged one is refused with the field named, never half-trusted. Folder names in it
 * are never used as paths: the command compares every seat with the plan it made from the flags
 * (sameWorkshop), and writes only where the plan says.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { isPlatformId } from '../platforms';
import { validateAddress, validateDisplayName } from '../validators';
import { TOKEN_PATTERN, UID_PATTERN } from '../backend/answer';
import { Redactor } from '../output/redact';
import { LEDGER_FILE, LEDGER_VERSION, TOKENS_FILE, WorkshopRecord, type LedgerData, type SeatRecord, type TokenStore } from './ledger';
import type { WorkshopPlan } from './workshop-plan';

const MAX_BYTES = 16 << 20;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDate = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

function readSmall(file: string, shown: string): string | undefined {
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) throw new UsageError(`${shown} is not a regular file (a link or a folder). Move it away; nothing was done.`);
  if (stat.size > MAX_BYTES) throw new UsageError(`${shown} is larger than ${MAX_BYTES} bytes, so it is not this tool's. Nothing was done.`);
  return readFileSync(file, 'utf8');
}

/** The workshop recorded in `root`, or undefined when there is none yet. */
export function readWorkshop(root: string, shownDir: string): { record: WorkshopRecord; tokensMissing: boolean } | undefined {
  const where = `${LEDGER_FILE} in ${shownDir}`;
  const text = readSmall(path.join(root, LEDGER_FILE), where);
  if (text === undefined) return undefined;
  const bad = (field: string, problem: string): never => {
    throw new UsageError(
      `${where} is not a valid workshop ledger: ${field} ${problem}. Restore it, or start the workshop in a new folder. Nothing was done.`,
    );
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return bad('the file', `is not JSON (${(error as Error).message})`);
  }
  const data = checkLedger(json, bad);
  const store = readTokens(root, data, shownDir);
  // A uid is written to every seat's mesibo.json and README: one that holds a kept token (a hand-edited
  // ledger) is refused like a backend's (src/backend/answer.ts), never written, never quoted.
  const kept = new Redactor();
  for (const perApp of store?.values() ?? []) for (const token of perApp.values()) kept.add(token);
  for (const seat of [data.host, ...data.seats]) {
    for (const [appId, rec] of Object.entries(seat.issued)) {
      if (kept.holdsSecret(rec.uid)) bad(`the uid for ${JSON.stringify(seat.address)} (${JSON.stringify(appId)})`, 'holds a user token (not shown)');
    }
  }
  return { record: new WorkshopRecord(root, data, store ?? new Map()), tokensMissing: store === undefined };
}

function checkSeat(v: unknown, field: string, appIds: Set<string>, bad: (f: string, p: string) => never): SeatRecord {
  if (!isObject(v)) return bad(field, 'must be an object');
  if (!Number.isSafeInteger(v.number)) bad(`${field}.number`, 'must be a whole number');
  if (typeof v.name !== 'string' || validateDisplayName(v.name)) bad(`${field}.name`, 'must be a short display name');
  if (typeof v.address !== 'string' || validateAddress(v.address)) bad(`${field}.address`, 'must be a user address');
  for (const key of ['folder', 'buddy'] as const) if (typeof v[key] !== 'string') bad(`${field}.${key}`, 'must be a text');
  if (!isObject(v.issued)) return bad(`${field}.issued`, 'must be an object');
  for (const [appId, rec] of Object.entries(v.issued)) {
    if (!appIds.has(appId)) bad(`${field}.issued`, `names appid ${JSON.stringify(appId)}, which is not one of the workshop's`);
    if (!isObject(rec) || typeof rec.uid !== 'string' || !UID_PATTERN.test(rec.uid) || !isDate(rec.at)) {
      bad(`${field}.issued[${JSON.stringify(appId)}]`, 'must hold a uid and the time it was issued');
    }
  }
  if (v.written !== null && !isDate(v.written)) bad(`${field}.written`, 'must be a time or null');
  if (v.zip !== null && typeof v.zip !== 'string') bad(`${field}.zip`, 'must be a file name or null');
  return v as unknown as SeatRecord;
}

function checkLedger(v: unknown, bad: (f: string, p: string) => never): LedgerData {
  if (!isObject(v)) return bad('the top level', 'must be a JSON object');
  if (v.workshopVersion !== LEDGER_VERSION) {
    bad('"workshopVersion"', `is ${JSON.stringify(v.workshopVersion) ?? 'missing'}; this create-mesibo-app reads version ${LEDGER_VERSION}`);
  }
  if (typeof v.name !== 'string' || !isDate(v.createdAt)) bad('"name" or "createdAt"', 'is missing');
  if (typeof v.sandbox !== 'boolean') bad('"sandbox"', 'must be true or false');
  if (!(v.endpoint === null ? v.sandbox === true : typeof v.endpoint === 'string')) bad('"endpoint"', 'must be a URL, or null for a sandbox workshop');
  const running = v.runningSandbox;
  if (running !== undefined && !(isObject(running) && (running.project === undefined || typeof running.project === 'string'))) {
    bad('"runningSandbox"', 'must be absent, or {} with an optional "project" folder');
  }
  if (!Array.isArray(v.platforms) || v.platforms.length === 0) return bad('"platforms"', 'must be a list');
  for (const p of v.platforms) if (!isObject(p) || typeof p.id !== 'string' || !isPlatformId(p.id) || typeof p.appId !== 'string') bad('"platforms"', 'must list {id, appId}');
  const appIds = new Set((v.platforms as Array<{ appId: string }>).map((p) => p.appId));
  const tokens = v.tokens;
  if (!isObject(tokens) || !isDate(tokens.until) || !(tokens.requestedMinutes === null || Number.isSafeInteger(tokens.requestedMinutes))) {
    bad('"tokens"', 'must give "until" (a time) and "requestedMinutes" (a number or null)');
  }
  checkSeat(v.host, '"host"', appIds, bad);
  if (!Array.isArray(v.seats)) return bad('"seats"', 'must be a list');
  v.seats.forEach((s, i) => checkSeat(s, `"seats"[${i}]`, appIds, bad));
  if (!Array.isArray(v.announcements)) bad('"announcements"', 'must be a list');
  for (const a of v.announcements as unknown[]) {
    const ok = isObject(a) && typeof a.text === 'string' && isDate(a.at) && Array.isArray(a.to) && a.to.every((t) => typeof t === 'string') && Array.isArray(a.mids);
    const maybeOk = !isObject(a) || a.maybe === undefined || (Array.isArray(a.maybe) && a.maybe.every((t) => typeof t === 'string'));
    if (!ok || !maybeOk) bad('"announcements"', 'must list {text, at, to, mids[, maybe]}');
  }
  return v as unknown as LedgerData;
}

/** The kept tokens, checked like a backend's answer (they go into files); undefined when the file is gone. */
function readTokens(root: string, data: LedgerData, shownDir: string): TokenStore | undefined {
  const where = `${TOKENS_FILE} in ${shownDir}`;
  const text = readSmall(path.join(root, TOKENS_FILE), where);
  if (text === undefined) return undefined;
  const refuse = (problem: string): never => {
    throw new UsageError(`${where} ${problem}, so its tokens cannot be used. Delete it to have the missing tokens issued again. Nothing was done.`);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse('is not JSON');
  }
  if (!isObject(json) || json.workshopTokens !== LEDGER_VERSION || !isObject(json.tokens)) return refuse('is not a workshop token file');
  const known = new Set([data.host.address, ...data.seats.map((s) => s.address)]);
  const appIds = new Set(data.platforms.map((p) => p.appId));
  const store: TokenStore = new Map();
  for (const [address, perApp] of Object.entries(json.tokens)) {
    if (!known.has(address) || !isObject(perApp)) refuse('names a user the ledger does not list');
    const tokens = new Map<string, string>();
    for (const [appId, token] of Object.entries(perApp as Json)) {
      // Never quoted: a token is described by where it is, not by its value.
      if (!appIds.has(appId) || typeof token !== 'string' || !TOKEN_PATTERN.test(token)) refuse(`has an invalid entry for ${JSON.stringify(address)}`);
      tokens.set(appId, token as string);
    }
    store.set(address, tokens);
  }
  return store;
}

/** What differs between the recorded workshop and the one this command describes (empty: the same). */
export function differences(data: LedgerData, plan: WorkshopPlan): string[] {
  const out: string[] = [];
  const platforms = (list: ReadonlyArray<{ id: string; appId: string }>) => list.map((p) => `${p.id}=${p.appId}`).join(',');
  if (platforms(data.platforms) !== platforms(plan.platforms)) out.push(`the platforms and appids (recorded: ${platforms(data.platforms)}; now: ${platforms(plan.platforms)})`);
  if (data.sandbox !== plan.sandbox) out.push(data.sandbox ? 'the backend (recorded: --sandbox)' : 'the backend (recorded: not --sandbox)');
  if (data.host.address !== plan.host.address) out.push(`the host (recorded: ${JSON.stringify(data.host.address)})`);
  if (data.tokens.requestedMinutes !== plan.requestedMinutes) {
    const shown = (m: number | null) => (m === null ? 'the default' : `--token-expiry ${m}`);
    out.push(`the token lifetime (recorded: ${shown(data.tokens.requestedMinutes)}; now: ${shown(plan.requestedMinutes)})`);
  }
  const seat = (s: { name: string; address: string; folder: string; buddy: string }) => `${s.name}\u0000${s.address}\u0000${s.folder}\u0000${s.buddy}`;
  const recorded = data.seats.map(seat);
  const now = plan.seats.map(seat);
  if (recorded.length !== now.length) out.push(`the seats (recorded: ${recorded.length}; now: ${now.length})`);
  else {
    const first = now.findIndex((s, i) => s !== recorded[i]);
    if (first >= 0) out.push(`seat ${first + 1} (recorded: ${JSON.stringify(data.seats[first]!.address)}; now: ${JSON.stringify(plan.seats[first]!.address)})`);
  }
  if (data.host.folder !== plan.host.folder || data.host.buddy !== plan.host.buddy) out.push("the host's folder or buddy");
  return out;
}
