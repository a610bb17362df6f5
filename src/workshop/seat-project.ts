/**
 * One seat's project: create's own plan, render and write steps, fed with users [seat, buddy] and the
 * tokens kept for them. Rendered, written (staging folder, then rename) and zipped one seat at a time,
 * then dropped, so memory stays flat however many seats there are.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { frozenPlan, type Issued, type IssuedToken, type Plan } from '../plan/plan';
import { PLATFORMS } from '../platforms';
import { plannedFiles } from '../render/template-files';
import { renderProject, TOKEN_CONFIG_MODE, type RenderedFile } from '../render/project';
import type { Templates } from '../render/templates';
import { writeFiles, writeProject } from '../write/project-folder';
import { assertInside, readFileInside } from '../write/inside';
import type { InterruptGuard } from '../interrupt';
import type { WorkshopRecord } from './ledger';
import { replaceFileBytes } from './write-file';
import { zipArchive } from './zip';
import type { Seat, WorkshopPlan } from './workshop-plan';

export interface SeatContext {
  readonly plan: WorkshopPlan;
  readonly record: WorkshopRecord;
  readonly templates: Templates;
  /** The backend that issues the tokens (empty for the sandbox: mesibo.json then records none). */
  readonly endpoint: string;
  /**
   * The endpoint is a project's running sandbox (src/backend/sandbox-probe.ts): the seats' web pages load its script.
   * Set by the command once known (it asks with the App Token), before any seat is written.
   */
  runningSandbox?: Issued['runningSandbox'];
  readonly interrupts: InterruptGuard;
}

export function seatPath(root: string, seat: Pick<Seat, 'folder'>): string {
  return path.join(root, ...seat.folder.split('/'));
}

/** The plan create would make for this seat: its own folder, users [seat, buddy], the workshop's lifetime. */
function seatProjectPlan(ctx: SeatContext, seat: Seat, buddy: Seat): Plan {
  const { plan, record } = ctx;
  const minutes = Math.round((Date.parse(record.data.tokens.until) - Date.parse(record.data.createdAt)) / 60_000);
  return frozenPlan({
    name: plan.name,
    targetDir: seat.folder,
    targetPath: seatPath(plan.root, seat),
    platforms: plan.platforms,
    users: [seat, buddy].map((u) => ({ address: u.address, name: u.name })),
    tokenExpiryMinutes: Math.max(1, minutes),
    endpoint: plan.endpoint,
    sandbox: plan.sandbox,
    force: false,
    git: false,
    json: plan.json,
  });
}

/** The kept tokens of seat and buddy, shaped as create's provisioning returns them. */
function seatIssued(ctx: SeatContext, seat: Seat, buddy: Seat): Issued {
  const tokens = new Map<string, Map<string, IssuedToken>>();
  for (const appId of ctx.plan.appIds) {
    const perApp = new Map<string, IssuedToken>();
    for (const user of [seat, buddy]) {
      const token = ctx.record.token(user.address, appId);
      const uid = ctx.record.seat(user.address).issued[appId]?.uid;
      if (token === undefined || uid === undefined) throw new Error(`internal: no token kept for ${user.address} (${appId})`);
      perApp.set(user.address, Object.freeze({ uid, token }));
    }
    tokens.set(appId, perApp);
  }
  // Their lifetime counts from the workshop's start, so every seat's README and mesibo.json name the same end.
  return Object.freeze({ endpoint: ctx.endpoint, tokens, at: new Date(ctx.record.data.createdAt), runningSandbox: ctx.runningSandbox });
}

function render(ctx: SeatContext, seat: Seat, buddy: Seat): readonly RenderedFile[] {
  return renderProject(seatProjectPlan(ctx, seat, buddy), seatIssued(ctx, seat, buddy), ctx.templates).files;
}

