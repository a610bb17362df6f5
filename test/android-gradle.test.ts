/**
 * The Android starter's Gradle project is what Android Studio's own template makes in late 2026: AGP 9 and
 * a Gradle 9 wrapper from one version catalog, compileSdk and targetSdk 36, Kotlin built in by AGP (no
 * Kotlin plugin, no kotlinOptions), and a token field for every user read from the git-ignored secret file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeToken } from './support/render';
import { HOSTILE, expectTokensOnlyInSecretFile } from './support/starter-common';
import { parseProperties, parseToml, readGradleKts, type TomlTable } from './support/android-gradle';
import { androidFixture } from './support/android';

// What a user finds in the committed twin instead of a token.
const PLACEHOLDER_TOKEN = 'PASTE_USER_ACCESS_TOKEN_HERE';
const SDK_VERSIONS = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../src/sdk-versions.json'), 'utf8'));

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

const renderAndroid = (options: Parameters<typeof androidFixture>[1] = {}) => androidFixture(cleanups, options);

const read = (file: string) => readFileSync(file, 'utf8');

describe('android starter: Gradle project', () => {
  it('builds with AGP 9.5.1 and Gradle 9.8.1, both pinned once: the catalog and the wrapper', async () => {
    const { android } = await renderAndroid();
    const catalog = parseToml(read(path.join(android, 'gradle/libs.versions.toml')));
    expect(catalog).toEqual({
      versions: { agp: '9.5.1', mesibo: SDK_VERSIONS.android.mesibo },
      libraries: { mesibo: { group: 'com.mesibo.api', name: 'mesibo', version: { ref: 'mesibo' } } },
      plugins: { 'android-application': { id: 'com.android.application', version: { ref: 'agp' } } },
    });
    expect(SDK_VERSIONS.android.agp).toBe('9.5.1');

    const wrapper = parseProperties(read(path.join(android, 'gradle/wrapper/gradle-wrapper.properties')));
    expect(wrapper.get('distributionUrl')).toBe('https://services.gradle.org/distributions/gradle-9.8.1-bin.zip');
    expect(wrapper.get('distributionSha256Sum')).toMatch(/^[0-9a-f]{64}$/);
    expect(wrapper.get('distributionSha256Sum')).toBe(SDK_VERSIONS.android.gradleSha256);
    expect(wrapper.get('validateDistributionUrl')).toBe('true');
    // No wrapper jar or gradlew: Android Studio reads the properties (the README says how to add them).
    expect(existsSync(path.join(android, 'gradle/wrapper/gradle-wrapper.jar'))).toBe(false);
  });

  it('applies AGP from the catalog only: no Kotlin plugin, no kotlinOptions, the JVM target from compileOptions', async () => {
    const { android } = await renderAndroid();
    const top = await readGradleKts(path.join(android, 'build.gradle.kts'));
    const app = await readGradleKts(path.join(android, 'app/build.gradle.kts'));
    expect(top.hasError).toBe(false);
    expect(app.hasError).toBe(false);
    expect(top.plugins).toEqual(['libs.plugins.android.application']);
    expect(app.plugins).toEqual(['libs.plugins.android.application']);
    expect(app.implementation).toEqual(['libs.mesibo']);
    // Kotlin is AGP's: no kotlin { } or kotlinOptions { } block anywhere, and no version outside the catalog.
    for (const facts of [top, app]) expect(facts.blocks).not.toEqual(expect.arrayContaining([expect.stringMatching(/^kotlin/)]));
    expect(app.blocks).toEqual(expect.arrayContaining(['android', 'defaultConfig', 'compileOptions', 'dependencies']));
    for (const file of ['build.gradle.kts', 'app/build.gradle.kts', 'settings.gradle.kts']) {
      expect(read(path.join(android, file)), file).not.toMatch(/"\d+\.\d+\.\d+"/);
    }
    const appText = read(path.join(android, 'app/build.gradle.kts'));
    expect(appText).toMatch(/compileOptions \{\s*sourceCompatibility = JavaVersion\.VERSION_17\s*targetCompatibility = JavaVersion\.VERSION_17\s*\}/);
    expect(appText).toMatch(/buildConfig = true/);
  });

  it('compiles and targets API 36, from minSdk 19 (the level mesibo builds its own samples for)', async () => {
    const { android, appId } = await renderAndroid({ appId: 'org.acme.chat' });
    const app = await readGradleKts(path.join(android, 'app/build.gradle.kts'));
    expect(app.assignments).toMatchObject({
      'android.namespace': appId,
      'android.compileSdk': '36',
      'android.defaultConfig.applicationId': appId,
      'android.defaultConfig.minSdk': '19',
      'android.defaultConfig.targetSdk': '36',
    });
    const settings = await readGradleKts(path.join(android, 'settings.gradle.kts'));
    expect(settings.hasError).toBe(false);
    expect(settings.assignments['rootProject.name']).toBe('Demo Chat');
    expect(read(path.join(android, 'settings.gradle.kts'))).toMatch(/dependencyResolutionManagement[\s\S]*mavenCentral\(\)/);
  });

  it('the catalog reader refuses what is not TOML, so the catalog check can fail', () => {
    expect(() => parseToml('[versions]\nagp = 9.5.1\n')).toThrow(/line 2: unsupported value/);
    expect(() => parseToml('[versions]\nagp = "9.5.1"\nagp = "9.6.0"\n')).toThrow(/duplicate key agp/);
    expect(() => parseToml('[plugins]\nx = { id = "a", version.ref = "b" \n')).toThrow(/inline table/);
    expect(() => parseToml('[versions]\n[versions]\n')).toThrow(/defined twice/);
    expect(() => parseToml('a = "x" y\n')).toThrow(/unexpected text/);
    expect(parseToml('# c\n[t]\nk = "a\\"b\\u00fc" # c\nn = -3\nb = true\n')).toEqual<TomlTable>({ t: { k: 'a"bü', n: -3, b: true } });
  });
});

describe('android starter: every user', () => {
  it('declares a BuildConfig token field for each of three hostile users, read from mesibo.properties', async () => {
    const { android, appId, users } = await renderAndroid({ users: HOSTILE.users });
    const app = await readGradleKts(path.join(android, 'app/build.gradle.kts'));
    expect(app.tokenFields).toEqual([1, 2, 3].map((n) => ({ type: 'String', name: `MESIBO_USER${n}_TOKEN`, key: `user${n}.token` })));
    const secret = parseProperties(read(path.join(android, 'mesibo.properties')));
    const example = parseProperties(read(path.join(android, 'mesibo.properties.example')));
    expect([...secret.entries()]).toEqual(users.map((u, i) => [`user${i + 1}.token`, fakeToken(u, appId)]));
    expect([...example.entries()]).toEqual(users.map((_, i) => [`user${i + 1}.token`, PLACEHOLDER_TOKEN]));
    // Each token's comment names its user, as a comment (a hostile address must not become a key).
    const comments = read(path.join(android, 'mesibo.properties')).split('\n').filter((l) => /^# user\d: /.test(l));
    expect(comments).toEqual(users.map((u, i) => `# user${i + 1}: ${u}`));
  });

  it('fails the build clearly when mesibo.properties is missing', async () => {
    const { android } = await renderAndroid();
    const script = read(path.join(android, 'app/build.gradle.kts'));
    const guard = /if \(!mesiboPropertiesFile\.isFile\) \{\s*throw GradleException\(([\s\S]*?)\)\s*\}/.exec(script);
    expect(guard?.[1]).toMatch(/mesibo\.properties\.example/);
    expect(guard?.[1]).toMatch(/npx create-mesibo-app@\d+\.\d+\.\d+ refresh/);
  });

  it('the README names every user, the toolchain it was checked against and what Linux could not check', async () => {
    const { android } = await renderAndroid({ users: ['123', '456', '789'] });
    const readme = read(path.join(android, 'README.md'));
    expect(readme).toContain('button for every user of the project\n   (123, 456, 789).');
    expect(readme).toMatch(/\| Android Gradle plugin \| 9\.5\.1 /);
    expect(readme).toMatch(/\| Gradle wrapper \| 9\.8\.1 \|/);
    expect(readme).toMatch(/\| compileSdk \/ targetSdk \| 36 /);
    expect(readme).toContain('gradle wrapper --gradle-version 9.8.1 --gradle-distribution-sha256-sum ' + SDK_VERSIONS.android.gradleSha256);
    for (const unchecked of ['A real Gradle build and a run on a device', "mesibo's real SDK", '16 KB memory pages']) expect(readme).toContain(`**${unchecked}**`);
    expect(readme).toContain('zipalign -c -P 16 -v 4');
    expect(readme).toMatch(/whether they are 16 KB\s+aligned, could not be inspected/);
  });

  it('keeps user tokens only in the git-ignored mesibo.properties', async () => {
    const { dir, android, appId, users } = await renderAndroid({ users: HOSTILE.users });
    expectTokensOnlyInSecretFile(dir, 'android', appId, users);
    const ignored = read(path.join(android, '.gitignore')).split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['/mesibo.properties', 'build/', '.gradle/', '/local.properties']));
  });
});
