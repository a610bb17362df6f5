/**
 * `create-mesibo-app workshop [dir] (--seats n | --roster file.csv)`, top to bottom: plan the seats,
 * open (or continue) the workshop folder, get the App Token, issue each missing token and write each
 * seat's project as soon as its tokens and its buddy's are in, write the handout, report.
 * `create-mesibo-app workshop announce [dir] --text …`: one message from the host to every seat.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../app-context';
import { SANDBOX_APP_TOKEN } from '../defaults';
import { readAppToken } from '../app-token';
import { withBackend } from '../backend/session';
import { loadTemplates } from '../render/templates';
import { projectTemplates } from '../render/project';
import { collectWorkshopPlan, everyone, type AnnounceArgs, type Seat, type WorkshopArgs } from '../workshop/workshop-plan';
import { openWorkshop } from '../workshop/open-folder';
import { describeLifetime, minutesUntil, remainingMinutes } from '../workshop/expiry';
import { issueMissing, type Job } from '../workshop/issue';
import { missingTokenFiles, restoreTokenFiles, wantsZip, writeSeat, zipWrittenSeat, type SeatContext } from '../workshop/seat-project';
import { handoutHtml } from '../workshop/handout';
import { replaceFileBytes } from '../workshop/write-file';
import { printWorkshopSummary, progress, workshopJson, type RunCounts } from '../workshop/summary';
import { TOKENS_FILE } from '../workshop/ledger';

const GITIGNORE = `# create-mesibo-app workshop: these hold user access tokens\n${TOKENS_FILE}\nseats/*.zip\n`;

export async function runWorkshop(args: WorkshopArgs, ctx: AppContext): Promise<number> {
  const { printer } = ctx;
  const started = ctx.now();

  // 1. Seats, buddies, host, appids, backend: validated and frozen. A bad roster stops here (exit 2).
  const plan = collectWorkshopPlan(args, ctx.cwd);

  // 2. The folder: new, or a workshop this tool made with the same settings. Only read so far.
  const { record, resumed, tokensMissing, lifetime, endpoint } = openWorkshop(plan, args, started);
  const expiryMinutes = resumed ? remainingMinutes(lifetime, started, 'workshop.json') : minutesUntil(lifetime.until, started);
  const templates = await loadTemplates(projectTemplates(plan.platforms));
  const people = everyone(plan);
  const byAddress = new Map(people.map((s) => [s.address, s]));
  const buddyOf = (seat: Seat) => byAddress.get(seat.buddy)!;
  const written = (seat: Seat) => record.seat(seat.address).written !== null;

  // 3. What is missing: every (user, appid) never issued, and kept tokens lost that an unwritten folder needs.
  const missingFiles = new Map(people.filter(written).map((s) => [s, missingTokenFiles(plan, s)]));
  const needs = new Set<string>();
  for (const seat of people) {
    if (!written(seat) || (missingFiles.get(seat)?.length ?? 0) > 0) needs.add(seat.address).add(seat.buddy);
  }
  const jobs: Job[] = [];
  let reissued = 0;
  for (const seat of people) {
    for (const appId of plan.appIds) {
      if (record.token(seat.address, appId) !== undefined) continue;
      const before = record.seat(seat.address).issued[appId] !== undefined;
      if (before && !needs.has(seat.address)) continue;
      if (before) reissued++;
      jobs.push({ seat, appId });
    }
  }
  if (tokensMissing && reissued > 0) printer.warn(`${TOKENS_FILE} is gone: ${reissued} tokens recorded as issued are issued again for the folders that need them.`);
  const tokensBefore = people.reduce((n, s) => n + plan.appIds.filter((a) => record.token(s.address, a) !== undefined).length, 0);
  const foldersBefore = people.filter(written).length;

  // 4. The App Token, only when something is to be issued: read once, kept in memory, redacted everywhere.
  let appToken = SANDBOX_APP_TOKEN;
  if (jobs.length > 0 && !plan.sandbox) {
    appToken = await readAppToken({ appTokenFile: args.appTokenFile, env: ctx.env, interactive: ctx.interactive, prompt: ctx.prompt });
    ctx.redactor.add(appToken);
  }
  printer.info(
    `${resumed ? 'Continuing' : 'Setting up'} the workshop in ${plan.dir}: ${plan.seats.length} seats and the host, ` +
      `${plan.appIds.length} ${plan.appIds.length === 1 ? 'appid' : 'appids'}; ${jobs.length} tokens to issue.`,
  );

  // 5. The folder and its record exist from here on; Ctrl-C writes the record before the run exits.
  mkdirSync(plan.root, { recursive: true });
  if (!existsSync(path.join(plan.root, '.gitignore'))) writeFileSync(path.join(plan.root, '.gitignore'), GITIGNORE, { flag: 'wx' });
  record.changed();
  record.flush();
  const counts: RunCounts = { tokensBefore, tokensNow: 0, foldersBefore, foldersNow: 0, restored: 0, reissued };
  const release = ctx.interrupts.onInterrupt(() => {
    record.flush();
    return (
      `Stopped (interrupted). What this run made is kept: ${counts.tokensNow} tokens, recorded in ${path.join(plan.dir, 'workshop.json')}, ` +
      `and ${counts.foldersNow} seat folders. Run the same command again to create only what is missing.`
    );
  });
  // The sandbox's URL is never shown or recorded (mesibo.json says sandbox), so one context serves the whole run.
  const seats: SeatContext = { plan, record, templates, endpoint, interrupts: ctx.interrupts };
  const complete = (seat: Seat) => record.hasAllTokens(seat.address) && record.hasAllTokens(seat.buddy);
  const writeReady = (candidates: readonly Seat[]) => {
    for (const seat of candidates) {
      if (written(seat) || !complete(seat)) continue;
      writeSeat(seats, seat, buddyOf(seat), ctx.now());
      counts.foldersNow++;
    }
  };
  /** Folders whose tokens are all kept: written, or their lost token files put back. */
  const catchUp = () => {
    writeReady(people);
    for (const [seat, missing] of missingFiles) {
      if (missing.length === 0 || !complete(seat)) continue;
      restoreTokenFiles(seats, seat, buddyOf(seat), missing);
      counts.restored += missing.length;
      missingFiles.set(seat, []);
    }
  };
  // Whose tokens complete which folders: a seat's own, its buddy's, and the host's if it is the host's buddy.
  const dependents = new Map<string, Seat[]>();
  for (const seat of people) for (const a of new Set([seat.address, seat.buddy])) dependents.set(a, [...(dependents.get(a) ?? []), seat]);
  const onIssued = (job: Job, result: { uid: string; token: string }) => {
    record.recordIssued(job.seat.address, job.appId, result.uid, result.token, ctx.now());
    counts.tokensNow++;
    if (record.hasAllTokens(job.seat.address)) writeReady(dependents.get(job.seat.address) ?? []);
  };

  try {
    // 6. Issue what is missing; each seat is written the moment its tokens and its buddy's are all in.
    catchUp();
    if (jobs.length > 0) {
      const options = { concurrency: ctx.tuning.concurrency, expiryMinutes, onIssued, onProgress: progress(printer, plan.json) };
      const rerun = `create-mesibo-app workshop ${JSON.stringify(plan.dir)} …`;
      await withBackend({ sandbox: plan.sandbox, endpoint }, appToken, ctx, (client) => issueMissing(client, jobs, options, rerun));
      catchUp();
    }

    // 7. Zips for seats written without one (a rerun that adds --zip, or a zip deleted since).
    if (plan.zip) {
      for (const seat of people) {
        const zip = record.seat(seat.address).zip;
        if (wantsZip(plan, seat) && written(seat) && (zip === null || !existsSync(path.join(plan.root, ...zip.split('/'))))) zipWrittenSeat(seats, seat, ctx.now());
      }
    }
  } finally {
    release();
    record.flush();
  }

  // 8. The handout, from the plan alone (no token can reach it), then the report.
  const expires = describeLifetime(lifetime, ctx.now());
  replaceFileBytes(path.join(plan.root, 'handout.html'), handoutHtml(plan, expires), 0o644);
  if (plan.json) printer.json(workshopJson(plan, record, counts));
  else printWorkshopSummary(printer, plan, counts, expires, ctx.cwd);
  return 0;
}

export async function runAnnounce(args: AnnounceArgs, ctx: AppContext): Promise<number> {
  return (await import('../workshop/announce')).announce(args, ctx);
}
