/**
 * The questions of plan collection, built from the platform registry and validated by the very parsers
 * the flags use (src/validators.ts). Only what the command line left open is asked.
 */
import type { PromptQuestion } from 'node-plop';
import { ALL_PLATFORMS, type PlatformId } from '../platforms';
import { parseAppId, parseName, parseTargetDir, parseUsers, promptValidator } from '../validators';
import { DEFAULT_DIR, DEFAULT_USERS, defaultAppId, defaultName } from '../defaults';

export interface Known {
  /** Where a relative folder is resolved (defaults derive from the folder's name). */
  cwd: string;
  dir?: string;
  name?: string;
  platforms?: readonly PlatformId[];
  appId?: string;
  /** Platforms whose appid came from a per-platform flag (the shared question does not apply to them). */
  overridden: readonly PlatformId[];
  users?: readonly string[];
}

export interface Answers {
  dir?: string;
  name?: string;
  platforms?: PlatformId[];
  appId?: string;
  users?: string;
}

export function createQuestions(known: Known): PromptQuestion[] {
  const questions: PromptQuestion[] = [];
  // Defaults for later questions derive from the folder, whether given as a flag or answered first.
  const folderOf = (a: Answers) => known.dir ?? a.dir ?? DEFAULT_DIR;
  if (known.dir === undefined) {
    questions.push({
      type: 'input',
      name: 'dir',
      message: 'Project folder',
      default: DEFAULT_DIR,
      validate: promptValidator(parseTargetDir),
    });
  }
  if (known.name === undefined) {
    questions.push({
      type: 'input',
      name: 'name',
      message: 'App display name',
      default: (a: Answers) => defaultName(folderOf(a), known.cwd),
      validate: promptValidator(parseName),
    });
  }
  if (known.platforms === undefined) {
    questions.push({
      type: 'checkbox',
      name: 'platforms',
      message: 'Platforms',
      choices: ALL_PLATFORMS.map((p) => ({ name: p.label, value: p.id, checked: true })),
      validate: (chosen: unknown[]) => (chosen.length > 0 ? true : 'Choose at least one platform (space toggles).'),
    });
  }
  if (known.appId === undefined) {
    questions.push({
      type: 'input',
      name: 'appId',
      message: 'App id (Android package name / iOS bundle id)',
      default: (a: Answers) => defaultAppId(folderOf(a), known.cwd),
      // Only platforms without their own override flag take this appid.
      when: (a: Answers) => sharedAppIdPlatforms(known, a).length > 0,
      validate: (value: string, a?: Answers) =>
        promptValidator((v) => sharedAppIdPlatforms(known, a ?? {}).forEach((id) => parseAppId(id, true)(v)))(value),
    });
  }
  if (known.users === undefined) {
    questions.push({
      type: 'input',
      name: 'users',
      message: 'User addresses (comma-separated; the first two are the demo pair)',
      default: DEFAULT_USERS.join(','),
      validate: promptValidator(parseUsers),
    });
  }
  return questions;
}

function sharedAppIdPlatforms(known: Known, answers: Answers): PlatformId[] {
  const chosen = known.platforms ?? answers.platforms ?? ALL_PLATFORMS.map((p) => p.id);
  return chosen.filter((id) => !known.overridden.includes(id));
}

export function appTokenQuestion(): PromptQuestion {
  return {
    type: 'password',
    name: 'appToken',
    mask: '*',
    message: 'mesibo App Token (from the mesibo console; input hidden)',
    validate: (v: string) => (v.trim() !== '' ? true : 'Paste the App Token, or press Ctrl-C and rerun with --sandbox.'),
  };
}
