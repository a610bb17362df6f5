/**
 * Validators for everything but appids. Each returns an explanation (to be prefixed with the flag and
 * value by the caller) or undefined when the value is fine; parsers return the cleaned value.
 */
import path from 'node:path';

const CONTROL = /\p{Cc}/u;
export const MIN_USERS = 2;
export const MAX_USERS = 1000;

export function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

export function validateAddresses(addresses: string[]): string | undefined {
  if (addresses.length < MIN_USERS) {
    return `needs at least ${MIN_USERS} addresses (the first two are the demo pair that message each other)`;
  }
  if (addresses.length > MAX_USERS) return `has ${addresses.length} addresses; at most ${MAX_USERS} are supported`;
  const seen = new Set<string>();
  for (const address of addresses) {
    if (address === '') return 'has an empty address (two commas in a row, or a comma at either end)';
    if (CONTROL.test(address)) return `address ${JSON.stringify(address)} contains a control character`;
    if (address.length > 128) return `address "${address.slice(0, 20)}…" is longer than 128 characters`;
    if (seen.has(address)) return `lists "${address}" twice; addresses must be unique`;
    seen.add(address);
  }
  return undefined;
}

export const DEFAULT_EXPIRY_MINUTES = 525600;
const MAX_EXPIRY_MINUTES = 2_147_483_647;

export function validateExpiry(value: string): string | undefined {
  if (!/^[0-9]+$/.test(value.trim())) return 'must be a whole number of minutes, like 525600 (one year)';
  const n = Number(value.trim());
  if (n < 1) return 'must be at least 1 minute';
  if (n > MAX_EXPIRY_MINUTES) return `must be at most ${MAX_EXPIRY_MINUTES} minutes`;
  return undefined;
}

export function validateDisplayName(value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  if (CONTROL.test(value)) return 'contains a control character';
  if (value.length > 64) return 'is longer than 64 characters';
  return undefined;
}

// Characters that Windows forbids in file names; refusing them everywhere keeps projects portable.
const BAD_PATH_CHARS = /[<>:"|?*]/;

/**
 * Target folder rules: relative or absolute, spaces allowed, but no `..` segments (a typo like
 * `../../` should never aim the generator outside what the user meant) and no exotic characters.
 */
export function validateTargetDir(value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  if (CONTROL.test(value)) return 'contains a control character';
  const isWindowsAbsolute = /^[A-Za-z]:[\\/]/.test(value);
  const rest = isWindowsAbsolute ? value.slice(2) : value;
  if (BAD_PATH_CHARS.test(rest)) return 'contains one of < > : " | ? * which are not allowed in folder names';
  const segments = value.split(/[\\/]+/);
  if (segments.includes('..')) return 'contains a ".." segment; give the folder to create directly';
  const base = path.basename(path.resolve(value));
  if (base === '' || base === '.' || base === path.parse(path.resolve(value)).root) {
    return 'names the root of the file system';
  }
  if (/^[\s.]|[\s.]$/.test(base) && base !== '.') return 'starts or ends with a space or a dot';
  return undefined;
}

export function validateApiUrl(value: string): string | undefined {
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
