/**
 * Android starter checks without Android Studio: Gradle Kotlin DSL read with tree-sitter, resources linked
 * by Debian's aapt against the platform's framework-res.apk, and the app compiled with kotlinc against the
 * doubles in test/doubles/android and then run on a plain JVM by Harness.kt.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { Language, Parser, Query, type Node } from 'web-tree-sitter';
import { kotlinPackage } from '../../src/render/literals';
import { DOUBLES_DIR } from './starter-common';

export const FRAMEWORK_RES = '/usr/share/android-framework-res/framework-res.apk';
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const KOTLIN_HOME = path.join(ROOT, 'node_modules', 'kotlin-compiler');
const KOTLIN_WASM = path.join(ROOT, 'node_modules/@tree-sitter-grammars/tree-sitter-kotlin/tree-sitter-kotlin.wasm');

let kotlin: Promise<Language> | undefined;
async function kotlinLanguage(): Promise<Language> {
  kotlin ??= Parser.init().then(() => Language.load(KOTLIN_WASM));
  return kotlin;
}

/** A Kotlin string literal node's value; interpolation (a value computed at build time) is refused. */
export function kotlinStringValue(node: Node): string {
  let out = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'string_content') out += part.text;
    else if (part.type === 'escape_sequence') out += unescapeKotlin(part.text);
    else throw new Error(`string literal ${node.text} is not constant (${part.type})`);
  }
  return out;
}

function unescapeKotlin(escape: string): string {
  if (escape.startsWith('\\u')) return String.fromCharCode(parseInt(escape.slice(2), 16));
  const simple: Record<string, string> = { t: '\t', b: '\b', n: '\n', r: '\r' };
  return simple[escape[1]!] ?? escape[1]!;
}

export interface GradleFacts {
  hasError: boolean;
  /** `name = "value"` assignments, keyed by the chain of enclosing blocks: `android.defaultConfig.applicationId`. */
  assignments: Record<string, string>;
  /** Coordinates passed to implementation(...). */
  implementation: string[];
  /** buildConfigField("String", NAME, mesiboToken(KEY)) calls. */
  tokenFields: Array<{ type: string; name: string; key: string }>;
}

function enclosingBlocks(node: Node): string[] {
  const names: string[] = [];
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'call_expression' && n.firstNamedChild?.type === 'identifier' && n.namedChildren.some((c) => c?.type === 'annotated_lambda')) {
      names.unshift(n.firstNamedChild.text);
    }
  }
  return names;
}

export async function readGradleKts(file: string): Promise<GradleFacts> {
  const language = await kotlinLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(readFileSync(file, 'utf8'))!;
  const root = tree.rootNode;
  const facts: GradleFacts = { hasError: root.hasError, assignments: {}, implementation: [], tokenFields: [] };

  const assignments = new Query(language, '(assignment left: (_) @left right: (string_literal) @value)');
  for (const m of assignments.matches(root)) {
    const left = m.captures.find((c) => c.name === 'left')!.node;
    const value = m.captures.find((c) => c.name === 'value')!.node;
    facts.assignments[[...enclosingBlocks(left), left.text].join('.')] = kotlinStringValue(value);
  }
  const calls = new Query(language, '(call_expression (identifier) @fn (value_arguments) @args)');
  for (const m of calls.matches(root)) {
    const fn = m.captures.find((c) => c.name === 'fn')!.node.text;
    const args = m.captures.find((c) => c.name === 'args')!.node.namedChildren.map((a) => a!.firstNamedChild!);
    if (fn === 'implementation' && args[0]?.type === 'string_literal') facts.implementation.push(kotlinStringValue(args[0]));
    if (fn === 'buildConfigField' && args.length === 3) {
      const [type, name, value] = args as [Node, Node, Node];
      const key = value.type === 'call_expression' && value.firstNamedChild?.text === 'mesiboToken'
        ? value.descendantsOfType('string_literal')[0] : undefined;
      if (!key) throw new Error(`buildConfigField ${name.text} is not read with mesiboToken(key)`);
      facts.tokenFields.push({ type: kotlinStringValue(type), name: kotlinStringValue(name), key: kotlinStringValue(key) });
    }
  }
  tree.delete();
  parser.delete();
  return facts;
}

