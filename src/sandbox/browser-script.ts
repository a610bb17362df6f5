/**
 * The browser script (mesibo.js beside this file), with the address of the relay a page reaches it at. An
 * asset like a template: read from the sources here; scripts/build.mjs replaces this module in the bundle by
 * one holding the script's text (same interface), so dist/ needs no file beside it.
 */
import { readFileSync } from 'node:fs';

/** The relay address written in the script's source, replaced by the one it is served for. */
export const RELAY_PLACEHOLDER = "'ws://127.0.0.1:8092/relay'";

let source: string | undefined;

export function browserScript(relayUrl: string): string {
  source ??= readFileSync(new URL('./mesibo.js', import.meta.url), 'utf8');
  if (!source.includes(RELAY_PLACEHOLDER)) throw new Error('internal: mesibo.js lost its relay placeholder');
  return source.replace(RELAY_PLACEHOLDER, () => JSON.stringify(relayUrl));
}
