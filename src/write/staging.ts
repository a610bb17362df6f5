/**
 * The project is rendered into a hidden staging folder beside the target and moved into place only once
 * complete. On failure or interrupt the staging folder (and any parent folders we created) is removed;
 * the user's folder is exactly as it was.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { exists } from './exists';

export interface Staging {
  /** Where to render. */
  dir: string;
  /** Moves everything into the target; undoes its own moves if one fails. */
  commit(): void;
  /** Removes the staging folder and any parents created for it. Safe to call twice, and from a signal handler. */
  discard(): void;
}

export function createStaging(targetPath: string): Staging {
  const parent = path.dirname(targetPath);
  const createdParents = mkdirParents(parent);
  const dir = mkdtempSync(path.join(parent, `.${path.basename(targetPath)}.creating-`));
  let committed = false;

  return {
    dir,
    commit() {
      if (!isDir(targetPath)) {
        renameSync(dir, targetPath); // the common case: one atomic rename
      } else {
        const moved: Array<[string, string]> = [];
        try {
          moveInto(dir, targetPath, moved);
        } catch (error) {
          for (const [from, to] of moved.reverse()) renameSync(to, from);
          throw error;
        }
        rmSync(dir, { recursive: true, force: true });
      }
      committed = true;
    },
    discard() {
      rmSync(dir, { recursive: true, force: true });
      if (!committed) {
        for (const created of createdParents.reverse()) {
          try {
            rmdirSync(created); // only if still empty
          } catch {
            break;
          }
        }
      }
    },
  };
}

/** Moves staged entries into an existing folder, descending into folders both sides have. */
function moveInto(from: string, to: string, moved: Array<[string, string]>): void {
  for (const name of readdirSync(from)) {
    const src = path.join(from, name);
    const dest = path.join(to, name);
    if (isDir(src) && isDir(dest)) {
      moveInto(src, dest, moved);
    } else {
      if (exists(dest)) throw new Error(`${dest} appeared while the project was being written`);
      renameSync(src, dest);
      moved.push([src, dest]);
    }
  }
}

/** mkdir -p that remembers which folders it created, outermost first. */
function mkdirParents(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !exists(d); d = path.dirname(d)) missing.unshift(d);
  if (missing.length) mkdirSync(dir, { recursive: true });
  return missing;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
