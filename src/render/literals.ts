/**
 * One function per target language's literal syntax. Templates must route every value through one of
 * these (as Handlebars helpers): Handlebars' HTML escaping is never what makes a value safe in source code.
 * Each string helper returns the complete literal, quotes included.
 */

const hex = (code: number, width: number) => code.toString(16).toUpperCase().padStart(width, '0');

/** JavaScript string, also safe inside an inline <script> (no `</script>`, no U+2028/9 surprises). */
export function jsString(value: string): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003C')
    .replace(/>/g, '\\u003E')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Any JSON value, pretty or compact. */
export function jsonValue(value: unknown, indent = 0): string {
  return JSON.stringify(value, null, indent);
}

/** Text or attribute content in HTML and XML: the five predefined entities. */
export function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function htmlEscape(value: string): string {
  return xmlEscape(value).replace(/&apos;/g, '&#39;');
}

/**
 * A double-quoted literal for the C family of escapes: `escapes` maps the characters the language treats
 * specially; control characters and lone surrogates (never valid in UTF-8 source) go through `escapeCode`.
 */
function quoted(value: string, escapes: Record<string, string>, escapeCode: (code: number) => string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    const special = escapes[ch];
    if (special !== undefined) out += special;
    else if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) out += escapeCode(code);
    else out += ch;
  }
  return `${out}"`;
}

const BACKSLASH_QUOTE = { '\\': '\\\\', '"': '\\"' };

