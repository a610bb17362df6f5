/**
 * The iOS starter opens in Xcode and runs with no edits: the project file parses and round-trips, names the
 * bundle id as appid and only files that exist, Info.plist hands the xcconfig tokens to the app, the Swift
 * parses and carries the demo addresses, and the Podfile declares mesibo for the app's target.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { parse as parsePlist } from 'plist';
import { XcodeProject } from '@bacons/xcode';
import { parse as parsePbxproj, build as buildPbxproj } from '@bacons/xcode/json';
import { renderFixture, fakeToken } from './support/render';
import { DOUBLES_DIR, HOSTILE, expectTokensOnlyInSecretFile } from './support/starter-common';

// Only the first two users reach the starter (the demo pair), so every hostile address is packed into them.
const HOSTILE_PAIR = [HOSTILE.users[2]!, HOSTILE.users[0]! + HOSTILE.users[1]!];
import { assertToolsOrSkip } from './support/tools';
import { expandBuildSettings, outlineSwift, parseXcconfig, readPodfile, readSwift } from './support/ios';
import { infoPlistString, pbxValue, xcconfigValue } from '../src/render/literals';
import { PLACEHOLDER_TOKEN } from '../src/render/context';

const ruby = assertToolsOrSkip(['ruby']);
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

const TARGET = 'MesiboStarter';

async function iosFixture(options: { name?: string; users?: string[]; appId?: string } = {}) {
  const appId = options.appId ?? 'com.example.demo';
  const fixture = await renderFixture({ ...options, platforms: [{ id: 'ios', appId }] });
  cleanups.push(() => rmSync(fixture.dir, { recursive: true, force: true }));
  const ios = path.join(fixture.dir, 'ios');
  return { ...fixture, appId, users: options.users ?? ['123', '456'], ios, pbxproj: path.join(ios, `${TARGET}.xcodeproj/project.pbxproj`) };
}

type Fixture = Awaited<ReturnType<typeof iosFixture>>;

function nativeTarget(project: XcodeProject) {
  const targets = project.rootObject.props.targets;
  expect(targets.map((t) => t.props.name)).toEqual([TARGET]);
  return targets[0]!;
}

/** Build settings of every configuration of the target, merged over the project level as Xcode does. */
function targetSettings(project: XcodeProject, name: 'Debug' | 'Release'): Map<string, string> {
  const pick = (list: typeof project.rootObject.props.buildConfigurationList) =>
    list.props.buildConfigurations.find((c) => c.props.name === name)!.props.buildSettings as unknown as Record<string, unknown>;
  const merged = { ...pick(project.rootObject.props.buildConfigurationList), ...pick(nativeTarget(project).props.buildConfigurationList) };
  return new Map(Object.entries(merged).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function checkProject(f: Fixture): XcodeProject {
  const text = readFileSync(f.pbxproj, 'utf8');
  expect(buildPbxproj(parsePbxproj(text))).toBe(text);
  const project = XcodeProject.open(f.pbxproj);
  const target = nativeTarget(project);
  expect((target.props as { productType?: string }).productType).toBe('com.apple.product-type.application');
  for (const config of target.props.buildConfigurationList.props.buildConfigurations) {
    expect(config.props.buildSettings.PRODUCT_BUNDLE_IDENTIFIER, config.props.name).toBe(f.appId);
    expect(config.props.buildSettings.INFOPLIST_FILE).toBe(`${TARGET}/Info.plist`);
  }
  const refs = [...project.values()].filter((o) => o.isa === 'PBXFileReference') as unknown as Array<{ props: { sourceTree: string }; getRealPath(): string }>;
  const files = refs.filter((r) => r.props.sourceTree !== 'BUILT_PRODUCTS_DIR').map((r) => r.getRealPath());
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) expect(existsSync(file), file).toBe(true);
  const swiftOnDisk = readdirSync(path.join(f.ios, TARGET)).filter((n) => n.endsWith('.swift')).sort();
  const sources = target.props.buildPhases.find((p) => p.isa === 'PBXSourcesBuildPhase')!;
  expect(sources.props.files.map((b) => (b.props as { fileRef: { props: { path: string } } }).fileRef.props.path).sort()).toEqual(swiftOnDisk);
  return project;
}

/** Info.plist as the app sees it: build settings from the pbxproj and the given xcconfig expanded. */
function builtInfoPlist(f: Fixture, project: XcodeProject, xcconfig: string): Record<string, unknown> {
  const settings = targetSettings(project, 'Debug');
  const starter = parseXcconfig(readFileSync(path.join(f.ios, 'Config/Starter.xcconfig'), 'utf8'));
  expect(starter.includes).toEqual(['Secrets.xcconfig']);
  for (const [k, v] of parseXcconfig(readFileSync(path.join(f.ios, xcconfig), 'utf8')).settings) settings.set(k, v);
  settings.set('TARGET_NAME', TARGET);
  const plist = parsePlist(readFileSync(path.join(f.ios, TARGET, 'Info.plist'), 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(plist).map(([k, v]) => [k, typeof v === 'string' ? expandBuildSettings(v, settings) : v]));
}

async function checkSwift(f: Fixture) {
  const dir = path.join(f.ios, TARGET);
  const byFile = new Map<string, Awaited<ReturnType<typeof readSwift>>>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.swift'))) {
    const source = readFileSync(path.join(dir, name), 'utf8');
    expect(source).not.toMatch(/#Preview/);
    const facts = await readSwift(source);
    expect(facts.problems, name).toEqual([]);
    byFile.set(name, facts);
  }
  const model = byFile.get('ChatModel.swift')!;
  expect(model.stringArguments.get('DemoUser.address')).toEqual(f.users.slice(0, 2));
  const tokenKeys = model.stringArguments.get('DemoUser.tokenKey') ?? [];
  expect(tokenKeys).not.toContain(null);
  return tokenKeys as string[];
}

describe('ios starter', () => {
  it('has an Xcode project that round-trips byte for byte, with the bundle id as appid and only existing files', async () => {
    const f = await iosFixture({ appId: 'org.acme.chat-app' });
    const project = checkProject(f);
    const base = project.rootObject.props.buildConfigurationList.props.buildConfigurations.map((c) => c.props.baseConfigurationReference?.getRealPath());
    expect(base).toEqual([path.join(f.ios, 'Config/Starter.xcconfig'), path.join(f.ios, 'Config/Starter.xcconfig')]);
    expect(existsSync(path.join(f.ios, 'Main.storyboard'))).toBe(false);
  });

  it('hands each token from Config/Secrets.xcconfig to the app through Info.plist', async () => {
    const f = await iosFixture();
    const project = checkProject(f);
    const tokenKeys = await checkSwift(f);
    expect(tokenKeys).toEqual(['MesiboUser1Token', 'MesiboUser2Token']);
    const info = builtInfoPlist(f, project, 'Config/Secrets.xcconfig');
    expect(info.CFBundleIdentifier).toBe(f.appId);
    expect(info.CFBundleDisplayName).toBe('Demo Chat');
    expect(tokenKeys.map((k) => info[k])).toEqual(f.users.map((u) => fakeToken(u, f.appId)));
    expect(info.UILaunchScreen).toEqual({});
    const example = builtInfoPlist(f, project, 'Config/Secrets.xcconfig.example');
    expect(tokenKeys.map((k) => example[k])).toEqual([PLACEHOLDER_TOKEN, PLACEHOLDER_TOKEN]);
  });

  it('uses only the mesibo API in test/doubles/ios, with the exact Swift names of the delegate callbacks', async () => {
    const f = await iosFixture();
    const api = await outlineSwift(readFileSync(path.join(DOUBLES_DIR, 'ios/MesiboAPI.swift'), 'utf8'));
    const source = readFileSync(path.join(f.ios, TARGET, 'ChatModel.swift'), 'utf8');
    const model = await outlineSwift(source);
    expect(source).toMatch(/^final class ChatModel: NSObject, ObservableObject, MesiboDelegate \{$/m);
    // Optional requirements of an Objective-C protocol: a wrong label compiles, and mesibo never calls it.
    const delegate = api.functions.filter((fn) => fn.owner === 'MesiboDelegate').map((fn) => fn.signature);
    const callbacks = model.functions.filter((fn) => fn.signature.startsWith('Mesibo_')).map((fn) => fn.signature);
    expect(callbacks).toEqual(['Mesibo_onConnectionStatus(status:)', 'Mesibo_onMessage(message:)']);
    expect(delegate).toEqual(expect.arrayContaining(callbacks));
    for (const id of [...model.identifiers].filter((i) => /^(Mesibo|MESIBO_)/.test(i))) {
      expect(api.names.has(id) || callbacks.some((c) => c.startsWith(`${id}(`)), id).toBe(true);
    }
    const members = new Map(api.functions.filter((fn) => fn.owner !== 'MesiboDelegate').map((fn) => [fn.signature.split('(')[0]!, fn.signature]));
    const mesiboCalls = model.calls.filter((c) => members.has(c.signature.split('(')[0]!));
    for (const call of mesiboCalls) expect(call.signature).toBe(members.get(call.signature.split('(')[0]!));
    // mesibo-reference.md's order: instance, listener, token, database, start; then the peer to send to.
    expect(mesiboCalls.filter((c) => c.inFunction.startsWith('logIn(')).map((c) => c.signature)).toEqual([
      'getInstance()', 'addListener(_:)', 'setAccessToken(_:)', 'setDatabase(_:)', 'start()', 'getProfile(_:groupid:)',
    ]);
  });

  it('stops the build with a clear message when Config/Secrets.xcconfig is missing', async () => {
    const f = await iosFixture();
    const project = checkProject(f);
    const phase = nativeTarget(project).props.buildPhases.find((p) => p.isa === 'PBXShellScriptBuildPhase')!;
    const script = (phase.props as { shellScript: string }).shellScript;
    const run = (env: Record<string, string>) => execa('sh', ['-c', script], { env, extendEnv: false, reject: false, all: true });
    const missing = await run({});
    expect(missing.exitCode).toBe(1);
    expect(missing.all).toMatch(/^error: Config\/Secrets\.xcconfig is missing/);
    expect(missing.all).toMatch(/Secrets\.xcconfig\.example/);
    expect(missing.all).toMatch(/npx create-mesibo-app refresh/);
    const settings = parseXcconfig(readFileSync(path.join(f.ios, 'Config/Secrets.xcconfig'), 'utf8')).settings;
    expect((await run(Object.fromEntries(settings))).exitCode).toBe(0);
  });

  it('keeps user tokens only in the git-ignored Config/Secrets.xcconfig', async () => {
    const f = await iosFixture();
    expectTokensOnlyInSecretFile(f.dir, 'ios', f.appId, f.users);
    const ignored = readFileSync(path.join(f.ios, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['/Config/Secrets.xcconfig', '/Pods/', 'xcuserdata/', 'DerivedData/']));
  });

  it('carries hostile names and addresses through project, plist and Swift exactly', async () => {
    const f = await iosFixture({ name: HOSTILE.name, users: HOSTILE_PAIR });
    const project = checkProject(f);
    const tokenKeys = await checkSwift(f);
    const info = builtInfoPlist(f, project, 'Config/Secrets.xcconfig');
    expect(info.CFBundleDisplayName).toBe(HOSTILE.name);
    expect(tokenKeys.map((k) => info[k])).toEqual(HOSTILE_PAIR.map((u) => fakeToken(u, f.appId)));
  });

  it.skipIf(ruby.skip)(`has a Podfile that adds mesibo to the app target for the project's iOS version ${ruby.reason}`, async () => {
    const f = await iosFixture();
    const podfile = await readPodfile(path.join(f.ios, 'Podfile'));
    expect(podfile.syntaxOk, podfile.log).toBe(true);
    expect(podfile.record, podfile.log).toBeDefined();
    const deployment = targetSettings(XcodeProject.open(f.pbxproj), 'Debug').get('IPHONEOS_DEPLOYMENT_TARGET');
    expect(podfile.record!.platform).toEqual(['ios', deployment]);
    expect(Number(deployment)).toBeGreaterThanOrEqual(13.6);
    expect(podfile.record!.targets).toEqual({ [TARGET]: [['mesibo']] });
  });
});

describe('ios literals as Xcode reads them', () => {
  const values = ['a//b', '///', '$y', '$(X)', '${X}', '$$', ' lead', 'trail ', 'semi;', 'back\\', 'http://x', 'ü "q" \'s\'', '{{x}}'];

  it('xcconfigValue survives the xcconfig parser and build setting expansion', () => {
    const settings = new Map([['X', 'expanded'], ['y', 'expanded']]);
    for (const value of values) {
      const parsed = parseXcconfig(`VALUE = ${xcconfigValue(value)}\nNEXT = 1\n`).settings;
      expect(expandBuildSettings(parsed.get('VALUE')!, settings), value).toBe(value);
      expect(parsed.get('NEXT')).toBe('1');
    }
    expect(() => xcconfigValue('a\nb')).toThrow();
  });

  it('infoPlistString survives plist parsing and build setting expansion', () => {
    for (const value of [...values, '<&>']) {
      const plist = parsePlist(`<plist version="1.0"><dict><key>k</key><string>${infoPlistString(value)}</string></dict></plist>`) as { k: string };
      expect(expandBuildSettings(plist.k, new Map([['X', 'expanded'], ['y', 'expanded']])), value).toBe(value);
    }
  });

  it('pbxValue is bare only where Xcode writes bare strings, and parses back', () => {
    expect(pbxValue('com.example.chat')).toBe('com.example.chat');
    for (const value of ['com.example.chat', 'org.acme.chat-app', 'a "b" \\ c', 'ü']) {
      const text = `{ v = ${pbxValue(value)}; }`;
      expect((parsePbxproj(text) as unknown as { v: string }).v).toBe(value);
      expect(buildPbxproj(parsePbxproj(text) as never)).toContain(`v = ${pbxValue(value)};`);
    }
  });
});
