/**
 * The application id an Android build really uses, read from app/build.gradle.kts (or a Groovy
 * app/build.gradle) without running Gradle: `applicationId` in `defaultConfig`, a plain string or a
 * `libs.versions.<alias>.get()` from the version catalog, else AGP's fallback, `namespace`. Product
 * flavors' own `applicationId` and build types' `applicationIdSuffix` make other variants, reported
 * as such. An expression this reader does not evaluate is said to be unknown, never guessed.
 *
 * The file is the project's, so anyone's, and refresh reads it too: every pass here is linear in its
 * length (one walk for the blocks around all the applicationIds, regular expressions only where they
 * cannot backtrack), so a megabyte of build file costs milliseconds, whatever it holds.
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

  const matches = [...code.matchAll(/\bapplicationId(Suffix)?\b\s*(?:=|(?=["'(]))\s*\(?\s*(.*)/g)];
  const around = blocksAt(code, matches.map((m) => m.index));
  for (const [n, m] of matches.entries()) {
    const { block, inDefaultConfig } = around[n]!;
    const value = stringValue(m[2]!, catalog);
    if (m[1]) {
      if (value.value !== undefined) suffixes.push({ suffix: value.value, block });
      else unknown ??= `the applicationIdSuffix of ${block} in ${rel} ${value.why}`;
    } else if (inDefaultConfig) {
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
    // A table header, `[versions]` (read with indexOf: a regular expression here backtracked cubically).
    const close = line.startsWith('[') ? line.indexOf(']') : -1;
    if (close > 1 && line.slice(1, close).trim() !== '') {
      inVersions = line.slice(1, close).trim() === 'versions';
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
  // Copied in runs between comments: one slice per run, not one string per character.
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const triple = text.startsWith('"""', i);
      const end = triple ? text.indexOf('"""', i + 3) : stringEnd(text, i);
      i = end < 0 ? text.length : end + (triple ? 3 : 1);
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      parts.push(text.slice(copied, i), ' '.repeat(stop - i));
      copied = i = stop;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      parts.push(text.slice(copied, i), text.slice(i, stop).replace(/[^\n]/g, ' '));
      copied = i = stop;
    } else i++;
  }
  parts.push(text.slice(copied));
  return parts.join('');
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
 * For each of `indices` (ascending), the block around it, named as `android { defaultConfig {` names
 * defaultConfig and `getByName("debug") {` or `create("free") {` name debug and free, and whether a
 * defaultConfig block encloses it. One walk over `code`, whatever the number of indices.
 */
function blocksAt(code: string, indices: readonly number[]): Array<{ block: string; inDefaultConfig: boolean }> {
  const found: Array<{ block: string; inDefaultConfig: boolean }> = [];
  const stack: string[] = [];
  let defaultConfigs = 0;
  let inString: string | undefined;
  // A block's header lies between the previous brace and its own "{" (and within 200 characters of it).
  let headerStart = 0;
  let next = 0;
  for (let i = 0; next < indices.length && i <= code.length; i++) {
    while (next < indices.length && indices[next] === i) {
      found.push({ block: stack[stack.length - 1] ?? '', inDefaultConfig: defaultConfigs > 0 });
      next++;
    }
    const ch = code[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString || ch === '\n') inString = undefined;
    } else if (ch === '"' || ch === "'") inString = ch;
    else if (ch === '{') {
      const name = blockName(code, Math.max(headerStart, i - 200), i);
      stack.push(name);
      if (name === 'defaultConfig') defaultConfigs++;
      headerStart = i + 1;
    } else if (ch === '}') {
      if (stack.pop() === 'defaultConfig') defaultConfigs--;
      headerStart = i + 1;
    }
  }
  return found;
}

const WORD = /\w/;
const SPACE = /\s/;

/** The name of the block whose "{" is at `end`, from its header in code[lo, end): `name`, `name(…)` or `name("arg")` (arg). */
function blockName(code: string, lo: number, end: number): string {
  let j = end - 1;
  while (j >= lo && SPACE.test(code[j]!)) j--;
  if (j < lo) return '';
  if (code[j] !== ')') return identifierEndingAt(code, lo, j) ?? '';
  let open = j - 1;
  while (open >= lo && code[open] !== '(' && code[open] !== ')') open--;
  if (open < lo || code[open] !== '(') return '';
  let k = open - 1;
  while (k >= lo && SPACE.test(code[k]!)) k--;
  const name = k >= lo ? identifierEndingAt(code, lo, k) : undefined;
  if (name === undefined) return '';
  const arg = /^\s*["']([^"'\n]*)["']\s*$/.exec(code.slice(open + 1, j));
  return arg ? arg[1]! : name;
}

/** The identifier ([A-Za-z_]\w*) that ends at `last`, starting no earlier than `lo`. */
function identifierEndingAt(code: string, lo: number, last: number): string | undefined {
  let start = last;
  while (start - 1 >= lo && WORD.test(code[start - 1]!)) start--;
  if (!WORD.test(code[last]!)) return undefined;
  while (start <= last && /[0-9]/.test(code[start]!)) start++;
  return start <= last ? code.slice(start, last + 1) : undefined;
}
