/**
 * Command-line parsing. Flag names come from here and the platform registry only; help text is built
 * from the same table so it cannot drift from what is accepted. A command is one entry of COMMANDS:
 * its options, how many positionals it takes, and how its parsed values become typed args.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ALL_PLATFORMS } from '../platforms';
import { UsageError } from '../errors';
import { echo } from '../output/redact';
import type { CreateArgs } from '../plan/create-plan';
import type { RefreshArgs } from '../plan/refresh-plan';
import type { SandboxArgs } from '../commands/sandbox';
import type { DoctorArgs } from '../commands/doctor';
import type { AnnounceArgs, WorkshopArgs } from '../workshop/workshop-plan';
import { closest, nearCommand } from './suggest';
import { foreignPathProblem } from '../plan/path-input';
import { commandWord } from '../report/invocation';

// Each command's flags are declared where they are used (plan collection, refresh's plan, the
// sandbox command); this module only fills them in.
export type { CreateArgs } from '../plan/create-plan';
export type { RefreshArgs } from '../plan/refresh-plan';
export type { SandboxArgs } from '../commands/sandbox';
export type { DoctorArgs } from '../commands/doctor';
export type { AnnounceArgs, WorkshopArgs } from '../workshop/workshop-plan';

/** `create` is the command without a name: `create-mesibo-app [dir]`. */
export type HelpTopic = 'create' | SubcommandName;

export type ParsedArgs =
  | CreateArgs
  | SandboxArgs
  | RefreshArgs
  | DoctorArgs
  | WorkshopArgs
  | AnnounceArgs
  | { command: 'help'; topic?: HelpTopic }
  | { command: 'version' };

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

const common: Options = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  verbose: { type: 'boolean' },
};

