/**
 * doctor's readers of build files and ignore rules, on the forms users write beyond what create writes:
 * a Gradle applicationId from the version catalog, from the namespace, per flavor or build type, in
 * Groovy; an Xcode app target beside a test target, a bundle id from an xcconfig; gitignore rules as
 * git reads them (checked against git itself); the token configs of hostile user addresses, as create
 * renders them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogVersions, gradleAppIds } from '../src/doctor/android-build';
import { readBuildAppIds } from '../src/doctor/build-appids';
import { holdsToken } from '../src/doctor/git-checks';
import { ignoredByGitignoreFiles } from '../src/doctor/gitignore';
import { appTargetBundleIds, parsePlist } from '../src/doctor/pbxproj';
import { parseTokenConfig } from '../src/doctor/token-configs';
import { PLATFORM_IDS } from '../src/platforms';
import { renderFixture } from './support/render';
import { removeDir, tempDir } from './support/doctor';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('the Android reader', () => {
  const catalog = catalogVersions('[versions]\nmesibo = "2.7.19"\napp-id = "com.example.fromcatalog" # ours\n[libraries]\nx = "y"\n');

  it('reads a plain applicationId in defaultConfig, and not one in a comment or another block', () => {
    const text = `android {
    namespace = "com.example.ns"
    // applicationId = "com.example.comment"
    /* applicationId = "com.example.block" */
    defaultConfig {
        val url = "https://example.com//x" // a string with slashes
        applicationId = "com.example.real"
    }
}`;
    expect(gradleAppIds(text, 'b.kts', undefined)).toEqual({ primary: { appId: 'com.example.real', where: 'b.kts' }, variants: [], unknown: undefined });
  });

  it('follows libs.versions.<alias>.get() into the catalog, and falls back to the namespace as AGP does', () => {
    expect(gradleAppIds('android { defaultConfig { applicationId = libs.versions.app.id.get() } }', 'b', catalog).primary?.appId).toBe('com.example.fromcatalog');
    expect(gradleAppIds('android { defaultConfig { applicationId = libs.versions.nope.get() } }', 'b', catalog).unknown).toMatch(/does not define/);
    expect(gradleAppIds('android { namespace = "com.example.ns"\n defaultConfig { minSdk = 19 } }', 'b', catalog).primary).toEqual({ appId: 'com.example.ns', where: 'b (namespace; no applicationId is set)' });
    expect(catalog.get('mesibo')).toBe('2.7.19');
  });

  it('reports build types with a suffix and flavors with their own appid as variants', () => {
    const text = `android {
  defaultConfig { applicationId = "com.x" }
  buildTypes { getByName("debug") { applicationIdSuffix = ".debug" } }
  productFlavors { create("free") { applicationId = "com.x.free" } }
}`;
    expect(gradleAppIds(text, 'b', undefined).variants).toEqual([
      { appId: 'com.x.free', where: 'b (free)' },
      { appId: 'com.x.debug', where: 'b (debug)' },
    ]);
  });

  it('reads Groovy, and calls an expression or a string template unknown', () => {
    expect(gradleAppIds("android { defaultConfig { applicationId 'com.groovy' } }", 'b', undefined).primary?.appId).toBe('com.groovy');
    expect(gradleAppIds('android { defaultConfig { applicationId = "com.$name" } }', 'b', undefined).unknown).toMatch(/string template/);
    expect(gradleAppIds('android { defaultConfig { applicationId = computeId() } }', 'b', undefined).unknown).toMatch(/an expression/);
  });
});

describe('the Xcode reader', () => {
  const project = (settings: string) => `// !$*UTF8*$!
{ objects = {
  T1 = { isa = PBXNativeTarget; name = App; productType = "com.apple.product-type.application"; buildConfigurationList = L1; };
  T2 = { isa = PBXNativeTarget; name = AppTests; productType = "com.apple.product-type.bundle.unit-test"; buildConfigurationList = L2; };
  L1 = { isa = XCConfigurationList; buildConfigurations = ( C1 /* Debug */, C2, ); };
  L2 = { isa = XCConfigurationList; buildConfigurations = ( C3 ); };
  C1 = { isa = XCBuildConfiguration; name = Debug; buildSettings = { ${settings} }; };
  C2 = { isa = XCBuildConfiguration; name = Release; buildSettings = { PRODUCT_BUNDLE_IDENTIFIER = "com.example.\\"q\\""; }; };
  C3 = { isa = XCBuildConfiguration; name = Debug; buildSettings = { PRODUCT_BUNDLE_IDENTIFIER = com.example.tests; }; };
}; rootObject = P; }`;

  it("reads the app target's configurations only (a test target has its own bundle id)", () => {
    expect(appTargetBundleIds(parsePlist(project('PRODUCT_BUNDLE_IDENTIFIER = com.example.app;')))).toEqual([
      { target: 'App', config: 'Debug', value: 'com.example.app' },
      { target: 'App', config: 'Release', value: 'com.example."q"' },
    ]);
  });

  it('takes an unset or $(VAR) bundle id from the project xcconfigs', () => {
    const root = tempDir();
    dirs.push(root);
    mkdirSync(path.join(root, 'ios/MesiboStarter.xcodeproj'), { recursive: true });
    mkdirSync(path.join(root, 'ios/Config'));
    writeFileSync(path.join(root, 'ios/Config/Base.xcconfig'), 'MY_ID = com.example.var // comment\nPRODUCT_BUNDLE_IDENTIFIER = com.example.fromxcconfig\n');
    const pbx = path.join(root, 'ios/MesiboStarter.xcodeproj/project.pbxproj');
    writeFileSync(pbx, project('PRODUCT_BUNDLE_IDENTIFIER = "$(MY_ID)";').replace(/PRODUCT_BUNDLE_IDENTIFIER = "com\.example\.\\"q\\"";/, ''));
    expect(readBuildAppIds(root, 'ios')).toEqual({
      primary: undefined,
      all: [
        { appId: 'com.example.var', where: 'ios/MesiboStarter.xcodeproj/project.pbxproj (Debug)' },
        { appId: 'com.example.fromxcconfig', where: 'ios/Config/Base.xcconfig (Release)' },
      ],
      unknown: undefined,
    });
    writeFileSync(pbx, project('PRODUCT_BUNDLE_IDENTIFIER = "$(NOT_SET)";'));
    expect(readBuildAppIds(root, 'ios').unknown).toMatch(/Debug bundle id .* refers to a build setting doctor cannot resolve/);
  });

  it('refuses what is not the format, without recursing without bound', () => {
    for (const bad of ['{ a = b; ', '{ a = "unclosed; }', '{ a b; }', '('.repeat(1000), '{ a = b; } trailing']) expect(() => parsePlist(bad)).toThrow(SyntaxError);
  });
});

describe('the gitignore reader, against git itself', () => {
  const rules = ['# comment', '/config.js', '*.secret', '!keep.secret', 'build/', 'docs/**/private.txt', '\\#hash', 'a?c.txt', '[xy].log'].join('\n');
  const paths = ['config.js', 'sub/config.js', 'x.secret', 'keep.secret', 'build/out.txt', 'sub/build/out.txt', 'docs/a/b/private.txt', 'docs/private.txt', '#hash', 'abc.txt', 'x.log', 'z.log', 'plain.txt'];

  it('agrees with git check-ignore on every path', async () => {
    const root = tempDir();
    dirs.push(root);
    writeFileSync(path.join(root, '.gitignore'), `${rules}\n`);
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub/.gitignore'), '/local.txt\n');
    await execa('git', ['init', '--quiet'], { cwd: root });
    const all = [...paths, 'sub/local.txt', 'local.txt'];
    const git = await execa('git', ['check-ignore', '--no-index', '--stdin'], { cwd: root, input: all.join('\n'), reject: false });
    const byGit = new Set(git.stdout.split('\n').filter(Boolean));
    expect(byGit.size).toBeGreaterThan(5);
    const ours = await ignoredByGitignoreFiles(root, all);
    for (const p of all) expect(ours.ignored.get(p), p).toBe(byGit.has(p));
  });
});

describe('the token config readers', () => {
  // Addresses that stress each format's quoting: spaces, quotes, backslashes, non-ASCII, a line-breakable one.
  const users = ['123', 'alice smith', 'o"brien\\x', 'zoë 😀'];

  it('read back every token of every user from what create renders', async () => {
    const { dir, provisioned } = await renderFixture({ users });
    dirs.push(dir);
    const { readFileSync } = await import('node:fs');
    const files = { android: 'android/mesibo.properties', ios: 'ios/Config/Secrets.xcconfig', web: 'web/config.js', cpp: 'cpp/mesibo.conf', python: 'python/config.json' };
    // Every platform with user tokens (the token server's secret file is its passcode).
    for (const id of PLATFORM_IDS.filter((id) => id in files) as Array<keyof typeof files>) {
      const parsed = parseTokenConfig(id, readFileSync(path.join(dir, files[id]), 'utf8'), users);
      const expected = provisioned.get('com.example.demo')!;
      expect(Object.fromEntries(parsed.tokens), id).toEqual(Object.fromEntries(users.map((u) => [u, expected.get(u)!.token])));
      if (id === 'web' || id === 'cpp' || id === 'python') expect(parsed.appId, id).toBe('com.example.demo');
      const example = parseTokenConfig(id, readFileSync(path.join(dir, `${files[id]}.example`), 'utf8'), users);
      expect([example.tokens.size, example.placeholders.length], id).toEqual([0, users.length]);
    }
  });

  it('finds a current token only as a whole word', () => {
    const token = 'Ab3'.repeat(21) + 'x';
    expect(holdsToken(`user1.token=${token}\n`, new Set([token]))).toBe(true);
    expect(holdsToken(`{"token":"${token}"}`, new Set([token]))).toBe(true);
    expect(holdsToken(`${token.slice(0, 63)}`, new Set([token]))).toBe(false);
  });
});
