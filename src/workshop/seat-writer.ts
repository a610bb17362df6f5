/**
 * Writes each seat's project as soon as its tokens and its buddy's are all kept. While requests are
 * in flight the writes are queued and done one seat per turn of the event loop (setImmediate): the
 * worker whose answer completed a seat sends its next request first, and answers that arrive meanwhile
 * are handled between two seats, so the (synchronous) file work overlaps the network waits instead of
 * adding to them. Between runs of the queue, and at the end, `catchUp` writes whatever is ready.
 */
import type { Seat } from './workshop-plan';
import { missingTokenFiles, restoreTokenFiles, writeSeat, type SeatContext } from './seat-project';

export class SeatWriter {
  /** Folders written and token files put back by this run. */
  foldersNow = 0;
  restored = 0;
  private readonly queue: Seat[] = [];
  private pending: NodeJS.Immediate | undefined;
  private failure: unknown;
  private readonly byAddress: Map<string, Seat>;
  /** Whose tokens complete which folders: a seat's own, its buddy's, and the host's if it is the host's buddy. */
  private readonly dependents = new Map<string, Seat[]>();
  /** Written seats with token files missing on disk (relative paths), to put back from the kept tokens. */
  private readonly missingFiles: Map<Seat, string[]>;

  constructor(
    private readonly ctx: SeatContext,
    private readonly people: readonly Seat[],
    private readonly now: () => Date,
  ) {
    this.byAddress = new Map(people.map((s) => [s.address, s]));
    for (const seat of people) for (const a of new Set([seat.address, seat.buddy])) this.dependents.set(a, [...(this.dependents.get(a) ?? []), seat]);
    this.missingFiles = new Map(people.filter((s) => this.written(s)).map((s) => [s, missingTokenFiles(ctx.plan, s)]));
  }

  written(seat: Seat): boolean {
    return this.ctx.record.seat(seat.address).written !== null;
  }

  /** The folders this run must (re)write or repair, so the tokens they need must be kept or issued. */
  needsTokens(seat: Seat): boolean {
    return !this.written(seat) || (this.missingFiles.get(seat)?.length ?? 0) > 0;
  }

  private complete(seat: Seat): boolean {
    return this.ctx.record.hasAllTokens(seat.address) && this.ctx.record.hasAllTokens(seat.buddy);
  }

  private write(seat: Seat): void {
    if (this.written(seat) || !this.complete(seat)) return;
    writeSeat(this.ctx, seat, this.byAddress.get(seat.buddy)!, this.now());
    this.foldersNow++;
  }

  /** An address got its last token: queue the folders that were waiting for it. A queued write's failure is thrown here. */
  completed(address: string): void {
    if (this.failure !== undefined) throw this.failure;
    this.queue.push(...(this.dependents.get(address) ?? []));
    this.pending ??= setImmediate(() => this.drain());
  }

  private drain(): void {
    this.pending = undefined;
    const seat = this.queue.shift();
    if (!seat) return;
    try {
      this.write(seat);
    } catch (error) {
      this.failure ??= error;
      this.queue.length = 0;
      return;
    }
    if (this.queue.length > 0) this.pending = setImmediate(() => this.drain());
  }

  /** Stops the queue (the run is ending); what it held is written by the next catchUp. */
  stop(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    this.queue.length = 0;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Every folder whose tokens are all kept: written, or its lost token files put back. Synchronous. */
  catchUp(): void {
    for (const seat of this.people) this.write(seat);
    for (const [seat, missing] of this.missingFiles) {
      if (missing.length === 0 || !this.complete(seat)) continue;
      restoreTokenFiles(this.ctx, seat, this.byAddress.get(seat.buddy)!, missing);
      this.restored += missing.length;
      this.missingFiles.set(seat, []);
    }
  }
}
