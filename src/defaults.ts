/** Defaults in one place: help text, prompts, the plan and the backend client all read them from here. */
import path from 'node:path';
import { appIdSegment } from './validators';

export const DEFAULT_API_URL = 'https://api.mesibo.com/backend/';
export const DEFAULT_USERS: readonly string[] = ['123', '456'];
export const DEFAULT_DIR = 'mesibo-app';
/** Access-token lifetime: one year. */
export const DEFAULT_EXPIRY_MINUTES = 525600;
/** Per-request timeout and requests in flight: gentle on a backend with no documented rate limit. */
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONCURRENCY = 8;
/** The App Token of a sandbox run: never sent; the in-process sandbox takes a per-run secret instead (backend/session.ts). */
export const SANDBOX_APP_TOKEN = 'sandbox';

// Values derived from the folder when not given. `cwd` matters only for `.`, whose name is the current folder's.

export function defaultAppId(targetDir: string, cwd: string): string {
  return `com.example.${appIdSegment(path.basename(path.resolve(cwd, targetDir)))}`;
}

/** `my-chat_app` -> `My Chat App`. */
export function defaultName(targetDir: string, cwd: string): string {
  const base = path.basename(path.resolve(cwd, targetDir));
  const words = base.split(/[-_.\s]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') || 'mesibo app';
}

export function userDisplayName(address: string): string {
  return `User ${address}`;
}
