/**
 * Parses a project's mesibo.json. A hand-edited manifest is input like any flag: every value is checked
 * with create's own validators, and each platform's folder and token file must be the registry's own,
 * so refresh can only ever write the files create itself would have written. Pure: no disk, no network.
 */
import { UsageError } from '../errors';
import { MANIFEST_VERSION } from '../render/manifest';
import { MANIFEST_FILE } from '../render/file-list';
import { PLATFORMS, PLATFORM_IDS, isPlatformId } from '../platforms';
import type { PlannedPlatform, PlannedUser } from '../plan';
import { validateAddresses, validateApiUrl, validateExpiry } from '../validate/values';

export interface ProjectManifest {
  /** The manifest as parsed, fields this version does not know included, so a rewrite keeps them. */
  raw: Record<string, unknown>;
  name: string;
  /** null for a sandbox project. */
  endpoint: string | null;
  sandbox: boolean;
  tokenExpiryMinutes: number;
  platforms: PlannedPlatform[];
  users: PlannedUser[];
}

type Json = Record<string, unknown>;

/** `where` names the file for messages, e.g. `mesibo.json in "my-app"`. */
export function parseManifest(text: string, where: string): ProjectManifest {
  const bad = (field: string, problem: string): never => {
    throw new UsageError(
      `${where} is not a valid create-mesibo-app manifest: ${field} ${problem}. Fix that field by hand (or ` +
        `restore ${MANIFEST_FILE} from git), or run create-mesibo-app to make a new project. Nothing was changed.`,
    );
  };

  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, '')); // an editor may have added a byte-order mark
  } catch (error) {
    throw new UsageError(
      `${where} is not valid JSON (${(error as Error).message}). Fix it by hand (or restore it from git), ` +
        'or run create-mesibo-app to make a new project. Nothing was changed.',
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
    if (problem) bad('"endpoint"', `${JSON.stringify(data.endpoint)} ${problem}`);
    endpoint = data.endpoint as string;
  }
  if (!sandbox && endpoint === null) bad('"endpoint"', 'is missing; a project that is not a sandbox one records its backend URL');

  const expiry = data.tokenExpiryMinutes;
  const expiryProblem = typeof expiry === 'number' ? validateExpiry(String(expiry)) : 'must be a whole number of minutes';
  if (expiryProblem) bad('"tokenExpiryMinutes"', expiryProblem);

  return {
    raw: data,
    name,
    endpoint,
    sandbox,
    tokenExpiryMinutes: expiry as number,
    platforms: parsePlatforms(data.platforms, bad),
    users: parseUsers(data.users, bad),
  };
}

function parsePlatforms(value: unknown, bad: (field: string, problem: string) => never): PlannedPlatform[] {
  if (!Array.isArray(value) || value.length === 0) return bad('"platforms"', 'must be a non-empty list');
  const seen = new Set<string>();
  return value.map((entry, i) => {
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
    const appIdProblem = platform.validateAppId(entry.appId);
    if (appIdProblem) bad(`${at}.appId"`, `${JSON.stringify(entry.appId)} is not valid as ${platform.appIdMeaning}: it ${appIdProblem}`);
    // Folder and file come from the registry; refusing anything else keeps every write inside known paths.
    if (entry.dir !== platform.dir) bad(`${at}.dir"`, `must be ${JSON.stringify(platform.dir)} for ${id}`);
    const secretFile = `${platform.dir}/${platform.secretFile}`;
    if (entry.secretFile !== secretFile) bad(`${at}.secretFile"`, `must be ${JSON.stringify(secretFile)} for ${id}`);
    return { id, appId: entry.appId };
  });
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
