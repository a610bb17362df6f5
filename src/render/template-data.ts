/**
 * The data templates see, built once per run from the plan and what was issued. Ordinary templates get no
 * tokens at all; only a platform's token config template gets them, so a token cannot leak into a
 * committed file by a template slip.
 */
import { PLATFORMS, TOKEN_SERVER_URL, hasAppId, type PlatformId } from '../platforms';
import { tokensExpireAt, type Issued, type Plan } from '../plan/plan';
import { shellWord } from './literals';
import { VERSION } from '../version';

export interface TemplateUser {
  readonly address: string;
  readonly name: string;
  readonly uid: string;
  /** 1-based position in --users. */
  readonly number: number;
}

export interface TemplatePlatform {
  readonly id: PlatformId;
  readonly label: string;
  readonly appId: string;
  readonly dir: string;
  readonly secretFile: string;
  /** Pinned mesibo SDK versions of this platform (src/sdk-versions.json). */
  readonly sdk: Readonly<Record<string, string>>;
}

/** A platform as the project README lists it: with the commands that run it from the project folder. */
export interface ProjectPlatform extends TemplatePlatform {
  readonly steps: readonly string[];
}

/** How generated files tell their reader to run create-mesibo-app again (made by src/report/invocation.ts). */
export interface ToolHints {
  /** The published form at this exact version, which outlives the run: `npx create-mesibo-app@0.1.0 refresh`. */
  readonly refresh: string;
  /** The form this run used, when it was not the npm registry (a checkout or a tarball). */
  readonly thisRun?: string;
  /** The published form without a command (`npx create-mesibo-app@0.1.0`), for `doctor`, `sandbox`, …. */
  readonly published: string;
  /** This run's form without a command, when it was not the npm registry. */
  readonly thisRunProgram?: string;
}

export const PUBLISHED_HINTS: ToolHints = Object.freeze({
  refresh: `npx create-mesibo-app@${VERSION} refresh`,
  published: `npx create-mesibo-app@${VERSION}`,
});

export interface TemplateData {
  readonly app: { readonly name: string; readonly dir: string };
  /** The platform whose folder is being rendered (absent for project-level files). */
  readonly platform?: TemplatePlatform;
  readonly platforms: readonly ProjectPlatform[];
  readonly users: readonly TemplateUser[];
  /** The demo pair: the first two users. */
  readonly pair: { readonly first: TemplateUser; readonly second: TemplateUser };
  readonly sandbox: boolean;
  /** A sandbox project's local emulator: where the page loads mesibo.js, and the command that starts it. */
  readonly emulator?: {
    readonly port: number;
    readonly script: string;
    readonly start: string;
    /** The project's own sandbox (a sandbox create), not another project's that issued a workshop's tokens. */
    readonly own: boolean;
  };
  readonly endpoint: string;
  readonly tokenExpiryMinutes: number;
  /** ISO date when the tokens issued by this run expire. */
  readonly tokenExpiresAt: string;
  readonly tool: ToolHints;
  /** When the project has the token server: where the starters ask it for tokens (templates/server). */
  readonly tokenServer?: { readonly url: string };
}

export interface TokenConfigUser extends TemplateUser {
  readonly token: string;
}

/** What a platform's token config template sees: the users with their tokens for its appid. */
export interface TokenConfigData extends TemplateData {
  readonly platform: TemplatePlatform;
  readonly users: readonly TokenConfigUser[];
  readonly pair: { readonly first: TokenConfigUser; readonly second: TokenConfigUser };
}

/** What the token server's secret file template sees: its development passcode, and no user token. */
export interface PasscodeData extends TemplateData {
  readonly platform: TemplatePlatform;
  readonly passcode: string;
}

/** Placeholder written into each committed `.example` twin of a token config file. */
export const PLACEHOLDER_TOKEN = 'PASTE_USER_ACCESS_TOKEN_HERE';
/** Placeholder of the token server's passcode in its committed `.example` twin. */
export const PLACEHOLDER_PASSCODE = 'PASTE_A_LONG_RANDOM_PASSCODE_HERE';

