/**
 * iOS starter checks without Xcode: Swift parsed with tree-sitter, xcconfig and Info.plist values evaluated
 * the way Xcode's build system does (a port of swift-build's MacroConfigFileParser and macro expression
 * parser, string semantics), and the Podfile run through a Ruby stand-in for CocoaPods' DSL.
 */
import path from 'node:path';
import { execa } from 'execa';
import { Language, Parser, Query, type Node } from 'web-tree-sitter';

const IOS_DOUBLES = path.resolve(import.meta.dirname, '../doubles/ios');
const SWIFT_WASM = path.resolve(import.meta.dirname, '../../node_modules/@cursorless/tree-sitter-wasms/out/tree-sitter-swift.wasm');

let swift: Promise<Language> | undefined;
function swiftLanguage(): Promise<Language> {
  swift ??= Parser.init().then(() => Language.load(SWIFT_WASM));
  return swift;
}

/** Parses Swift source and hands the tree's root to `use` (the tree is freed afterwards). */
export async function parseSwiftTree<T>(source: string, use: (root: Node, language: Language) => T): Promise<T> {
  const language = await swiftLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  const tree = parser.parse(source)!;
  try {
    return use(tree.rootNode, language);
  } finally {
    tree.delete();
    parser.delete();
  }
}

/**
 * The grammar predates Swift macros and reads `#Preview { … }` as an error. A `#Preview` that opens a line
 * (a top-level declaration, where Xcode's template puts it) is read as the call `Preview { … }` instead: the
 * same characters but the `#`, so its trailing closure, the preview's body, is parsed like any other code.
 * A `#Preview` anywhere else stays, and shows up as a parse problem.
 */
function previewsAsCalls(source: string): { source: string; rows: number[] } {
  const rows: number[] = [];
  const rewritten = source.replace(/^#Preview\b/gm, (_m, offset: number) => {
    rows.push(source.slice(0, offset).split('\n').length - 1);
    return ' Preview';
  });
  return { source: rewritten, rows };
}

export interface SwiftPreview {
  /** The preview's name: `#Preview("name") { … }`, or null. */
  title: string | null;
  /** Functions and initialisers called in the preview's body, e.g. `ContentView()`. */
  calls: string[];
}

export interface SwiftFacts {
  /** ERROR and MISSING nodes, as "type line:column text". */
  problems: string[];
  /** String arguments of calls, by callee and label: `DemoUser.address` -> values in order (null: interpolated). */
  stringArguments: Map<string, Array<string | null>>;
  /** The file's top-level `#Preview { … }` declarations. */
  previews: SwiftPreview[];
}

export async function readSwift(source: string): Promise<SwiftFacts> {
  const { source: text, rows } = previewsAsCalls(source);
  return parseSwiftTree(text, (root, language) => {
    const problems: string[] = [];
    const walk = (node: Node) => {
      if (node.isError || node.isMissing) problems.push(`${node.type} ${node.startPosition.row + 1}:${node.startPosition.column} ${node.text.slice(0, 40)}`);
      for (const child of node.children) if (child) walk(child);
    };
    walk(root);
    const stringArguments = new Map<string, Array<string | null>>();
    const query = new Query(language, '(call_expression (simple_identifier) @callee (call_suffix (value_arguments (value_argument name: (value_argument_label) @label value: (line_string_literal) @value))))');
    for (const m of query.matches(root)) {
      const get = (name: string) => m.captures.find((c) => c.name === name)!.node;
      const key = `${get('callee').text}.${get('label').text}`;
      stringArguments.set(key, [...(stringArguments.get(key) ?? []), swiftStringValue(get('value'))]);
    }
    const previews = rows.map((row) => preview(root, row, problems));
    return { problems, stringArguments, previews };
  });
}

