/**
 * Step 1 of create: flags, environment and (when interactive) answers become one validated Plan.
 * Flags are checked before any question is asked, and nothing here touches the network or writes.
 */
import path from 'node:path';
import type { CreateArgs } from '../cli/args';
import { UsageError } from '../errors';
import type { Plan } from '../plan';
import { ALL_PLATFORMS, PLATFORMS, type PlatformId } from '../platforms';
import { DEFAULT_API_URL, DEFAULT_DIR, DEFAULT_USERS } from '../defaults';
import { DEFAULT_EXPIRY_MINUTES } from '../validate/values';
import { createQuestions, type Answers, type Known } from '../../generators/prompts';
import {
  checkApiUrl,
  checkAppId,
  checkExpiry,
  checkName,
  checkPlatforms,
  checkTargetDir,
  checkUsers,
} from './check-values';
import { defaultAppId, defaultName, userDisplayName } from './defaults';
import type { Prompter } from '../io';

export interface CollectIo {
  cwd: string;
  interactive: boolean;
  prompt: Prompter;
}

export async function collectPlan(args: CreateArgs, io: CollectIo): Promise<Plan> {
  if (args.sandbox && args.apiUrl !== undefined) {
    throw new UsageError(
      '--sandbox and --api-url cannot be used together: the sandbox is its own local backend. ' +
        'Drop --api-url to use the sandbox, or drop --sandbox to use that endpoint.',
    );
  }
  // Check every flag first, so a typo fails before the first question.
  const known: Known = {
    cwd: io.cwd,
    dir: args.dir === undefined ? undefined : checkTargetDir(args.dir),
    name: args.name === undefined ? undefined : checkName(args.name),
    platforms: args.platforms === undefined ? undefined : checkPlatforms(args.platforms),
    appId: args.appId,
    overridden: Object.keys(args.platformAppIds) as PlatformId[],
    users: args.users === undefined ? undefined : checkUsers(args.users),
  };
  for (const [id, value] of Object.entries(args.platformAppIds) as Array<[PlatformId, string]>) {
    checkAppId(id, value, PLATFORMS[id].appIdFlag);
  }
  const tokenExpiryMinutes = args.tokenExpiry === undefined ? DEFAULT_EXPIRY_MINUTES : checkExpiry(args.tokenExpiry);
  const endpoint = args.apiUrl === undefined ? DEFAULT_API_URL : checkApiUrl(args.apiUrl);
  const chosenSoFar = known.platforms ?? ALL_PLATFORMS.map((p) => p.id);
  if (known.appId !== undefined) {
    for (const id of chosenSoFar.filter((id) => !known.overridden.includes(id))) checkAppId(id, known.appId, '--app-id');
  }

  const answers: Answers = io.interactive ? await askMissing(known, io.prompt) : {};

  const dir = known.dir ?? (answers.dir !== undefined ? checkTargetDir(answers.dir) : DEFAULT_DIR);
  const platforms = known.platforms ?? answers.platforms ?? ALL_PLATFORMS.map((p) => p.id);
  const sharedAppId = known.appId ?? answers.appId ?? defaultAppId(dir, io.cwd);
  const users = known.users ?? (answers.users !== undefined ? checkUsers(answers.users) : DEFAULT_USERS);
  const withIds = platforms.map((id) => {
    const own = args.platformAppIds[id];
    return { id, appId: own ?? checkAppId(id, sharedAppId, known.appId !== undefined ? '--app-id' : 'the default appid') };
  });
  const unused = known.overridden.filter((id) => !platforms.includes(id));
  if (unused.length > 0) {
    const flags = unused.map((id) => PLATFORMS[id].appIdFlag).join(', ');
    throw new UsageError(
      `${flags} was given but ${unused.join(', ')} is not among --platforms ${platforms.join(',')}. ` +
        'Add the platform to --platforms or drop the flag.',
    );
  }

  return {
    name: known.name ?? (answers.name !== undefined ? checkName(answers.name) : defaultName(dir, io.cwd)),
    targetDir: dir,
    targetPath: path.resolve(io.cwd, dir),
    platforms: withIds,
    users: users.map((address) => ({ address, name: userDisplayName(address) })),
    tokenExpiryMinutes,
    endpoint,
    sandbox: args.sandbox,
    force: args.force,
    git: args.git,
    json: args.json,
  };
}

async function askMissing(known: Known, prompt: Prompter): Promise<Answers> {
  const questions = createQuestions(known);
  return questions.length === 0 ? {} : ((await prompt(questions)) as Answers);
}
