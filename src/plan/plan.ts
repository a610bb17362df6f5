/**
 * The plan: every answer, validated, as immutable data. Nothing that touches the network or the disk
 * runs before one exists, and tests can build one by hand. Also what provisioning yields for it.
 */
import { hasAppId, type PlatformId } from '../platforms';
import type { SandboxKey } from '../sandbox/key-file';

export interface PlannedPlatform {
  readonly id: PlatformId;
  readonly appId: string;
}

export interface PlannedUser {
  readonly address: string;
  /** Display name sent to mesibo's useradd. */
  readonly name: string;
}

export interface Plan {
  /** Display name of the app. */
  readonly name: string;
  /** The folder as the user typed it (for messages) and resolved (for effects). */
  readonly targetDir: string;
  readonly targetPath: string;
  readonly platforms: readonly PlannedPlatform[];
  readonly users: readonly PlannedUser[];
  readonly tokenExpiryMinutes: number;
  /** The backend's URL as chosen; empty for the sandbox, whose URL exists only once it listens (Issued.endpoint). */
  readonly endpoint: string;
  readonly sandbox: boolean;
  readonly force: boolean;
  readonly git: boolean;
  readonly json: boolean;
  /** Write AGENTS.md, the notes for coding agents (false with --no-ai; absent means true). */
  readonly ai?: boolean;
}

/** What provisioning returns: per appid, per address, the uid and access token mesibo issued. */
export interface IssuedToken {
  uid: string;
  token: string;
}
export type Provisioned = Map<string, Map<string, IssuedToken>>;

/** The tokens of a run and where and when they were issued: made once, after provisioning. */
export interface Issued {
  /** The backend that issued them: the plan's endpoint, or the address the sandbox listened on. */
  readonly endpoint: string;
  readonly tokens: ReadonlyMap<string, ReadonlyMap<string, Readonly<IssuedToken>>>;
  /** Their lifetime counts from here. */
  readonly at: Date;
  /** A sandbox create's key: written as the project's .mesibo-sandbox.json, so later sandbox runs accept the tokens. */
  readonly sandbox?: SandboxKey;
  /**
   * The running local sandbox that issued them, named by --api-url (a workshop against a project's sandbox): its
   * origin, where the web pages load its script; for the command that starts it, its project folder (as it told
   * it) and the program that ran this run.
   */
  readonly runningSandbox?: { readonly origin: string; readonly project?: string; readonly program: string };
  /** The token server's development passcode (server/.passcode), made by create when the plan has `server`. */
  readonly serverPasscode?: string;
}

/** Freezes a plan and its lists: a plan is never changed once made. */
export function frozenPlan(plan: Plan): Plan {
  return Object.freeze({
    ...plan,
    platforms: Object.freeze(plan.platforms.map((p) => Object.freeze({ ...p }))),
    users: Object.freeze(plan.users.map((u) => Object.freeze({ ...u }))),
  });
}

/** When the tokens of `issued` expire, as an ISO date. */
export function tokensExpireAt(plan: Pick<Plan, 'tokenExpiryMinutes'>, issued: Pick<Issued, 'at'>): string {
  return new Date(issued.at.getTime() + plan.tokenExpiryMinutes * 60_000).toISOString();
}

/** Distinct (address, appid) pairs: one useradd each, however many platforms share an appid. */
export function tokenRequests(plan: Pick<Plan, 'platforms' | 'users'>): Array<{ user: PlannedUser; appId: string }> {
  // The token server has no appid of its own: it mints on request, for the others' appids.
  const appIds = [...new Set(plan.platforms.filter((p) => hasAppId(p.id)).map((p) => p.appId))];
  return appIds.flatMap((appId) => plan.users.map((user) => ({ user, appId })));
}
