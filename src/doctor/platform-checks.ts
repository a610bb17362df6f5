/**
 * The checks of one platform that need no git: its folder, its token config (present, readable, a token
 * for every user, private), the appid its build uses against the one its tokens were issued for, and
 * the mesibo version it pins. Every token read is handed to `secret` before anything is reported.
 */
import { TOKEN_PATTERN } from '../backend/answer';
import { hasAppId, PLATFORMS, type PlatformId } from '../platforms';
import type { ProjectManifest } from '../plan/manifest';
import { MAX_SOURCE_BYTES, readBuildAppIds } from './build-appids';
import { failed, passed, skipped, type Fixes, type Outcome } from './findings';
import { isFolderInside, readInside, unreadableWhy, type Read } from './safe-read';
import { ConfigShapeError, parseTokenConfig } from './token-configs';

/** The platform's token config file, project-relative (as in mesibo.json). */
export function secretPath(id: PlatformId): string {
  return `${PLATFORMS[id].dir}/${PLATFORMS[id].secretFile}`;
}

export function folderCheck(root: string, id: PlatformId, fixes: Fixes): Outcome | undefined {
  const dir = PLATFORMS[id].dir;
  if (isFolderInside(root, dir)) return undefined;
  return failed(id, 'folder', {
    severity: 'problem',
    message: `mesibo.json lists ${id}, but ${dir}/ is missing or is not a real folder (a link is not followed), so nothing of ${id} can be checked.`,
    fix: `git checkout -- ${fixes.path(dir)}   # or remove the ${id} entry from mesibo.json`,
  });
}

export interface TokenConfigState {
  readonly read: Read;
  /** Every token the file holds, by user address. */
  readonly tokens: ReadonlyMap<string, string>;
}

/** Present, readable in its platform's format, and a real token for each user of mesibo.json. */
export function tokenConfigCheck(root: string, id: PlatformId, manifest: ProjectManifest, fixes: Fixes, secret: (token: string) => void): { outcome: Outcome; state: TokenConfigState } {
  const rel = secretPath(id);
  const read = readInside(root, rel, MAX_SOURCE_BYTES);
  const problem = (message: string, fix = fixes.refresh) => failed(id, 'token-config', { severity: 'problem', message, fix });
  if (read.kind !== 'text') {
    const why = read.kind === 'missing' ? `${rel} is missing (it is git-ignored, so a clone has none): every ${id} login fails` : `${unreadableWhy(read, rel)}`;
    const fix = read.kind === 'link' || read.kind === 'not-file' ? `rm ${fixes.path(read.kind === 'link' ? read.at : rel)} && ${fixes.refresh}` : fixes.refresh;
    return { outcome: problem(`${why}.`, fix), state: { read, tokens: new Map() } };
  }
  let contents;
  try {
    contents = parseTokenConfig(id, read.text, manifest.users.map((u) => u.address));
  } catch (error) {
    if (!(error instanceof ConfigShapeError)) throw error;
    return { outcome: problem(`${rel} cannot be read as ${id}'s token config: ${error.message}.`), state: { read, tokens: new Map() } };
  }
  for (const token of contents.tokens.values()) secret(token);
  if (contents.tokens.size === 0 && contents.tokenServer !== undefined && manifest.platforms.some((p) => !hasAppId(p.id))) {
    // With the token server in the project, the starter asks it for each user's token (with its passcode).
    return { outcome: passed(id, 'token-config', `${rel} holds no token: the starter asks the project's token server (${/^https?:\/\/[A-Za-z0-9.:\[\]/_-]{1,200}$/.test(contents.tokenServer) ? contents.tokenServer : shown(contents.tokenServer)})`), state: { read, tokens: new Map() } };
  }
  const missing = manifest.users.filter((u) => !contents.tokens.has(u.address)).map((u) => u.address);
  const malformed = manifest.users.filter((u) => contents.tokens.has(u.address) && !TOKEN_PATTERN.test(contents.tokens.get(u.address)!)).map((u) => u.address);
  const state = { read, tokens: contents.tokens };
  if (missing.length > 0) {
    const placeholder = missing.filter((a) => contents.placeholders.includes(a));
    const what = placeholder.length === missing.length ? 'still holds the .example placeholder for' : 'has no token for';
    return { outcome: problem(`${rel} ${what} ${list('user', missing)}: their logins fail.`), state };
  }
  if (malformed.length > 0) return { outcome: problem(`${rel} holds something that is not an access token for ${list('user', malformed)}.`), state };
  return { outcome: passed(id, 'token-config', `${rel}: a token for each of ${manifest.users.length} users`), state };
}

/** Only its owner may read the token config (0600). Windows has no such mode bits. */
export function permissionsCheck(id: PlatformId, state: TokenConfigState, fixes: Fixes, platform = process.platform): Outcome {
  if (platform === 'win32') return skipped(id, 'permissions', 'not checked on Windows');
  if (state.read.kind !== 'text') return skipped(id, 'permissions', 'no token config');
  const rel = secretPath(id);
  const mode = state.read.mode;
  if ((mode & 0o077) === 0) return passed(id, 'permissions', `${rel} is private (${octal(mode)})`);
  return failed(id, 'permissions', {
    severity: 'problem',
    message: `${rel} can be read by other users of this machine (mode ${octal(mode)}), and it holds access tokens.`,
    fix: `chmod 600 ${fixes.path(rel)}`,
  });
}

/** What AUTHFAIL most often is: the build's appid is not the one the tokens were issued for. */
export function appIdCheck(root: string, id: PlatformId, recorded: string, fixes: Fixes): Outcome {
  const build = readBuildAppIds(root, id);
  const wrong = build.all.filter((v) => v.appId !== recorded);
  const setting = { android: 'applicationId', ios: 'PRODUCT_BUNDLE_IDENTIFIER', web: 'appId', cpp: 'appid', python: 'appId', server: 'nothing (the token server has no appid)' }[id];
  if (wrong.length > 0) {
    const builds = wrong.map((v) => `${shown(v.appId)} (${v.where})`).join(' and ');
    return failed(id, 'appid', {
      severity: 'problem',
      message:
        `${id} builds as ${builds}, but its tokens were issued for ${shown(recorded)}: mesibo will answer AUTHFAIL. ` +
        `Run refresh, which re-reads the appid, or change ${setting} back to ${shown(recorded)}.`,
      fix: fixes.refresh,
    });
  }
  if (build.unknown !== undefined) {
    // web, C++ and Python keep the appid in the token config, whose own check reports a missing file.
    if (build.all.length === 0 && !['android', 'ios'].includes(id)) return skipped(id, 'appid', build.unknown);
    return failed(id, 'appid', {
      severity: 'hint',
      message: `doctor could not read the appid ${id} builds with: ${build.unknown}. It must be ${shown(recorded)}, the appid of its tokens.`,
      fix: `check that ${setting} is ${shown(recorded)}`,
    });
  }
  return passed(id, 'appid', `builds as ${shown(recorded)}, the appid of its tokens; read from ${build.all.map((v) => v.where).join(', ')}`);
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** An appid or version from a file, shortened and quoted only when it holds more than plain characters. */
export function shown(value: string): string {
  const clean = value.length > 80 ? `${value.slice(0, 79)}…` : value;
  return /^[A-Za-z0-9._-]+$/.test(clean) ? clean : JSON.stringify(clean);
}

function list(noun: string, items: string[]): string {
  const shownItems = items.slice(0, 5).map(shown).join(', ') + (items.length > 5 ? ` and ${items.length - 5} more` : '');
  return `${items.length === 1 ? noun : `${noun}s`} ${shownItems}`;
}
