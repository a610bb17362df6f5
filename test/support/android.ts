/**
 * Android starter checks without Android Studio: resources linked by Debian's aapt against the platform's
 * framework-res.apk; the app compiled with kotlinc against the REAL framework classes of its compileSdk
 * (org.robolectric:android-all) and mesibo's classes as doubles; and, for behaviour, compiled against the
 * doubles in test/doubles/android and run on a plain JVM by Harness.kt. SignatureCheck.java proves those
 * framework doubles match the real jar. (Gradle files: ./android-gradle.ts.)
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { kotlinPackage } from '../../src/render/literals';
import { DOUBLES_DIR } from './starter-common';
import { renderFixture } from './render';

export const FRAMEWORK_RES = '/usr/share/android-framework-res/framework-res.apk';

/** An Android-only project rendered for a test; `cleanups` collects its removal (run it in afterAll). */
export async function androidFixture(cleanups: Array<() => void>, options: { name?: string; users?: string[]; appId?: string } = {}) {
  const appId = options.appId ?? 'com.example.demo';
  const fixture = await renderFixture({ ...options, platforms: [{ id: 'android', appId }] });
  cleanups.push(() => rmSync(fixture.dir, { recursive: true, force: true }));
  return { ...fixture, appId, users: options.users ?? ['123', '456'], android: path.join(fixture.dir, 'android') };
}
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const KOTLIN_HOME = path.join(ROOT, 'node_modules', 'kotlin-compiler');
export const ANDROID_DOUBLES = path.join(DOUBLES_DIR, 'android');

/** BuildConfig.java as the Android Gradle plugin writes it, with the token fields app/build.gradle.kts declares. */
export function buildConfigSource(appId: string, fields: Array<{ name: string; value: string }>): string {
  const lines = fields.map((f) => `  public static final String ${f.name} = ${JSON.stringify(f.value)};`);
  return [
    `package ${appId};`,
    '',
    'public final class BuildConfig {',
    '  public static final boolean DEBUG = Boolean.parseBoolean("true");',
    `  public static final String APPLICATION_ID = ${JSON.stringify(appId)};`,
    '  public static final String BUILD_TYPE = "debug";',
    '  // Field from default config.',
    ...lines,
    '}',
    '',
  ].join('\n');
}

// A UTF-8 locale whatever the caller's: without one, JDK 17 writes the harness's report (hostile names
// included) to stdout as ASCII, and reads paths in the platform charset.
const UTF8 = { LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
const run = (cmd: string, args: string[], cwd?: string) => execa(cmd, args, { cwd, reject: false, all: true, env: UTF8 });

/** aapt package: links the manifest (given the `package=` Gradle would add) and res/ into an APK and R.java. */
export async function linkResources(androidDir: string, appId: string, out: string): Promise<{ ok: boolean; log: string; apk: string; gen: string }> {
  const main = path.join(androidDir, 'app/src/main');
  const manifest = path.join(out, 'AndroidManifest.xml');
  mkdirSync(path.join(out, 'gen'), { recursive: true });
  writeFileSync(manifest, readFileSync(path.join(main, 'AndroidManifest.xml'), 'utf8').replace('<manifest ', `<manifest package="${appId}" `));
  const apk = path.join(out, 'app.apk');
  const gen = path.join(out, 'gen');
  const r = await run('aapt', ['package', '-f', '-m', '-M', manifest, '-S', path.join(main, 'res'), '-I', FRAMEWORK_RES, '-J', gen, '-F', apk]);
  return { ok: r.exitCode === 0, log: r.all ?? '', apk, gen };
}

/** The compiled value of a string resource, read back from the APK with `aapt dump --values resources`. */
export async function compiledString(apk: string, name: string): Promise<string> {
  const r = await run('aapt', ['dump', '--values', 'resources', apk]);
  const lines = (r.stdout ?? '').split('\n');
  const at = lines.findIndex((l) => l.includes(`:string/${name}: t=`));
  const value = /\(string(?:8|16)\) "(.*)"$/.exec(lines[at + 1] ?? '');
  if (at < 0 || !value) throw new Error(`string/${name} not found in ${apk}`);
  return value[1]!.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.join(e.parentPath, e.name));
}

