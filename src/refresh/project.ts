/**
 * Finds the project refresh works on: its folder, its mesibo.json (parsed and checked) and the token
 * config file of every platform it lists. Everything here only reads, and runs before the App Token is
 * asked for, so a wrong folder fails fast and nothing is changed.
 */
import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { RunError, UsageError } from '../errors';
import { MANIFEST_FILE } from '../render/file-list';
import { PLATFORMS, type PlatformId } from '../platforms';
import { parseManifest, type ProjectManifest } from './manifest-read';

/** Far above any real manifest (1000 users is ~100 KB); stops us reading a huge file by mistake. */
const MAX_MANIFEST_BYTES = 8 << 20;

export interface SecretTarget {
  platform: PlatformId;
  /** Relative to the project root, forward slashes (as in mesibo.json). */
  rel: string;
  abs: string;
  /** False when the file is absent, e.g. in a fresh clone (it is git-ignored): refresh then creates it. */
  exists: boolean;
}

export interface Project {
  root: string;
  /** How to name the folder in messages. */
  shown: string;
  manifestPath: string;
  /** Permission bits of mesibo.json, kept when it is rewritten. */
  manifestMode: number;
  manifest: ProjectManifest;
  secrets: SecretTarget[];
}

export function openProject(cwd: string, dir: string | undefined): Project {
  const root = path.resolve(cwd, dir ?? '.');
  const shown = dir === undefined || path.resolve(cwd, dir) === cwd ? `the current folder (${root})` : JSON.stringify(dir);
  const folder = statOrUndefined(root, statSync);
  if (!folder) {
    throw new UsageError(
      `The folder ${shown} does not exist. Give the folder of a project made by create-mesibo-app ` +
        '(create-mesibo-app refresh <dir>), or run refresh from inside it.',
    );
  }
  if (!folder.isDirectory()) throw new UsageError(`${shown} is not a folder. Give the folder of a project made by create-mesibo-app.`);

  const manifestPath = path.join(root, MANIFEST_FILE);
  const stat = statOrUndefined(manifestPath, lstatSync);
  if (!stat) {
    throw new UsageError(
      `${capitalise(shown)} is not a create-mesibo-app project: it has no ${MANIFEST_FILE}. Run create-mesibo-app ` +
        'to make one, or give the folder of an existing project (create-mesibo-app refresh <dir>).',
    );
  }
  if (!stat.isFile()) {
    throw new UsageError(
      `${MANIFEST_FILE} in ${shown} is not a regular file. Restore it from git, or run create-mesibo-app to make a new project.`,
    );
  }
  if (stat.size > MAX_MANIFEST_BYTES) {
    throw new UsageError(`${MANIFEST_FILE} in ${shown} is larger than ${MAX_MANIFEST_BYTES} bytes; it is not a create-mesibo-app manifest.`);
  }
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch (error) {
    throw new RunError(`Could not read ${MANIFEST_FILE} in ${shown}: ${(error as Error).message}.`, { cause: error });
  }
  const manifest = parseManifest(text, `${MANIFEST_FILE} in ${shown}`);
  return {
    root,
    shown,
    manifestPath,
    manifestMode: stat.mode & 0o777,
    manifest,
    secrets: manifest.platforms.map((p) => secretTarget(root, shown, p.id)),
  };
}

/** The platform's folder (and the token file's own folder) must be there; the token file itself may not be. */
function secretTarget(root: string, shown: string, id: PlatformId): SecretTarget {
  const platform = PLATFORMS[id];
  const rel = `${platform.dir}/${platform.secretFile}`;
  const abs = path.join(root, ...rel.split('/'));
  for (const folder of new Set([platform.dir, path.posix.dirname(rel)])) {
    if (!statOrUndefined(path.join(root, folder), statSync)?.isDirectory()) {
      throw new UsageError(
        `${MANIFEST_FILE} lists the ${id} platform, but the folder ${JSON.stringify(`${folder}/`)} is missing from ` +
          `${shown}. Restore the folder (for example from git), or remove the ${id} entry from "platforms" in ` +
          `${MANIFEST_FILE} to refresh only the other starters. Nothing was changed.`,
      );
    }
  }
  const stat = statOrUndefined(abs, lstatSync);
  if (stat && !stat.isFile()) {
    throw new UsageError(
      `${rel} in ${shown} is not a regular file (a folder or a link?), so refresh will not replace it. ` +
        'Move it away and run refresh again. Nothing was changed.',
    );
  }
  return { platform: id, rel, abs, exists: stat !== undefined };
}

function statOrUndefined(file: string, stat: (f: string) => Stats): Stats | undefined {
  try {
    return stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new RunError(`Could not read ${file}: ${(error as Error).message}.`, { cause: error });
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
