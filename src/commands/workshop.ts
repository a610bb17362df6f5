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
import { RunError } from '../errors';
import { readAppToken } from '../app-token';
import { withBackend } from '../backend/session';
import { loadTemplates } from '../render/templates';
import { projectTemplates } from '../render/project';
import { collectWorkshopPlan, everyone, HOST_FOLDER, SEATS_FOLDER, type AnnounceArgs, type WorkshopArgs, type WorkshopPlan } from '../workshop/workshop-plan';
import { lockFolder, LOCK_FILE } from '../write/lock';
import { readFileInside } from '../write/inside';
import { leftoverNotice, removeStaleStaging, removeStaleTemps, tempNotice } from '../write/leftovers';
import { openWorkshop } from '../workshop/open-folder';
import { describeLifetime, minutesUntil, remainingMinutes } from '../workshop/expiry';
import { issueMissing, type Job } from '../workshop/issue';
import { wantsZip, zipWrittenSeat, type SeatContext } from '../workshop/seat-project';
import { SeatWriter } from '../workshop/seat-writer';
import { handoutHtml } from '../workshop/handout';
import { replaceFileBytes } from '../workshop/write-file';
import { printWorkshopSummary, progress, workshopJson, type RunCounts } from '../workshop/summary';
import { TOKENS_FILE, type WorkshopRecord } from '../workshop/ledger';
import { detectInvocation } from '../report/invocation';
import { displayUrl, isLoopbackHost } from '../backend/endpoint-policy';
import { echo } from '../output/redact';
import { probeLocalSandbox } from '../backend/sandbox-probe';

// The zips and the temp files of a killed run (.<name>.writing-….tmp, at any depth) hold tokens too.
const GITIGNORE = `# create-mesibo-app workshop: these hold user access tokens\n${TOKENS_FILE}\nseats/*.zip\n.*.writing-*.tmp\n${LOCK_FILE}\n`;

export async function runWorkshop(args: WorkshopArgs, ctx: AppContext): Promise<number> {
  const started = ctx.now();

  // 1. Seats, buddies, host, appids, backend: validated and frozen. A bad roster stops here (exit 2).
  const plan = collectWorkshopPlan(args, ctx.cwd);

  // One run at a time on a folder: a second one would issue the missing tokens again (src/write/lock.ts).
  const lock = lockFolder(plan.root, JSON.stringify(plan.dir), `${detectInvocation(ctx.env).command} workshop ${JSON.stringify(plan.dir)} …`);
  const unlockOnInterrupt = ctx.interrupts.onInterrupt(() => lock.release());
  try {
    return await workshopLocked(plan, args, ctx, started);
  } finally {
    unlockOnInterrupt();
    lock.release();
  }
}