/**
 * Java sources of the doubles: `mesibo` (com/mesibo) or the Android `framework` ones, each with the
 * TestHook mark (testing/) both use. Told apart by the path under `root`, never the absolute one: a checkout
 * can itself sit in a folder named check/ or testing/ (a clone under check/ dropped every double: CI's failure).
 */
export function doubleSources(kind: 'mesibo' | 'framework', root = ANDROID_DOUBLES): string[] {
  const top = (f: string) => path.relative(root, f).split(path.sep);
  const isMesibo = (f: string) => top(f)[0] === 'com' && top(f)[1] === 'mesibo';
  const all = filesUnder(root, '.java').filter((f) => top(f)[0] !== 'check');
  return all.filter((f) => top(f)[0] === 'testing' || (kind === 'mesibo') === isMesibo(f));
}

// --release 17: class files kotlinc (-jvm-target 17) and the harness's JVM read, whichever javac is first on PATH.
const JAVAC = ['--release', '17', '-proc:none', '-Werror', '-Xlint:all,-serial', '-encoding', 'UTF-8'];

/**
 * Compiles the app's Kotlin (warnings as errors) against the real android-all jar, mesibo's doubles and
 * R/BuildConfig, as Gradle would compile it against the compileSdk. javac 17 cannot read android-all's
 * Java 21 class files, so the mesibo doubles compile against the framework doubles' sources (-implicit:none
 * keeps those out of the output) and only kotlinc, which can, sees the real jar.
 */
export async function compileAgainstAndroidAll(androidDir: string, gen: string, buildConfig: string, out: string, androidAll: string): Promise<{ ok: boolean; log: string }> {
  const mesiboOut = path.join(out, 'mesibo-classes');
  const genOut = path.join(out, 'gen-classes');
  const buildConfigFile = path.join(out, 'BuildConfig.java');
  writeFileSync(buildConfigFile, buildConfig);
  const mesibo = await run('javac', [...JAVAC, '-implicit:none', '-sourcepath', ANDROID_DOUBLES, '-d', mesiboOut, ...doubleSources('mesibo')]);
  if (mesibo.exitCode !== 0) return { ok: false, log: `javac (mesibo doubles): ${mesibo.all}` };
  const r = await run('javac', [...JAVAC, '-d', genOut, ...filesUnder(gen, '.java'), buildConfigFile]);
  if (r.exitCode !== 0) return { ok: false, log: `javac (R, BuildConfig): ${r.all}` };
  const kotlinc = await run(path.join(KOTLIN_HOME, 'bin/kotlinc'), [
    '-Werror', '-no-reflect', '-jvm-target', '17', '-cp', [androidAll, mesiboOut, genOut].join(path.delimiter),
    '-d', path.join(out, 'kotlin-classes'), ...filesUnder(path.join(androidDir, 'app/src/main/java'), '.kt'),
  ]);
  return { ok: kotlinc.exitCode === 0, log: `kotlinc: ${kotlinc.all ?? ''}` };
}

/** Runs SignatureCheck.java: every framework double's class, member and constant against the real jar. */
export async function checkFrameworkDoubles(androidAll: string, out: string, root = ANDROID_DOUBLES): Promise<{ ok: boolean; log: string }> {
  const classes = path.join(out, 'framework-doubles');
  const checker = path.join(out, 'checker');
  const javac = await run('javac', [...JAVAC, '-d', classes, ...doubleSources('framework', root)]);
  if (javac.exitCode !== 0) return { ok: false, log: `javac (framework doubles): ${javac.all}` };
  const build = await run('javac', [...JAVAC, '-d', checker, path.join(ANDROID_DOUBLES, 'check/SignatureCheck.java')]);
  if (build.exitCode !== 0) return { ok: false, log: `javac (SignatureCheck): ${build.all}` };
  const check = await run('java', ['-cp', checker, 'SignatureCheck', classes, androidAll]);
  return { ok: check.exitCode === 0, log: check.all ?? '' };
}

