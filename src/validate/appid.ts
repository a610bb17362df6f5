/**
 * Appid rules. A user access token only works from the app whose appid it was issued for, so a wrong
 * appid is caught here rather than as an AUTHFAIL on a device an hour later.
 */

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
    if (!/^[A-Za-z]/.test(segment)) return `segment "${segment}" must start with a letter`;
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(segment)) return `segment "${segment}" may contain only letters, digits and _`;
    if (JAVA_RESERVED.has(segment)) return `segment "${segment}" is a Java keyword`;
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

/** Turns a folder name into something valid in every platform's appid: `My Chat-App` -> `mychatapp`. */
export function appIdSegment(text: string): string {
  let segment = text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '');
  if (segment === '') segment = 'app';
  if (/^[0-9]/.test(segment)) segment = `app${segment}`;
  if (JAVA_RESERVED.has(segment)) segment = `${segment}app`;
  return segment;
}
