/**
 * The iOS starter's Xcode project is the one Xcode 26's App template makes: objectVersion 77 with the app
 * folder as a synchronized root group (no file listed by hand), Swift 6 language mode with main-actor
 * isolation, an asset catalog with an app-icon slot, and the deployment target the pinned versions name.
 * The project file is read by a strict reader of its own (test/support/ios-pbxproj.ts, ios-project.ts):
 * every reference resolves, every object is reachable, every annotation is Xcode's, every path exists.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parsePbxprojJson, build as buildPbxproj } from '@bacons/xcode/json';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { openIosProject } from './support/ios-project';
import { TARGET, appTarget, iosFixture } from './support/ios-fixture';

const XCODE_EXCEPTIONS_COMMENT = 'Exceptions for "MesiboStarter" folder in "MesiboStarter" target';

describe('ios project', () => {
  it('is an objectVersion 77 project whose app folder is a synchronized root group: no source file is listed by hand', async () => {
    const f = await iosFixture({ appId: 'org.acme.chat-app' });
    const project = openIosProject(f.pbxproj);
    expect(project.objectVersion).toBe('77');
    expect(project.project.preferredProjectObjectVersion).toBe('77');
    expect(project.project.compatibilityVersion).toBeUndefined();
    expect(project.project.attributes).toMatchObject({ LastUpgradeCheck: '2600', LastSwiftUpdateCheck: '2600' });
    const target = appTarget(project);
    expect(target.productType).toBe('com.apple.product-type.application');
    // Info.plist is the build's input, not a resource: without the exception Xcode would copy it too.
    expect(target.syncGroups).toEqual([{ dir: f.app, excluded: ['Info.plist'] }]);
    const refs = Object.values(project.objects).filter((o) => o.isa === 'PBXFileReference').map((o) => o.path);
    expect(refs.sort()).toEqual(['MesiboStarter.app', 'Starter.xcconfig']);
    expect(Object.values(project.objects).some((o) => o.isa === 'PBXBuildFile')).toBe(false);
    for (const phase of target.phases.filter((p) => p.isa !== 'PBXShellScriptBuildPhase')) expect(phase.files, phase.isa as string).toEqual([]);
    // What the folder holds is what Xcode builds: the sources and the asset catalog.
    expect(readdirSync(f.app).sort()).toEqual(['Assets.xcassets', 'ChatModel.swift', 'ContentView.swift', 'Info.plist', 'MesiboStarterApp.swift']);
    expect(existsSync(path.join(f.ios, 'Main.storyboard'))).toBe(false);
  });

  it("round-trips through @bacons/xcode's writer byte for byte (Xcode's layout), but for the exception set's annotation, which it does not know", async () => {
    const f = await iosFixture();
    const text = readFileSync(f.pbxproj, 'utf8');
    const rebuilt = buildPbxproj(parsePbxprojJson(text)).replaceAll('/* PBXFileSystemSynchronizedBuildFileExceptionSet */', `/* ${XCODE_EXCEPTIONS_COMMENT} */`);
    expect(rebuilt).toBe(text);
    expect(text).toContain(`/* ${XCODE_EXCEPTIONS_COMMENT} */ = {`);
  });

  it('builds in Swift 6 language mode with main-actor isolation, with the settings of the Xcode 26 App template', async () => {
    const f = await iosFixture({ appId: 'org.acme.chat-app' });
    const target = appTarget(openIosProject(f.pbxproj));
    for (const configuration of ['Debug', 'Release']) {
      const settings = Object.fromEntries(target.settings(configuration));
      expect(settings, configuration).toMatchObject({
        SWIFT_VERSION: '6.0',
        SWIFT_DEFAULT_ACTOR_ISOLATION: 'MainActor',
        SWIFT_APPROACHABLE_CONCURRENCY: 'YES',
        SWIFT_UPCOMING_FEATURE_MEMBER_IMPORT_VISIBILITY: 'YES',
        STRING_CATALOG_GENERATE_SYMBOLS: 'YES',
        LOCALIZATION_PREFERS_STRING_CATALOGS: 'YES',
        ENABLE_PREVIEWS: 'YES',
        ASSETCATALOG_COMPILER_APPICON_NAME: 'AppIcon',
        ASSETCATALOG_COMPILER_GLOBAL_ACCENT_COLOR_NAME: 'AccentColor',
        GENERATE_INFOPLIST_FILE: 'YES',
        INFOPLIST_FILE: `${TARGET}/Info.plist`,
        INFOPLIST_KEY_UILaunchScreen_Generation: 'YES',
        INFOPLIST_KEY_UIApplicationSceneManifest_Generation: 'YES',
        PRODUCT_BUNDLE_IDENTIFIER: 'org.acme.chat-app',
        IPHONEOS_DEPLOYMENT_TARGET: SDK_VERSIONS.ios.deploymentTarget,
        SDKROOT: 'iphoneos',
        TARGETED_DEVICE_FAMILY: '1,2',
        // The template's YES stays at project level; CocoaPods' embed-frameworks script writes into the app
        // bundle, which the script sandbox refuses (CocoaPods/CocoaPods#12235), so the app target says NO.
        ENABLE_USER_SCRIPT_SANDBOXING: 'NO',
      });
    }
  });

  it('targets iOS 17, the first with Observation, which mesibo allows (its own samples build for 13.6)', () => {
    const target = SDK_VERSIONS.ios.deploymentTarget;
    expect(target).toBe('17.0');
    expect(SDK_VERSIONS.ios.deploymentTargetNote).toMatch(/Observation/);
    expect(SDK_VERSIONS.ios.deploymentTargetNote).toMatch(/13\.6/);
  });

  it('has an asset catalog with an AppIcon slot (one 1024 universal icon and its dark and tinted variants) and an AccentColor', async () => {
    const f = await iosFixture();
    const catalog = path.join(f.app, 'Assets.xcassets');
    const json = (rel: string) => JSON.parse(readFileSync(path.join(catalog, rel), 'utf8')) as Record<string, unknown>;
    expect(json('Contents.json')).toEqual({ info: { author: 'xcode', version: 1 } });
    const icon = json('AppIcon.appiconset/Contents.json') as { images: Array<Record<string, unknown>> };
    expect(icon.images.map((i) => [i.idiom, i.platform, i.size])).toEqual(Array(3).fill(['universal', 'ios', '1024x1024']));
    expect(icon.images.map((i) => (i.appearances as Array<{ value: string }> | undefined)?.[0]?.value ?? 'any')).toEqual(['any', 'dark', 'tinted']);
    expect(json('AccentColor.colorset/Contents.json')).toMatchObject({ colors: [{ idiom: 'universal' }] });
    expect(readdirSync(catalog).sort()).toEqual(['AccentColor.colorset', 'AppIcon.appiconset', 'Contents.json']);
  });
});