/** Python 3 str literal (UTF-8 source). */
export function pyString(value: string): string {
  return quoted(value, BACKSLASH_QUOTE, (code) => (code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`));
}

/**
 * C++ narrow string literal holding UTF-8. Non-ASCII goes out as octal escapes of its UTF-8 bytes so the
 * literal does not depend on the compiler's source charset; octal (max 3 digits) avoids hex escapes
 * swallowing following hex digits.
 */
export function cppString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '?') out += '\\?';
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Kotlin string literal: `$` starts a template, so it is escaped too. */
export function kotlinString(value: string): string {
  return quoted(value, { ...BACKSLASH_QUOTE, $: '\\$' }, (code) => `\\u${hex(code, 4)}`);
}

/** Swift string literal: `\(` interpolation only starts with a backslash, which is escaped. */
export function swiftString(value: string): string {
  return quoted(value, BACKSLASH_QUOTE, (code) => `\\u{${hex(code, 2)}}`);
}

/** Ruby single-quoted string (a Podfile's): only `\\` and `'` are escapes there; nothing interpolates. */
export function rubyString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** CMake quoted argument: `\`, `"` and `$` (variable references) are escaped; `;` is escaped too. */
export function cmakeString(value: string): string {
  return `"${value.replace(/[\\"$;]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

/** A value in a Java .properties file (ISO-8859-1 on older readers: everything non-ASCII is \uXXXX). */
export function propertiesValue(value: string): string {
  let out = '';
  for (const unit of value) {
    for (let i = 0; i < unit.length; i++) {
      const code = unit.charCodeAt(i);
      const ch = unit[i]!;
      if (ch === '\\') out += '\\\\';
      else if (ch === '\n') out += '\\n';
      else if (ch === '\r') out += '\\r';
      else if (ch === '\t') out += '\\t';
      else if ('=:#!'.includes(ch)) out += `\\${ch}`;
      else if (code < 0x20 || code > 0x7e) out += `\\u${hex(code, 4)}`;
      else out += ch;
    }
  }
  // A leading space would be taken as separator whitespace.
  return out.replace(/^ /, '\\ ');
}

/** pbxproj (OpenStep plist) string: always quoted, with C-like escapes. */
export function pbxString(value: string): string {
  return quoted(value, { ...BACKSLASH_QUOTE, '\n': '\\n', '\t': '\\t' }, (code) => `\\U${hex(code, 4)}`);
}

/**
 * xcconfig value, as Xcode's parsers read it (swift-build's MacroConfigFileParser, then its macro
 * expression parser). There is no quoting: `//` starts a comment anywhere, so each such slash pair is split
 * with the empty expansion `$()`, the documented trick; `$$` is the escape for a literal `$` (a bare `$x`
 * or `$(x)` would expand a build setting). Xcode trims whitespace and a trailing `;` around a value and reads
 * a trailing `\` as a line continuation, so a `$()` guards a value that starts or ends with one of those.
 */
export function xcconfigValue(value: string): string {
  if (/[\r\n\u2028\u2029]/.test(value)) throw new Error('xcconfig values cannot contain line breaks');
  let out = value.replace(/\$/g, () => '$$').replace(/\/(?=\/)/g, '/$()');
  if (/^[ \t\v\f]/.test(out)) out = `$()${out}`;
  if (/[ \t\v\f;\\]$/.test(out)) out = `${out}$()`;
  return out;
}

/** Markdown inline text: escape the characters that would start formatting or HTML. */
export function markdownText(value: string): string {
  return value.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`).replace(/^([#+\-=>])/, '\\$1');
}

/** Markdown inline code span, with a fence long enough for any backticks inside. */
export function markdownCode(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** A word safe on a POSIX shell command line, quoted only when needed. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A value that runs to the end of its line in a line-based config file (e.g. `user <address> <token>`),
 * written verbatim: such a format has no escapes, so a line break or control character is refused.
 */
export function lineValue(value: string): string {
  if (/\p{Cc}/u.test(value)) throw new Error(`line values cannot contain control characters: ${JSON.stringify(value)}`);
  return value;
}

/** A URL query parameter value (RFC 3986 strict: also !'()* are percent-encoded, so Markdown links hold). */
export function queryValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Android string resource text (the body of a <string> in res/values). aapt un-escapes `\` sequences, drops
 * unescaped double quotes, reads `'` as a quote, a leading `@` or `?` as a reference, and trims and collapses
 * spaces; so those are escaped first (`\u0020` keeps a space that would be lost), then the XML escaping.
 */
export function androidString(value: string): string {
  const chars = [...value];
  let out = '';
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"' || ch === "'") out += `\\${ch}`;
    else if ((ch === '@' || ch === '?') && i === 0) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === ' ' && (i === 0 || i === chars.length - 1 || chars[i - 1] === ' ')) out += '\\u0020';
    else if (code < 0x20 || code === 0x7f) out += `\\u${hex(code, 4)}`;
    else out += ch;
  });
  return xmlEscape(out);
}

// Kotlin's hard keywords that are not Java keywords, so Android accepts them as package segments.
const KOTLIN_ONLY_KEYWORDS = new Set(['as', 'fun', 'in', 'is', 'object', 'typealias', 'typeof', 'val', 'when']);

/** An appid as a Kotlin package name: segments that are Kotlin keywords are backticked (com.`fun`.chat). */
export function kotlinPackage(appId: string): string {
  return appId
    .split('.')
    .map((segment) => (KOTLIN_ONLY_KEYWORDS.has(segment) ? `\`${segment}\`` : segment))
    .join('.');
}

/**
 * A Gradle project name as a Kotlin string literal: Gradle refuses `/ \ : < > " ? * |` and a leading or
 * trailing dot in project names, so those are dropped (an app name made only of them gives "MesiboStarter").
 */
export function gradleProjectName(value: string): string {
  const name = value
    .replace(/[/\\:<>"?*|]/g, '')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .replace(/\s+/g, ' ');
  return kotlinString(name === '' ? 'MesiboStarter' : name);
}

/**
 * A string in an Info.plist that Xcode processes: Xcode expands build settings (`$(X)`, `${X}`, `$X`) in
 * every Info.plist value, and `$$` is its escape for a literal `$`; then the XML escaping.
 */
export function infoPlistString(value: string): string {
  return xmlEscape(value.replace(/\$/g, () => '$$'));
}

/**
 * A pbxproj string written the way Xcode writes it: bare when made only of `A-Za-z0-9_$/:.` (so
 * `com.example.chat`), else quoted by pbxString. Xcode then rewrites nothing when it first saves the file.
 */
export function pbxValue(value: string): string {
  return /^[A-Za-z0-9_$/:.]+$/.test(value) ? value : pbxString(value);
}