export function templatePlatform(id: PlatformId, appId: string): TemplatePlatform {
  const p = PLATFORMS[id];
  return { id, label: p.label, appId, dir: p.dir, secretFile: p.secretFile, sdk: p.sdk };
}

export function templateData(plan: Plan, issued: Issued, tool: ToolHints = PUBLISHED_HINTS): TemplateData {
  const firstAppId = plan.platforms.find((p) => hasAppId(p.id))!.appId;
  const users = plan.users.map((u, i) => ({
    address: u.address,
    name: u.name,
    uid: issued.tokens.get(firstAppId)?.get(u.address)?.uid ?? '',
    number: i + 1,
  }));
  return {
    app: { name: plan.name, dir: plan.targetDir },
    platforms: plan.platforms.map((p) => ({
      ...templatePlatform(p.id, p.appId),
      steps: PLATFORMS[p.id].nextSteps({
        dir: shellWord(PLATFORMS[p.id].dir),
        firstUser: shellWord(users[0]!.address),
        secondUser: shellWord(users[1]!.address),
      }),
    })),
    users,
    pair: { first: users[0]!, second: users[1]! },
    sandbox: plan.sandbox,
    emulator: emulatorData(issued, tool),
    endpoint: issued.endpoint,
    tokenExpiryMinutes: plan.tokenExpiryMinutes,
    tokenExpiresAt: tokensExpireAt(plan, issued),
    tool,
    tokenServer: plan.platforms.some((p) => p.id === 'server') ? { url: TOKEN_SERVER_URL } : undefined,
  };
}

/**
 * The local sandbox the pages use, when the tokens came from one: a sandbox create's own (its recorded port), or
 * a running project's sandbox that a workshop's --api-url named. `start` runs it as this run was run (a checkout,
 * a tarball, npm): a create's from its project folder (or any folder in it); another project's with that folder
 * named (from anywhere), at the port the pages load its script from.
 */
function emulatorData(issued: Issued, tool: ToolHints): TemplateData['emulator'] {
  if (issued.sandbox) {
    const { port } = issued.sandbox;
    return { port, script: `http://127.0.0.1:${port}/mesibo.js`, start: (tool.thisRun ?? tool.refresh).replace(/ refresh$/, ' sandbox'), own: true };
  }
  if (!issued.runningSandbox) return undefined;
  const { origin, project, program } = issued.runningSandbox;
  const port = Number(new URL(origin).port || 80);
  const folder = project === undefined ? '' : ` ${shellWord(project)}`;
  return { port, script: `${origin}/mesibo.js`, start: `${program} sandbox${folder} --port ${port}`, own: false };
}

/** The data of a platform folder's ordinary templates. */
export function platformData(base: TemplateData, platform: TemplatePlatform): TemplateData {
  return { ...base, platform };
}

/** The data of a token config file; `placeholder` renders its committed `.example` twin instead. */
export function tokenConfigData(base: TemplateData, platform: TemplatePlatform, issued: Issued, placeholder: boolean): TokenConfigData | PasscodeData {
  if (!hasAppId(platform.id)) {
    const passcode = placeholder ? PLACEHOLDER_PASSCODE : issued.serverPasscode;
    if (passcode === undefined) throw new Error('internal: the plan has the token server but no passcode was made for it');
    return { ...base, platform, passcode };
  }
  const tokens = issued.tokens.get(platform.appId);
  const users = base.users.map((u) => ({
    ...u,
    token: placeholder ? PLACEHOLDER_TOKEN : (tokens?.get(u.address)?.token ?? missing(u.address, platform.appId)),
  }));
  // The committed twin is the real-tokens form: nothing of this machine's sandbox (its port, this run's command).
  const emulator = placeholder ? undefined : base.emulator;
  return { ...base, platform, users, pair: { first: users[0]!, second: users[1]! }, emulator };
}

function missing(address: string, appId: string): never {
  throw new Error(`internal: no token was issued for user ${address} with appid ${appId}`);
}
