/**
 * The data templates see. Ordinary templates get no tokens at all; only a platform's secret config
 * template gets them, so a token cannot leak into a committed file by a template slip.
 */
import { PLATFORMS, type PlatformId } from '../platforms';
import type { Plan, Provisioned } from '../plan';
import { shellWord } from './literals';

export interface ContextUser {
  address: string;
  name: string;
  uid: string;
  /** 1-based position in --users. */
  number: number;
}

export interface ContextPlatform {
  id: PlatformId;
  label: string;
  appId: string;
  dir: string;
  secretFile: string;
  /** Pinned mesibo SDK versions of this platform (src/sdk-versions.json). */
  sdk: Readonly<Record<string, string>>;
}

/** A platform as the project README lists it: with the commands that run it from the project folder. */
export interface ProjectPlatform extends ContextPlatform {
  steps: string[];
}

export interface TemplateContext {
  app: { name: string; dir: string };
  /** The platform whose folder is being rendered (absent for project-level files). */
  platform?: ContextPlatform;
  platforms: ProjectPlatform[];
  users: ContextUser[];
  /** The demo pair: the first two users. */
  pair: { first: ContextUser; second: ContextUser };
  sandbox: boolean;
  endpoint: string;
  tokenExpiryMinutes: number;
  /** ISO date when the tokens issued by this run expire. */
  tokenExpiresAt: string;
}

export interface SecretUser extends ContextUser {
  token: string;
}

export interface SecretContext extends TemplateContext {
  platform: ContextPlatform;
  users: SecretUser[];
  pair: { first: SecretUser; second: SecretUser };
}

/** Placeholder written into each committed `.example` twin of a secret config file. */
export const PLACEHOLDER_TOKEN = 'PASTE_USER_ACCESS_TOKEN_HERE';

export function contextPlatform(id: PlatformId, appId: string): ContextPlatform {
  const p = PLATFORMS[id];
  return { id, label: p.label, appId, dir: p.dir, secretFile: p.secretFile, sdk: p.sdk };
}

export function buildContext(plan: Plan, provisioned: Provisioned, now: Date): TemplateContext {
  const firstAppId = plan.platforms[0]!.appId;
  const users = plan.users.map((u, i) => ({
    address: u.address,
    name: u.name,
    uid: provisioned.get(firstAppId)?.get(u.address)?.uid ?? '',
    number: i + 1,
  }));
  return {
    app: { name: plan.name, dir: plan.targetDir },
    platforms: plan.platforms.map((p) => ({
      ...contextPlatform(p.id, p.appId),
      steps: PLATFORMS[p.id].nextSteps({
        dir: shellWord(PLATFORMS[p.id].dir),
        firstUser: shellWord(users[0]!.address),
        secondUser: shellWord(users[1]!.address),
      }),
    })),
    users,
    pair: { first: users[0]!, second: users[1]! },
    sandbox: plan.sandbox,
    endpoint: plan.endpoint,
    tokenExpiryMinutes: plan.tokenExpiryMinutes,
    tokenExpiresAt: new Date(now.getTime() + plan.tokenExpiryMinutes * 60_000).toISOString(),
  };
}

export function platformContext(base: TemplateContext, platform: ContextPlatform): TemplateContext {
  return { ...base, platform };
}

/** Context for a secret file; `placeholder` renders the committed `.example` twin instead. */
export function secretContext(
  base: TemplateContext,
  platform: ContextPlatform,
  provisioned: Provisioned,
  placeholder: boolean,
): SecretContext {
  const tokens = provisioned.get(platform.appId);
  const users = base.users.map((u) => ({
    ...u,
    token: placeholder ? PLACEHOLDER_TOKEN : (tokens?.get(u.address)?.token ?? missing(u.address, platform.appId)),
  }));
  return { ...base, platform, users, pair: { first: users[0]!, second: users[1]! } };
}

function missing(address: string, appId: string): never {
  throw new Error(`internal: no token was issued for user ${address} with appid ${appId}`);
}
