/**
 * The iOS starter runs with no edits: "Log in as" lists every user of the project, each user's token reaches
 * the app from the git-ignored Config/Secrets.xcconfig through Info.plist (and nowhere else), the build stops
 * with a clear message when a token is missing, the Swift parses (its `#Preview` included) and carries the
 * addresses exactly, and the Podfile pins mesibo's pod for the project's iOS version.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { parse as parsePlist } from 'plist';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { fakeToken } from './support/render';
import { HOSTILE, expectTokensOnlyInSecretFile } from './support/starter-common';
import { assertToolsOrSkip } from './support/tools';
import { expandBuildSettings, parseXcconfig, readPodfile, readSwift } from './support/ios';
import { openIosProject } from './support/ios-project';
import { TARGET, appTarget, iosFixture, resolvedSettings, type IosFixture } from './support/ios-fixture';

const ruby = assertToolsOrSkip(['ruby']);
const PLACEHOLDER = 'PASTE_USER_ACCESS_TOKEN_HERE';
// Every hostile address, plus one with `//` (an xcconfig comment) and U+2028 (a line break to Xcode's
// xcconfig reader, though not a control character, so it passes address validation).
const HOSTILE_USERS = [...HOSTILE.users, 'x//y\u2028z $(HOME)'];

/** Info.plist as the app reads it: each value with the build settings Xcode resolves expanded. */
function appInfoPlist(f: IosFixture, secretFile?: string): Record<string, unknown> {
  const settings = resolvedSettings(f, secretFile);
  const plist = parsePlist(readFileSync(path.join(f.app, 'Info.plist'), 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(plist).map(([k, v]) => [k, typeof v === 'string' ? expandBuildSettings(v, settings) : v]));
}

/** The users the app offers under "Log in as", in order, with the Info.plist key of each one's token. */
async function appUsers(f: IosFixture): Promise<Array<{ address: string | null; tokenKey: string | null }>> {
  const facts = await readSwift(readFileSync(path.join(f.app, 'ChatModel.swift'), 'utf8'));
  expect(facts.problems).toEqual([]);
  const addresses = facts.stringArguments.get('DemoUser.address') ?? [];
  const keys = facts.stringArguments.get('DemoUser.tokenKey') ?? [];
  expect(keys).toHaveLength(addresses.length);
  return addresses.map((address, i) => ({ address, tokenKey: keys[i]! }));
}

async function expectEveryUserLogsIn(f: IosFixture, users: string[]) {
  const listed = await appUsers(f);
  expect(listed.map((u) => u.address)).toEqual(users);
  const info = appInfoPlist(f);
  expect(listed.map((u) => info[u.tokenKey!])).toEqual(users.map((u) => fakeToken(u, f.appId)));
  // The committed twin has the same keys, each with the placeholder, so a fresh clone builds once it is copied.
  const example = appInfoPlist(f, 'Config/Secrets.xcconfig.example');
  expect(listed.map((u) => example[u.tokenKey!])).toEqual(users.map(() => PLACEHOLDER));
  // Info.plist holds the display name and the token keys only; Xcode generates the rest.
  expect(Object.keys(info).sort()).toEqual(['CFBundleDisplayName', ...listed.map((u) => u.tokenKey!)].sort());
}

describe('ios starter', () => {
  it('lists every user of the project under "Log in as", each with the token issued for the bundle id', async () => {
    const users = ['123', '456', '789', 'alice@example.com'];
    const f = await iosFixture({ users });
    await expectEveryUserLogsIn(f, users);
    expect((await appUsers(f)).map((u) => u.tokenKey)).toEqual(['MesiboUser1Token', 'MesiboUser2Token', 'MesiboUser3Token', 'MesiboUser4Token']);
    const view = readFileSync(path.join(f.app, 'ContentView.swift'), 'utf8');
    expect(view).toMatch(/ForEach\(ChatModel\.users\)/);
    expect(view).toMatch(/Text\("Log in as"\)/);
    expect(appInfoPlist(f).CFBundleDisplayName).toBe('Demo Chat');
  });

  it('carries hostile names and addresses exactly through xcconfig, Info.plist and Swift', async () => {
    const f = await iosFixture({ name: HOSTILE.name, users: HOSTILE_USERS });
    await expectEveryUserLogsIn(f, HOSTILE_USERS);
    expect(appInfoPlist(f).CFBundleDisplayName).toBe(HOSTILE.name);
    // Each token line of the secret file reads back as that token: no address in a comment broke a line.
    const secrets = parseXcconfig(readFileSync(path.join(f.ios, 'Config/Secrets.xcconfig'), 'utf8')).settings;
    expect([...secrets.values()]).toEqual(HOSTILE_USERS.map((u) => fakeToken(u, f.appId)));
  });

  it('keeps user tokens only in the git-ignored Config/Secrets.xcconfig', async () => {
    const users = ['123', '456', '789'];
    const f = await iosFixture({ users });
    expectTokensOnlyInSecretFile(f.dir, 'ios', f.appId, users);
    const ignored = readFileSync(path.join(f.ios, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['/Config/Secrets.xcconfig', '/Pods/', 'xcuserdata/', 'DerivedData/']));
  });

  it("stops the build with a clear message when any user's token is missing", async () => {
    const users = ['123', '456', '789'];
    const f = await iosFixture({ users });
    const phase = appTarget(openIosProject(f.pbxproj)).phases.find((p) => p.isa === 'PBXShellScriptBuildPhase')!;
    expect(phase.name).toBe('Check mesibo tokens');
    const run = (env: Record<string, string>) => execa('sh', ['-c', phase.shellScript as string], { env: { PATH: process.env.PATH!, ...env }, extendEnv: false, reject: false, all: true });
    const missing = await run({});
    expect(missing.exitCode).toBe(1);
    expect(missing.all).toMatch(/^error: Config\/Secrets\.xcconfig is missing or has no token for user 1 /);
    expect(missing.all).toMatch(/Secrets\.xcconfig\.example/);
    expect(missing.all).toMatch(/create-mesibo-app refresh/);
    const settings = Object.fromEntries(parseXcconfig(readFileSync(path.join(f.ios, 'Config/Secrets.xcconfig'), 'utf8')).settings);
    expect(Object.keys(settings)).toEqual(['MESIBO_USER1_TOKEN', 'MESIBO_USER2_TOKEN', 'MESIBO_USER3_TOKEN']);
    expect((await run(settings)).exitCode).toBe(0);
    const { MESIBO_USER3_TOKEN: _last, ...withoutLast } = settings;
    const third = await run(withoutLast);
    expect(third.exitCode).toBe(1);
    expect(third.all).toMatch(/no token for user 3 \(MESIBO_USER3_TOKEN\)/);
  });

  it('parses as Swift, its #Preview included, and previews the screen', async () => {
    const f = await iosFixture();
    const files = readdirSync(f.app).filter((n) => n.endsWith('.swift')).sort();
    expect(files).toEqual(['ChatModel.swift', 'ContentView.swift', 'MesiboStarterApp.swift']);
    const previews = [];
    for (const name of files) {
      const facts = await readSwift(readFileSync(path.join(f.app, name), 'utf8'));
      expect(facts.problems, name).toEqual([]);
      previews.push(...facts.previews);
    }
    expect(previews).toEqual([{ title: null, calls: ['ContentView()'] }]);
    const view = readFileSync(path.join(f.app, 'ContentView.swift'), 'utf8');
    expect(view).not.toMatch(/PreviewProvider/);
    expect(view).toMatch(/@State private var chat = ChatModel\(\)/);
  });

  it.skipIf(ruby.skip)(`has a Podfile that pins mesibo's pod for the app target and the project's iOS version ${ruby.reason}`, async () => {
    const f = await iosFixture();
    const podfile = await readPodfile(path.join(f.ios, 'Podfile'));
    expect(podfile.syntaxOk, podfile.log).toBe(true);
    expect(podfile.record, podfile.log).toBeDefined();
    const deployment = appTarget(openIosProject(f.pbxproj)).settings('Debug').get('IPHONEOS_DEPLOYMENT_TARGET');
    expect(deployment).toBe(SDK_VERSIONS.ios.deploymentTarget);
    expect(podfile.record!.platform).toEqual(['ios', deployment]);
    expect(podfile.record!.targets).toEqual({ [TARGET]: [['mesibo', SDK_VERSIONS.ios.mesibo]] });
    expect(SDK_VERSIONS.ios.mesibo).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('pins the newest mesibo pod that public evidence shows, naming the evidence', () => {
    expect(SDK_VERSIONS.ios.mesibo).toBe('2.9.0');
    expect(SDK_VERSIONS.ios.note).toContain('Specs/a/9/9/mesibo/2.9.0/mesibo.podspec.json');
    expect(SDK_VERSIONS.ios.simulatorExcludedArchs).toBe('arm64');
  });

  it.skipIf(ruby.skip)(`excludes arm64 for the simulator on the app target alone, as mesibo's pod does ${ruby.reason}`, async () => {
    const f = await iosFixture();
    const podfile = (await readPodfile(path.join(f.ios, 'Podfile'))) as Awaited<ReturnType<typeof readPodfile>> & {
      record?: { post_install?: { settings: Record<string, Record<string, Record<string, string>>>; saves: number } };
    };
    expect(podfile.record, podfile.log).toBeDefined();
    const excluded = { 'EXCLUDED_ARCHS[sdk=iphonesimulator*]': 'arm64' };
    expect(podfile.record!.post_install).toEqual({
      settings: { [TARGET]: { Debug: excluded, Release: excluded }, UndeclaredTarget: { Debug: {}, Release: {} } },
      saves: 1,
    });
    // The reason stands beside it, and the README tells how to run on a Rosetta simulator.
    const text = readFileSync(path.join(f.ios, 'Podfile'), 'utf8');
    expect(text).toContain('EXCLUDED_ARCHS[sdk=iphonesimulator*] = arm64 (CocoaPods/Specs');
    const readme = readFileSync(path.join(f.ios, 'README.md'), 'utf8');
    expect(readme).toContain('## Simulators on Apple silicon');
    expect(readme).toContain('Show Rosetta Destinations');
  });
});
