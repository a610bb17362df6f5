/**
 * Checks on the target folder, made before any backend call: it must not exist, be empty, or (with
 * --force) have none of the files we are about to write. Nothing in a user's folder is ever replaced.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import { exists } from './exists';

const SHOWN = 5;

export function checkTarget(targetPath: string, targetDir: string, force: boolean, planned: string[]): void {
  let stat;
  try {
    stat = lstatSync(targetPath);
  } catch {
    return; // does not exist yet: the normal case
  }
  if (!stat.isDirectory()) {
    throw new UsageError(`${JSON.stringify(targetDir)} exists and is not a folder. Choose another folder name.`);
  }
  const entries = readdirSync(targetPath).sort();
  if (entries.length === 0) return;
  if (!force) {
    const shown = entries.slice(0, SHOWN).join(', ') + (entries.length > SHOWN ? `, … (${entries.length} entries)` : '');
    throw new UsageError(
      `The folder ${JSON.stringify(targetDir)} is not empty (${shown}). Choose a new folder, or pass --force ` +
        'to add the project beside what is there (existing files are never overwritten or deleted).',
    );
  }
  const collisions = planned.filter((rel) => exists(path.join(targetPath, rel)));
  if (collisions.length > 0) {
    const shown = collisions.slice(0, SHOWN).join(', ') + (collisions.length > SHOWN ? `, … (${collisions.length} files)` : '');
    throw new UsageError(
      `--force was given, but ${JSON.stringify(targetDir)} already has files this run would write (${shown}). ` +
        'Nothing is ever overwritten: move them away, choose another folder, or use `create-mesibo-app refresh` ' +
        'to issue new tokens into an existing project.',
    );
  }
}
