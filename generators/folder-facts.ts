/**
 * What is at a folder, for the folder's questions (src/plan/folder-questions.ts). Read-only, and a first
 * look only: before any backend call the write step checks the target again (src/write/project-folder.ts).
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FolderFacts } from '../src/plan/folder-questions';
import type { PlatformId } from '../src/platforms';
import { plannedFiles } from '../src/render/template-files';
import { exists } from '../src/write/exists';

export function inspectFolder(targetPath: string): FolderFacts {
  const unusable = (why: string): FolderFacts => ({ state: 'unusable', unusable: why, entries: [], clashes: () => [] });
  let stat;
  try {
    stat = lstatSync(targetPath);
  } catch {
    return { state: 'free', entries: [], clashes: () => [] };
  }
  if (stat.isSymbolicLink()) return unusable('is a symbolic link, and nothing is ever written through one');
  if (!stat.isDirectory()) return unusable('is a file, not a folder');
  let entries: string[];
  try {
    entries = readdirSync(targetPath).sort();
  } catch (error) {
    return unusable(`cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  const projectFiles = new Set(plannedFiles([]));
  const clashes = (platforms: readonly PlatformId[], appId: string) =>
    plannedFiles(platforms.map((id) => ({ id, appId })))
      .filter((rel) => platforms.length === 0 || !projectFiles.has(rel))
      .filter((rel) => exists(path.join(targetPath, ...rel.split('/'))));
  return { state: entries.length === 0 ? 'free' : 'non-empty', entries, clashes };
}
