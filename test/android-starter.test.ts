/**
 * The Android starter runs with no edits: its resources link with aapt, and its Kotlin compiles and
 * behaves, driven on a JVM by test/doubles/android/Harness.kt against recording doubles of Android and
 * mesibo: every user can log in, chat with any other, and the layout keeps clear of the system bars and
 * the keyboard once Android draws it edge to edge. (The compile against the real framework classes and the
 * doubles' audit: android-real-sdk.test.ts.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { fakeToken } from './support/render';
import { HOSTILE, tempDir } from './support/starter-common';
import { assertToolsOrSkip } from './support/tools';
import { FRAMEWORK_RES, androidFixture, buildConfigSource, compileAndRun, compiledString, linkResources, type HarnessRun, type Scenario } from './support/android';
import { parseProperties, readGradleKts } from './support/android-gradle';
import { androidString } from '../src/render/literals';

// kotlinc alone takes 6-8 s on an idle machine; two cores shared with other suites can make it much slower.
const KOTLINC_TIMEOUT = 240_000;
const tools = assertToolsOrSkip(['aapt', FRAMEWORK_RES, 'java', 'javac']);
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

const renderAndroid = (options: Parameters<typeof androidFixture>[1] = {}) => androidFixture(cleanups, options);

describe.skipIf(tools.skip)(`android starter: resources and behaviour ${tools.reason}`, () => {
  const xml = new XMLParser({ ignoreAttributes: false });

  it('links manifest and resources with aapt, with INTERNET permission and the app name as its label', async () => {
    const { android, appId } = await renderAndroid({ name: HOSTILE.name, appId: 'com.example.fun' });
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
    expect(manifest.manifest.application['@_android:theme']).toBe('@style/Theme.Starter');
    expect(manifest.manifest.application.activity['@_android:windowSoftInputMode']).toBe('adjustResize');
    expect(manifest.manifest['@_package']).toBeUndefined(); // the namespace comes from Gradle
  });

  it('its theme has no action bar and, from API 35, dark system-bar icons over the app', async () => {
    const { android } = await renderAndroid();
    const theme = (folder: string) => xml.parse(readFileSync(path.join(android, 'app/src/main/res', folder, 'themes.xml'), 'utf8')).resources.style;
    expect(theme('values')['@_parent']).toBe('@android:style/Theme.DeviceDefault.Light.NoActionBar');
    const v35 = theme('values-v35');
    expect(v35['@_parent']).toBe('@android:style/Theme.DeviceDefault.Light.NoActionBar');
    expect(Object.fromEntries(v35.item.map((i: Record<string, unknown>) => [i['@_name'], i['#text']]))).toEqual({
      'android:windowLightStatusBar': true,
      'android:windowLightNavigationBar': true,
    });
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

  async function compileFixture(options: { name?: string; users?: string[]; appId?: string }, scenarios: Scenario[]) {
    const fixture = await renderAndroid(options);
    const out = tempDir('cma-kotlin-');
    cleanups.push(out.cleanup);
    const linked = await linkResources(fixture.android, fixture.appId, out.dir);
    expect(linked.ok, linked.log).toBe(true);
    const app = await readGradleKts(path.join(fixture.android, 'app/build.gradle.kts'));
    const props = parseProperties(readFileSync(path.join(fixture.android, 'mesibo.properties'), 'utf8'));
    const fields = app.tokenFields.map((f) => ({ name: f.name, value: props.get(f.key)! }));
    const { compiled, log, runs } = await compileAndRun(fixture.android, fixture.appId, linked.gen, buildConfigSource(fixture.appId, fields), out.dir, scenarios);
    expect(compiled, log).toBe(true);
    return { ...fixture, runs };
  }

  /**
   * What a user sees and mesibo is asked, logged in as users[me]: the default peer (the second user for
   * the first, the first for everyone else), then the next other user picked from the "Chat with" row.
   */
  function expectChat(run: HarnessRun, users: string[], me: number, typed: string, appId: string) {
    expect(run.ok, run.log).toBe(true);
    const r = run.report!;
    const self = users[me]!;
    const others = users.filter((_, i) => i !== me);
    const first = me === 0 ? users[1]! : users[0]!;
    const second = others.find((u) => u !== first);
    expect(r.heading).toBe('app_name()');
    expect(r.usersLabel).toBe('log_in_as()');
    expect(r.loginLabels).toEqual(users);
    expect(r.statusBefore).toBe('status_logged_out()');
    expect(r.sendEnabledBefore).toBe(false);
    expect(r.headingAfterLogin).toBe(`chatting_with(${self}, ${first})`);
    expect(r.usersLabelAfterLogin).toBe('chat_with()');
    expect(r.peerLabels).toEqual(others);
    expect(r.peerEnabled).toEqual(others.map((u) => u !== first));
    expect(r.statusConnecting).toBe('status_connecting()');
    expect(r.statusAuthfail).toBe(`status_authfail(${appId})`);
    expect(r.sendEnabledAuthfail).toBe(false);
    expect(r.statusSuspended).toBe('status_suspended()');
    expect(r.statusOnline).toBe('status_online()');
    expect(r.sendEnabledOnline).toBe(true);
    expect(r.inputAfterSend).toBe('');
    const text = typed.trim();
    const sent = [first, ...(second ? [second] : [])];
    if (second) {
      expect(r.headingAfterPick).toBe(`chatting_with(${self}, ${second})`);
      expect(r.peerEnabledAfterPick).toEqual(others.map((u) => u !== second));
    } else expect(r.headingAfterPick).toBeUndefined();
    expect(r.messages).toEqual([...sent.map((to) => `outgoing(${to}, ${text})`), `incoming(${others[0]}, hi back)`, `incoming(${others[0]}, plain ü)`]);
    expect(r.calls).toEqual([
      'init',
      'addListener',
      `setAccessToken ${fakeToken(self, appId)}`,
      `setDatabase user${me + 1}`,
      'start',
      ...sent.flatMap((to) => [`getProfile ${to}`, `send ${to} ${text}`]),
    ]);
  }

  it('compiles with kotlinc -Werror; each user logs in with its own token and chats with the other', async () => {
    const { runs, users, appId } = await compileFixture({}, [{ login: 0, typed: ' hello ' }, { login: 1, typed: ' hello ' }]);
    expectChat(runs[0]!, users, 0, ' hello ', appId);
    expectChat(runs[1]!, users, 1, ' hello ', appId);
  }, KOTLINC_TIMEOUT);

  it('lists all three hostile users under "Log in as" and lets each chat with either other, names carried exactly', async () => {
    const typed = 'say "$x" \\ {{y}} ü';
    const scenarios = [0, 1, 2].map((login) => ({ login, typed }));
    const { runs, users, appId } = await compileFixture({ name: HOSTILE.name, users: HOSTILE.users, appId: 'com.example.fun' }, scenarios);
    expect(users).toHaveLength(3);
    for (const login of [0, 1, 2]) expectChat(runs[login]!, users, login, typed, appId);
  }, KOTLINC_TIMEOUT);

  it('pads the root by the system bars, the cutout and the keyboard from API 35, and leaves older versions to the system', async () => {
    const { runs } = await compileFixture({}, [{ login: 0, typed: 'x', sdkInt: 36 }, { login: 0, typed: 'x', sdkInt: 35 }, { login: 0, typed: 'x', sdkInt: 34 }]);
    for (const run of runs.slice(0, 2)) {
      expect(run.ok, run.log).toBe(true);
      expect(run.report!.insetsListener).toBe(true);
      // 16dp of the layout's own padding around it; the gestures' side insets (30) pad nothing.
      expect(run.report!.paddingBefore).toEqual([16, 16, 16, 16]);
      expect(run.report!.paddingWithBars).toEqual([16 + 90, 16 + 63, 16, 16 + 126]);
      expect(run.report!.paddingWithKeyboard).toEqual([16 + 90, 16 + 63, 16, 16 + 840]);
    }
    const old = runs[2]!;
    expect(old.ok, old.log).toBe(true);
    expect(old.report!.insetsListener).toBe(false);
    expect(old.report!.paddingWithKeyboard).toEqual([16, 16, 16, 16]);
  }, KOTLINC_TIMEOUT);
});
