/**
 * Enough of Xcode's project format to find the bundle id an app target builds with. project.pbxproj is
 * an old-style (OpenStep) property list: dictionaries `{ key = value; }`, arrays `( a, b, )`, and strings,
 * bare or double-quoted with C-like escapes. This parser reads that grammar strictly and no more, with a
 * bounded depth; anything else is reported as not readable, never guessed.
 */

export type PlistValue = string | PlistValue[] | { [key: string]: PlistValue };

const BARE = /[A-Za-z0-9_$+/:.\-]/;
const MAX_DEPTH = 64;

export function parsePlist(text: string): PlistValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i}`);
  };
  const skip = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text.startsWith('//', i)) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? text.length : end + 1;
      } else if (text.startsWith('/*', i)) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('unclosed comment');
        i = end + 2;
      } else return;
    }
  };
  const quoted = (): string => {
    let out = '';
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('unclosed string');
      const ch = text[i++]!;
      if (ch === '"') return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = text[i++] ?? fail('unfinished escape');
      if (next === 'n') out += '\n';
      else if (next === 't') out += '\t';
      else if (next === 'U' || next === 'u') {
        const hex = /^[0-9A-Fa-f]{4}/.exec(text.slice(i, i + 4))?.[0] ?? fail('bad \\U escape');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else out += next;
    }
  };
  const value = (depth: number): PlistValue => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skip();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const dict: { [key: string]: PlistValue } = Object.create(null);
      for (;;) {
        skip();
        if (text[i] === '}') {
          i++;
          return dict;
        }
        const key = value(depth + 1);
        if (typeof key !== 'string') fail('a key that is not a string');
        skip();
        if (text[i++] !== '=') fail('expected =');
        dict[key as string] = value(depth + 1);
        skip();
        if (text[i++] !== ';') fail('expected ;');
      }
    }
    if (ch === '(') {
      i++;
      const list: PlistValue[] = [];
      for (;;) {
        skip();
        if (text[i] === ')') {
          i++;
          return list;
        }
        list.push(value(depth + 1));
        skip();
        if (text[i] === ',') i++;
        else if (text[i] !== ')') fail('expected , or )');
      }
    }
    if (ch === '"') return quoted();
    const start = i;
    while (i < text.length && BARE.test(text[i]!)) i++;
    if (i === start) fail(ch === undefined ? 'unexpected end' : 'unexpected character');
    return text.slice(start, i);
  };
  const root = value(0);
  skip();
  if (i < text.length) fail('text after the end');
  return root;
}

const isDict = (v: PlistValue | undefined): v is { [key: string]: PlistValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** PRODUCT_BUNDLE_IDENTIFIER per build configuration of the app targets, e.g. [{ config: 'Debug', value: 'com.x' }]. */
export function appTargetBundleIds(project: PlistValue): Array<{ target: string; config: string; value: string | undefined }> {
  if (!isDict(project) || !isDict(project.objects)) throw new SyntaxError('no "objects" dictionary');
  const objects = project.objects;
  const found: Array<{ target: string; config: string; value: string | undefined }> = [];
  for (const target of Object.values(objects)) {
    if (!isDict(target) || target.isa !== 'PBXNativeTarget') continue;
    if (target.productType !== 'com.apple.product-type.application') continue;
    const list = objects[String(target.buildConfigurationList)];
    if (!isDict(list) || !Array.isArray(list.buildConfigurations)) continue;
    for (const id of list.buildConfigurations) {
      const config = objects[String(id)];
      if (!isDict(config) || !isDict(config.buildSettings)) continue;
      const value = config.buildSettings.PRODUCT_BUNDLE_IDENTIFIER;
      found.push({ target: String(target.name ?? ''), config: String(config.name ?? id), value: typeof value === 'string' ? value : undefined });
    }
  }
  return found;
}
