/** Values derived from others when not given. */
import path from 'node:path';
import { appIdSegment } from '../validate/appid';

export function defaultAppId(targetDir: string): string {
  return `com.example.${appIdSegment(path.basename(path.resolve(targetDir)))}`;
}

/** `my-chat_app` -> `My Chat App`. */
export function defaultName(targetDir: string): string {
  const base = path.basename(path.resolve(targetDir));
  const words = base.split(/[-_.\s]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') || 'mesibo app';
}

export function userDisplayName(address: string): string {
  return `User ${address}`;
}
