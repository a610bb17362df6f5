/**
 * The top level: parse, dispatch, and turn every failure into one clear paragraph and an exit code.
 * Stack traces only with --verbose; every line printed goes through the redactor.
 */
import { parseCommandLine, type ParsedArgs } from './cli/args';
import { CliError } from './errors';
import { createPrinter, type Stream } from './output/printer';
import { Redactor } from './output/redact';
import { installInterruptGuard } from './interrupt';
import { plopPrompter } from '../generators/prompter';
import { tuningFromEnv } from './tuning';
import type { AppContext, Prompter } from './app-context';
import { VERSION } from './version';
import { detectInvocation } from './report/invocation';
import { registerEnvironmentAppToken } from './app-token';

export interface MainIo {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: { isTTY?: boolean };
  stdout: Stream;
  stderr: Stream;
  prompt?: Prompter;
  /** The clock (tests inject one to check expiry). */
  now?: () => Date;
  exit: (code: number) => never;
}

export async function main(io: MainIo): Promise<number> {
  const redactor = new Redactor();
  const wantsJson = io.argv.includes('--json');
  const verbose = io.argv.includes('--verbose');
  const printer = createPrinter({ stdout: io.stdout, stderr: io.stderr, json: wantsJson, env: io.env, redactor, verbose });
  const interrupts = installInterruptGuard((message) => printer.error(message), io.exit);
  try {
    // Secrets known from the start (MESIBO_APP_TOKEN) are masked at once, and refused on the command line.
    redactor.watchInputs(io.argv);
    registerEnvironmentAppToken(io.env, redactor);
    // How this run was started, so that every hint that runs the tool again works as printed.
    const program = detectInvocation(io.env).command;
    const args = parseCommandLine(io.argv, program);
    if (args.command === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (args.command === 'help') {
      io.stdout.write((await import('./cli/help')).helpFor(args.topic, program));
      return 0;
    }
    const ctx: AppContext = {
      cwd: io.cwd,
      env: io.env,
      interactive: isInteractive(args, io),
      prompt: io.prompt ?? plopPrompter,
      printer,
      redactor,
      interrupts,
      tuning: tuningFromEnv(io.env),
      verbose,
      now: io.now ?? (() => new Date()),
    };
    return await dispatch(args, ctx);
  } catch (error) {
    const code = report(error, printer, verbose);
    // Scripts reading --json get a machine-readable failure too (the message is already redacted), with
    // the error's own data if it has any (a partial provisioning failure lists the users created).
    const details = (error as { details?: Record<string, unknown> })?.details;
    if (wantsJson) printer.json({ ok: false, exitCode: code, error: (error as Error)?.message ?? String(error), ...details });
    return code;
  } finally {
    printer.close();
    interrupts.dispose();
  }
}

async function dispatch(args: Exclude<ParsedArgs, { command: 'help' | 'version' }>, ctx: AppContext): Promise<number> {
  switch (args.command) {
    case 'create':
      return (await import('./commands/create')).runCreate(args, ctx);
    case 'sandbox':
      return (await import('./commands/sandbox')).runSandbox(args, ctx);
    case 'refresh':
      return (await import('./commands/refresh')).runRefresh(args, ctx);
    case 'workshop':
      return (await import('./commands/workshop')).runWorkshop(args, ctx);
    case 'workshop-announce':
      return (await import('./commands/workshop')).runAnnounce(args, ctx);
    case 'doctor':
      return (await import('./commands/doctor')).runDoctor(args, ctx);
  }
}

/** No prompt ever appears with --yes, --json, CI set, or stdin not a terminal. */
function isInteractive(args: ParsedArgs, io: MainIo): boolean {
  const flags = args as { yes?: boolean; json?: boolean };
  return Boolean(io.stdin.isTTY) && !flags.yes && !flags.json && !io.env.CI;
}

function report(error: unknown, printer: ReturnType<typeof createPrinter>, verbose: boolean): number {
  if (error instanceof CliError) {
    printer.error(error.message);
    if (verbose && error.cause) printer.error(String((error.cause as Error).stack ?? error.cause));
    return error.exitCode;
  }
  printer.error(
    `Unexpected error: ${(error as Error)?.message ?? String(error)}. ` +
      'This is a bug in create-mesibo-app; rerun with --verbose and report the output (it never contains your App Token).',
  );
  if (verbose) printer.error(String((error as Error)?.stack ?? error));
  return 1;
}
