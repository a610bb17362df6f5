/**
 * One seat's project: create's own plan, render and write steps, fed with users [seat, buddy] and the
 * tokens kept for them. Rendered, written (staging folder, then rename) and zipped one seat at a time,
 * then dropped, so memory stays flat however many seats there are.
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { frozenPlan, type Issued, type IssuedToken, type Plan } from '../plan/plan';
import { PLATFORMS } from '../platforms';
import { plannedFiles } from '../render/template-files';
import { renderProject, TOKEN_CONFIG_MODE, type RenderedFile } from '../render/project';
import type { Templates } from '../render/templates';
import { writeFiles, writeProject } from '../write/project-folder';
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
  return Object.freeze({ endpoint: ctx.endpoint, tokens, at: new Date(ctx.record.data.createdAt) });
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
  replaceFileBytes(path.join(ctx.plan.root, ...rel.split('/')), zipOf(seat, files, new Date(ctx.record.data.createdAt)), TOKEN_CONFIG_MODE);
  return rel;
}

/** Renders and writes a seat whose tokens (its own and its buddy's) are all kept; records it. */
export function writeSeat(ctx: SeatContext, seat: Seat, buddy: Seat, now: Date): void {
  const files = render(ctx, seat, buddy);
  writeProject(seatPath(ctx.plan.root, seat), files, ctx.interrupts);
  const zip = wantsZip(ctx.plan, seat) ? writeZip(ctx, seat, files) : null;
  ctx.record.markWritten(seat.address, now, zip);
}

/** Token config files a written seat should have and has not (deleted, or lost): relative paths. */
export function missingTokenFiles(plan: WorkshopPlan, seat: Seat): string[] {
  const root = seatPath(plan.root, seat);
  return plan.platforms
    .map((p) => `${PLATFORMS[p.id].dir}/${PLATFORMS[p.id].secretFile}`)
    .filter((rel) => {
      try {
        lstatSync(path.join(root, ...rel.split('/')));
        return false;
      } catch {
        return true;
      }
    });
}

/** Puts back a written seat's missing token files (0600, never replacing anything), from the kept tokens. */
export function restoreTokenFiles(ctx: SeatContext, seat: Seat, buddy: Seat, missing: readonly string[]): void {
  const wanted = new Set(missing);
  writeFiles(seatPath(ctx.plan.root, seat), render(ctx, seat, buddy).filter((f) => wanted.has(f.path)));
}

/** A written seat's zip, made from its folder as it is on disk (a rerun that adds --zip). */
export function zipWrittenSeat(ctx: SeatContext, seat: Seat, now: Date): void {
  const root = seatPath(ctx.plan.root, seat);
  const files = plannedFiles(ctx.plan.platforms)
    .map((rel) => path.join(root, ...rel.split('/')))
    .filter((abs) => lstatIsFile(abs))
    .map((abs) => ({ path: path.relative(root, abs).split(path.sep).join('/'), contents: readFileSync(abs), mode: statSync(abs).mode & 0o777 }));
  ctx.record.markWritten(seat.address, now, writeZip(ctx, seat, files));
}

function lstatIsFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}
