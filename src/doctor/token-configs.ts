/**
 * Reads each starter's token config the way its own code does (templates/<platform>/<secretFile>.hbs and
 * the code that loads it): which users have a token, and, for web, C++ and Python, the appid the code
 * passes to setAppId. Nothing is evaluated: config.js is read as the literal create writes, not run.
 * Errors describe the shape, never quote the file (it holds tokens).
 */
import type { PlatformId } from '../platforms';
import { PLACEHOLDER_TOKEN } from '../render/template-data';

export interface TokenConfigContents {
  /** The appid in the file, where the starter's code reads it from there (web, C++, Python). */
  readonly appId?: string;
  /** Token per user address; a `.example` placeholder is not a token and is left out. */
  readonly tokens: ReadonlyMap<string, string>;
  /** Addresses whose entry still holds the placeholder. */
  readonly placeholders: readonly string[];
  /** The project's token server the starter asks for tokens instead (web, Python), when it names one. */
  readonly tokenServer?: string;
}

export class ConfigShapeError extends Error {}

/** `addresses`: the manifest's users in order (Android and iOS number their tokens user1, user2…). */
export function parseTokenConfig(id: PlatformId, text: string, addresses: readonly string[]): TokenConfigContents {
  const entries: Array<[string, string]> = [];
  let appId: string | undefined;
  let tokenServer: string | undefined;
  switch (id) {
    case 'android':
      for (const [key, value] of propertiesEntries(text)) {
        const n = /^user([1-9][0-9]{0,5})\.token$/.exec(key)?.[1];
        if (n !== undefined && addresses[Number(n) - 1] !== undefined) entries.push([addresses[Number(n) - 1]!, value.trim()]);
      }
      break;
    case 'ios':
      for (const line of text.split(/\r?\n/)) {
        const m = /^\s*MESIBO_USER([1-9][0-9]{0,5})_TOKEN\s*=(.*)$/.exec(line);
        if (m && addresses[Number(m[1]) - 1] !== undefined) entries.push([addresses[Number(m[1]) - 1]!, xcconfigValue(m[2]!)]);
      }
      break;
    case 'web': {
      const found = /\bappId\s*:\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/.exec(text);
      if (!found || !/window\.MESIBO_CONFIG\s*=/.test(text)) throw new ConfigShapeError('it does not set window.MESIBO_CONFIG = { appId, users }');
      appId = jsUnquote(found[1]!);
      const server = /\btokenServer\s*:\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/.exec(text);
      if (server) tokenServer = jsUnquote(server[1]!);
      const STR = `("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*')`;
      for (const m of text.matchAll(new RegExp(`\\baddress\\s*:\\s*${STR}\\s*,\\s*token\\s*:\\s*${STR}`, 'g'))) {
        entries.push([jsUnquote(m[1]!), jsUnquote(m[2]!)]);
      }
      break;
    }
    case 'cpp':
      // As main.cpp reads it: `appid <rest of line>`, `user <address> <token>` (the token is the last word).
      for (const raw of text.split('\n')) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.startsWith('appid ')) appId = line.slice(6);
        else if (line.startsWith('user ')) {
          const space = line.lastIndexOf(' ');
          if (space > 5) entries.push([line.slice(5, space), line.slice(space + 1)]);
        }
      }
      if (appId === undefined) throw new ConfigShapeError('it has no `appid` line');
      break;
    case 'python': {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        throw new ConfigShapeError('it is not valid JSON'); // JSON.parse's message would quote the file
      }
      const config = data as { appId?: unknown; users?: unknown; tokenServer?: unknown };
      if (typeof config !== 'object' || config === null || typeof config.appId !== 'string' || !Array.isArray(config.users)) {
        throw new ConfigShapeError('it is not an object with "appId" and a "users" list');
      }
      appId = config.appId;
      if (typeof config.tokenServer === 'string') tokenServer = config.tokenServer;
      for (const user of config.users as unknown[]) {
        const u = user as { address?: unknown; token?: unknown };
        if (typeof u === 'object' && u !== null && typeof u.address === 'string' && typeof u.token === 'string') entries.push([u.address, u.token]);
      }
      break;
    }
  }
  const tokens = new Map<string, string>();
  const placeholders: string[] = [];
  for (const [address, token] of entries) {
    if (token === PLACEHOLDER_TOKEN) placeholders.push(address);
    else if (token !== '' && !tokens.has(address)) tokens.set(address, token);
  }
  return { appId, tokens, placeholders, tokenServer };
}

/** Key and value of each entry of a Java .properties file (comments, continuations and escapes as Properties.load). */
function propertiesEntries(text: string): Array<[string, string]> {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/^[ \t\f]+/, ''); // continuation lines lose their indent too
    if (pending === '' && (line === '' || line.startsWith('#') || line.startsWith('!'))) continue;
    const trailing = /\\*$/.exec(line)![0].length;
    if (trailing % 2 === 1) pending += line.slice(0, -1);
    else {
      logical.push(pending + line);
      pending = '';
    }
  }
  if (pending !== '') logical.push(pending);
  return logical.map((line) => {
    const m = /^((?:[^\\=: \t\f]|\\.)*)[ \t\f]*[=: \t\f]?[ \t\f]*(.*)$/s.exec(line)!;
    return [propertiesUnescape(m[1]!), propertiesUnescape(m[2]!)];
  });
}

function propertiesUnescape(text: string): string {
  return text.replace(/\\(u[0-9A-Fa-f]{4}|.)/gs, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t', f: '\f' }[e] ?? e;
  });
}

/** An xcconfig value as Xcode reads it: `//` starts a comment, `$()` expands to nothing, `$$` is `$`. */
export function xcconfigValue(raw: string): string {
  const comment = raw.indexOf('//');
  const value = (comment < 0 ? raw : raw.slice(0, comment)).trim().replace(/;$/, '').trim();
  return value.replace(/\$\(\)/g, '').replace(/\$\$/g, '$');
}

/** A JavaScript string literal's value (the escapes JSON and single-quoted JS strings use). */
export function jsUnquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|[\s\S])/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(Math.min(parseInt(e.slice(2, -1), 16), 0x10ffff));
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' }[e] ?? e;
  });
}
