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

/** Python 3 str literal (UTF-8 source). */
export function pyString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return `${out}"`;
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
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '$') out += '\\$';
    else if (code < 0x20 || code === 0x7f) out += `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Swift string literal: `\(` interpolation only starts with a backslash, which is escaped. */
export function swiftString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${hex(code, 2)}}`;
    else out += ch;
  }
  return `${out}"`;
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
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20) out += `\\U${hex(code, 4)}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * xcconfig value. There is no quoting; `//` starts a comment and `$(` a variable, so both are broken
 * up with the empty build setting `$()`, the documented trick.
 */
export function xcconfigValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error('xcconfig values cannot contain line breaks');
  return value.replace(/\$/g, '$()$').replace(/\/\//g, '/$()/');
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
