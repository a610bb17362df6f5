/**
 * Step 2 of create (and the heart of refresh): one useradd per distinct (address, appid) pair, a few at
 * a time, stopping at the first failure. Returns every uid and token; writes nothing.
 */
import type { BackendClient } from './backend/client';
import type { Plan, Provisioned } from './plan';
import { tokenRequests } from './plan';
import { DEFAULT_CONCURRENCY } from './defaults';


export interface ProvisionOptions {
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function provision(
  client: BackendClient,
  plan: Pick<Plan, 'platforms' | 'users' | 'tokenExpiryMinutes'>,
  options: ProvisionOptions = {},
): Promise<Provisioned> {
  const jobs = tokenRequests(plan);
  const result: Provisioned = new Map();
  let next = 0;
  let done = 0;
  let failed = false;
  options.onProgress?.(0, jobs.length);

  async function worker(): Promise<void> {
    while (!failed && next < jobs.length) {
      const { user, appId } = jobs[next++]!;
      try {
        const issued = await client.useradd({
          address: user.address,
          name: user.name,
          appId,
          expiryMinutes: plan.tokenExpiryMinutes,
        });
        let perApp = result.get(appId);
        if (!perApp) result.set(appId, (perApp = new Map()));
        perApp.set(user.address, issued);
        options.onProgress?.(++done, jobs.length);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }

  const workers = Array.from({ length: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, jobs.length) }, worker);
  // allSettled waits for in-flight requests, so nothing runs on after we report the first failure.
  const outcomes = await Promise.allSettled(workers);
  const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (rejected) throw rejected.reason;
  return result;
}

/** How many tokens were issued, across appids. */
export function countTokens(provisioned: Provisioned): number {
  let n = 0;
  for (const perApp of provisioned.values()) n += perApp.size;
  return n;
}