describe('ios README', () => {
  it('names the toolchain, every user to log in as, the frameworks route, the checks run and what Linux cannot check', async () => {
    const users = ['123', '456', '789'];
    const f = await iosFixture({ users });
    const readme = readFileSync(path.join(f.ios, 'README.md'), 'utf8');
    expect(readme).toContain('Xcode 26');
    expect(readme).toContain('Swift 6');
    expect(readme).toContain(`CocoaPods ${SDK_VERSIONS.ios.cocoapods}`);
    expect(readme).toContain(`iOS ${SDK_VERSIONS.ios.deploymentTarget}`);
    expect(readme).toContain(`\`${SDK_VERSIONS.ios.mesibo}\` of the \`mesibo\` pod`);
    for (const user of users) expect(readme).toContain(`   - ${user}\n`);
    expect(readme).toMatch(/mesiboframeworks[\s\S]*git LFS[\s\S]*mesibo\.framework[\s\S]*Embed & Sign/);
    expect(readme).toMatch(/still uses CocoaPods because/);
    expect(readme).toMatch(/What Linux cannot check: compiling the Swift against UIKit and SwiftUI[\s\S]*mesibo's real framework[\s\S]*simulator/);
  });
});

describe('the project checker', () => {
  /** The starter's project file with one edit applied; what the checker says about it. */
  async function broken(edit: (text: string) => string): Promise<string> {
    const f = await iosFixture();
    const text = readFileSync(f.pbxproj, 'utf8');
    const changed = edit(text);
    expect(changed, 'the edit changed nothing').not.toBe(text);
    writeFileSync(f.pbxproj, changed);
    try {
      openIosProject(f.pbxproj);
      return 'accepted';
    } catch (error) {
      return (error as Error).message;
    }
  }

  it('accepts the starter and refuses what Xcode would trip on or rewrite', async () => {
    expect(await broken((t) => t.replace('targets = (\n\t\t\t\t4D455349424F000000000007', 'targets = (\n\t\t\t\t4D455349424F0000000000FF'))).toMatch(/not an object/);
    expect(await broken((t) => t.replace('mainGroup = 4D455349424F000000000002', 'mainGroup = 4D455349424F000000000007'))).toMatch(/PBXNativeTarget, expected PBXGroup/);
    expect(await broken((t) => t.replace('\t\t\t\t4D455349424F000000000004 /* Config */,\n', ''))).toMatch(/nothing refers to/);
    expect(await broken((t) => t.replace('path = MesiboStarter;', 'path = MesiboStarterApp;'))).toMatch(/does not exist/);
    expect(await broken((t) => t.replace('path = Starter.xcconfig;', 'path = Missing.xcconfig;'))).toMatch(/does not exist/);
    expect(await broken((t) => t.replace('\t\t\t\tInfo.plist,\n', '\t\t\t\tInfo2.plist,\n'))).toMatch(/membership exception Info2\.plist/);
    expect(await broken((t) => t.replace(`/* ${XCODE_EXCEPTIONS_COMMENT} */ = {`, '/* PBXFileSystemSynchronizedBuildFileExceptionSet */ = {'))).toMatch(/Xcode writes/);
    expect(await broken((t) => t.replace('isa = PBXNativeTarget;', 'isa = PBXNativeTarget;\n\t\t\tisa = PBXNativeTarget;'))).toMatch(/repeats/);
    expect(await broken((t) => t.replace('SWIFT_VERSION = 6.0;', 'SWIFT_VERSION = 6.0'))).toMatch(/expected ";"/);
    expect(await broken((t) => t.replace('SDKROOT = iphoneos;', 'SDKROOT = iphone-os;'))).toMatch(/expected ";"/);
    expect(await broken((t) => t.replace('archiveVersion = 1;', 'archiveVersion = 2;'))).toMatch(/archiveVersion/);
  });
});
