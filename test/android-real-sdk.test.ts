/**
 * The Android starter against the real Android framework: MainActivity.kt compiles with kotlinc
 * -Werror against org.robolectric:android-all for its compileSdk (API 36), with R from aapt and
 * BuildConfig from the fields app/build.gradle.kts declares. mesibo's AAR is not served here, so mesibo's
 * classes are the cited doubles (test/doubles/android/README.md). The framework doubles the click-through
 * harness runs on are audited against the same jar, member by member, and the audit is shown to fail on a
 * name or value the real jar lacks.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { renderFixture } from './support/render';
import { HOSTILE, tempDir } from './support/starter-common';
import { assertToolsOrSkip } from './support/tools';
import { androidAll } from './support/sdks';
import { ANDROID_DOUBLES, FRAMEWORK_RES, buildConfigSource, checkFrameworkDoubles, compileAgainstAndroidAll, doubleSources, linkResources } from './support/android';
import { parseProperties, readGradleKts } from './support/android-gradle';

// kotlinc reads the 190 MB jar on top of its usual 6-8 s; two shared cores can make that much slower.
const KOTLINC_TIMEOUT = 300_000;
const tools = assertToolsOrSkip(['aapt', FRAMEWORK_RES, 'java', 'javac', 'javap']);
const sdk = await androidAll();
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function scratch(prefix: string): string {
  const out = tempDir(prefix);
  cleanups.push(out.cleanup);
  return out.dir;
}

/** Renders the Android starter and compiles it the way Gradle would against compileSdk 36. */
async function compileStarter(options: { name?: string; users?: string[]; appId?: string }) {
  const appId = options.appId ?? 'com.example.demo';
  const fixture = await renderFixture({ ...options, platforms: [{ id: 'android', appId }] });
  cleanups.push(() => rmSync(fixture.dir, { recursive: true, force: true }));
  const android = path.join(fixture.dir, 'android');
  const out = scratch('cma-android-all-');
  const linked = await linkResources(android, appId, out);
  expect(linked.ok, linked.log).toBe(true);
  const app = await readGradleKts(path.join(android, 'app/build.gradle.kts'));
  const props = parseProperties(readFileSync(path.join(android, 'mesibo.properties'), 'utf8'));
  const fields = app.tokenFields.map((f) => ({ name: f.name, value: props.get(f.key)! }));
  return compileAgainstAndroidAll(android, linked.gen, buildConfigSource(appId, fields), out, sdk.sdk!.jar);
}

describe.skipIf(tools.skip || sdk.skip)(`android starter on the real framework classes ${tools.reason} ${sdk.reason}`, () => {
  it('compiles with kotlinc -Werror against android-all API 36, the default pair of users', async () => {
    const compiled = await compileStarter({});
    expect(compiled.log).not.toMatch(/warning:|error:/);
    expect(compiled.ok, compiled.log).toBe(true);
  }, KOTLINC_TIMEOUT);

  it('compiles with three hostile users, a hostile name and a Kotlin-keyword appid', async () => {
    const compiled = await compileStarter({ name: HOSTILE.name, users: HOSTILE.users, appId: 'com.example.fun' });
    expect(compiled.ok, compiled.log).toBe(true);
  }, KOTLINC_TIMEOUT);

  it('the mesibo double has STATUS_SUSPENDED and the one-argument setDatabase only, as mesibo\'s own code', async () => {
    const out = scratch('cma-mesibo-double-');
    const javac = await execa('javac', ['-proc:none', '-implicit:none', '-sourcepath', ANDROID_DOUBLES, '-d', out, ...doubleSources('mesibo')], { reject: false, all: true });
    expect(javac.exitCode, javac.all).toBe(0);
    const { stdout } = await execa('javap', ['-constants', '-cp', out, 'com.mesibo.api.Mesibo']);
    expect(stdout).toContain('public static final int STATUS_SUSPENDED = 10;');
    expect(stdout).not.toMatch(/STATUS_SUSPEND\b/);
    expect(stdout.split('\n').filter((l) => l.includes(' setDatabase('))).toEqual(['  public static boolean setDatabase(java.lang.String);']);
  });

  it('every class, constructor, method, field and constant of the framework doubles exists in android-all', async () => {
    const checked = await checkFrameworkDoubles(sdk.sdk!.jar, scratch('cma-doubles-audit-'));
    expect(checked.log).toMatch(/^checked \d+ classes and \d+ members against /);
    expect(checked.ok, checked.log).toBe(true);
    // The audit covers what the harness leans on, not a token few classes.
    const [, classes, members] = /checked (\d+) classes and (\d+) members/.exec(checked.log)!;
    expect(Number(classes)).toBeGreaterThanOrEqual(20);
    expect(Number(members)).toBeGreaterThanOrEqual(60);
  });

  it('the audit fails on a double member, class, return type or constant the real jar does not have', async () => {
    const copy = path.join(scratch('cma-doubles-bad-'), 'android');
    cpSync(ANDROID_DOUBLES, copy, { recursive: true });
    const edit = (file: string, from: string, to: string) => {
      const text = readFileSync(path.join(copy, file), 'utf8');
      expect(text).toContain(from);
      writeFileSync(path.join(copy, file), text.replace(from, to));
    };
    edit('android/view/View.java', 'public boolean isEnabled() { return enabled; }', 'public boolean isEnabled() { return enabled; }\n    public void setPaddingStart(int start) {}');
    edit('android/view/ViewGroup.java', 'public int getChildCount() { return children.size(); }', 'public long getChildCount() { return children.size(); }');
    edit('android/os/Build.java', 'VANILLA_ICE_CREAM = 35', 'VANILLA_ICE_CREAM = 34');
    edit('android/widget/HorizontalScrollView.java', 'extends ViewGroup', 'extends ListView');
    writeFileSync(path.join(copy, 'android/widget/ChatBubble.java'), 'package android.widget;\n\npublic class ChatBubble {}\n');
    const checked = await checkFrameworkDoubles(sdk.sdk!.jar, scratch('cma-doubles-bad-out-'), copy);
    expect(checked.ok).toBe(false);
    expect(checked.log.trim().split('\n').sort()).toEqual([
      'android.os.Build$VERSION_CODES.VANILLA_ICE_CREAM = 35 in the real jar, 34 in the double',
      'android.view.View: no method setPaddingStart(I)',
      'android.view.ViewGroup.getChildCount() returns I in the real jar, J in the double',
      'android.widget.ChatBubble: no such class in the real jar',
      'android.widget.HorizontalScrollView: the real class is not a android.widget.ListView',
    ]);
  });
});
