/**
 * Reading the Android starter's build configuration as Gradle would, without Gradle: the Kotlin DSL
 * scripts with tree-sitter, `.properties` files as java.util.Properties does, and the version catalog as
 * TOML (the subset a catalog uses, strictly: anything else is an error, so a malformed catalog fails).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Language, Parser, Query, type Node } from 'web-tree-sitter';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
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
  /** `name = "value"` or `name = 36`, keyed by the chain of enclosing blocks: `android.defaultConfig.minSdk`. */
  assignments: Record<string, string>;
  /** Arguments of implementation(...): a coordinate string, or the catalog accessor as written (`libs.mesibo`). */
  implementation: string[];
  /** Plugins applied or declared: `alias(libs.plugins.x)` as `libs.plugins.x`, `id("x")` as `id:x`. */
  plugins: string[];
  /** Every block called, outermost first: `android`, `defaultConfig`, … (a `kotlinOptions { }` would show here). */
  blocks: string[];
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
  const facts: GradleFacts = { hasError: root.hasError, assignments: {}, implementation: [], plugins: [], blocks: [], tokenFields: [] };

  const assignments = new Query(language, '(assignment left: (_) @left right: [(string_literal) (number_literal)] @value)');
  for (const m of assignments.matches(root)) {
    const left = m.captures.find((c) => c.name === 'left')!.node;
    const value = m.captures.find((c) => c.name === 'value')!.node;
    facts.assignments[[...enclosingBlocks(left), left.text].join('.')] = value.type === 'number_literal' ? value.text : kotlinStringValue(value);
  }
  for (const m of new Query(language, '(call_expression (identifier) @block (annotated_lambda))').matches(root)) {
    facts.blocks.push(m.captures[0]!.node.text);
  }
  const calls = new Query(language, '(call_expression (identifier) @fn (value_arguments) @args)');
  for (const m of calls.matches(root)) {
    const fn = m.captures.find((c) => c.name === 'fn')!.node.text;
    const args = m.captures.find((c) => c.name === 'args')!.node.namedChildren.map((a) => a!.firstNamedChild!);
    const value = (a: Node) => (a.type === 'string_literal' ? kotlinStringValue(a) : a.text);
    if (fn === 'implementation' && args[0]) facts.implementation.push(value(args[0]));
    if (fn === 'alias' && args[0]) facts.plugins.push(value(args[0]));
    if (fn === 'id' && args[0]?.type === 'string_literal') facts.plugins.push(`id:${value(args[0])}`);
    if (fn === 'buildConfigField' && args.length === 3) {
      const [type, name, arg] = args as [Node, Node, Node];
      const key = arg.type === 'call_expression' && arg.firstNamedChild?.text === 'mesiboToken'
        ? arg.descendantsOfType('string_literal')[0] : undefined;
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

export type TomlValue = string | number | boolean | TomlTable;
export interface TomlTable { [key: string]: TomlValue }

/**
 * TOML 1.0, the part a Gradle version catalog uses: comments, `[table]` headers, bare and dotted keys,
 * basic strings, integers, booleans and one-line inline tables. Duplicate keys and anything outside that
 * subset throw, naming the line.
 */
export function parseToml(text: string): TomlTable {
  const root: TomlTable = {};
  const headers = new Set<string>();
  let table = root;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const fail = (why: string): never => { throw new Error(`TOML line ${index + 1}: ${why}: ${raw}`); };
    const s = { text: raw, at: 0 };
    const space = () => { while (s.text[s.at] === ' ' || s.text[s.at] === '\t') s.at++; };
    const key = (): string[] => {
      const parts: string[] = [];
      do {
        space();
        const bare = /^[A-Za-z0-9_-]+/.exec(s.text.slice(s.at));
        if (!bare) fail('expected a key');
        parts.push(bare![0]);
        s.at += bare![0].length;
        space();
      } while (s.text[s.at] === '.' && ++s.at);
      return parts;
    };
    const set = (target: TomlTable, path: string[], value: TomlValue) => {
      let t = target;
      for (const part of path.slice(0, -1)) {
        const next = t[part] ?? (t[part] = {});
        if (typeof next !== 'object') fail(`${part} is not a table`);
        t = next as TomlTable;
      }
      if (path.at(-1)! in t) fail(`duplicate key ${path.join('.')}`);
      t[path.at(-1)!] = value;
    };
    const value = (): TomlValue => {
      space();
      const rest = s.text.slice(s.at);
      const str = /^"((?:[^"\\\u0000-\u001f]|\\["\\btnfr]|\\u[0-9A-Fa-f]{4})*)"/.exec(rest);
      if (str) {
        s.at += str[0].length;
        return str[1]!.replace(/\\(u[0-9A-Fa-f]{4}|.)/g, (_, e: string) =>
          e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' }[e] ?? e));
      }
      const scalar = /^(true|false|[+-]?(?:0|[1-9][0-9]*))(?=[\s,}#]|$)/.exec(rest);
      if (scalar) {
        s.at += scalar[0].length;
        return scalar[1] === 'true' ? true : scalar[1] === 'false' ? false : Number(scalar[1]);
      }
      if (rest.startsWith('{')) {
        s.at++;
        const inline: TomlTable = {};
        space();
        if (s.text[s.at] === '}') { s.at++; return inline; }
        for (;;) {
          const k = key();
          if (s.text[s.at++] !== '=') fail('expected = in an inline table');
          set(inline, k, value());
          space();
          const c = s.text[s.at++];
          if (c === '}') return inline;
          if (c !== ',') fail('expected , or } in an inline table');
        }
      }
      return fail('unsupported value');
    };
    space();
    if (s.at === raw.length || raw[s.at] === '#') return;
    if (raw[s.at] === '[') {
      s.at++;
      const path = key();
      if (s.text[s.at++] !== ']') fail('expected ]');
      if (headers.has(path.join('.'))) fail(`table [${path.join('.')}] defined twice`);
      headers.add(path.join('.'));
      table = root;
      for (const part of path) {
        if (part in table && typeof table[part] !== 'object') fail(`${part} is not a table`);
        table = (table[part] ??= {}) as TomlTable;
      }
    } else {
      const k = key();
      if (s.text[s.at++] !== '=') fail('expected =');
      set(table, k, value());
    }
    space();
    if (s.at < raw.length && raw[s.at] !== '#') fail('unexpected text after the value');
  });
  return root;
}
