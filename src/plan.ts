/**
 * The plan: every answer, validated, as plain data. Nothing that touches the network or the disk runs
 * before one exists, and tests can build one by hand.
 */
import type { PlatformId } from './platforms';

export interface PlannedPlatform {
  id: PlatformId;
  appId: string;
}

export interface PlannedUser {
  address: string;
  /** Display name sent to mesibo's useradd. */
  name: string;
}

export interface Plan {
  /** Display name of the app. */
  name: string;
  /** The folder as the user typed it (for messages) and resolved (for effects). */
  targetDir: string;
  targetPath: string;
  platforms: PlannedPlatform[];
  users: PlannedUser[];
  tokenExpiryMinutes: number;
  /** Backend endpoint; for the sandbox it is filled in once the sandbox listens. */
  endpoint: string;
  sandbox: boolean;
  force: boolean;
  git: boolean;
  json: boolean;
}

/** What provisioning returns: per appid, per address, the uid and access token mesibo issued. */
export interface IssuedToken {
  uid: string;
  token: string;
}
export type Provisioned = Map<string, Map<string, IssuedToken>>;

/** Distinct (address, appid) pairs: one useradd each, however many platforms share an appid. */
export function tokenRequests(plan: Pick<Plan, 'platforms' | 'users'>): Array<{ user: PlannedUser; appId: string }> {
  const appIds = [...new Set(plan.platforms.map((p) => p.appId))];
  return appIds.flatMap((appId) => plan.users.map((user) => ({ user, appId })));
}
