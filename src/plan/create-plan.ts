/**
 * Step 1 of create: flags, environment and (when interactive) answers become one validated, frozen Plan.
 * Flags are checked before any question is asked, and nothing here touches the network or writes.
 */
import path from 'node:path';
import type { Prompter } from '../app-context';
import { UsageError } from '../errors';
import { DEFAULT_PLATFORM_IDS, PLATFORMS, hasAppId, type PlatformId } from '../platforms';
import { DEFAULT_API_URL, DEFAULT_DIR, DEFAULT_EXPIRY_MINUTES, DEFAULT_USERS, defaultAppId, defaultName, userDisplayName } from '../defaults';
import { fromFlag, parseAppId, parseExpiry, parseName, parsePlatforms, parseTargetDir, parseUsers } from '../validators';
import { checkEndpoint } from '../backend/endpoint-policy';
import { frozenPlan, type Plan } from './plan';
import { createQuestions, type Answers, type Known } from './questions';
import { besideExisting, chosenFolder, FREE_FOLDERS, type InspectFolder } from './folder-questions';

/** create's flags as src/cli/args.ts parsed them: raw strings, checked here. */
export interface CreateArgs {
  command: 'create';
  dir?: string;
  name?: string;
  platforms?: string;
  appId?: string;
  platformAppIds: Partial<Record<PlatformId, string>>;
  users?: string;
  tokenExpiry?: string;
  apiUrl?: string;
  /** --allow-http: plain http to a backend that is not this machine (see backend/endpoint-policy.ts). */
  allowHttp?: boolean;
  appTokenFile?: string;
  sandbox: boolean;
  force: boolean;
  git: boolean;
  /** --no-ai: no AGENTS.md (create-astro's flag of the same name is the model). */
  ai?: boolean;
  json: boolean;
  yes: boolean;
  verbose: boolean;
}

export interface CollectIo {
  cwd: string;
  interactive: boolean;
  prompt: Prompter;
  /** An App Token is in the environment or a file: the backend question is not asked. */
  appTokenGiven?: boolean;
  /** What is at a folder, for the folder's questions (default: every folder free). */
  inspect?: InspectFolder;
}

export async function collectPlan(args: CreateArgs, io: CollectIo): Promise<Plan> {
  if (args.sandbox && args.apiUrl !== undefined) {
    throw new UsageError(
      '--sandbox and --api-url cannot be used together: the sandbox is its own local backend. ' +
        'Drop --api-url to use the sandbox, or drop --sandbox to use that endpoint.',
    );
  }
  // Check every flag first, so a typo fails before the first question.
  const flag = <T>(name: string, raw: string | undefined, parse: (raw: string) => T) =>
    raw === undefined ? undefined : fromFlag(name, raw, parse);
  const known: Known = {
    cwd: io.cwd,
    dir: flag('the folder argument', args.dir, parseTargetDir),
    name: flag('--name', args.name, parseName),
    platforms: flag('--platforms', args.platforms, parsePlatforms),
    appId: args.appId,
    overridden: Object.keys(args.platformAppIds) as PlatformId[],
    users: flag('--users', args.users, parseUsers),
    force: args.force,
    backendKnown: args.sandbox || args.apiUrl !== undefined || Boolean(io.appTokenGiven),
    inspect: io.inspect ?? FREE_FOLDERS,
  };
  for (const [id, value] of Object.entries(args.platformAppIds) as Array<[PlatformId, string]>) {
    if (!hasAppId(id)) {
      throw new UsageError(
        `${PLATFORMS[id].appIdFlag} was given, but the token server has no appid of its own: it mints tokens for the ` +
          'appids of the other platforms. Drop the flag.',
      );
    }
    fromFlag(PLATFORMS[id].appIdFlag, value, parseAppId(id, false));
  }
  const tokenExpiryMinutes = flag('--token-expiry', args.tokenExpiry, parseExpiry) ?? DEFAULT_EXPIRY_MINUTES;
  const apiUrl = args.apiUrl === undefined ? undefined : checkEndpoint(args.apiUrl, { flag: '--api-url', allowHttp: Boolean(args.allowHttp) });
  const chosenSoFar = known.platforms ?? DEFAULT_PLATFORM_IDS;
  if (known.appId !== undefined) {
    for (const id of chosenSoFar.filter((id) => hasAppId(id) && !known.overridden.includes(id))) fromFlag('--app-id', known.appId, parseAppId(id, true));
  }

  const answers: Answers = io.interactive ? await askMissing(known, io.prompt) : {};

  // Answers were validated by their questions; parsing them again cleans them (trim, split).
  const dir = flag('the folder argument', io.interactive ? chosenFolder(known, answers) : known.dir, parseTargetDir) ?? DEFAULT_DIR;
  const platforms = known.platforms ?? answers.platforms ?? DEFAULT_PLATFORM_IDS;
  const sharedAppId = known.appId ?? answers.appId ?? defaultAppId(dir, io.cwd);
  const users = known.users ?? flag('--users', answers.users, parseUsers) ?? DEFAULT_USERS;
  const withIds = platforms.map((id) => {
    if (!hasAppId(id)) return { id, appId: '' }; // the token server mints for the others' appids
    const own = args.platformAppIds[id];
    const label = known.appId !== undefined ? '--app-id' : 'the default appid';
    return { id, appId: own ?? fromFlag(label, sharedAppId, parseAppId(id, label === '--app-id')) };
  });
  const unused = known.overridden.filter((id) => !platforms.includes(id));
  if (unused.length > 0) {
    const flags = unused.map((id) => PLATFORMS[id].appIdFlag).join(', ');
    throw new UsageError(
      `${flags} was given but ${unused.join(', ')} is not among --platforms ${platforms.join(',')}. ` +
        'Add the platform to --platforms or drop the flag.',
    );
  }

  // The sandbox: asked for on the command line, or chosen at the question (its default).
  const sandbox = args.sandbox || answers.backend === 'sandbox';
  return frozenPlan({
    name: known.name ?? flag('--name', answers.name, parseName) ?? defaultName(dir, io.cwd),
    targetDir: dir,
    targetPath: path.resolve(io.cwd, dir),
    platforms: withIds,
    users: users.map((address) => ({ address, name: userDisplayName(address) })),
    tokenExpiryMinutes,
    // The sandbox's URL is known only once it listens: it is part of what provisioning returns.
    endpoint: sandbox ? '' : (apiUrl ?? DEFAULT_API_URL),
    sandbox,
    force: besideExisting(known, answers),
    git: args.git,
    ai: args.ai !== false,
    json: args.json,
  });
}

async function askMissing(known: Known, prompt: Prompter): Promise<Answers> {
  const questions = createQuestions(known);
  return questions.length === 0 ? {} : ((await prompt(questions)) as Answers);
}