/** The `Preview { … }` call a `#Preview` became: a top-level statement whose trailing closure is its body. */
function preview(root: Node, row: number, problems: string[]): SwiftPreview {
  const call = root.namedChildren.find((c) => c?.startPosition.row === row && c.startPosition.column === 1);
  const suffix = call?.type === 'call_expression' && call.namedChild(0)?.text === 'Preview' ? call.namedChild(1) : undefined;
  const body = suffix?.namedChildren.find((c) => c?.type === 'lambda_literal');
  if (!call || !suffix || !body || suffix.lastNamedChild?.id !== body.id) {
    problems.push(`#Preview on line ${row + 1} is not \`#Preview { … }\` at the top level`);
    return { title: null, calls: [] };
  }
  const args = suffix.namedChildren.find((c) => c?.type === 'value_arguments')?.namedChildren ?? [];
  const title = args.length === 1 && args[0]!.namedChild(0)?.type === 'line_string_literal' ? swiftStringValue(args[0]!.namedChild(0)!) : null;
  if (args.length > 1 || (args.length === 1 && title === null)) problems.push(`#Preview on line ${row + 1} takes one plain string as its name`);
  const calls = body.descendantsOfType('call_expression').map((c) => `${c!.namedChild(0)!.text}()`);
  return { title, calls };
}

export interface SwiftOutline {
  /** Declared functions as Swift names them: `getProfile(_:groupid:)`, with the declaring type (or ""). */
  functions: Array<{ owner: string; signature: string }>;
  /** Calls `x.name(label: …)` / `name(…)` in evaluation order, as `name(label:_:)` (a trailing closure adds nothing). */
  calls: Array<{ signature: string; inFunction: string }>;
  /** Declared types and properties. */
  names: Set<string>;
  /** Every identifier and type name that occurs. */
  identifiers: Set<string>;
}

function signatureOf(name: string, labels: string[]): string {
  return `${name}(${labels.map((l) => `${l}:`).join('')})`;
}

/** The declarations and calls of a Swift file, by name and argument labels (the parts Objective-C interop matches on). */
export async function outlineSwift(source: string): Promise<SwiftOutline> {
  return parseSwiftTree(previewsAsCalls(source).source, (root) => {
    const outline: SwiftOutline = { functions: [], calls: [], names: new Set(), identifiers: new Set() };
    const walk = (node: Node, owner: string, inFunction: string) => {
      if (node.type === 'simple_identifier' || node.type === 'type_identifier') outline.identifiers.add(node.text);
      if (node.type === 'class_declaration' || node.type === 'protocol_declaration') {
        owner = node.childForFieldName('name')!.text;
        outline.names.add(owner);
      }
      if (node.type === 'property_declaration') {
        for (const bound of node.descendantsOfType('pattern')) {
          const id = bound?.childForFieldName('bound_identifier');
          if (id) outline.names.add(id.text);
        }
      }
      if (node.type === 'function_declaration' || node.type === 'protocol_function_declaration') {
        const labels = node.namedChildren
          .filter((c) => c?.type === 'parameter')
          .map((p) => (p!.childForFieldName('external_name') ?? p!.childForFieldName('name')!).text);
        const signature = signatureOf(node.childForFieldName('name')!.text, labels);
        outline.functions.push({ owner, signature });
        inFunction = signature;
      }
      for (const child of node.namedChildren) if (child) walk(child, owner, inFunction);
      // After its children: `a.b().c()` lists b before c, the order Swift evaluates them in.
      if (node.type === 'call_expression') {
        const callee = node.namedChild(0)!;
        const name = callee.type === 'navigation_expression' ? callee.lastNamedChild?.lastNamedChild?.text : callee.type === 'simple_identifier' ? callee.text : undefined;
        const args = node.namedChild(1)?.namedChildren.find((c) => c?.type === 'value_arguments');
        if (name) {
          const labels = (args?.namedChildren ?? []).map((a) => a?.childForFieldName('name')?.text ?? '_');
          outline.calls.push({ signature: signatureOf(name, labels), inFunction });
        }
      }
    };
    walk(root, '', '');
    return outline;
  });
}

/** A Swift string literal's value, or null when it interpolates. */
function swiftStringValue(node: Node): string | null {
  let out = '';
  for (const part of node.namedChildren) {
    if (part?.type === 'line_str_text') out += part.text;
    else if (part?.type === 'str_escaped_char') out += unescapeSwift(part.text);
    else return null;
  }
  return out;
}

