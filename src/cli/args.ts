/**
 * Command-line parsing. Flag names come from here and the platform registry only; help text is built
 * from the same table so it cannot drift from what is accepted.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ALL_PLATFORMS } from '../platforms';
import { UsageError } from '../errors';
import type { CreateArgs } from '../plan/create-plan';
import type { RefreshArgs } from '../plan/refresh-plan';
import type { SandboxArgs } from '../commands/sandbox';

// Each command's flags are declared where they are used (plan collection, refresh's plan, the
// sandbox command); this module only fills them in.
export type { CreateArgs } from '../plan/create-plan';
export type { RefreshArgs } from '../plan/refresh-plan';
export type { SandboxArgs } from '../commands/sandbox';

export type ParsedArgs =
  | CreateArgs
  | SandboxArgs
  | RefreshArgs
  | { command: 'help'; topic?: 'create' | 'sandbox' | 'refresh' }
  | { command: 'version' };

type Options = NonNullable<ParseArgsConfig['options']>;

const common: Options = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  verbose: { type: 'boolean' },
};

const tokenOptions: Options = {
  'api-url': { type: 'string' },
  'allow-http': { type: 'boolean' },
  'app-token-file': { type: 'string' },
  'token-expiry': { type: 'string' },
  sandbox: { type: 'boolean' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
};

const createOptions: Options = {
  ...common,
  ...tokenOptions,
  name: { type: 'string' },
  platforms: { type: 'string' },
  'app-id': { type: 'string' },
  ...Object.fromEntries(ALL_PLATFORMS.map((p) => [p.appIdFlag.slice(2), { type: 'string' as const }])),
  users: { type: 'string' },
  force: { type: 'boolean' },
  'no-git': { type: 'boolean' },
};

const SUBCOMMANDS = ['sandbox', 'refresh'] as const;

function parse(argv: string[], options: Options, allowPositionals: number) {
  let result;
  try {
    result = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(explainParseError(error as Error));
  }
  if (result.positionals.length > allowPositionals) {
    const extra = result.positionals.slice(allowPositionals).map((p) => JSON.stringify(p)).join(', ');
    throw new UsageError(
      `Unexpected argument ${extra}. Give at most ${allowPositionals === 1 ? 'one folder' : 'no arguments'}; ` +
        'quote a folder name that contains spaces, and separate list values with commas, like --users 123,456.',
    );
  }
  return result;
}

/** Node's parseArgs messages are terse; say which flag and what to do instead. Never echo a value. */
function explainParseError(error: Error): string {
  const flag = /'(-{1,2}[^' =]+)/.exec(error.message)?.[1];
  const code = (error as NodeJS.ErrnoException).code;
  if (flag && /^--app-token(=|$)/.test(flag)) return appTokenFlagMessage();
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    return `Unknown option ${flag}. Run create-mesibo-app --help to see every option.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag && /does not take/.test(error.message)) {
    return `Option ${flag} is a switch and takes no value; write just ${flag}.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return `Option ${flag} needs a value, like ${flag} <value>. Run create-mesibo-app --help for details.`;
  }
  return `${error.message}. Run create-mesibo-app --help to see every option.`;
}

export function appTokenFlagMessage(): string {
  return (
    'The App Token is not accepted as a command-line value: it would stay in your shell history and be ' +
    'visible to other users in the process list. Set it in the environment (MESIBO_APP_TOKEN=...) or put it ' +
    'in a file and pass --app-token-file <path>; without either you will be asked for it (masked). ' +
    'Use --sandbox to try everything without an App Token.'
  );
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  // Refuse --app-token in any spelling before anything else looks at the value.
  if (argv.some((a) => /^--app-token(=|$)/.test(a))) throw new UsageError(appTokenFlagMessage());
  const sub = SUBCOMMANDS.find((s) => s === argv[0]);
  const rest = sub ? argv.slice(1) : argv;
  if (sub === 'sandbox') {
    const { values } = parse(rest, { ...common, port: { type: 'string' } }, 0);
    if (values.help) return { command: 'help', topic: 'sandbox' };
    if (values.version) return { command: 'version' };
    return { command: 'sandbox', port: values.port as string | undefined, verbose: Boolean(values.verbose) };
  }
  if (sub === 'refresh') {
    const { values, positionals } = parse(rest, { ...common, ...tokenOptions }, 1);
    if (values.help) return { command: 'help', topic: 'refresh' };
    if (values.version) return { command: 'version' };
    return {
      command: 'refresh',
      dir: positionals[0],
      apiUrl: values['api-url'] as string | undefined,
      allowHttp: Boolean(values['allow-http']),
      appTokenFile: values['app-token-file'] as string | undefined,
      tokenExpiry: values['token-expiry'] as string | undefined,
      sandbox: Boolean(values.sandbox),
      json: Boolean(values.json),
      yes: Boolean(values.yes),
      verbose: Boolean(values.verbose),
    };
  }
  const { values, positionals } = parse(rest, createOptions, 1);
  if (values.help) return { command: 'help', topic: 'create' };
  if (values.version) return { command: 'version' };
  const platformAppIds: CreateArgs['platformAppIds'] = {};
  for (const p of ALL_PLATFORMS) {
    const value = values[p.appIdFlag.slice(2)];
    if (typeof value === 'string') platformAppIds[p.id] = value;
  }
  return {
    command: 'create',
    dir: positionals[0],
    name: values.name as string | undefined,
    platforms: values.platforms as string | undefined,
    appId: values['app-id'] as string | undefined,
    platformAppIds,
    users: values.users as string | undefined,
    tokenExpiry: values['token-expiry'] as string | undefined,
    apiUrl: values['api-url'] as string | undefined,
    allowHttp: Boolean(values['allow-http']),
    appTokenFile: values['app-token-file'] as string | undefined,
    sandbox: Boolean(values.sandbox),
    force: Boolean(values.force),
    git: !values['no-git'],
    json: Boolean(values.json),
    yes: Boolean(values.yes),
    verbose: Boolean(values.verbose),
  };
}
