/**
 * Every rule a value must meet, in one place, used alike by flags, prompts and mesibo.json.
 *
 * - `validate…` functions return what is wrong (words that follow the quoted value), or undefined.
 * - `parse…` functions return the clean value or throw InvalidValue; the caller says where the value came
 *   from: `fromFlag('--users', raw, parseUsers)` for a flag, `promptValidator(parseUsers)` for a question.
 */
import path from 'node:path';
import { UsageError } from './errors';
import { echo } from './output/redact';
import { ALL_PLATFORMS, PLATFORMS, hasAppId, isPlatformId, type AppIdRule, type PlatformId } from './platforms';

/**
 * What is wrong with a value: `problem` follows the quoted value in a sentence ("… is empty."). `atFlag` is
 * the same sentence as the command line reads it, where the fix may name a flag; a prompt never names one.
 */
export class InvalidValue extends Error {
  constructor(
    readonly problem: string,
    readonly atFlag: string = problem,
  ) {
    super(problem);
  }
}

export type Parse<T> = (raw: string) => T;

const show = (value: string) => JSON.stringify(value);

/** A flag's value, parsed: a bad one is a UsageError naming the flag, e.g. `--users "1" needs …`. */
export function fromFlag<T>(flag: string, raw: string, parse: Parse<T>): T {
  try {
    return parse(raw);
  } catch (error) {
    // Shortened and cleaned: a pasted paragraph (or a token) is not echoed whole.
    if (error instanceof InvalidValue) throw new UsageError(`${flag} ${echo(raw)} ${error.atFlag}`);
    throw error;
  }
}

/** A question's `validate`: true, or the text to show under the question, e.g. `"1" needs …`. */
export function promptValidator(parse: Parse<unknown>): (raw: string) => true | string {
  return (raw) => {
    try {
      parse(raw);
      return true;
    } catch (error) {
      if (error instanceof InvalidValue) return `${show(raw)} ${error.problem}`;
      throw error;
    }
  };
}

/** `flagFix` replaces `fix` on the command line (it may name a flag). */
function check<T>(problem: string | undefined, fix: string, value: T, flagFix = fix): T {
  const sentence = (f: string) => `${problem}.${f ? ` ${f}` : ''}`;
  if (problem) throw new InvalidValue(sentence(fix), sentence(flagFix));
  return value;
}

// ---------------------------------------------------------------------------------------------- appids
// A user access token only works from the app whose appid it was issued for, so a wrong appid is caught
// here rather than as an AUTHFAIL on a device an hour later.

// Java keywords and literals cannot be package segments (Android namespace/applicationId rules).
const JAVA_RESERVED = new Set(
  ('abstract assert boolean break byte case catch char class const continue default do double else enum ' +
    'extends final finally float for goto if implements import instanceof int interface long native new ' +
    'package private protected public return short static strictfp super switch synchronized this throw ' +
    'throws transient try void volatile while true false null _ var record yield sealed permits')
    .split(' '),
);

export function validateAndroidAppId(value: string): string | undefined {
  const segments = value.split('.');
  if (segments.length < 2) return 'needs at least two segments separated by dots, like com.example.chat';
  for (const segment of segments) {
    if (segment === '') return 'has an empty segment (two dots in a row, or a dot at either end)';
    // Each problem follows "it" in a sentence: "… is not valid as …: it has a segment, "1x", that …".
    if (!/^[A-Za-z]/.test(segment)) return `has a segment, "${segment}", that does not start with a letter`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(segment)) return `has a segment, "${segment}", with characters other than letters, digits and _`;
    if (JAVA_RESERVED.has(segment)) return `has a segment, "${segment}", that is a Java keyword`;
  }
  return undefined;
}

export function validateIosBundleId(value: string): string | undefined {
  if (!/^[A-Za-z0-9.-]+$/.test(value)) return 'may contain only letters, digits, hyphens and dots';
  const segments = value.split('.');
  if (segments.length < 2) return 'needs at least two segments separated by dots, like com.example.chat';
  if (segments.some((s) => s === '')) return 'has an empty segment (two dots in a row, or a dot at either end)';
  if (value.length > 155) return 'is longer than 155 characters';
  return undefined;
}

/** Web, C++ and Python pass the appid to setAppName(): any string, but whitespace would only confuse. */
export function validateGenericAppId(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (/\s/.test(value)) return 'must not contain spaces or other whitespace';
  if (/\p{Cc}/u.test(value)) return 'must not contain control characters';
  if (value.length > 128) return 'is longer than 128 characters';
  return undefined;
}

/** The token server has none: it mints tokens for the appids of the project's other platforms. */
function validateNoAppId(value: string): string | undefined {
  return value === '' ? undefined : 'has none of its own (it mints tokens for the appids of the other platforms); give none';
}