/** The zip's entries: the project under one folder named like the seat's, so it unzips into that. */
function zipOf(seat: Seat, files: ReadonlyArray<{ path: string; contents: string | Uint8Array; mode: number }>, at: Date): Buffer {
  const top = path.posix.basename(seat.folder);
  return zipArchive(files.map((f) => ({ path: `${top}/${f.path}`, contents: f.contents, mode: f.mode })), at);
}

/** With --zip, every attendee's seat gets one to hand out; the host's folder stays with the organiser. */
export function wantsZip(plan: WorkshopPlan, seat: Seat): boolean {
  return plan.zip && seat.number > 0;
}

/** `seats/<name>.zip`, 0600: it holds the seat's tokens. */
function writeZip(ctx: SeatContext, seat: Seat, files: Parameters<typeof zipOf>[1]): string {
  const rel = `${seat.folder}.zip`;
  replaceFileBytes(ctx.plan.root, rel, zipOf(seat, files, new Date(ctx.record.data.createdAt)), TOKEN_CONFIG_MODE, shownRoot(ctx));
  return rel;
}

/** Renders and writes a seat whose tokens (its own and its buddy's) are all kept; records it. */
export function writeSeat(ctx: SeatContext, seat: Seat, buddy: Seat, now: Date): void {
  const files = render(ctx, seat, buddy);
  assertInside(ctx.plan.root, [seat.folder], shownRoot(ctx), OUTCOME, 'any');
  writeProject(seatPath(ctx.plan.root, seat), files, ctx.interrupts);
  const zip = wantsZip(ctx.plan, seat) ? writeZip(ctx, seat, files) : null;
  ctx.record.markWritten(seat.address, now, zip);
}

/** Token config files a written seat should have and has not (deleted, or lost): relative paths. */
export function missingTokenFiles(plan: WorkshopPlan, seat: Seat): string[] {
  return plan.platforms
    .map((p) => `${PLATFORMS[p.id].dir}/${PLATFORMS[p.id].secretFile}`)
    .filter((rel) => {
      try {
        lstatSync(path.join(seatPath(plan.root, seat), ...rel.split('/')));
        return false;
      } catch {
        return true;
      }
    });
}

/**
 * Every path a written seat's folder is read or written through, checked from the workshop folder
 * down (src/write/inside.ts): a `seats/seat-1/web` turned into a link to elsewhere is refused before
 * anything is sent or written, never written through (a token file put back) nor read through (a zip).
 */
export function checkSeatPaths(plan: WorkshopPlan, seat: Seat): void {
  const rels = plannedFiles(plan.platforms).map((rel) => `${seat.folder}/${rel}`);
  assertInside(plan.root, rels, JSON.stringify(plan.dir), OUTCOME, 'any');
}

/** Puts back a written seat's missing token files (0600, never replacing anything), from the kept tokens. */
export function restoreTokenFiles(ctx: SeatContext, seat: Seat, buddy: Seat, missing: readonly string[]): void {
  const wanted = new Set(missing);
  const files = render(ctx, seat, buddy).filter((f) => wanted.has(f.path));
  writeFiles(ctx.plan.root, files.map((f) => ({ ...f, path: `${seat.folder}/${f.path}` })), shownRoot(ctx), OUTCOME);
}

/** A written seat's zip, made from its folder as it is on disk (a rerun that adds --zip); nothing is read through a link. */
export function zipWrittenSeat(ctx: SeatContext, seat: Seat, now: Date): void {
  const files: Array<{ path: string; contents: Buffer; mode: number }> = [];
  for (const rel of plannedFiles(ctx.plan.platforms)) {
    let read;
    try {
      read = readFileInside(ctx.plan.root, `${seat.folder}/${rel}`, shownRoot(ctx), OUTCOME);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // deleted since: the zip has what is there
      throw error;
    }
    files.push({ path: rel, ...read });
  }
  ctx.record.markWritten(seat.address, now, writeZip(ctx, seat, files));
}

const OUTCOME = 'Nothing was written for this seat; run the same command again once it is a real folder.';

function shownRoot(ctx: SeatContext): string {
  return JSON.stringify(ctx.plan.dir);
}
