/**
 * What Swift sees of an Objective-C header, for the subset of Clang's importer mesibo's `Mesibo.h` needs,
 * and the same view of a Swift file of declarations (the test double), so the two compare as strings:
 *   `class Mesibo: NSObject`, `protocol MesiboDelegate: NSObjectProtocol`,
 *   `class func Mesibo.getInstance() -> Mesibo`, `func Mesibo.getProfile(_: String?, groupid: UInt32) -> MesiboProfile`,
 *   `optional func MesiboDelegate.Mesibo_onConnectionStatus(status: Int)`, `var MesiboMessage.message: String?`,
 *   `let MESIBO_STATUS_ONLINE: Int32 = 1`.
 * Import rules modelled: NS_SWIFT_NAME; otherwise the first selector piece is the base name, its argument is
 * unlabelled and each later piece labels its argument (no "omit needless words" pruning: none applies to
 * the names the starter uses, and mesibo's own Swift sample calls them with exactly these labels); C scalar
 * types to their Swift types; object pointers to `T` (nonnull), `T?` (nullable) or `T!` (unannotated, the
 * header has no NS_ASSUME_NONNULL region); integer macros to Int32 constants; `@optional` to optional
 * requirements. The reader is instructed by the header only; it never stores it.
 */
import { execaSync } from 'execa';
import type { Node } from 'web-tree-sitter';
import { parseSwiftTree } from './ios';
import { MIRROR_ROOTS, mesiboMirror } from './mesibo-mirrors';

/**
 * A file of one of mesibo's public repositories, read at test time from its mirror (see mesibo-mirrors.ts):
 * skipped with the reason where no mirror exists. Nothing of it is stored in this project.
 */
export function mesiboMirrorFile(repo: string, rev: string, file: string): { text?: string; skip: boolean; reason: string } {
  const gitDir = mesiboMirror(repo);
  let reason = `(mesibo/${repo} mirror not found in ${MIRROR_ROOTS.join(', ')})`;
  if (gitDir) {
    try {
      return { text: execaSync('git', ['--git-dir', gitDir, 'show', `${rev}:${file}`], { stripFinalNewline: false }).stdout, skip: false, reason: '' };
    } catch (error) {
      reason = `(mesibo/${repo} ${rev}:${file} could not be read: ${(error as Error).message.split('\n')[0]})`;
      // A mirror that exists but lacks the cited commit is a stale citation: fail, don't skip.
      throw new Error(reason);
    }
  }
  return { skip: true, reason };
}

const SCALARS: Record<string, string> = {
  BOOL: 'Bool', int: 'Int32', NSInteger: 'Int', NSUInteger: 'UInt', uint32_t: 'UInt32', uint64_t: 'UInt64',
  int64_t: 'Int64', double: 'Double', float: 'Float', void: 'Void',
};
const OBJECTS: Record<string, string> = { NSString: 'String', NSData: 'Data', NSNumber: 'NSNumber', id: 'Any' };

/** An Objective-C type as Swift imports it, or undefined when outside the modelled subset (blocks, generics). */
function swiftType(objc: string): string | undefined {
  let text = objc.replace(/\b__kindof\b/g, '').trim();
  let nullability: '' | '?' | '!' = '!';
  if (/\b(_Nonnull|nonnull)\b/.test(text)) nullability = '';
  if (/\b(_Nullable|nullable)\b/.test(text)) nullability = '?';
  text = text.replace(/\b(_Nonnull|nonnull|_Nullable|nullable|const)\b/g, '').replace(/\s+/g, ' ').trim();
  if (SCALARS[text]) return SCALARS[text];
  const pointer = /^([A-Za-z_]\w*)\s*\*$/.exec(text);
  const name = pointer ? pointer[1]! : text === 'id' ? 'id' : undefined;
  if (!name || (!pointer && name !== 'id')) return undefined;
  return `${OBJECTS[name] ?? name}${nullability}`;
}

/** Splits `(type)` at the start of `text`, with nested parentheses. */
function parenthesized(text: string): { inner: string; rest: string } | undefined {
  if (!text.startsWith('(')) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return { inner: text.slice(1, i), rest: text.slice(i + 1).trim() };
  }
  return undefined;
}

function importMethod(owner: string, decl: string, optional: boolean): string | undefined {
  const swiftName = /NS_SWIFT_NAME\((\w+\([^)]*\))\)/.exec(decl)?.[1];
  const body = decl.replace(/NS_SWIFT_NAME\(\w+\([^)]*\)\)|__deprecated_msg\([^)]*\)|API_[A-Z_]+\([^)]*\)/g, '').trim();
  const kind = body[0] === '+' ? 'class func' : 'func';
  const ret = parenthesized(body.slice(1).trim());
  const returns = ret && swiftType(ret.inner);
  if (!ret || !returns) return undefined;
  const pieces: string[] = [];
  const types: string[] = [];
  let rest = ret.rest;
  const bare = /^(\w+)$/.exec(rest);
  if (bare) pieces.push(bare[1]!);
  else
    while (rest) {
      const m = /^(\w+)\s*:\s*/.exec(rest);
      const arg = m && parenthesized(rest.slice(m[0].length));
      const type = arg && swiftType(arg.inner);
      if (!m || !arg || !type) return undefined;
      pieces.push(m[1]!);
      types.push(type);
      rest = arg.rest.replace(/^\w+\s*/, '');
    }
  let base = pieces[0]!;
  let labels = types.map((_, i) => (i === 0 ? '_' : pieces[i]!));
  if (swiftName) {
    const named = /^(\w+)\(((?:\w+:)*)\)$/.exec(swiftName.replace(/\s/g, ''));
    if (!named) return undefined;
    base = named[1]!;
    labels = named[2]!.split(':').filter(Boolean);
    if (labels.length !== types.length) return undefined;
  }
  const args = types.map((t, i) => `${labels[i]}: ${t}`).join(', ');
  return `${optional ? 'optional ' : ''}${kind} ${owner}.${base}(${args})${returns === 'Void' ? '' : ` -> ${returns}`}`;
}