function unescapeSwift(escape: string): string {
  const unicode = /^\\u\{([0-9a-fA-F]+)\}$/.exec(escape);
  if (unicode) return String.fromCodePoint(parseInt(unicode[1]!, 16));
  return { n: '\n', t: '\t', r: '\r', '0': '\0' }[escape[1]!] ?? escape[1]!;
}

/** The assignments of an xcconfig file as Xcode reads them (value text before macro expansion). */
export function parseXcconfig(text: string): { settings: Map<string, string>; includes: string[] } {
  const settings = new Map<string, string>();
  const includes: string[] = [];
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/^[ \t\v\f]+/, '');
    if (line === '' || line.startsWith('//')) continue;
    const include = /^#\s*include\??\s*"([^"]*)"\s*(\/\/.*)?$/.exec(line);
    if (include) {
      includes.push(include[1]!);
      continue;
    }
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!assignment) throw new Error(`not an xcconfig line: ${line}`);
    const chunks: string[] = [];
    let rest = assignment[2]!;
    for (;;) {
      const chunk = valueChunk(rest);
      if (chunk === undefined) break;
      if (!chunk.endsWith('\\')) {
        chunks.push(chunk);
        break;
      }
      const trimmed = chunk.slice(0, -1).trim();
      if (trimmed !== '') chunks.push(trimmed);
      rest = lines[++n] ?? '';
    }
    settings.set(assignment[1]!, chunks.join(' '));
  }
  return { settings, includes };
}

/** One line's right-hand side: leading space skipped, cut at `//`, trailing space and one `;` trimmed. */
function valueChunk(text: string): string | undefined {
  const start = text.replace(/^[ \t\v\f]+/, '');
  if (start === '' || start.startsWith('//')) return undefined;
  const comment = start.indexOf('//');
  let value = (comment < 0 ? start : start.slice(0, comment)).replace(/[ \t\v\f]+$/, '');
  if (value.endsWith(';')) value = value.slice(0, -1).replace(/[ \t\v\f]+$/, '');
  return value;
}

/**
 * Expands build setting references in a value with string semantics: `$(NAME)`, `${NAME}`, `$NAME`, and
 * `$$` for a literal `$`. References resolve in `settings` (recursively), unknown ones to "".
 */
export function expandBuildSettings(value: string, settings: Map<string, string>, depth = 0): string {
  if (depth > 20) throw new Error('build setting reference cycle');
  let out = '';
  let i = 0;
  const lookup = (name: string) => (name === '' ? '' : expandBuildSettings(settings.get(name) ?? '', settings, depth + 1));
  while (i < value.length) {
    const ch = value[i]!;
    if (ch !== '$') {
      out += ch;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '(' || next === '{') {
      const close = next === '(' ? ')' : '}';
      const end = value.indexOf(close, i + 2);
      if (end < 0) throw new Error(`unterminated reference in ${value}`);
      const inner = value.slice(i + 2, end);
      if (inner.includes('$') || inner.includes(':')) throw new Error(`nested or operator references are not modelled: ${value}`);
      out += lookup(inner);
      i = end + 1;
    } else if (next !== undefined && /[A-Za-z_]/.test(next)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(i + 1))![0];
      out += lookup(name);
      i += 1 + name.length;
    } else {
      out += '$';
      i += next === '$' ? 2 : 1;
    }
  }
  return out;
}

/** Runs the Podfile through test/doubles/ios/podfile_shim.rb. */
export async function readPodfile(file: string): Promise<{ syntaxOk: boolean; log: string; record?: { platform: [string, string]; targets: Record<string, string[][]>; use_frameworks: boolean } }> {
  const check = await execa('ruby', ['-c', file], { reject: false, all: true });
  if (check.exitCode !== 0) return { syntaxOk: false, log: check.all ?? '' };
  const run = await execa('ruby', [path.join(IOS_DOUBLES, 'podfile_shim.rb'), file], { reject: false, all: true });
  if (run.exitCode !== 0) return { syntaxOk: true, log: run.all ?? '' };
  return { syntaxOk: true, log: '', record: JSON.parse(run.stdout ?? '') };
}