async function workshopLocked(plan: WorkshopPlan, args: WorkshopArgs, ctx: AppContext, started: Date): Promise<number> {
  const { printer } = ctx;
  // 2. The folder: new, or a workshop this tool made with the same settings. Only read so far.
  const { record, resumed, tokensMissing, lifetime, endpoint } = openWorkshop(plan, args, started);
  // Tokens kept by an earlier run are secrets of this run too: no backend echo or message may show them.
  for (const perApp of record.tokens.values()) for (const token of perApp.values()) ctx.redactor.addKnown(token, 'token');
  const expiryMinutes = resumed ? remainingMinutes(lifetime, started, 'workshop.json') : minutesUntil(lifetime.until, started);
  const templates = await loadTemplates(projectTemplates(plan.platforms));
  const people = everyone(plan);
  // Staging folders of a run killed outright (kill -9) mid-seat: in seats/ (the seats') and in the workshop folder (the host's).
  if (resumed) {
    const removed = [...removeStaleStaging(path.join(plan.root, SEATS_FOLDER, 'any')), ...removeStaleStaging(path.join(plan.root, HOST_FOLDER))];
    if (removed.length > 0) printer.info(leftoverNotice(removed, ctx.cwd));
    // Temp files of a kill -9 mid-write: a seat zip's in seats/, the kept tokens' and ledger's beside them.
    const temps = [...removeStaleTemps(plan.root), ...removeStaleTemps(path.join(plan.root, SEATS_FOLDER))];
    if (temps.length > 0) printer.info(tempNotice(temps, ctx.cwd));
  }
  // The sandbox's URL is never shown or recorded (mesibo.json says sandbox), so one context serves the whole run.
  const seatCtx: SeatContext = { plan, record, templates, endpoint, interrupts: ctx.interrupts };
  const writer = new SeatWriter(seatCtx, people, ctx.now);

  // 3. What is missing: every (user, appid) never issued, and kept tokens lost that a folder still needs.
  const needs = new Set<string>();
  for (const seat of people) if (writer.needsTokens(seat)) needs.add(seat.address).add(seat.buddy);
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
  const foldersBefore = people.filter((s) => writer.written(s)).length;

  // 4. The App Token, only when something is to be issued: read once, kept in memory, redacted everywhere.
  let appToken = SANDBOX_APP_TOKEN;
  if (jobs.length > 0 && !plan.sandbox) {
    appToken = await readAppToken({ appTokenFile: args.appTokenFile, env: ctx.env, interactive: ctx.interactive, prompt: ctx.prompt });
    ctx.redactor.addKnown(appToken, 'app-token');
  }
  // Before anything is written: is the backend a project's running sandbox, whose script the seats' pages load?
  seatCtx.runningSandbox = await localSandbox(record, resumed, endpoint, appToken, ctx);
  printer.info(
    `${resumed ? 'Continuing' : 'Setting up'} the workshop in ${plan.dir}: ${plan.seats.length} seats and the host, ` +
      `${plan.appIds.length} ${plan.appIds.length === 1 ? 'appid' : 'appids'}; ${jobs.length} tokens to issue.`,
  );

  // 5. The folder and its record exist from here on; Ctrl-C writes the record before the run exits.
  try {
    mkdirSync(plan.root, { recursive: true });
    writeGitignore(plan.root);
    record.changed();
    record.flush();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RunError(`Could not write the workshop folder ${JSON.stringify(plan.dir)} (${code}). Choose a folder you can write to; nothing was sent.`, { cause: error });
  }
  let tokensNow = 0;
  const release = ctx.interrupts.onInterrupt(() => {
    record.flush();
    return (
      `Stopped (interrupted). What this run made is kept: ${tokensNow} tokens, recorded in ${path.join(plan.dir, 'workshop.json')}, ` +
      `and ${writer.foldersNow} seat folders. Run the same command again to create only what is missing.`
    );
  });
  const onIssued = (job: Job, result: { uid: string; token: string }) => {
    record.recordIssued(job.seat.address, job.appId, result.uid, result.token, ctx.now());
    tokensNow++;
    if (record.hasAllTokens(job.seat.address)) writer.completed(job.seat.address);
  };

  try {
    // 6. Issue what is missing; each seat is written the moment its tokens and its buddy's are all in.
    writer.catchUp();
    if (jobs.length > 0) {
      const options = { concurrency: ctx.tuning.concurrency, expiryMinutes, onIssued, onProgress: progress(printer, plan.json) };
      const rerun = `${detectInvocation(ctx.env).command} workshop ${JSON.stringify(plan.dir)} …`;
      let failure: unknown;
      try {
        await withBackend({ sandbox: plan.sandbox, endpoint }, appToken, ctx, (client) => issueMissing(client, jobs, options, rerun));
      } catch (error) {
        failure = error;
      }
      // Failed or not, every folder whose tokens are in gets written before the run reports.
      try {
        writer.stop();
        writer.catchUp();
      } catch (error) {
        failure ??= error;
      }
      if (failure !== undefined) throw failure;
    }

    // 7. Zips for seats written without one (a rerun that adds --zip, or a zip deleted since).
    if (plan.zip) {
      for (const seat of people) {
        const zip = record.seat(seat.address).zip;
        if (wantsZip(plan, seat) && writer.written(seat) && (zip === null || !existsSync(path.join(plan.root, ...zip.split('/'))))) zipWrittenSeat(seatCtx, seat, ctx.now());
      }
    }
  } finally {
    release();
    record.flush();
  }

  // 8. The handout, from the plan alone (no token can reach it), then the report.
  const counts: RunCounts = { tokensBefore, tokensNow, foldersBefore, foldersNow: writer.foldersNow, restored: writer.restored, reissued };
  const expires = describeLifetime(lifetime, ctx.now());
  replaceFileBytes(plan.root, 'handout.html', handoutHtml(plan, expires), 0o644, JSON.stringify(plan.dir));
  if (plan.json) printer.json(workshopJson(plan, record, counts));
  else printWorkshopSummary(printer, plan, counts, expires, ctx.cwd, { program: detectInvocation(ctx.env).command, endpoint });
  return 0;
}

/**
 * A backend on this machine may be a project's running sandbox (`create-mesibo-app sandbox`): then the seats' web
 * pages must load its script, or they could never reach it. Asked once, when the workshop begins (sandbox-probe.ts
 * says why it is asked, not assumed), before anything is written, and recorded in the ledger: a rerun renders from
 * the record, so it writes the same files, with no request, whether that sandbox runs or not. Nothing answering is
 * refused: the first run must issue every token there anyway.
 */
async function localSandbox(record: WorkshopRecord, resumed: boolean, endpoint: string, appToken: string, ctx: AppContext): Promise<SeatContext['runningSandbox']> {
  if (endpoint === '' || !isLoopbackHost(new URL(endpoint).hostname)) return undefined;
  const { command } = detectInvocation(ctx.env);
  if (!resumed) {
    const answer = await probeLocalSandbox(endpoint, appToken, ctx.tuning.timeoutMs);
    if (answer.kind === 'unreachable') {
      throw new RunError(
        `Nothing answers at ${echo(displayUrl(endpoint), 80)}, on this machine. If it is a project's sandbox, start it in that ` +
          `project's folder (${command} sandbox), or start the backend that was meant; then run the same command again. Nothing was sent or written.`,
      );
    }
    if (answer.kind === 'sandbox') record.data.runningSandbox = answer.project === undefined ? {} : { project: answer.project };
  }
  const found = record.data.runningSandbox;
  return found === undefined ? undefined : { origin: new URL(endpoint).origin, project: found.project, program: command };
}

/**
 * The workshop's .gitignore: written when missing; one an earlier version wrote (it starts with our
 * header) gets the lines it lacks, so the temp files a killed run leaves are covered there too. A file
 * of the user's own is left alone.
 */
function writeGitignore(root: string): void {
  const file = path.join(root, '.gitignore');
  if (!existsSync(file)) return writeFileSync(file, GITIGNORE, { flag: 'wx' });
  const text = readFileInside(root, '.gitignore', 'the workshop folder', 'Nothing was changed.', 64 * 1024).contents.toString('utf8');
  if (!text.startsWith(GITIGNORE.split('\n')[0]!)) return;
  const have = new Set(text.split(/\r?\n/));
  const missing = GITIGNORE.split('\n').filter((line) => line !== '' && !have.has(line));
  if (missing.length > 0) replaceFileBytes(root, '.gitignore', `${text.endsWith('\n') ? text : `${text}\n`}${missing.join('\n')}\n`, 0o644, 'the workshop folder');
}

export async function runAnnounce(args: AnnounceArgs, ctx: AppContext): Promise<number> {
  return (await import('../workshop/announce')).announce(args, ctx);
}
