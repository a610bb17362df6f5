/**
 * The appid each platform's build really uses, read from its own files (templates/ shows where):
 * Android's app/build.gradle.kts (or the version catalog), iOS's PRODUCT_BUNDLE_IDENTIFIER in the Xcode
 * project or an xcconfig, and for web, C++ and Python the appid in the token config their code passes to
 * setAppId. doctor compares it with mesibo.json; refresh issues tokens for it (after confirmation).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PLATFORMS, type PlatformId } from '../platforms';
import { catalogVersions, gradleAppIds, type AppIdValue } from './android-build';
import { appTargetBundleIds, parsePlist } from './pbxproj';
import { entryInside, isFolderInside, readInside, unreadableWhy } from './safe-read';
import { ConfigShapeError, parseTokenConfig, xcconfigValue } from './token-configs';

export type { AppIdValue } from './android-build';

export interface BuildAppIds {
  /** The one appid the platform builds with, when there is one (what refresh would issue tokens for). */
  readonly primary?: AppIdValue;
  /** Every appid some build of the platform uses, primary first. */
  readonly all: readonly AppIdValue[];
  /** Why the appid (or one of them) could not be read. */
  readonly unknown?: string;
}

/** Far above any build file or token config a starter has. */
export const MAX_SOURCE_BYTES = 1 << 20;
const MAX_PBXPROJ_BYTES = 8 << 20;

export function readBuildAppIds(root: string, id: PlatformId): BuildAppIds {
  switch (id) {
    case 'android':
      return android(root);
    case 'ios':
      return ios(root);
    default:
      return fromTokenConfig(root, id);
  }
}

function android(root: string): BuildAppIds {
  const toml = readInside(root, 'android/gradle/libs.versions.toml', MAX_SOURCE_BYTES);
  const catalog = toml.kind === 'text' ? catalogVersions(toml.text) : undefined;
  for (const rel of ['android/app/build.gradle.kts', 'android/app/build.gradle']) {
    const read = readInside(root, rel, MAX_SOURCE_BYTES);
    if (read.kind === 'missing') continue;
    if (read.kind !== 'text') return { all: [], unknown: unreadableWhy(read, rel) };
    const found = gradleAppIds(read.text, rel, catalog);
    return { primary: found.primary, all: [...(found.primary ? [found.primary] : []), ...found.variants], unknown: found.unknown };
  }
  return { all: [], unknown: 'android/app/build.gradle.kts is missing' };
}

function ios(root: string): BuildAppIds {
  const settings = xcconfigSettings(root);
  const project = xcodeProject(root);
  if (!project) return { all: [], unknown: 'ios/ has no .xcodeproj folder' };
  const read = readInside(root, project, MAX_PBXPROJ_BYTES);
  if (read.kind !== 'text') return { all: [], unknown: unreadableWhy(read, project) };
  let configs;
  try {
    configs = appTargetBundleIds(parsePlist(read.text));
  } catch {
    return { all: [], unknown: `${project} is not a project file Xcode can read` };
  }
  if (configs.length === 0) return { all: [], unknown: `${project} has no app target` };
  const found: Array<{ appId: string; file: string; config: string }> = [];
  let unknown: string | undefined;
  for (const c of configs) {
    // A target's own setting wins; without one, the xcconfig's applies.
    const fallback = settings.get('PRODUCT_BUNDLE_IDENTIFIER');
    const raw = c.value ?? fallback?.value;
    const value = raw === undefined ? undefined : expand(raw, settings);
    if (value === undefined) unknown ??= `the ${c.config} bundle id in ${project} ${raw === undefined ? 'is not set' : 'refers to a build setting doctor cannot resolve'}`;
    else found.push({ appId: value, file: c.value !== undefined ? project : fallback!.file, config: c.config });
  }
  // One entry per appid and file: "ios/….pbxproj (Debug, Release)".
  const groups = new Map<string, { appId: string; file: string; configs: string[] }>();
  for (const f of found) {
    const key = `${f.appId}\n${f.file}`;
    if (!groups.has(key)) groups.set(key, { appId: f.appId, file: f.file, configs: [] });
    groups.get(key)!.configs.push(f.config);
  }
  const all = [...groups.values()].map((g) => ({ appId: g.appId, where: `${g.file} (${g.configs.join(', ')})` }));
  const distinct = new Set(all.map((v) => v.appId));
  return { primary: distinct.size === 1 && !unknown ? all[0] : undefined, all, unknown };
}

/** ios/<name>.xcodeproj/project.pbxproj: MesiboStarter's, or the only one there is. */
function xcodeProject(root: string): string | undefined {
  const standard = 'ios/MesiboStarter.xcodeproj/project.pbxproj';
  if (entryInside(root, standard).kind !== 'missing') return standard;
  const others = listFolder(root, 'ios').filter((n) => n.endsWith('.xcodeproj'));
  return others.length === 1 ? `ios/${others[0]}/project.pbxproj` : undefined;
}

/** Plain `NAME = value` settings of ios/Config/*.xcconfig (unconditional ones; later files win). */
function xcconfigSettings(root: string): Map<string, { value: string; file: string }> {
  const settings = new Map<string, { value: string; file: string }>();
  for (const name of listFolder(root, 'ios/Config').filter((n) => n.endsWith('.xcconfig')).sort()) {
    const file = `ios/Config/${name}`;
    const read = readInside(root, file, MAX_SOURCE_BYTES);
    if (read.kind !== 'text') continue;
    for (const line of read.text.split(/\r?\n/)) {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
      if (m) settings.set(m[1]!, { value: xcconfigValue(m[2]!), file });
    }
  }
  return settings;
}

/** `$(NAME)` and `${NAME}` from the xcconfigs, one level; undefined when anything is left unresolved. */
function expand(value: string, settings: Map<string, { value: string }>): string | undefined {
  const expanded = value.replace(/\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]/g, (whole, name: string) => settings.get(name)?.value ?? whole);
  return /\$/.test(expanded) ? undefined : expanded;
}

function fromTokenConfig(root: string, id: PlatformId): BuildAppIds {
  const rel = `${PLATFORMS[id].dir}/${PLATFORMS[id].secretFile}`;
  const read = readInside(root, rel, MAX_SOURCE_BYTES);
  if (read.kind !== 'text') return { all: [], unknown: unreadableWhy(read, rel) };
  try {
    const appId = parseTokenConfig(id, read.text, []).appId;
    if (appId === undefined) return { all: [], unknown: `${rel} names no appid` };
    const value = { appId, where: rel };
    return { primary: value, all: [value] };
  } catch (error) {
    if (error instanceof ConfigShapeError) return { all: [], unknown: `${rel} cannot be read: ${error.message}` };
    throw error;
  }
}

/** Names in a project folder, when it is a real folder (a link is not listed). */
function listFolder(root: string, rel: string): string[] {
  if (!isFolderInside(root, rel)) return [];
  try {
    return readdirSync(path.join(root, ...rel.split('/')));
  } catch {
    return [];
  }
}
