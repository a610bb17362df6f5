/**
 * What a workshop run says: live progress (count, rate, time left) while the requests go, then what
 * exists, what this run made and what earlier runs had, and the next steps. The JSON summary has the
 * same facts for scripts. Neither ever holds a token: tokens live in the seat folders and the kept
 * token file only.
 */
import path from 'node:path';
import type { Printer } from '../output/printer';
import { shellWord } from '../render/literals';
import { DEFAULT_API_URL } from '../defaults';
import { isLoopbackHost } from '../backend/endpoint-policy';
import type { WorkshopRecord } from './ledger';
import { LEDGER_FILE, TOKENS_FILE } from './ledger';
import type { WorkshopPlan } from './workshop-plan';

export interface RunCounts {
  /** Tokens kept before this run started, and issued by it. */
  tokensBefore: number;
  tokensNow: number;
  /** Seat folders (the host's included) written before this run, and by it. */
  foldersBefore: number;
  foldersNow: number;
  /** Token files put back into written seats, and tokens issued again because the kept ones were lost. */
  restored: number;
  reissued: number;
}

function seconds(s: number): string {
  return s < 90 ? `${Math.max(1, Math.round(s))} s` : `${Math.round(s / 60)} min`;
}

/** A progress callback for the requests: count, rate and time left; nothing under --json. */
export function progress(printer: Printer, json: boolean, clock: () => number = () => performance.now()) {
  const start = clock();
  return (done: number, total: number) => {
    if (json) return;
    const elapsed = (clock() - start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const detail = done === 0 || rate === 0 ? '' : ` (${rate.toFixed(1)}/s, ${done === total ? `${seconds(elapsed)} in all` : `about ${seconds((total - done) / rate)} left`})`;
    printer.progress(`Users and tokens${detail}:`, done, total);
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * How the next steps run the tool again: `program` as this run was started (src/report/invocation.ts), and
 * the endpoint the users were created on (announce needs it named again when it is not mesibo's).
 */
export interface RunAgain {
  readonly program: string;
  readonly endpoint: string;
}

/** The announce line of the next steps, runnable as printed. */
export function announceCommand(rel: string, again: RunAgain): string {
  const flags: string[] = [];
  if (again.endpoint !== '' && again.endpoint !== DEFAULT_API_URL) {
    flags.push(`--api-url ${shellWord(again.endpoint)}`);
    const url = new URL(again.endpoint);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) flags.push('--allow-http');
  }
  return [again.program, 'workshop announce', shellWord(rel), ...flags, '--text "Welcome!"'].join(' ');
}

export function printWorkshopSummary(
  printer: Printer,
  plan: WorkshopPlan,
  counts: RunCounts,
  expires: string,
  cwd: string,
  again: RunAgain = { program: 'create-mesibo-app', endpoint: plan.endpoint },
): void {
  const users = plan.seats.length + 1;
  const tokens = users * plan.appIds.length;
  const rel = path.relative(cwd, plan.root) || '.';
  printer.success(
    `${plural(plan.seats.length, 'seat')} and the host ${JSON.stringify(plan.host.address)}: ${plural(users, 'user')}, ` +
      `${plural(tokens, 'token')} (${plural(plan.appIds.length, 'appid')})`,
  );
  printer.info(`  created by this run: ${plural(counts.tokensNow, 'token')}; before it: ${plural(counts.tokensBefore, 'token')}`);
  printer.info(`  seat folders written by this run: ${counts.foldersNow}; before it: ${counts.foldersBefore} (the host's included)`);
  if (counts.restored > 0) printer.info(`  token files put back into written seats: ${counts.restored}`);
  if (counts.reissued > 0) printer.warn(`${plural(counts.reissued, 'token')} issued again: ${TOKENS_FILE} no longer had them.`);
  printer.success(`Handout: ${path.join(rel, 'handout.html')} (print it: one card per seat, no tokens)`);
  printer.info(`Ledger: ${path.join(rel, LEDGER_FILE)} (no tokens). Tokens: in each seat's git-ignored config files (0600) and ${path.join(rel, TOKENS_FILE)} (0600)${plan.zip ? ', and in seats/*.zip (0600)' : ''}.`);
  printer.info(expires);
  if (plan.sandbox) {
    printer.warn(
      'Sandbox tokens work only with the built-in sandbox, not with mesibo\'s servers: the starters will report AUTHFAIL, ' +
        'and no announcement can reach the seats. For a real workshop, run the same command with MESIBO_APP_TOKEN=... ' +
        'and without --sandbox, in a new folder.',
    );
  }
  printer.info('');
  printer.info('Next:');
  const handed = plan.zip ? path.join(rel, 'seats', '<name>.zip') : path.join(rel, 'seats', '<name>');
  printer.info(`  1. Print ${path.join(rel, 'handout.html')} and give each attendee their card and folder (${handed}).`);
  if (!plan.sandbox) {
    printer.info('  2. Say welcome to every seat (it asks for the App Token, or reads MESIBO_APP_TOKEN):');
    printer.info(`       ${announceCommand(rel, again)}`, 'command');
  }
}

export function workshopJson(plan: WorkshopPlan, record: WorkshopRecord, counts: RunCounts): object {
  const seat = (address: string) => {
    const r = record.seat(address);
    const uids = Object.fromEntries(Object.entries(r.issued).map(([appId, i]) => [appId, i.uid]));
    return { number: r.number, name: r.name, address: r.address, folder: r.folder, buddy: r.buddy, uids, zip: r.zip };
  };
  return {
    ok: true,
    path: plan.root,
    ledger: path.join(plan.root, LEDGER_FILE),
    handout: path.join(plan.root, 'handout.html'),
    sandbox: plan.sandbox,
    endpoint: record.data.endpoint,
    tokensExpireAt: record.data.tokens.until,
    platforms: plan.platforms,
    host: seat(plan.host.address),
    seats: plan.seats.map((s) => seat(s.address)),
    created: { now: { tokens: counts.tokensNow, folders: counts.foldersNow }, before: { tokens: counts.tokensBefore, folders: counts.foldersBefore } },
    restoredTokenFiles: counts.restored,
    reissuedTokens: counts.reissued,
  };
}
