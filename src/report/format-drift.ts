/**
 * Version skew: a project made by an older create-mesibo-app may read its token file in an older
 * format than this version renders. The committed `.example` twin records the format the project's
 * code was generated with, so when it differs from the twin this version renders, say so before writing.
 */
import { readFileSync } from 'node:fs';
import type { SecretTarget } from '../plan/refresh-project';
import type { TokenConfig } from '../render/project';

/** Token files whose `.example` twin on disk differs from this version's; a missing twin proves nothing. */
export function formatDrift(secrets: readonly SecretTarget[], rendered: ReadonlyArray<Pick<TokenConfig, 'platform' | 'example'>>): string[] {
  return secrets
    .filter((s) => {
      let onDisk: string;
      try {
        onDisk = readFileSync(`${s.abs}.example`, 'utf8');
      } catch {
        return false;
      }
      return rendered.find((r) => r.platform === s.platform)?.example !== onDisk;
    })
    .map((s) => s.rel);
}

export function driftWarning(files: string[]): string {
  const twins = files.map((f) => `${f}.example`).join(', ');
  return (
    `${twins} ${files.length === 1 ? 'differs' : 'differ'} from what this create-mesibo-app writes for this mesibo.json: ` +
    'the project was made by another version (whose token file format may differ), or its users, appids or ' +
    `example files were edited since. ${files.join(', ')} ${files.length === 1 ? 'is' : 'are'} now written in this ` +
    "version's format; if a starter cannot read its token file, compare it with its .example twin."
  );
}