/** java.util.Properties.load for one file: comments, line continuations, `=`/`:`/space separators, escapes. */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue; // comments never continue
    // An odd number of trailing backslashes joins the next line, minus its leading whitespace.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && n + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++n]!.replace(/^[ \t\f]+/, '');
    }
    let i = 0;
    while (i < line.length && !'=: \t\f'.includes(line[i]!)) i += line[i] === '\\' ? 2 : 1;
    let rest = line.slice(i).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    result.set(unescapeProperties(line.slice(0, i)), unescapeProperties(rest));
  }
  return result;
}

function unescapeProperties(value: string): string {
  return value.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ t: '\t', n: '\n', r: '\r', f: '\f' }[e] ?? e),
  );
}

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

const run = (cmd: string, args: string[], cwd?: string) => execa(cmd, args, { cwd, reject: false, all: true });

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

export interface HarnessRun {
  ok: boolean;
  log: string;
  report?: Record<string, unknown>;
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
  scenarios: Array<[loginAs: 'first' | 'second', typed: string, incomingFrom: string]>,
): Promise<{ compiled: boolean; log: string; runs: HarnessRun[] }> {
  const javaOut = path.join(out, 'java-classes');
  const ktOut = path.join(out, 'kotlin-classes');
  const src = path.join(out, 'src');
  mkdirSync(javaOut, { recursive: true });
  mkdirSync(src, { recursive: true });
  const buildConfigFile = path.join(src, 'BuildConfig.java');
  writeFileSync(buildConfigFile, buildConfig);
  const harness = path.join(src, 'Harness.kt');
  writeFileSync(harness, readFileSync(path.join(DOUBLES_DIR, 'android/Harness.kt'), 'utf8').replace(/^package __PACKAGE__$/m, `package ${kotlinPackage(appId)}`));
  cpSync(path.join(androidDir, 'app/src/main/res'), path.join(out, 'res'), { recursive: true });

  const javaSources = [...filesUnder(path.join(DOUBLES_DIR, 'android'), '.java'), ...filesUnder(gen, '.java'), buildConfigFile];
  const javac = await run('javac', ['-proc:none', '-Werror', '-Xlint:all,-serial', '-encoding', 'UTF-8', '-d', javaOut, ...javaSources]);
  if (javac.exitCode !== 0) return { compiled: false, log: `javac: ${javac.all}`, runs: [] };

  const ktSources = [...filesUnder(path.join(androidDir, 'app/src/main/java'), '.kt'), harness];
  const kotlinc = await run(path.join(KOTLIN_HOME, 'bin/kotlinc'), [
    '-Werror', '-no-reflect', '-jvm-target', '17', '-cp', javaOut, '-d', ktOut, ...ktSources,
  ]);
  if (kotlinc.exitCode !== 0) return { compiled: false, log: `kotlinc: ${kotlinc.all}`, runs: [] };

  const classpath = [javaOut, ktOut, path.join(KOTLIN_HOME, 'lib/kotlin-stdlib.jar')].join(path.delimiter);
  const mainClass = `${appId}.HarnessKt`;
  const runs: HarnessRun[] = [];
  for (const args of scenarios) {
    const java = await run('java', [`-Dstub.res=${path.join(out, 'res')}`, `-Dstub.packageName=${appId}`, '-cp', classpath, mainClass, ...args]);
    runs.push(java.exitCode === 0
      ? { ok: true, log: java.stderr ?? '', report: JSON.parse(java.stdout ?? '') as Record<string, unknown> }
      : { ok: false, log: `java: ${java.all}` });
  }
  return { compiled: true, log: kotlinc.all ?? '', runs };
}
