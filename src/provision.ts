/**
 * Step 2 of create (and the heart of refresh): one useradd per distinct (address, appid) pair, a few at
 * a time, stopping at the first failure. Returns every uid and token; writes nothing.
 *
 * A failure after some successes leaves users on mesibo's server: the error then says exactly which
 * (address and uid, per appid) and which not, in words and as data for --json, and keeps the real
 * cause: an App Token rejected after it was accepted was revoked or disabled during the run.
 */
import type { BackendClient } from './backend/client';
import { BackendError } from './backend/errors';
import type { Plan, Provisioned } from './plan/plan';
import { tokenRequests } from './plan/plan';
import { DEFAULT_CONCURRENCY } from './defaults';
import { CliError, InterruptedError } from './errors';

export interface ProvisionOptions {
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface UserOutcome {
  appId: string;
  address: string;
}

/** Where each requested (address, appid) pair stood when the run stopped. */
export interface ProvisionReport {
  /** The backend answered with a uid and token: the user exists on the server. */
  created: Array<UserOutcome & { uid: string }>;
  /** Refused by the backend, or never sent: not created by this run. */
  notCreated: UserOutcome[];
  /** Sent, but no answer came (network failure or timeout): the server may or may not have it. */
  unconfirmed: UserOutcome[];
}

/** A provisioning failure with its report; the exit code is the cause's. */
export class ProvisionError extends CliError {
  /** Spread into the --json failure object by main. */
  readonly details: { provisioned: ProvisionReport };

  constructor(
    readonly reason: CliError,
    readonly report: ProvisionReport,
  ) {
    super(`${causeText(reason, report)}${reportText(report)}`, reason.exitCode);
    this.cause = reason.cause ?? reason;
    this.details = { provisioned: report };
  }
}

function causeText(reason: CliError, report: ProvisionReport): string {
  const accepted = report.created.length;
  if (accepted === 0 || !(reason instanceof BackendError) || !reason.rejectedAppToken) return reason.message;
  const code = reason.failure.error ?? 'AUTHFAIL';
  const detail = reason.failure.cause ? `: ${reason.failure.cause}` : '';
  const ofRequests = `${accepted} ${accepted === 1 ? 'request' : 'requests'}`;
  if (code === 'TOKENBREACH') {
    return (
      `mesibo accepted the App Token for ${ofRequests}, then disabled it during this run (TOKENBREACH${detail}): ` +
      'it was used from more than five IP addresses. Create a new App Token in the mesibo console and provision ' +
      'from a single machine.'
    );
  }
  return (
    `mesibo accepted the App Token for ${ofRequests}, then rejected it (${code}${detail}): it was valid when this ` +
    'run started, so it was probably revoked or replaced in the mesibo console during the run, or disabled for ' +
    'use from more than five IP addresses (TOKENBREACH). Check the App Token of your application in the mesibo ' +
    'console and run again with the current one.'
  );
}

function byAppId<T extends UserOutcome>(list: T[], show: (o: T) => string): string {
  const groups = new Map<string, string[]>();
  for (const o of list) groups.set(o.appId, [...(groups.get(o.appId) ?? []), show(o)]);
  return [...groups].map(([appId, users]) => `appid ${JSON.stringify(appId)}: ${users.join(', ')}`).join('; ');
}

function reportText(report: ProvisionReport): string {
  if (report.created.length === 0 && report.unconfirmed.length === 0) return '';
  const parts = [
    ` Before the run stopped, the backend created (or issued a new token to) ${report.created.length} of the ` +
      `users: ${byAppId(report.created, (o) => `${JSON.stringify(o.address)} (uid ${o.uid})`) || 'none'}.`,
  ];
  if (report.unconfirmed.length > 0) {
    parts.push(`No answer came for ${byAppId(report.unconfirmed, (o) => JSON.stringify(o.address))}: they may or may not exist.`);
  }
  if (report.notCreated.length > 0) {
    parts.push(`Not created: ${byAppId(report.notCreated, (o) => JSON.stringify(o.address))}.`);
  }
  parts.push('Running the same command again is safe: for an address that exists, useradd issues a new token.');
  return parts.join(' ');
}

export async function provision(
  client: BackendClient,
  plan: Pick<Plan, 'platforms' | 'users' | 'tokenExpiryMinutes'>,
  options: ProvisionOptions = {},
): Promise<Provisioned> {
  const jobs = tokenRequests(plan);
  const result: Provisioned = new Map();
  const outcome: Array<'created' | 'refused' | 'unconfirmed' | undefined> = [];
  let next = 0;
  let done = 0;
  let failed = false;
  let firstError: unknown;
  options.onProgress?.(0, jobs.length);

  async function worker(): Promise<void> {
    while (!failed && next < jobs.length) {
      const index = next++;
      const { user, appId } = jobs[index]!;
      let issued;
      try {
        issued = await client.useradd({ address: user.address, name: user.name, appId, expiryMinutes: plan.tokenExpiryMinutes });
      } catch (error) {
        // A BackendError is an answer: the backend did not create the user. Anything else got no answer.
        outcome[index] = error instanceof BackendError ? 'refused' : 'unconfirmed';
        if (!failed) firstError = error;
        failed = true;
        return;
      }
      let perApp = result.get(appId);
      if (!perApp) result.set(appId, (perApp = new Map()));
      perApp.set(user.address, issued);
      outcome[index] = 'created';
      options.onProgress?.(++done, jobs.length);
    }
  }

  const workers = Array.from({ length: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, jobs.length) }, worker);
  // Waits for in-flight requests, so nothing runs on after we report the first failure.
  await Promise.all(workers);
  if (!failed) return result;
  const reason = firstError;
  if (reason instanceof InterruptedError || !(reason instanceof CliError)) throw reason;
  const report: ProvisionReport = { created: [], notCreated: [], unconfirmed: [] };
  jobs.forEach(({ user, appId }, i) => {
    const who = { appId, address: user.address };
    if (outcome[i] === 'created') report.created.push({ ...who, uid: result.get(appId)!.get(user.address)!.uid });
    else if (outcome[i] === 'unconfirmed') report.unconfirmed.push(who);
    else report.notCreated.push(who);
  });
  throw new ProvisionError(reason, report);
}

/** How many tokens were issued, across appids. */
export function countTokens(provisioned: Provisioned): number {
  let n = 0;
  for (const perApp of provisioned.values()) n += perApp.size;
  return n;
}
