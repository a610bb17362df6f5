/**
 * mesibo.json, the project's record of what it is made of (never a token): built once per create from the
 * plan and what was issued, read back and checked by refresh, and rewritten by refresh with only what a
 * refresh changes. A hand-edited manifest is input like any flag: every value is checked with the same
 * validators, and each platform's folder and token file must be the registry's own, so refresh can only
 * ever write the files create itself would have written.
 */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RunError, UsageError } from '../errors';
import { PLATFORMS, PLATFORM_IDS, hasAppId, isPlatformId } from '../platforms';
import { validateAddresses, validateApiUrl, validateAppId, validateExpiry } from '../validators';
import { tokensExpireAt, type Issued, type Plan, type PlannedPlatform, type PlannedUser } from './plan';
import { displayUrl, hasCredentials, isLoopbackHost } from '../backend/endpoint-policy';
import { echo } from '../output/redact';

export const MANIFEST_FILE = 'mesibo.json';
export const MANIFEST_VERSION = 1;

export interface Manifest {
  readonly manifestVersion: number;
  readonly name: string;
  /** null for a sandbox project: the in-process sandbox's address means nothing after the run. */
  readonly endpoint: string | null;
  /** True for tokens from a backend on this machine (see localBackend). */
  readonly sandbox: boolean;
  readonly tokenExpiryMinutes: number;
  /** When the tokens were issued (ISO date); manifests written before it was recorded lack it. */
  readonly tokensIssuedAt?: string;
  readonly tokensExpireAt: string;
  readonly platforms: ReadonlyArray<{ readonly id: string; readonly appId: string; readonly dir: string; readonly secretFile: string }>;
  readonly users: ReadonlyArray<{ readonly address: string; readonly name: string; readonly uid: string }>;
}

/** A project's manifest as refresh reads it. */
export interface ProjectManifest {
  /** The manifest as parsed, fields this version does not know included, so a rewrite keeps them. */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly name: string;
  /** null for a sandbox project. */
  readonly endpoint: string | null;
  readonly sandbox: boolean;
  readonly tokenExpiryMinutes: number;
  readonly platforms: readonly PlannedPlatform[];
  readonly users: readonly PlannedUser[];
}

// -------------------------------------------------------------------------------------------- build
/**
 * Tokens from a backend on this machine: the in-process sandbox, a standalone one (`create-mesibo-app
 * sandbox`, reached with --api-url), or anything else on loopback. Its address means nothing in a clone on
 * another machine, or once it stops, so it is never recorded as the project's backend: the project is
 * recorded as a sandbox one (endpoint null), whose plain refresh goes to mesibo's servers.
 */
export function localBackend(plan: Pick<Plan, 'sandbox'>, issued: Pick<Issued, 'endpoint'>): boolean {
  if (plan.sandbox) return true;
  try {
    return isLoopbackHost(new URL(issued.endpoint).hostname);
  } catch {
    return false;
  }
}

/** The manifest of a plan and its issued tokens; a user's uid is the one issued for the first appid. */
export function buildManifest(plan: Plan, issued: Issued): Manifest {
  const uids = issued.tokens.get(plan.platforms.find((p) => hasAppId(p.id))!.appId);
  const local = localBackend(plan, issued);
  return Object.freeze({
    manifestVersion: MANIFEST_VERSION,
    name: plan.name,
    endpoint: local ? null : issued.endpoint,
    sandbox: local,
    tokenExpiryMinutes: plan.tokenExpiryMinutes,
    tokensIssuedAt: issued.at.toISOString(),
    tokensExpireAt: tokensExpireAt(plan, issued),
    platforms: plan.platforms.map((p) => {
      const { dir, secretFile } = PLATFORMS[p.id];
      return { id: p.id, appId: p.appId, dir, secretFile: `${dir}/${secretFile}` };
    }),
    users: plan.users.map((u) => ({ address: u.address, name: u.name, uid: uids?.get(u.address)?.uid ?? '' })),
  });
}