export interface HarnessRun {
  ok: boolean;
  log: string;
  report?: Record<string, unknown>;
}

/** One click-through: which "Log in as" button, the text to type, and the API level Build.VERSION reports. */
export interface Scenario {
  login: number;
  typed: string;
  sdkInt?: number;
}

/** Which JDKs ran and what javac wrote: the end of a kotlinc failure's log (CI shows a log's tail), so a machine's difference shows. */
async function toolchain(classes: string): Promise<string> {
  const version = async (cmd: string) => ((await run(cmd, ['-version'])).all ?? '').split('\n')[0];
  return [`java: ${await version('java')}`, `javac: ${await version('javac')}`, `JAVA_HOME=${process.env.JAVA_HOME ?? ''}`,
    `classes written: ${filesUnder(classes, '.class').length}`].join('\n');
}

/**
 * Compiles the doubles, R.java and BuildConfig.java (javac), then the app's Kotlin sources with Harness.kt
 * (one kotlinc call, warnings as errors), then runs the harness once per scenario on the JVM.
 */
export async function compileAndRun(
  androidDir: string,
  appId: string,
  gen: string,
  buildConfig: string,
  out: string,
  scenarios: Scenario[],
): Promise<{ compiled: boolean; log: string; runs: HarnessRun[] }> {
  const javaOut = path.join(out, 'java-classes');
  const ktOut = path.join(out, 'kotlin-classes');
  const src = path.join(out, 'src');
  mkdirSync(javaOut, { recursive: true });
  mkdirSync(src, { recursive: true });
  const buildConfigFile = path.join(src, 'BuildConfig.java');
  writeFileSync(buildConfigFile, buildConfig);
  const harness = path.join(src, 'Harness.kt');
  writeFileSync(harness, readFileSync(path.join(ANDROID_DOUBLES, 'Harness.kt'), 'utf8').replace(/^package __PACKAGE__$/m, `package ${kotlinPackage(appId)}`));
  cpSync(path.join(androidDir, 'app/src/main/res'), path.join(out, 'res'), { recursive: true });

  const javaSources = [...doubleSources('framework'), ...doubleSources('mesibo'), ...filesUnder(gen, '.java'), buildConfigFile];
  const javac = await run('javac', [...JAVAC, '-d', javaOut, ...new Set(javaSources)]);
  if (javac.exitCode !== 0) return { compiled: false, log: `javac: ${javac.all}`, runs: [] };

  const ktSources = [...filesUnder(path.join(androidDir, 'app/src/main/java'), '.kt'), harness];
  const kotlinc = await run(path.join(KOTLIN_HOME, 'bin/kotlinc'), [
    '-Werror', '-no-reflect', '-jvm-target', '17', '-cp', javaOut, '-d', ktOut, ...ktSources,
  ]);
  if (kotlinc.exitCode !== 0) return { compiled: false, log: `kotlinc: ${kotlinc.all}\n${await toolchain(javaOut)}`, runs: [] };

  const classpath = [javaOut, ktOut, path.join(KOTLIN_HOME, 'lib/kotlin-stdlib.jar')].join(path.delimiter);
  const runs: HarnessRun[] = [];
  for (const s of scenarios) {
    const props = [`-Dstub.res=${path.join(out, 'res')}`, `-Dstub.packageName=${appId}`, `-Dstub.sdkInt=${s.sdkInt ?? 36}`];
    const java = await run('java', [...props, '-cp', classpath, `${appId}.HarnessKt`, String(s.login), s.typed]);
    runs.push(java.exitCode === 0
      ? { ok: true, log: java.stderr ?? '', report: JSON.parse(java.stdout ?? '') as Record<string, unknown> }
      : { ok: false, log: `java: ${java.all}` });
  }
  return { compiled: true, log: kotlinc.all ?? '', runs };
}