const APP_ID_RULES: Record<AppIdRule, (value: string) => string | undefined> = {
  'java-package': validateAndroidAppId,
  'bundle-id': validateIosBundleId,
  'app-name': validateGenericAppId,
  none: validateNoAppId,
};

/** What is wrong with `value` as this platform's appid, or undefined. */
export function validateAppId(id: PlatformId, value: string): string | undefined {
  return APP_ID_RULES[PLATFORMS[id].appIdRule](value);
}

/** Turns a folder name into something valid in every platform's appid: `My Chat-App` -> `mychatapp`. */
export function appIdSegment(text: string): string {
  let segment = text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '');
  if (segment === '') segment = 'app';
  if (/^[0-9]/.test(segment)) segment = `app${segment}`;
  if (JAVA_RESERVED.has(segment)) segment = `${segment}app`;
  return segment;
}

/**
 * One platform's appid. `shared` is for the appid every chosen platform takes (--app-id, or the question):
 * on the command line its fix also names the platform's own override flag.
 */
export function parseAppId(id: PlatformId, shared: boolean): Parse<string> {
  const platform = PLATFORMS[id];
  return (value) => {
    const problem = validateAppId(id, value);
    const fix = shared ? 'Give one that suits every chosen platform, like com.example.chat.' : 'Give one like com.example.chat.';
    const flagFix = shared ? `${fix} Or give ${platform.label} its own with ${platform.appIdFlag} <id>.` : fix;
    return check(problem && `is not valid as ${platform.appIdMeaning}: it ${problem}`, fix, value, flagFix);
  };
}

// ------------------------------------------------------------------------------------- everything else
const CONTROL = /\p{Cc}/u;
export const MIN_USERS = 2;
export const MAX_USERS = 1000;

export function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

export function validateAddresses(addresses: readonly string[]): string | undefined {
  if (addresses.length < MIN_USERS) {
    return `needs at least ${MIN_USERS} addresses (the first two are the demo pair that message each other)`;
  }
  if (addresses.length > MAX_USERS) return `has ${addresses.length} addresses; at most ${MAX_USERS} are supported`;
  const seen = new Set<string>();
  for (const address of addresses) {
    if (address === '') return 'has an empty address (two commas in a row, or a comma at either end)';
    const problem = validateAddress(address);
    if (problem) return `address ${problem}`;
    if (seen.has(address)) return `lists "${address}" twice; addresses must be unique`;
    seen.add(address);
  }
  return undefined;
}

/** One address's own rules (the list's are above); the words follow "address" in a sentence. */
export function validateAddress(address: string): string | undefined {
  if (address === '') return 'is empty';
  if (CONTROL.test(address)) return `"${revealed(address)}" contains a control character`;
  // An address is an identifier: no invisible character at all, not even a joiner.
  const invisible = /[\p{Cf}\u2028\u2029]/u.exec(address);
  if (invisible) return `"${revealed(address)}" contains ${invisibleProblem(invisible[0])}`;
  if (address.length > 128) return `"${address.slice(0, 20)}…" is longer than 128 characters`;
  return undefined;
}

const MAX_EXPIRY_MINUTES = 2_147_483_647;

export function validateExpiry(value: string): string | undefined {
  if (/^-\s*[0-9]/.test(value.trim())) return 'must be a positive whole number of minutes, like 525600 (one year)';
  if (!/^[0-9]+$/.test(value.trim())) return 'must be a whole number of minutes, like 525600 (one year)';
  const n = Number(value.trim());
  if (n < 1) return 'must be at least 1 minute';
  if (n > MAX_EXPIRY_MINUTES) return `must be at most ${MAX_EXPIRY_MINUTES} minutes`;
  return undefined;
}

export function validateDisplayName(value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  if (CONTROL.test(value)) return 'contains a control character';
  // Bidi overrides and other format characters would be written raw into Kotlin, Swift, JS, JSON and the READMEs.
  const invisible = INVISIBLE.exec(value);
  if (invisible) return `contains ${invisibleProblem(invisible[0])} (written out: "${revealed(value)}")`;
  if (value.length > 64) return 'is longer than 64 characters';
  return undefined;
}

// Characters that Windows forbids in file names; refusing them everywhere keeps projects portable.
const BAD_PATH_CHARS = /[<>:"|?*]/;

// Names Windows keeps for devices, in any case and with any extension ("nul.txt" is NUL): Microsoft's
// "Naming Files, Paths, and Namespaces" (learn.microsoft.com/windows/win32/fileio/naming-a-file), plus the
// console names CONIN$ and CONOUT$ (CreateFile, "Consoles").
const WINDOWS_DEVICES = /^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])$/i;
// Invisible characters that make a name read differently from what it is: the bidirectional controls
// (Trojan Source) and the other format characters, but for the joiners ZWNJ and ZWJ that Persian, Indic
// scripts and emoji need.
const INVISIBLE = /(?![\u200c\u200d])[\p{Cf}\u2028\u2029]/u;

