/**
 * The application id an Android build really uses, read from app/build.gradle.kts (or a Groovy
 * app/build.gradle) without running Gradle: `applicationId` in `defaultConfig`, a plain string or a
 * `libs.versions.<alias>.get()` from the version catalog, else AGP's fallback, `namespace`. Product
 * flavors' own `applicationId` and build types' `applicationIdSuffix` make other variants, reported
 * as such. An expression this reader does not evaluate is said to be unknown, never guessed.
 */

export interface AppIdValue {
  readonly appId: string;
  /** Project-relative file, and the variant when it is not the default one. */
  readonly where: string;
}

export interface GradleAppIds {
  /** defaultConfig's appid (what every variant starts from), when it is a value this reader knows. */
  readonly primary?: AppIdValue;
  /** Flavors and build types that build with another appid. */
  readonly variants: readonly AppIdValue[];
  readonly unknown?: string;
}

/** `rel`: the build file's project-relative path; `catalog`: the [versions] of gradle/libs.versions.toml. */
export function gradleAppIds(text: string, rel: string, catalog: ReadonlyMap<string, string> | undefined): GradleAppIds {
  const code = withoutComments(text);
  let primary: AppIdValue | undefined;
  let unknown: string | undefined;
  const flavors: AppIdValue[] = [];
  const suffixes: Array<{ suffix: string; block: string }> = [];

  for (const m of code.matchAll(/\bapplicationId(Suffix)?\b\s*(?:=|(?=["'(]))\s*\(?\s*(.*)/g)) {
    const blocks = enclosingBlocks(code, m.index);
    const block = blocks[blocks.length - 1] ?? '';
    const value = stringValue(m[2]!, catalog);
    if (m[1]) {
      if (value.value !== undefined) suffixes.push({ suffix: value.value, block });
      else unknown ??= `the applicationIdSuffix of ${block} in ${rel} ${value.why}`;
    } else if (blocks.includes('defaultConfig')) {
      if (value.value !== undefined) primary = { appId: value.value, where: rel };
      else unknown = `applicationId in ${rel} ${value.why}`;
    } else if (value.value !== undefined) flavors.push({ appId: value.value, where: `${rel} (${block})` });
  }
  if (!primary && unknown === undefined) {
    // AGP builds with the namespace when no applicationId is set.
    const ns = /\bnamespace\b\s*=?\s*(.*)/.exec(code);
    const value = ns ? stringValue(ns[1]!, catalog) : { why: 'is not set' };
    if (value.value !== undefined) primary = { appId: value.value, where: `${rel} (namespace; no applicationId is set)` };
    else unknown = `${rel} sets no applicationId, and its namespace ${value.why}`;
  }
  const variants = [...flavors, ...suffixes.filter(() => primary).map((s) => ({ appId: primary!.appId + s.suffix, where: `${rel} (${s.block})` }))];
  return { primary, variants, unknown };
}

/** A string literal at the start of `rest`, or a catalog reference; else why it is not one. */
function stringValue(rest: string, catalog: ReadonlyMap<string, string> | undefined): { value?: string; why: string } {
  const kotlin = /^"((?:[^"\\\n]|\\.)*)"/.exec(rest);
  if (kotlin) {
    if (/(^|[^\\])\$[{A-Za-z_]/.test(kotlin[1]!)) return { why: 'is a string template, which doctor does not evaluate' };
    return { value: unescapeKotlin(kotlin[1]!), why: '' };
  }
  const groovy = /^'((?:[^'\\\n]|\\.)*)'/.exec(rest);
  if (groovy) return { value: unescapeKotlin(groovy[1]!), why: '' };
  const ref = /^libs\.versions\.([A-Za-z0-9_.]+?)\.get\(\)/.exec(rest);
  if (ref) {
    const value = catalog?.get(normalAlias(ref[1]!));
    return value === undefined ? { why: `refers to libs.versions.${ref[1]}, which gradle/libs.versions.toml does not define` } : { value, why: '' };
  }
  return { why: 'is an expression, which doctor does not evaluate' };
}

function unescapeKotlin(text: string): string {
  return text.replace(/\\(u[0-9A-Fa-f]{4}|.)/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ n: '\n', t: '\t', r: '\r', b: '\b' }[e] ?? e),
  );
}

/** Gradle's accessor for an alias: `-`, `_` and `.` all separate its parts. */
function normalAlias(alias: string): string {
  return alias.replace(/[-_.]/g, '.');
}

/** The [versions] table of a version catalog: alias -> version, for plain string entries. */
export function catalogVersions(toml: string): Map<string, string> {
  const versions = new Map<string, string>();
  let inVersions = false;
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.trim();
    const table = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (table) {
      inVersions = table[1] === 'versions';
      continue;
    }
    if (!inVersions) continue;
    const m = /^([A-Za-z0-9_.-]+|"[^"\n]*")\s*=\s*("(?:[^"\\\n]|\\.)*"|'[^'\n]*')\s*(#.*)?$/.exec(line);
    if (!m) continue;
    const value = m[2]!.startsWith("'") ? m[2]!.slice(1, -1) : unescapeKotlin(m[2]!.slice(1, -1));
    versions.set(normalAlias(m[1]!.replace(/^"|"$/g, '')), value);
  }
  return versions;
}

/** The source with // and /* comments blanked (kept the same length), string literals left alone. */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const triple = text.startsWith('"""', i);
      const end = triple ? text.indexOf('"""', i + 3) : stringEnd(text, i);
      const stop = end < 0 ? text.length : end + (triple ? 3 : 1);
      out += text.slice(i, stop);
      i = stop;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
    else if (text[i] === '\n') return i - 1;
  }
  return -1;
}

/**
 * The names of the blocks around `index`, outermost first: `android { defaultConfig {` gives
 * [android, defaultConfig]; `getByName("debug") {` and `create("free") {` are named by their argument.
 */
function enclosingBlocks(code: string, index: number): string[] {
  const stack: string[] = [];
  let inString: string | undefined;
  for (let i = 0; i < index; i++) {
    const ch = code[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString || ch === '\n') inString = undefined;
    } else if (ch === '"' || ch === "'") inString = ch;
    else if (ch === '{') {
      const before = code.slice(Math.max(0, i - 200), i);
      const m = /(?:([A-Za-z_]\w*)\s*\(\s*["']([^"'\n]*)["']\s*\)|([A-Za-z_]\w*)(?:\s*\([^()]*\))?)\s*$/.exec(before);
      stack.push(m?.[2] ?? m?.[3] ?? '');
    } else if (ch === '}') stack.pop();
  }
  return stack;
}