/** The flags of every command that calls the backend with the App Token. */
const backendOptions: Options = {
  'api-url': { type: 'string' },
  'allow-http': { type: 'boolean' },
  'app-token-file': { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
};

/** Those, and the flags of the commands that issue tokens. */
const tokenOptions: Options = {
  ...backendOptions,
  'token-expiry': { type: 'string' },
  sandbox: { type: 'boolean' },
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
  'no-ai': { type: 'boolean' },
};

interface Command {
  options: Options;
  /** At most this many positionals (0 or 1). */
  positionals: number;
  build(values: Values, positionals: string[]): ParsedArgs;
}

const str = (v: unknown) => v as string | undefined;

/** What `backendOptions` (and `common`'s --verbose) parse into. */
const backendValues = (values: Values) => ({
  apiUrl: str(values['api-url']),
  allowHttp: Boolean(values['allow-http']),
  appTokenFile: str(values['app-token-file']),
  json: Boolean(values.json),
  yes: Boolean(values.yes),
  verbose: Boolean(values.verbose),
});

/** What `tokenOptions` (and --verbose) parse into, for every command that issues tokens. */
const tokenValues = (values: Values) => ({
  ...backendValues(values),
  tokenExpiry: str(values['token-expiry']),
  sandbox: Boolean(values.sandbox),
});

/** The per-platform appid flags given (--android-app-id, …), by platform. */
function platformAppIdValues(values: Values): CreateArgs['platformAppIds'] {
  const platformAppIds: CreateArgs['platformAppIds'] = {};
  for (const p of ALL_PLATFORMS) {
    const value = values[p.appIdFlag.slice(2)];
    if (typeof value === 'string') platformAppIds[p.id] = value;
  }
  return platformAppIds;
}

/** The named commands, `create-mesibo-app <name> …`; anything else is create's folder. */
const COMMANDS = {
  sandbox: {
    options: { ...common, port: { type: 'string' }, 'web-port': { type: 'string' } },
    positionals: 1,
    build: (values, positionals) => ({
      command: 'sandbox',
      dir: positionals[0],
      port: str(values.port),
      webPort: str(values['web-port']),
      verbose: Boolean(values.verbose),
    }),
  },
  refresh: {
    options: { ...common, ...tokenOptions },
    positionals: 1,
    build: (values, positionals) => ({ command: 'refresh', dir: positionals[0], ...tokenValues(values) }),
  },
  doctor: {
    options: { ...common, json: { type: 'boolean' } },
    positionals: 1,
    build: (values, positionals) => ({ command: 'doctor', dir: positionals[0], json: Boolean(values.json), verbose: Boolean(values.verbose) }),
  },
  workshop: {
    options: {
      ...common,
      ...tokenOptions,
      seats: { type: 'string' },
      roster: { type: 'string' },
      platforms: { type: 'string' },
      'app-id': { type: 'string' },
      ...Object.fromEntries(ALL_PLATFORMS.map((p) => [p.appIdFlag.slice(2), { type: 'string' as const }])),
      host: { type: 'string' },
      zip: { type: 'boolean' },
    },
    positionals: 1,
    build: (values, positionals) => ({
      command: 'workshop',
      dir: positionals[0],
      seats: str(values.seats),
      roster: str(values.roster),
      platforms: str(values.platforms),
      appId: str(values['app-id']),
      platformAppIds: platformAppIdValues(values),
      host: str(values.host),
      zip: Boolean(values.zip),
      ...tokenValues(values),
    }),
  },
  // Two words: `create-mesibo-app workshop announce [dir]` (parseCommandLine matches both).
  'workshop announce': {
    options: { ...common, ...backendOptions, text: { type: 'string' } },
    positionals: 1,
    build: (values, positionals) => ({ command: 'workshop-announce', dir: positionals[0], text: str(values.text), ...backendValues(values) }),
  },
} satisfies Record<string, Command>;

type SubcommandName = keyof typeof COMMANDS;
export const SUBCOMMANDS = Object.keys(COMMANDS) as SubcommandName[];

const create: Command = {
  options: createOptions,
  positionals: 1,
  build: (values, positionals) => ({
    command: 'create',
    dir: positionals[0],
    name: str(values.name),
    platforms: str(values.platforms),
    appId: str(values['app-id']),
    platformAppIds: platformAppIdValues(values),
    users: str(values.users),
    force: Boolean(values.force),
    git: !values['no-git'],
    ai: !values['no-ai'],
    ...tokenValues(values),
  }),
};

function commandOf(topic: HelpTopic): Command {
  return topic === 'create' ? create : COMMANDS[topic];
}

/**
 * `program` is how this run was started (src/report/invocation.ts): the hints in errors repeat it.
 * `platform` decides whether `C:\x` or `a\b` is a path (Windows) or a mistake (everywhere else).
 */
export function parseCommandLine(argv: string[], program = 'create-mesibo-app', platform: NodeJS.Platform = process.platform): ParsedArgs {
  // Refuse --app-token in any spelling before anything else looks at the value.
  if (argv.some((a) => /^--app-token(=|$)/.test(a))) throw new UsageError(appTokenFlagMessage());
  if (argv[0] === 'help') return helpCommand(argv.slice(1), program);
  const name = argv[0] === 'workshop' && argv[1] === 'announce' ? 'workshop announce' : SUBCOMMANDS.find((s) => s === argv[0]);
  const topic: HelpTopic = name ?? 'create';
  const command = commandOf(topic);
  const { values, positionals } = parse(argv.slice(name ? name.split(' ').length : 0), command.options, command.positionals, topic, program);
  if (values.help) return { command: 'help', topic };
  if (values.version) return { command: 'version' };
  if (topic === 'create' && positionals[0] !== undefined) refuseNearCommand(positionals[0], program);
  const dir = positionals[0];
  const foreign = dir === undefined ? undefined : foreignPathProblem(dir, 'The folder', platform);
  if (foreign) throw new UsageError(foreign);
  return command.build(values, positionals);
}

/**
 * `create-mesibo-app refesh` is a mistyped command far more often than a project folder named refesh: it is
 * refused (nothing asked, nothing written), and the folder stays reachable as `./refesh`.
 */
function refuseNearCommand(word: string, program: string): void {
  const meant = nearCommand(word, SUBCOMMANDS);
  if (meant === undefined) return;
  const folder = `To create a project in a folder named ${echo(word, 40)}, write it as a path: \`${program} ${commandWord(`./${word}`)}\``;
  if (word === meant) throw new UsageError(`${meant} is a command, so it goes first (see \`${program} ${meant} --help\`). ${folder}`);
  throw new UsageError(
    `There is no command ${echo(word, 40)} (did you mean \`${meant}\`? See \`${program} ${meant} --help\`). ${folder}`,
  );
}

/** `create-mesibo-app help [command]`. A folder named "help" is still possible: `create-mesibo-app ./help`. */
function helpCommand(rest: string[], program: string): ParsedArgs {
  const words = rest.filter((a) => !/^-/.test(a));
  const word = words.join(' ') === 'workshop announce' ? 'workshop announce' : words[0];
  if (words.length > 1 && word !== 'workshop announce') throw new UsageError(`help takes at most one command, like: ${program} help refresh.`);
  if (word === undefined || word === 'create') return { command: 'help', topic: 'create' };
  const topic = SUBCOMMANDS.find((s) => s === word);
  if (topic) return { command: 'help', topic };
  const near = closest(word, ['create', ...SUBCOMMANDS]);
  throw new UsageError(
    `There is no command ${echo(word, 40)}${near ? ` (did you mean ${near}?)` : ''}. ` +
      `Commands: ${['create (the default)', ...SUBCOMMANDS].join(', ')}; run ${program} help <command>.`,
  );
}

function parse(argv: string[], options: Options, allowPositionals: number, topic: HelpTopic, program: string) {
  let result;
  try {
    result = parseArgs({ args: negativeValues(argv, options), options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(explainParseError(error as Error, options, topic, program));
  }
  refuseRepeats(result.tokens, options);
  if (result.positionals.length > allowPositionals) {
    const extra = result.positionals.slice(allowPositionals).map((p) => echo(p, 40)).join(', ');
    throw new UsageError(
      `Unexpected argument ${extra}. Give at most ${allowPositionals === 1 ? 'one folder' : 'no arguments'}; ` +
        'quote a folder name that contains spaces, and separate list values with commas, like --users 123,456.',
    );
  }
  return result as { values: Values; positionals: string[] };
}

/**
 * `--token-expiry -5` as `--token-expiry=-5`: a value that looks like a negative number is a value, so
 * the validator can say what is wrong with it (parseArgs would call it a missing value).
 */
function negativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return [...out, ...argv.slice(i)];
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : Object.keys(options).find((k) => arg === `-${options[k]!.short}`);
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** A value flag given twice is a mistake (which one was meant?), never silently the last one. */
function refuseRepeats(tokens: ReadonlyArray<{ kind: string; name?: string }> | undefined, options: Options): void {
  const seen = new Set<string>();
  for (const token of tokens ?? []) {
    if (token.kind !== 'option' || options[token.name!]?.type !== 'string') continue;
    if (seen.has(token.name!)) {
      const list = ({ users: '123,456', platforms: 'web,python' } as Record<string, string>)[token.name!];
      const hint = list ? `, with its values separated by commas (like --${token.name} ${list})` : '';
      throw new UsageError(`--${token.name} was given more than once; give it once${hint}.`);
    }
    seen.add(token.name!);
  }
}

/** Node's parseArgs messages are terse; say which flag and what to do instead. Never echo a value. */
function explainParseError(error: Error, options: Options, topic: HelpTopic, program: string): string {
  // Node names a flag with a short form as '-y, --yes': the long name is the one to show.
  const flag = /'(?:-[^-' ,], )?(-{1,2}[^' =,]+)/.exec(error.message)?.[1];
  const code = (error as NodeJS.ErrnoException).code;
  const help = topic === 'create' ? `${program} --help` : `${program} ${topic} --help`;
  if (flag && /^--app-token(=|$)/.test(flag)) return appTokenFlagMessage();
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) return unknownOption(flag, options, topic, help, program);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag && /does not take/.test(error.message)) {
    return `Option ${flag} is a switch and takes no value: write just ${flag} to turn it on, and leave it out to keep it off.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return `Option ${flag} needs a value, like ${flag} <value>. Run ${help} for details.`;
  }
  return `${error.message}. Run ${help} to see every option.`;
}

function unknownOption(flag: string, options: Options, topic: HelpTopic, help: string, program: string): string {
  const shown = echo(flag, 40).slice(1, -1);
  const long = Object.keys(options).map((o) => `--${o}`);
  const near = flag.startsWith('--') ? closest(flag, long) : undefined;
  if (near) return `Unknown option ${shown} (did you mean ${near}?). Run ${help} to see every option.`;
  const elsewhere = (['create', ...SUBCOMMANDS] as HelpTopic[]).find((t) => t !== topic && flag.slice(2) in commandOf(t).options);
  const where = elsewhere === 'create' ? 'creating a project' : `${program} ${elsewhere}`;
  if (elsewhere && flag.startsWith('--')) return `Option ${shown} is for ${where}, not for ${topic === 'create' ? 'creating a project' : topic}. Run ${help} to see its options.`;
  return `Unknown option ${shown}. Run ${help} to see every option.`;
}

export function appTokenFlagMessage(): string {
  return (
    'The App Token is not accepted as a command-line value: it would stay in your shell history and be ' +
    'visible to other users in the process list. Set it in the environment (MESIBO_APP_TOKEN=...) or put it ' +
    'in a file and pass --app-token-file <path>; without either you will be asked for it (masked). ' +
    'Use --sandbox to try everything without an App Token.'
  );
}
