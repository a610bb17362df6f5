/** Values derived from others when not given. */
import path from 'node:path';
import { appIdSegment } from '../validate/appid';

/** `cwd` matters only for `.`, whose name is the current folder's. */
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
