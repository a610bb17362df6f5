/**
 * The questions of plan collection, built from the platform registry and checked by the very parsers the
 * flags use (src/validators.ts). Only what the command line left open is asked, and a question names only
 * the platforms chosen. The folder's questions are in folder-questions.ts.
 */
import path from 'node:path';
import type { PromptQuestion } from 'node-plop';
import { ALL_PLATFORMS, DEFAULT_PLATFORM_IDS, PLATFORMS, hasAppId, type PlatformId } from '../platforms';
import { parseAppId, parseName, parseUsers, promptValidator } from '../validators';
import { DEFAULT_USERS, defaultAppId, defaultName } from '../defaults';
import { besideExisting, chosenFolder, folderQuestions, type FolderAnswers, type KnownFolder } from './folder-questions';

export interface Known extends KnownFolder {
  name?: string;
  /** Platforms whose appid came from a per-platform flag (the shared question does not apply to them). */
  overridden: readonly PlatformId[];
  users?: readonly string[];
  /** The backend is settled: --sandbox, --api-url, or an App Token in the environment or a file. */
  backendKnown: boolean;
}

export interface Answers extends FolderAnswers {
  name?: string;
  platforms?: PlatformId[];
  appId?: string;
  users?: string;
  /** How the users are created, when no App Token was given. */
  backend?: 'sandbox' | 'app-token';
}

/** Where the App Token is, for the choice and for the masked prompt. */
export const APP_TOKEN_WHERE = 'console.mesibo.com → the application → App Token';

export function createQuestions(known: Known): PromptQuestion[] {
  const questions: PromptQuestion[] = folderQuestions(known);
  // Defaults for later questions derive from the folder, whether given as a flag or answered first.
  const folderOf = (a: Answers) => chosenFolder(known, a);
  const facts = (a: Answers) => known.inspect(path.resolve(known.cwd, folderOf(a)));
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
      // Beside existing files, a platform whose folder there already holds a file it writes cannot be chosen.
      choices: (a: Answers) =>
        ALL_PLATFORMS.map((p) => {
          const clash = besideExisting(known, a) ? facts(a).clashes([p.id], known.appId ?? defaultAppId(folderOf(a), known.cwd))[0] : undefined;
          return { name: p.label, value: p.id, checked: p.byDefault && clash === undefined, disabled: clash === undefined ? false : `${clash} is there already` };
        }),
      validate: (chosen: PlatformId[]) =>
        chosen.some(hasAppId)
          ? true
          : chosen.length > 0
            ? 'The token server mints tokens for the other starters: choose at least one of them too (space toggles).'
            : 'Choose at least one platform (space toggles).',
    });
  }
  if (known.appId === undefined) {
    questions.push({
      type: 'input',
      name: 'appId',
      message: (a: Answers) => appIdMessage(sharedAppIdPlatforms(known, a)),
      default: (a: Answers) => defaultAppId(folderOf(a), known.cwd),
      // Only platforms without their own override flag take this appid.
      when: (a: Answers) => sharedAppIdPlatforms(known, a).length > 0,
      validate: (value: string, a: Answers = {}) => {
        for (const id of sharedAppIdPlatforms(known, a)) {
          const verdict = promptValidator(parseAppId(id, true))(value);
          if (verdict !== true) return verdict;
        }
        const clash = besideExisting(known, a) ? facts(a).clashes(chosenPlatforms(known, a), value)[0] : undefined;
        return clash === undefined ? true : `With this appid the project would write ${clash}, which is there already. Give another appid.`;
      },
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
  if (!known.backendKnown) {
    questions.push({
      type: 'list',
      name: 'backend',
      message: 'How should the users and their tokens be created?',
      choices: [
        { name: 'Try it locally with the built-in sandbox (no account)', value: 'sandbox' },
        { name: `Use my mesibo App Token (${APP_TOKEN_WHERE})`, value: 'app-token' },
      ],
      default: 'sandbox',
    });
  }
  return questions;
}

function chosenPlatforms(known: Known, a: Answers): readonly PlatformId[] {
  return known.platforms ?? a.platforms ?? DEFAULT_PLATFORM_IDS;
}

function sharedAppIdPlatforms(known: Known, a: Answers): PlatformId[] {
  return chosenPlatforms(known, a).filter((id) => hasAppId(id) && !known.overridden.includes(id));
}

/**
 * "App id (Android package name / iOS bundle id / app name for Web and Python)", naming only these
 * platforms: what the appid is on each, in the words of its appid rule.
 */
export function appIdMessage(ids: readonly PlatformId[]): string {
  const short = (id: PlatformId) => PLATFORMS[id].label.replace(/ \(.*\)$/, '');
  const ruled = (rule: string) => ids.filter((id) => PLATFORMS[id].appIdRule === rule).map(short);
  const parts = [
    ...ruled('java-package').map((name) => `${name} package name`),
    ...ruled('bundle-id').map((name) => `${name} bundle id`),
  ];
  const named = ruled('app-name');
  if (named.length > 0) parts.push(`app name for ${named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0]}`);
  return `App id (${parts.join(' / ')})`;
}

export function appTokenQuestion(): PromptQuestion {
  return {
    type: 'password',
    name: 'appToken',
    // No mask character: one `*` per typed character would show the App Token's length.
    message: `mesibo App Token (${APP_TOKEN_WHERE}; input hidden)`,
    validate: (v: string) => (v.trim() !== '' ? true : `Paste the App Token: ${APP_TOKEN_WHERE}.`),
  };
}