function importProperty(owner: string, decl: string): string | undefined {
  const m = /^@property\s*(?:\(([^)]*)\))?\s*(.+?)\s*\b(\w+)$/.exec(decl.trim());
  if (!m) return undefined;
  const attributes = (m[1] ?? '').split(',').map((a) => a.trim());
  const type = swiftType(`${m[2]!}${attributes.includes('nullable') ? ' _Nullable' : attributes.includes('nonnull') ? ' _Nonnull' : ''}`);
  return type && `var ${owner}.${m[3]!}: ${type}${attributes.includes('readonly') ? ' { get }' : ''}`;
}

/** Every declaration of the header that the modelled subset covers, as Swift sees it. */
export function importObjCHeader(header: string): Set<string> {
  const out = new Set<string>();
  const text = header.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  for (const m of text.matchAll(/^#define\s+(\w+)\s+(-?(?:0x[0-9A-Fa-f]+|\d+))\s*$/gm)) out.add(`let ${m[1]!}: Int32 = ${Number(m[2]!)}`);
  for (const block of text.matchAll(/^@(interface|protocol)\s+(\w+)\s*(?::\s*(\w+)|<\s*(\w+)\s*>)?([\s\S]*?)^@end/gm)) {
    const [, kind, owner, superclass, protocol, body] = block;
    if (kind === 'interface') out.add(`class ${owner!}: ${superclass ?? 'NSObject'}`);
    else out.add(`protocol ${owner!}${protocol === 'NSObject' ? ': NSObjectProtocol' : protocol ? `: ${protocol}` : ''}`);
    let optional = false;
    for (const raw of body!.split(/;|(?=@optional|@required)/)) {
      const decl = raw.replace(/\s+/g, ' ').trim();
      if (decl.startsWith('@optional')) optional = true;
      if (decl.startsWith('@required')) optional = false;
      const member = decl.replace(/^@(optional|required)\s*/, '');
      const swift = member.startsWith('@property') ? importProperty(owner!, member) : /^[-+]/.test(member) ? importMethod(owner!, member, optional && kind === 'protocol') : undefined;
      if (swift) out.add(swift);
    }
  }
  return out;
}

const typeText = (node: Node | null | undefined) => (node ? node.text.replace(/\s+/g, '') : '');

/** The declarations of a Swift file in the same notation (a test double mirroring an imported header). */
export async function swiftDeclarations(source: string): Promise<string[]> {
  const out: string[] = [];
  await parseSwiftTree(source, (root) => {
    const walk = (node: Node, owner: string) => {
      if (node.type === 'class_declaration' || node.type === 'protocol_declaration') {
        const name = node.childForFieldName('name')!.text;
        const inherits = node.namedChildren.find((c) => c?.type === 'inheritance_specifier');
        const keyword = node.type === 'class_declaration' ? 'class' : 'protocol';
        out.push(`${keyword} ${name}${inherits ? `: ${typeText(inherits)}` : ''}`);
        owner = name;
      } else if (node.type === 'function_declaration' || node.type === 'protocol_function_declaration') {
        const modifiers = node.children.filter((c) => c?.type === 'modifiers' || c?.type === 'class').map((c) => c!.text).join(' ');
        const params = node.namedChildren.filter((c) => c?.type === 'parameter').map((p) => {
          const label = (p!.childForFieldName('external_name') ?? p!.childForFieldName('name')!).text;
          return `${label}: ${typeText(p!.namedChild(p!.namedChildCount - 1))}`;
        });
        const arrow = node.children.findIndex((c) => c?.type === '->');
        const returns = arrow < 0 ? '' : ` -> ${typeText(node.child(arrow + 1))}`;
        const kind = `${/\boptional\b/.test(modifiers) ? 'optional ' : ''}${/(^|\s)class(\s|$)/.test(modifiers) ? 'class func' : 'func'}`;
        out.push(`${kind} ${owner}.${node.childForFieldName('name')!.text}(${params.join(', ')})${returns}`);
        return;
      } else if (node.type === 'property_declaration') {
        const name = node.childForFieldName('name')!.text;
        const type = typeText(node.namedChildren.find((c) => c?.type === 'type_annotation')?.lastNamedChild);
        const value = node.childForFieldName('value');
        const binding = node.namedChildren.find((c) => c?.type === 'value_binding_pattern')!.text;
        out.push(binding === 'let' && !owner ? `let ${name}: ${type} = ${Number(value?.text)}` : `var ${owner}.${name}: ${type}`);
        return;
      }
      for (const child of node.namedChildren) if (child) walk(child, owner);
    };
    walk(root, '');
  });
  return out;
}
