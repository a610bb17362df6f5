/**
 * A rendered iOS starter for the ios-*.test.ts files, and the build settings Xcode would resolve for it:
 * the xcconfig files (Config/Starter.xcconfig and what it includes) under the project's settings, under the
 * target's, with `TARGET_NAME` set as Xcode sets it.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { renderFixture } from './render';
import { openIosProject, type IosProject, type IosTarget } from './ios-project';
import { parseXcconfig } from './ios';

export const TARGET = 'MesiboStarter';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.splice(0).forEach((c) => c()));

export async function iosFixture(options: { name?: string; users?: string[]; appId?: string } = {}) {
  const appId = options.appId ?? 'com.example.demo';
  const fixture = await renderFixture({ ...options, platforms: [{ id: 'ios', appId }] });
  cleanups.push(() => rmSync(fixture.dir, { recursive: true, force: true }));
  const ios = path.join(fixture.dir, 'ios');
  const pbxproj = path.join(ios, `${TARGET}.xcodeproj/project.pbxproj`);
  return { ...fixture, appId, users: options.users ?? ['123', '456'], ios, pbxproj, app: path.join(ios, TARGET) };
}

export type IosFixture = Awaited<ReturnType<typeof iosFixture>>;

export function appTarget(project: IosProject): IosTarget {
  if (project.targets.length !== 1 || project.targets[0]!.name !== TARGET) throw new Error(`expected the one target ${TARGET}`);
  return project.targets[0]!;
}

/** The Debug build settings of the app target as strings, with `secretFile` standing in for Config/Secrets.xcconfig. */
export function resolvedSettings(f: IosFixture, secretFile = 'Config/Secrets.xcconfig'): Map<string, string> {
  const target = appTarget(openIosProject(f.pbxproj));
  const base = target.projectBaseConfig('Debug');
  if (base !== path.join(f.ios, 'Config/Starter.xcconfig')) throw new Error(`the project's base configuration is ${base}`);
  const starter = parseXcconfig(readFileSync(base, 'utf8'));
  if (starter.includes.join() !== 'Secrets.xcconfig') throw new Error('Config/Starter.xcconfig must include Secrets.xcconfig and nothing else');
  const settings = new Map([...parseXcconfig(readFileSync(path.join(f.ios, secretFile), 'utf8')).settings, ...starter.settings]);
  for (const [k, v] of target.settings('Debug')) if (typeof v === 'string') settings.set(k, v);
  settings.set('TARGET_NAME', TARGET);
  return settings;
}
