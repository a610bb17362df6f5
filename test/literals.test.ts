/** Each literal helper, checked by the language's own parser where one is at hand (JS, JSON). */
import { describe, expect, it } from 'vitest';
import * as lit from '../src/render/literals';

const HOSTILE = ['plain', 'a"b', "it's", 'back\\slash', '{{x}}', '</script>', '${y}', '$z', 'ü日本🙂', 'tab\tnew\nline', '//c', '?? =', '\u2028'];

describe('literal helpers', () => {
  it.each(HOSTILE)('JavaScript string round-trips %j and never closes a script tag', (v) => {
    const literal = lit.jsString(v);
    expect(new Function(`return ${literal};`)()).toBe(v);
    expect(literal).not.toMatch(/<\/script/i);
  });
  it.each(HOSTILE)('Python string escapes quotes, backslashes and control characters: %j', (v) => {
    const literal = lit.pyString(v);
    expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
    expect(literal.slice(1, -1)).not.toMatch(/(^|[^\\])(\\\\)*"/);
    expect(literal).not.toMatch(/[\n\t]/);
  });
  it('C++ string uses octal escapes for UTF-8 bytes and escapes ?', () => {
    expect(lit.cppString('ü?"\\')).toBe('"\\303\\274\\?\\"\\\\"');
  });
  it('control characters become each language\'s own escape', () => {
    expect(lit.pyString('a\nb')).toBe('"a\\x0Ab"');
    expect(lit.kotlinString('a\nb')).toBe('"a\\u000Ab"');
    expect(lit.swiftString('a\nb')).toBe('"a\\u{0A}b"');
    expect(lit.pbxString('a\u0001')).toBe('"a\\U0001"');
  });
  it('Kotlin string escapes the template dollar', () => expect(lit.kotlinString('$x "q"')).toBe('"\\$x \\"q\\""'));
  it('Swift string escapes backslash so \\( cannot interpolate', () => expect(lit.swiftString('\\(x)')).toBe('"\\\\(x)"'));
  it('XML escapes all five entities', () => expect(lit.xmlEscape(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;'));
  it('properties escape separators and non-ASCII', () => expect(lit.propertiesValue(' a=b:c#ü')).toBe('\\ a\\=b\\:c\\#\\u00FC'));
  it('CMake escapes variable references', () => expect(lit.cmakeString('${HOME};"x"')).toBe('"\\${HOME}\\;\\"x\\""'));
  it('pbxproj strings are always quoted', () => expect(lit.pbxString('a "b"\n')).toBe('"a \\"b\\"\\n"'));
  it('shell words are quoted only when needed', () => {
    expect(lit.shellWord('my-chat/web')).toBe('my-chat/web');
    expect(lit.shellWord("it's here")).toBe(`'it'\\''s here'`);
  });
  it('markdown code spans survive backticks', () => expect(lit.markdownCode('a`b')).toBe('``a`b``'));
  it('JSON values round-trip', () => expect(JSON.parse(lit.jsonValue({ a: HOSTILE }))).toEqual({ a: HOSTILE }));
});
