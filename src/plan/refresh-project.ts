/**
 * Finds the project refresh works on: its folder, its mesibo.json (parsed and checked) and the token
 * config file of every platform it lists. Everything here only reads, and runs before the App Token is
 * asked for, so a wrong folder fails fast and nothing is changed.
 *
 * The project is the given folder (default: the current one) or the nearest folder above it holding a
 * mesibo.json, as git finds a repository, up to the root of the file system. The search does not stop
 * at a git root: a platform folder may be a repository of its own (web/ deployed from its own repo). The
 * project found is printed before anything is asked or sent, so a surprising one is seen in time.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { RunError, UsageError } from '../errors';
import { PLATFORMS, hasAppId, type PlatformId } from '../platforms';
import { MANIFEST_FILE, readManifest, type ProjectManifest } from './manifest';
import { findProjectRoot } from './project-root';

/** A platform's token config file in the project. */
export interface SecretTarget {
  readonly platform: PlatformId;
  /** Relative to the project root, forward slashes (as in mesibo.json). */
  readonly rel: string;
  readonly abs: string;
  /** False when the file is absent, e.g. in a fresh clone (it is git-ignored): refresh then creates it. */
  readonly exists: boolean;
}

export interface Project {
  readonly root: string;
  /** How to name the folder in messages. */
  readonly shown: string;
  /** The project was found above the folder given (or the current one). */
  readonly above: boolean;
  readonly manifestPath: string;
  /** Permission bits of mesibo.json, kept when it is rewritten. */
  readonly manifestMode: number;
  readonly manifest: ProjectManifest;
  readonly secrets: readonly SecretTarget[];
}

/** `program` runs this tool as it was run now (src/report/invocation.ts), so the fixes in errors run as printed. */
export function openProject(cwd: string, dir: string | undefined, program = 'create-mesibo-app'): Project {
  const start = path.resolve(cwd, dir ?? '.');
  const here = start === cwd ? `the current folder (${start})` : JSON.stringify(dir);
  const folder = statOrUndefined(start, statSync);
  if (!folder) {
    throw new UsageError(
      `The folder ${here} does not exist. Give the folder of a project made by create-mesibo-app ` +
        `(\`${program} refresh <folder>\`), or run \`${program} refresh\` from inside it.`,
    );
  }
  if (!folder.isDirectory()) throw new UsageError(`${here} is not a folder. Give the folder of a project made by create-mesibo-app.`);
  const root = findProjectRoot(start);
  if (root === undefined) {
    throw new UsageError(
      `${capitalise(here)} is not inside a create-mesibo-app project: neither it nor any folder above it has a ` +
        `${MANIFEST_FILE}. Run \`${program} refresh\` in the project's folder or below it, or give that folder ` +
        `(\`${program} refresh <folder>\`); to make a new project: \`${program} my-chat\``,
    );
  }
  const shown = root === start ? here : `${JSON.stringify(root)} (the project above ${start === cwd ? 'the current folder' : here})`;

  const { path: manifestPath, mode: manifestMode, manifest } = readManifest(root, shown, program);
  return Object.freeze({
    root,
    shown,
    above: root !== start,
    manifestPath,
    manifestMode,
    manifest,
    // The token server's passcode is no token: refresh leaves the server's files alone.
    secrets: Object.freeze(manifest.platforms.filter((p) => hasAppId(p.id)).map((p) => secretTarget(root, shown, p.id))),
  });
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
  // A link is refused by refresh's write guard (src/write/inside.ts), which says where it points and why.
  if (stat && !stat.isFile() && !stat.isSymbolicLink()) {
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
