/**
 * The Android starter opens in Android Studio and runs with no edits: its Gradle files say the right appid
 * and dependency, its resources link with aapt, and its Kotlin compiles and behaves (driven on a JVM by
 * test/doubles/android/Harness.kt against recording doubles of Android and mesibo).
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { renderFixture, fakeToken } from './support/render';
import { HOSTILE, expectTokensOnlyInSecretFile, tempDir } from './support/starter-common';

// Only the first two users reach the starter (the demo pair), so every hostile address is packed into them.
const HOSTILE_PAIR = [HOSTILE.users[2]!, HOSTILE.users[0]! + HOSTILE.users[1]!];
import { assertToolsOrSkip } from './support/tools';
import {
  FRAMEWORK_RES,
  buildConfigSource,
  compileAndRun,
  compiledString,
  linkResources,
  parseProperties,
  readGradleKts,
  type HarnessRun,
} from './support/android';
import { androidString } from '../src/render/literals';
import { PLACEHOLDER_TOKEN } from '../src/render/context';

// kotlinc alone takes 6-8 s on an idle machine; two cores shared with other suites can make it much slower.
const KOTLINC_TIMEOUT = 240_000;
const tools = assertToolsOrSkip(['aapt', FRAMEWORK_RES, 'java', 'javac']);
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

async function androidFixture(options: { name?: string; users?: string[]; appId?: string } = {}) {
  const appId = options.appId ?? 'com.example.demo';
  const fixture = await renderFixture({ ...options, platforms: [{ id: 'android', appId }] });
  cleanups.push(() => rmSync(fixture.dir, { recursive: true, force: true }));
  const users = options.users ?? ['123', '456'];
  return { ...fixture, appId, users, android: path.join(fixture.dir, 'android') };
}

describe('android starter: Gradle project', () => {
  it('sets namespace and applicationId to the appid and depends on mesibo from Maven Central', async () => {
    const { android, appId } = await androidFixture({ appId: 'org.acme.chat' });
    const app = await readGradleKts(path.join(android, 'app/build.gradle.kts'));
    expect(app.hasError).toBe(false);
    expect(app.assignments['android.namespace']).toBe(appId);
    expect(app.assignments['android.defaultConfig.applicationId']).toBe(appId);
    expect(app.implementation).toEqual([expect.stringMatching(/^com\.mesibo\.api:mesibo:\d+\.\d+\.\d+$/)]);

    const settings = await readGradleKts(path.join(android, 'settings.gradle.kts'));
    expect(settings.hasError).toBe(false);
    expect(settings.assignments['rootProject.name']).toBe('Demo Chat');
    const settingsText = readFileSync(path.join(android, 'settings.gradle.kts'), 'utf8');
    expect(settingsText).toMatch(/dependencyResolutionManagement[\s\S]*mavenCentral\(\)/);
    expect((await readGradleKts(path.join(android, 'build.gradle.kts'))).hasError).toBe(false);

    const wrapper = parseProperties(readFileSync(path.join(android, 'gradle/wrapper/gradle-wrapper.properties'), 'utf8'));
    expect(wrapper.get('distributionUrl')).toBe('https://services.gradle.org/distributions/gradle-8.7-bin.zip');
    expect(readFileSync(path.join(android, 'app/build.gradle.kts'), 'utf8')).toMatch(/buildConfig = true/);
  });

  it('reads every token field from mesibo.properties and fails the build clearly when it is missing', async () => {
    const { android, appId, users } = await androidFixture();
    const app = await readGradleKts(path.join(android, 'app/build.gradle.kts'));
    expect(app.tokenFields).toEqual([
      { type: 'String', name: 'MESIBO_USER1_TOKEN', key: 'user1.token' },
      { type: 'String', name: 'MESIBO_USER2_TOKEN', key: 'user2.token' },
    ]);
    const secret = parseProperties(readFileSync(path.join(android, 'mesibo.properties'), 'utf8'));
    const example = parseProperties(readFileSync(path.join(android, 'mesibo.properties.example'), 'utf8'));
    expect([...secret.values()]).toEqual([fakeToken(users[0]!, appId), fakeToken(users[1]!, appId)]);
    expect([...example.keys()]).toEqual([...secret.keys()]);
    expect([...example.values()]).toEqual([PLACEHOLDER_TOKEN, PLACEHOLDER_TOKEN]);

    const script = readFileSync(path.join(android, 'app/build.gradle.kts'), 'utf8');
    const guard = /if \(!mesiboPropertiesFile\.isFile\) \{\s*throw GradleException\(([\s\S]*?)\)\s*\}/.exec(script);
    expect(guard?.[1]).toMatch(/mesibo\.properties\.example/);
    expect(guard?.[1]).toMatch(/npx create-mesibo-app refresh/);
  });

  it('keeps user tokens only in the git-ignored mesibo.properties', async () => {
    const { dir, android, appId, users } = await androidFixture();
    expectTokensOnlyInSecretFile(dir, 'android', appId, users);
    const ignored = readFileSync(path.join(android, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['/mesibo.properties', 'build/', '.gradle/', '/local.properties']));
    expect(existsSync(path.join(android, 'gradle/wrapper/gradle-wrapper.jar'))).toBe(false);
  });
});

describe.skipIf(tools.skip)(`android starter: resources and Kotlin ${tools.reason}`, () => {
  const xml = new XMLParser({ ignoreAttributes: false });

  it('links manifest and resources with aapt, with INTERNET permission and the app name as its label', async () => {
    const { android, appId } = await androidFixture({ name: HOSTILE.name, appId: 'com.example.fun' });
    const out = tempDir('cma-aapt-');
    cleanups.push(out.cleanup);
    const linked = await linkResources(android, appId, out.dir);
    expect(linked.log).toBe('');
    expect(linked.ok).toBe(true);
    expect(await compiledString(linked.apk, 'app_name')).toBe(HOSTILE.name);
    // Gradle refuses slashes, colons, quotes, <, >, ?, * and | in project names, so those are dropped there.
    const settings = await readGradleKts(path.join(android, 'settings.gradle.kts'));
    expect(settings.assignments['rootProject.name']).toBe("Tom's chat {{x}} script ${y} ü");
    const manifest = xml.parse(readFileSync(path.join(android, 'app/src/main/AndroidManifest.xml'), 'utf8'));
    expect(manifest.manifest['uses-permission']['@_android:name']).toBe('android.permission.INTERNET');
    expect(manifest.manifest.application['@_android:label']).toBe('@string/app_name');
    expect(manifest.manifest['@_package']).toBeUndefined(); // the namespace comes from Gradle
  });

  it('androidString survives aapt exactly, and aapt rejects what it escapes', async () => {
    const values = ["it's", '"quoted"', '@string/x', '?attr/y', 'a\\b', '  two  spaces ', '100% of 50%', '<b>&amp;</b>', 'ü→😀', 'tab\there'];
    const out = tempDir('cma-aapt-strings-');
    cleanups.push(out.cleanup);
    const resources = (body: string[]) => `<?xml version="1.0" encoding="utf-8"?>\n<resources>\n${body.join('\n')}\n</resources>\n`;
    const project = path.join(out.dir, 'android');
    mkdirSync(path.join(project, 'app/src/main/res/values'), { recursive: true });
    writeFileSync(path.join(project, 'app/src/main/AndroidManifest.xml'), '<manifest xmlns:android="http://schemas.android.com/apk/res/android" />\n');
    const strings = path.join(project, 'app/src/main/res/values/strings.xml');
    writeFileSync(strings, resources(values.map((v, i) => `<string name="s${i}">${androidString(v)}</string>`)));
    const linked = await linkResources(project, 'com.example.strings', path.join(out.dir, 'ok'));
    expect(linked.ok, linked.log).toBe(true);
    for (const [i, v] of values.entries()) expect(await compiledString(linked.apk, `s${i}`)).toBe(v);

    writeFileSync(strings, resources(['<string name="bad">it\'s</string>']));
    expect((await linkResources(project, 'com.example.strings', path.join(out.dir, 'bad'))).ok).toBe(false);
  });

  async function compileFixture(options: { name?: string; users?: string[]; appId?: string }, typed: string) {
    const fixture = await androidFixture(options);
    const out = tempDir('cma-kotlin-');
    cleanups.push(out.cleanup);
    const linked = await linkResources(fixture.android, fixture.appId, out.dir);
    expect(linked.ok, linked.log).toBe(true);
    const app = await readGradleKts(path.join(fixture.android, 'app/build.gradle.kts'));
    const props = parseProperties(readFileSync(path.join(fixture.android, 'mesibo.properties'), 'utf8'));
    const fields = app.tokenFields.map((f) => ({ name: f.name, value: props.get(f.key)! }));
    const { compiled, log, runs } = await compileAndRun(fixture.android, fixture.appId, linked.gen, buildConfigSource(fixture.appId, fields), out.dir, [
      ['first', typed, fixture.users[1]!],
      ['second', typed, fixture.users[0]!],
    ]);
    expect(compiled, log).toBe(true);
    return { ...fixture, runs };
  }

  function expectChat(run: HarnessRun, me: string, peer: string, token: string, database: string, typed: string, appId: string) {
    expect(run.ok, run.log).toBe(true);
    const r = run.report!;
    expect(r.sendEnabledBefore).toBe(false);
    expect(r.statusBefore).toBe('status_logged_out()');
    expect(r.loginEnabledAfter).toEqual([false, false]);
    expect(r.title).toBe(`chatting_with(${me}, ${peer})`);
    expect(r.calls).toEqual([
      'init',
      'addListener',
      `setAccessToken ${token}`,
      `setDatabase ${database} 0`,
      'start',
      `getProfile ${peer}`,
      `send ${peer} ${typed.trim()}`,
    ]);
    expect(r.statusConnecting).toBe('status_connecting()');
    expect(r.statusAuthfail).toBe(`status_authfail(${appId})`);
    expect(r.sendEnabledAuthfail).toBe(false);
    expect(r.statusOnline).toBe('status_online()');
    expect(r.sendEnabledOnline).toBe(true);
    expect(r.inputAfterSend).toBe('');
    expect(r.messages).toEqual([`outgoing(${typed.trim()})`, `incoming(${peer}, hi back)`]);
  }

  it('compiles with kotlinc -Werror and logs each demo user in with its own token, chatting with the other', async () => {
    const { runs, users, appId } = await compileFixture({}, ' hello ');
    const [first, second] = users as [string, string];
    expect(runs[0]!.report?.loginLabels).toEqual([`log_in_as(${first})`, `log_in_as(${second})`]);
    expectChat(runs[0]!, first, second, fakeToken(first, appId), 'user1', ' hello ', appId);
    expectChat(runs[1]!, second, first, fakeToken(second, appId), 'user2', ' hello ', appId);
  }, KOTLINC_TIMEOUT);

  it('carries hostile names, addresses and a Kotlin-keyword appid through exactly', async () => {
    const typed = 'say "$x" \\ {{y}} ü';
    const { runs, users, appId } = await compileFixture({ name: HOSTILE.name, users: HOSTILE_PAIR, appId: 'com.example.fun' }, typed);
    const [first, second] = users as [string, string];
    expect(runs[0]!.report?.loginLabels).toEqual([`log_in_as(${first})`, `log_in_as(${second})`]);
    expectChat(runs[0]!, first, second, fakeToken(first, appId), 'user1', typed, appId);
    expectChat(runs[1]!, second, first, fakeToken(second, appId), 'user2', typed, appId);
  }, KOTLINC_TIMEOUT);
});