// -------------------------------------------------------------------------------------------- write
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The refreshed mesibo.json: the user's own manifest with only what a refresh changes replaced
 * (endpoint, sandbox, expiry, issue and expiry dates, uids, and an appid that refresh read from a
 * platform's build). Key order and any fields this version does not know survive, so the file's diff
 * shows just the refresh.
 */
export function updatedManifestText(raw: Readonly<Record<string, unknown>>, fresh: Manifest): string {
  const users = (raw.users as Array<Record<string, unknown>>).map((user, i) => ({ ...user, uid: fresh.users[i]!.uid }));
  const platforms = (raw.platforms as Array<Record<string, unknown>>).map((p, i) => ({ ...p, appId: fresh.platforms[i]!.appId }));
  const updated = {
    ...raw,
    endpoint: fresh.endpoint,
    sandbox: fresh.sandbox,
    tokenExpiryMinutes: fresh.tokenExpiryMinutes,
    ...(fresh.tokensIssuedAt === undefined ? {} : { tokensIssuedAt: fresh.tokensIssuedAt }),
    tokensExpireAt: fresh.tokensExpireAt,
    platforms,
    users,
  };
  return `${JSON.stringify(updated, null, 2)}\n`;
}

// --------------------------------------------------------------------------------------------- read
/** Far above any real manifest (1000 users is ~100 KB); stops us reading a huge file by mistake. */
const MAX_MANIFEST_BYTES = 8 << 20;

export interface ManifestFile {
  readonly path: string;
  /** Permission bits, kept when it is rewritten. */
  readonly mode: number;
  readonly manifest: ProjectManifest;
}

/** Reads and checks `<root>/mesibo.json`; `shown` names the folder in messages, `program` runs this tool as it was run. */
export function readManifest(root: string, shown: string, program = 'create-mesibo-app'): ManifestFile {
  const file = path.join(root, MANIFEST_FILE);
  let stat;
  try {
    stat = lstatSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new RunError(`Could not read ${file}: ${(error as Error).message}.`, { cause: error });
    throw new UsageError(
      `${capitalise(shown)} is not a create-mesibo-app project: it has no ${MANIFEST_FILE}. Make one with ` +
        `\`${program} my-chat\`, or give refresh the folder of an existing project.`,
    );
  }
  if (!stat.isFile()) {
    throw new UsageError(
      `${MANIFEST_FILE} in ${shown} is not a regular file. Restore it from git, or run \`${program} my-chat\` to make a new project.`,
    );
  }
  if (stat.size > MAX_MANIFEST_BYTES) {
    throw new UsageError(`${MANIFEST_FILE} in ${shown} is larger than ${MAX_MANIFEST_BYTES} bytes; it is not a create-mesibo-app manifest.`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RunError(`Could not read ${MANIFEST_FILE} in ${shown}: ${(error as Error).message}.`, { cause: error });
  }
  return Object.freeze({ path: file, mode: stat.mode & 0o777, manifest: parseManifest(text, `${MANIFEST_FILE} in ${shown}`, program) });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ------------------------------------------------------------------------------------------ validate
type Json = Record<string, unknown>;

/** `where` names the file for messages, e.g. `mesibo.json in "my-app"`; `program` runs this tool as it was run. */
export function parseManifest(text: string, where: string, program = 'create-mesibo-app'): ProjectManifest {
  const bad = (field: string, problem: string): never => {
    throw new UsageError(
      `${where} is not a valid create-mesibo-app manifest: ${field} ${problem}. Fix that field by hand (or ` +
        `restore ${MANIFEST_FILE} from git), or run \`${program} my-chat\` to make a new project. Nothing was changed.`,
    );
  };

  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')); // an editor may have added a byte-order mark
  } catch (error) {
    throw new UsageError(
      `${where} is not valid JSON (${(error as Error).message}). Fix it by hand (or restore it from git), ` +
        `or run \`${program} my-chat\` to make a new project. Nothing was changed.`,
    );
  }
  if (!isObject(data)) return bad('the top level', 'must be a JSON object');

  const version = data.manifestVersion;
  if (version !== MANIFEST_VERSION) {
    if (typeof version === 'number' && Number.isInteger(version) && version > MANIFEST_VERSION) {
      throw new UsageError(
        `${where} has manifestVersion ${version}, written by a newer create-mesibo-app than this one (which reads ` +
          `version ${MANIFEST_VERSION}). Run the newest one: npx create-mesibo-app@latest refresh. Nothing was changed.`,
      );
    }
    bad('"manifestVersion"', `is ${JSON.stringify(version) ?? 'missing'}; this create-mesibo-app reads version ${MANIFEST_VERSION}`);
  }

  const name = text_(data.name) ?? bad('"name"', 'must be a non-empty text without control characters');

  if (typeof data.sandbox !== 'boolean') bad('"sandbox"', 'must be true or false');
  const sandbox = data.sandbox as boolean;
  let endpoint: string | null = null;
  if (data.endpoint !== null && data.endpoint !== undefined) {
    if (typeof data.endpoint !== 'string') bad('"endpoint"', 'must be a URL in quotes, or null for a sandbox project');
    const problem = validateApiUrl(data.endpoint as string);
    const given = data.endpoint as string;
    if (problem) bad('"endpoint"', `${echo(hasCredentials(given) ? displayUrl(given) : given, 80)} ${problem}`); // credentials never shown
    endpoint = data.endpoint as string;
  }
  if (!sandbox && endpoint === null) bad('"endpoint"', 'is missing; a project that is not a sandbox one records its backend URL');

  const expiry = data.tokenExpiryMinutes;
  const expiryProblem = typeof expiry === 'number' ? validateExpiry(String(expiry)) : 'must be a whole number of minutes';
  if (expiryProblem) bad('"tokenExpiryMinutes"', expiryProblem);

  return Object.freeze({
    raw: data,
    name,
    endpoint,
    sandbox,
    tokenExpiryMinutes: expiry as number,
    platforms: parsePlatforms(data.platforms, bad),
    users: parseUsers(data.users, bad),
  });
}

function parsePlatforms(value: unknown, bad: (field: string, problem: string) => never): PlannedPlatform[] {
  if (!Array.isArray(value) || value.length === 0) return bad('"platforms"', 'must be a non-empty list');
  const seen = new Set<string>();
  const platforms = value.map((entry, i) => {
    const at = `"platforms[${i}]`;
    if (!isObject(entry)) return bad(`${at}"`, 'must be an object with id, appId, dir and secretFile');
    const id = entry.id;
    if (typeof id !== 'string' || !isPlatformId(id)) {
      return bad(`${at}.id"`, `is ${JSON.stringify(id) ?? 'missing'}; it must be one of ${PLATFORM_IDS.join(', ')}`);
    }
    if (seen.has(id)) bad(`${at}.id"`, `lists ${id} a second time`);
    seen.add(id);
    const platform = PLATFORMS[id];
    if (typeof entry.appId !== 'string') return bad(`${at}.appId"`, `must be ${platform.appIdMeaning}, in quotes`);
    const appIdProblem = validateAppId(id, entry.appId);
    if (appIdProblem) bad(`${at}.appId"`, `${JSON.stringify(entry.appId)} is not valid as ${platform.appIdMeaning}: it ${appIdProblem}`);
    // Folder and file come from the registry; refusing anything else keeps every write inside known paths.
    if (entry.dir !== platform.dir) bad(`${at}.dir"`, `must be ${JSON.stringify(platform.dir)} for ${id}`);
    const secretFile = `${platform.dir}/${platform.secretFile}`;
    if (entry.secretFile !== secretFile) bad(`${at}.secretFile"`, `must be ${JSON.stringify(secretFile)} for ${id}`);
    return { id, appId: entry.appId };
  });
  if (!platforms.some((p) => hasAppId(p.id))) bad('"platforms"', 'lists only the token server; it mints tokens for the other platforms, so list at least one of them');
  return platforms;
}

function parseUsers(value: unknown, bad: (field: string, problem: string) => never): PlannedUser[] {
  if (!Array.isArray(value)) return bad('"users"', 'must be a list of users');
  const users = value.map((entry, i) => {
    if (!isObject(entry)) return bad(`"users[${i}]"`, 'must be an object with address, name and uid');
    if (typeof entry.address !== 'string') return bad(`"users[${i}].address"`, 'must be a text in quotes');
    const name = text_(entry.name) ?? bad(`"users[${i}].name"`, 'must be a non-empty text without control characters');
    return { address: entry.address, name };
  });
  const problem = validateAddresses(users.map((u) => u.address));
  if (problem) bad('"users"', problem);
  return users;
}

const CONTROL = /\p{Cc}/u;

/** Display names reach templates only through escaping helpers, so any plain text is safe. */
function text_(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && !CONTROL.test(value) && value.length <= 256 ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
