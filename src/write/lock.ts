/**
 * A folder lock, so two runs never work on one folder at once (two `workshop` runs would each issue
 * the missing tokens and leave seat folders that disagree with the ledger). The lock is a file in the
 * folder, created O_EXCL | O_NOFOLLOW (exactly one run can create it, and never through a link),
 * holding its owner's tag (src/write/owner.ts): a lock whose owner is gone (kill -9, power cut) is
 * removed by the next run, a live one's makes the run stop before it reads or writes anything.
 *
 * Removing a stale lock and creating a new one are two steps: two runs started at the same instant
 * just after a kill could both judge the dead run's lock stale. Each run therefore reads the lock back
 * after creating it and stops unless it holds its own tag.
 */
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { RunError, UsageError } from '../errors';
import { O_NOFOLLOW } from './inside';
import { ownerState, ownerTag, type Owner } from './owner';

export const LOCK_FILE = '.create-mesibo-app.lock';

export interface FolderLock {
  /** Removes the lock (and the folder, when the lock made it and it is still empty). Safe to call twice. */
  release(): void;
}

const TAG = /^(\d+)-(\d+)-([0-9a-f]{8})-([0-9a-f]{8})$/;

function readOwner(file: string): Owner | undefined {
  let text: string;
  try {
    const fd = openSync(file, constants.O_RDONLY | O_NOFOLLOW);
    try {
      if (!fstatSync(fd).isFile()) return undefined;
      text = readFileSync(fd, 'utf8').trim();
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const m = TAG.exec(text);
  return m ? { pid: Number(m[1]), start: m[2]!, boot: m[3]!, host: m[4]! } : undefined;
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${ownerTag()}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Locks `root` (made if missing) for this run. `shown` names the folder in messages, `rerun` is the
 * command to run once the other run has ended. A folder a live run holds: exit 2, nothing done.
 */
export function lockFolder(root: string, shown: string, rerun: string): FolderLock {
  try {
    return lock(root, shown, rerun);
  } catch (error) {
    if (error instanceof UsageError || error instanceof RunError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new RunError(`Could not write in the folder ${shown} (${code}). Choose a folder you can write to; nothing was done.`, { cause: error });
  }
}

function lock(root: string, shown: string, rerun: string): FolderLock {
  let made = false;
  try {
    if (!statSync(root).isDirectory()) throw new UsageError(`${shown} exists and is not a folder. Choose another folder.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(root, { recursive: true });
    made = true;
  }
  const file = path.join(root, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    if (tryCreate(file)) break;
    const owner = readOwner(file);
    if (owner && ownerState(owner) === 'dead' && attempt < 2) {
      try {
        unlinkSync(file); // the run that held it is gone (killed): its lock means nothing any more
      } catch {
        // another run removed it first
      }
      continue;
    }
    const who = owner ? `create-mesibo-app (process ${owner.pid}${ownerState(owner) === 'foreign' ? ', on another machine' : ''})` : 'another run';
    throw new UsageError(
      `${shown} is in use: ${who} is working on it now (it holds ${JSON.stringify(LOCK_FILE)} there). ` +
        `Two runs at once would issue the same tokens twice. Wait for that run to end, then run ${rerun} again; ` +
        `if no run is going on, delete ${JSON.stringify(path.join(shown.replace(/^"|"$/g, ''), LOCK_FILE))}. Nothing was done.`,
    );
  }
  if (readOwner(file)?.pid !== process.pid) {
    throw new RunError(`${shown} was locked by another run at the same moment. Run ${rerun} again once it has ended. Nothing was done.`);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      try {
        if (readOwner(file)?.pid === process.pid) unlinkSync(file);
      } catch {
        // gone already
      }
      if (made) {
        try {
          rmdirSync(root); // only when empty: the run stopped before writing anything
        } catch {
          // it holds the workshop now
        }
      }
    },
  };
}
