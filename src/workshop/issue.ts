/**
 * The workshop's requests: one useradd per user and distinct appid still missing, `concurrency` at a
 * time, each answer handed to `onIssued` (which records it and writes the seats it completes) before
 * the worker sends its next request. The first failure stops the run; requests already in flight are
 * waited for, so nothing lands after the report, and the report says what exists now.
 */
import type { BackendClient } from '../backend/client';
import { BackendError } from '../backend/errors';
import { CliError, InterruptedError, RunError } from '../errors';
import type { Seat } from './workshop-plan';

export interface Job {
  readonly seat: Seat;
  readonly appId: string;
}

export interface IssueOptions {
  concurrency: number;
  /** The `expiry` of each useradd, in minutes. */
  expiryMinutes: number;
  /** Records one answer; runs before the next request of that worker. A throw stops the run like a failed request. */
  onIssued(job: Job, result: { uid: string; token: string }): void;
  onProgress?(done: number, total: number): void;
}

type Who = { address: string; appId: string };

/** A failed run: its cause's message and exit code, with what now exists on the backend. */
export class WorkshopIssueError extends CliError {
  readonly details: { workshop: { created: Array<Who & { uid: string }>; unconfirmed: Who[]; notCreated: Who[] } };

  constructor(reason: CliError, created: Array<Who & { uid: string }>, unconfirmed: Who[], notCreated: Who[], rerun: string) {
    const some = (list: Who[]) => {
      const shown = list.slice(0, 5).map((w) => `${JSON.stringify(w.address)} (appid ${JSON.stringify(w.appId)})`);
      return shown.join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '');
    };
    const parts = [reason.message];
    parts.push(
      created.length > 0
        ? `This run created ${created.length} of the users' tokens before it stopped; each is recorded, and every seat whose tokens (and its buddy's) were all in is written.`
        : 'This run created no token.',
    );
    if (unconfirmed.length > 0) parts.push(`No answer came for ${some(unconfirmed)}: the backend may or may not have issued those.`);
    if (notCreated.length > 0) parts.push(`Not created: ${some(notCreated)}.`);
    parts.push(`Run the same command again (${rerun}): it creates only what is missing and never issues a kept token twice.`);
    super(parts.join(' '), reason.exitCode);
    this.cause = reason.cause ?? reason;
    this.details = { workshop: { created, unconfirmed, notCreated } };
  }
}

export async function issueMissing(client: BackendClient, jobs: readonly Job[], options: IssueOptions, rerun: string): Promise<void> {
  const outcome: Array<'created' | 'refused' | 'unconfirmed' | undefined> = [];
  const uids: string[] = [];
  let next = 0;
  let done = 0;
  let failure: unknown;
  options.onProgress?.(0, jobs.length);

  async function worker(): Promise<void> {
    while (failure === undefined && next < jobs.length) {
      const index = next++;
      const { seat, appId } = jobs[index]!;
      let result;
      try {
        result = await client.useradd({ address: seat.address, name: seat.name, appId, expiryMinutes: options.expiryMinutes });
      } catch (error) {
        // A BackendError is an answer (not created); anything else got none.
        outcome[index] = error instanceof BackendError ? 'refused' : 'unconfirmed';
        failure ??= error;
        return;
      }
      outcome[index] = 'created';
      uids[index] = result.uid;
      try {
        options.onIssued(jobs[index]!, result);
      } catch (error) {
        failure ??= new RunError(`Could not record or write what the backend issued: ${(error as Error)?.message ?? error}.`, { cause: error });
        return;
      }
      options.onProgress?.(++done, jobs.length);
    }
  }

  await Promise.all(Array.from({ length: Math.min(options.concurrency, jobs.length) }, worker));
  if (failure === undefined) return;
  if (failure instanceof InterruptedError || !(failure instanceof CliError)) throw failure;
  const who = (i: number): Who => ({ address: jobs[i]!.seat.address, appId: jobs[i]!.appId });
  const created: Array<Who & { uid: string }> = [];
  const unconfirmed: Who[] = [];
  const notCreated: Who[] = [];
  jobs.forEach((_, i) => {
    if (outcome[i] === 'created') created.push({ ...who(i), uid: uids[i]! });
    else if (outcome[i] === 'unconfirmed') unconfirmed.push(who(i));
    else notCreated.push(who(i));
  });
  throw new WorkshopIssueError(failure, created, unconfirmed, notCreated, rerun);
}
