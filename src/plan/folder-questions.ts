/**
 * The folder's questions: the folder is checked where it is named, so a non-empty one is found before any
 * other question, with a choice of a new name or adding the project beside what is there (the rules of
 * --force: nothing there is ever overwritten). This holds for a folder given on the command line too.
 * What is on the disk comes from an injected inspector (read-only); the write step checks again.
 */
import path from 'node:path';
import type { PromptQuestion } from 'node-plop';
import { ALL_PLATFORMS, type PlatformId } from '../platforms';
import { DEFAULT_DIR, defaultAppId } from '../defaults';
import { parseTargetDir, promptValidator } from '../validators';
import { echo } from '../output/redact';
import { foreignPathProblem } from './path-input';

/** What the questions need to know about a folder. */
export interface FolderFacts {
  /** 'free': missing or empty; 'non-empty': a folder with entries; 'unusable': no project can go there. */
  readonly state: 'free' | 'non-empty' | 'unusable';
  /** Why it is unusable, following its quoted name: "is a file, not a folder". */
  readonly unusable?: string;
  /** Its entries, sorted. */
  readonly entries: readonly string[];
  /**
   * Files already there that a create would write: those of these platforms' folders (with this appid),
   * or with no platform, the project's own (README.md, mesibo.json, …).
   */
  clashes(platforms: readonly PlatformId[], appId: string): string[];
}

export type InspectFolder = (targetPath: string) => FolderFacts;

/** Plan collection without a disk to look at (tests): every folder is free. */
export const FREE_FOLDERS: InspectFolder = () => ({ state: 'free', entries: [], clashes: () => [] });

/** What the folder questions read from the command line. */
export interface KnownFolder {
  cwd: string;
  dir?: string;
  platforms?: readonly PlatformId[];
  appId?: string;
  /** --force: adding to a non-empty folder was chosen on the command line. */
  force: boolean;
  inspect: InspectFolder;
  /** Where a backslash is a path separator (win32) or a mistake (default: this process's platform). */
  platform?: NodeJS.Platform;
}

export interface FolderAnswers {
  dir?: string;
  /** For a non-empty folder: choose another one, or put the project beside the files there. */
  existing?: 'new' | 'beside';
  newDir?: string;
}

const SHOWN = 5;
const list = (names: readonly string[]) =>
  names.slice(0, SHOWN).map((n) => echo(n, 40)).join(', ') + (names.length > SHOWN ? `, … (${names.length} in all)` : '');

/** The folder first named, on the command line or at the first question. */
const named = (known: KnownFolder, a: FolderAnswers) => known.dir ?? a.dir ?? DEFAULT_DIR;

/** The project's folder once the folder questions are answered. */
export function chosenFolder(known: KnownFolder, a: FolderAnswers): string {
  return a.newDir ?? named(known, a);
}

/** True when the project goes beside existing files, so each file it writes must be new there. */
export function besideExisting(known: KnownFolder, a: FolderAnswers): boolean {
  return known.force || a.existing === 'beside';
}

export function folderQuestions(known: KnownFolder): PromptQuestion[] {
  const facts = (dir: string) => known.inspect(path.resolve(known.cwd, dir));
  const checked = (dir: string, taken: (f: FolderFacts) => string | undefined): true | string => {
    const foreign = foreignPathProblem(dir.trim(), 'The folder', known.platform);
    if (foreign) return foreign;
    const verdict = promptValidator(parseTargetDir)(dir);
    return verdict !== true ? verdict : (taken(facts(dir)) ?? true);
  };
  const questions: PromptQuestion[] = [];
  if (known.dir === undefined) {
    questions.push({
      type: 'input',
      name: 'dir',
      message: 'Project folder',
      default: DEFAULT_DIR,
      validate: (v: string) => checked(v, (f) => (f.state === 'unusable' ? `${echo(v)} ${f.unusable}. Give another folder name.` : undefined)),
    });
  }
  // A free folder from the command line needs no question at all (nor the prompt library loaded for one).
  if (known.dir !== undefined && facts(known.dir).state === 'free') return questions;
  questions.push({
    type: 'list',
    name: 'existing',
    when: (a: FolderAnswers) => !known.force && facts(named(known, a)).state === 'non-empty',
    message: (a: FolderAnswers) => `${echo(named(known, a))} is not empty (${list(facts(named(known, a)).entries)}). What now?`,
    choices: (a: FolderAnswers) => [
      { name: 'Choose a new folder name', value: 'new' },
      {
        name: 'Add the project beside the files there (nothing there is overwritten or deleted)',
        value: 'beside',
        disabled: besideBlocked(known, facts(named(known, a)), named(known, a)),
      },
    ],
    default: 'new',
  });
  questions.push({
    type: 'input',
    name: 'newDir',
    // A file given on the command line gets this question too: there is nothing to add the project beside.
    when: (a: FolderAnswers) => a.existing === 'new' || facts(named(known, a)).state === 'unusable',
    message: (a: FolderAnswers) => {
      const f = facts(named(known, a));
      return f.state === 'unusable' ? `${echo(named(known, a))} ${f.unusable}. Project folder` : 'New project folder';
    },
    default: (a: FolderAnswers) => freeName(named(known, a), (dir) => facts(dir).state === 'free'),
    validate: (v: string) =>
      checked(v, (f) =>
        f.state === 'free' ? undefined : `${echo(v)} ${f.unusable ?? 'is not empty either'}. Give the name of a new or empty folder.`,
      ),
  });
  return questions;
}

/** Why the project cannot go beside what is there (shown beside the choice), or false. */
function besideBlocked(known: KnownFolder, facts: FolderFacts, dir: string): string | false {
  const appId = known.appId ?? defaultAppId(dir, known.cwd);
  const always = facts.clashes([], appId);
  if (always.length > 0) return `not possible: it already has ${list(always)}`;
  const candidates = known.platforms ?? ALL_PLATFORMS.map((p) => p.id);
  const blocked = candidates.filter((id) => facts.clashes([id], appId).length > 0);
  const allBlocked = known.platforms ? blocked.length > 0 : blocked.length === candidates.length;
  return allBlocked ? `not possible: its ${blocked.map((id) => `${id}/`).join(', ')} already hold files the starters write` : false;
}

/** `chat` -> the first free of chat-2, chat-3, …; for `.` (the current folder) a folder inside it. */
function freeName(dir: string, isFree: (dir: string) => boolean): string | undefined {
  const stem = dir.replace(/[\\/]+$/, '');
  const base = stem === '.' || stem === '' ? DEFAULT_DIR : stem;
  const candidates = [...(base === stem ? [] : [base]), ...Array.from({ length: 98 }, (_, i) => `${base}-${i + 2}`)];
  return candidates.find((c) => promptValidator(parseTargetDir)(c) === true && isFree(c));
}