function invisibleProblem(c: string): string {
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${code}, an invisible character that makes a name read differently from what it is`;
}

/** `value` with its invisible characters written as \u escapes, so a message shows what is really there. */
function revealed(value: string): string {
  const shown = [...value].map((c) => (/[\p{Cf}\p{Cc}\u2028\u2029]/u.test(c) ? `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : c)).join('');
  return shown.length > 80 ? `${shown.slice(0, 79)}…` : shown;
}

/** What Windows makes of one path segment: a device name, or a name it would silently change. */
function windowsSegmentProblem(segment: string): string | undefined {
  if (segment === '' || segment === '.' || segment === '..') return undefined;
  const stem = segment.split('.')[0]!.replace(/ +$/, '');
  if (WINDOWS_DEVICES.test(stem)) {
    return `uses the name "${stem}", which Windows reserves for a device (even with an extension): the project could not be opened or copied there`;
  }
  if (/[ .]$/.test(segment)) return `has the segment "${segment}", which ends with a space or a dot (Windows drops them)`;
  return undefined;
}

/**
 * Target folder rules: relative or absolute, spaces allowed, but no `..` segments (a typo like
 * `../../` should never aim the project outside what the user meant), no exotic or invisible
 * characters, and no name Windows reserves, so the project can be zipped, cloned and opened anywhere.
 */
export function validateTargetDir(value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  if (CONTROL.test(value)) return 'contains a control character';
  const invisible = INVISIBLE.exec(value);
  if (invisible) return `contains ${invisibleProblem(invisible[0])} (written out: "${revealed(value)}")`;
  const isWindowsAbsolute = /^[A-Za-z]:[\\/]/.test(value);
  const rest = isWindowsAbsolute ? value.slice(2) : value;
  if (BAD_PATH_CHARS.test(rest)) return 'contains one of < > : " | ? * which are not allowed in folder names';
  const segments = value.split(/[\\/]+/);
  if (segments.includes('..')) return 'contains a ".." segment; give the folder to create directly';
  // The folders this run may create: every segment of a relative path, the last one of an absolute path.
  const absolute = isWindowsAbsolute || path.isAbsolute(value);
  const named = segments.filter((segment) => segment !== '');
  for (const segment of absolute ? named.slice(-1) : named) {
    const problem = windowsSegmentProblem(segment);
    if (problem) return problem;
  }
  const base = path.basename(path.resolve(value));
  if (base === '' || base === '.' || base === path.parse(path.resolve(value)).root) {
    return 'names the root of the file system';
  }
  if (/^[\s.]|[\s.]$/.test(base) && base !== '.') return 'starts or ends with a space or a dot';
  return undefined;
}

export function validateApiUrl(value: string): string | undefined {
  // Any `@` after the scheme is taken for credentials (a password with `#`, `?` or `/` parses as another host).
  if (value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').includes('@')) return 'must not carry a user name or password';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL; give the full endpoint, like https://api.mesibo.com/backend/';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// or http://';
  if (url.username || url.password) return 'must not carry a user name or password';
  return undefined;
}

export const parseTargetDir: Parse<string> = (value) => check(validateTargetDir(value), 'Give a folder name like my-chat.', value);

export const parseName: Parse<string> = (value) =>
  check(validateDisplayName(value), 'Give a short display name like "My Chat".', value.trim());

export const parseUsers: Parse<string[]> = (value) => {
  const addresses = splitList(value);
  const fix = 'Give comma-separated addresses, like 123,456.';
  return check(validateAddresses(addresses), fix, addresses, 'Give comma-separated addresses, like --users 123,456.');
};

export const parseExpiry: Parse<number> = (value) => check(validateExpiry(value), '', Number(value.trim()));

/** A comma list of platforms, in registry order whatever the order given. */
export const parsePlatforms: Parse<PlatformId[]> = (value) => {
  const ids = splitList(value)
    .filter((s) => s !== '')
    .map((s) => s.toLowerCase());
  const unknown = ids.filter((id) => !isPlatformId(id));
  // The token server mints tokens for the other platforms' appids: alone, it would have none to mint for.
  const serverAlone = ids.length > 0 && ids.every((id) => isPlatformId(id) && !hasAppId(id));
  const problem =
    ids.length === 0
      ? 'is empty'
      : unknown.length > 0
        ? `has unknown platform ${unknown.map(show).join(', ')}`
        : serverAlone
          ? 'has only the token server, which mints tokens for the appids of the other platforms and so needs at least one'
          : undefined;
  const fix = `Choose from ${ALL_PLATFORMS.map((p) => p.id).join(', ')}, separated by commas, like --platforms web,python${serverAlone ? ',server' : ''}.`;
  return check(problem, fix, ALL_PLATFORMS.map((p) => p.id).filter((id) => ids.includes(id)));
};
