/**
 * The refreshed mesibo.json: the user's own manifest with only what a refresh changes replaced
 * (endpoint, sandbox, expiry, expiry date, uids). Key order and any fields this version does not know
 * survive, so the file's diff shows just the refresh.
 */
import type { Manifest } from '../render/manifest';

export function updatedManifest(raw: Record<string, unknown>, fresh: Manifest): string {
  const users = (raw.users as Array<Record<string, unknown>>).map((user, i) => ({ ...user, uid: fresh.users[i]!.uid }));
  const updated = {
    ...raw,
    endpoint: fresh.endpoint,
    sandbox: fresh.sandbox,
    tokenExpiryMinutes: fresh.tokenExpiryMinutes,
    tokensExpireAt: fresh.tokensExpireAt,
    users,
  };
  return `${JSON.stringify(updated, null, 2)}\n`;
}
