/**
 * The end of a create: a short summary, then "Done. Now run:" for people, or a JSON summary for scripts.
 * Neither ever holds a token. Commands are printed one to a line, `cd` included, so they run as printed in
 * sh, PowerShell and cmd; they use the package manager and the invocation that ran this tool.
 */
import path from 'node:path';
import { PLATFORMS, type Platform } from '../platforms';
import type { Plan } from '../plan/plan';
import type { Manifest } from '../plan/manifest';
import type { Printer } from '../output/printer';
import { queryValue } from '../render/literals';
import type { RenderedProject } from '../render/project';
import type { GitOutcome } from '../write/git';
import { commandWord, runScript, type Invocation } from './invocation';

/** Where mesibo's developers create applications and find their App Token. */
export const CONSOLE_URL = 'https://console.mesibo.com';

export interface CreateOutcome {
  readonly plan: Plan;
  /** mesibo.json as written: `sandbox` is true for tokens from a backend on this machine. */
  readonly manifest: Manifest;
  readonly cwd: string;
  readonly invocation: Invocation;
}


/** A platform's commands from the project folder, `cd` on its own line, and how to run it as the other user. */
function platformSteps(platform: Platform, plan: Plan, invocation: Invocation): { steps: string[]; other: string[] } {
  const [first, second] = plan.users.map((u) => commandWord(u.address));
  const start = runScript(invocation.agent, 'start');
  const steps = platform.nextSteps({ dir: commandWord(platform.dir), firstUser: first!, secondUser: second!, start });
  const swapped = platform.nextSteps({ dir: commandWord(platform.dir), firstUser: second!, secondUser: first!, start });
  return { steps, other: swapped.filter((line, i) => line !== steps[i]) };
}

/** The starter to try first: the web one (two tabs are two users), else one that runs in a terminal. */
function firstStarter(plan: Plan): Platform {
  const order = ['web', 'python', 'cpp', 'android', 'ios', 'server'];
  return [...plan.platforms].map((p) => PLATFORMS[p.id]).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))[0]!;
}

/** How to run the first starter as both demo users: the lines to type, and what to do after them. */
function tryIt(printer: Printer, platform: Platform, outcome: CreateOutcome, indent: string): void {
  const { plan, invocation } = outcome;
  const [first, second] = plan.users.map((u) => u.address);
  const { steps, other } = platformSteps(platform, plan, invocation);
  for (const step of steps) printer.info(`${indent}${step}`, 'command');
  if (platform.id === 'web') {
    // npm start prints the links itself: each carries that run's key (templates/web/serve.mjs), so a link
    // printed here, without it, would not work.
    printer.info(
      `${indent}then open the two links it prints (?user=${queryValue(first!)} and ?user=${queryValue(second!)}; each holds that run's key), ` +
        'each in its own browser tab, and send a message.',
    );
  } else if (other.length > 0) {
    printer.info(`${indent}and, in a second terminal in the same folder, as the other user:`);
    for (const line of other) printer.info(`${indent}  ${line}`, 'command');
  } else {
    printer.info(`${indent}on two devices or simulators: log in as ${first} on one and ${second} on the other, and send a message.`);
  }
}

/**
 * A sandbox create with the web starter: chat now through the project's own local sandbox (two commands and
 * the two links npm start prints), then the way to mesibo's servers. Every command runs from the folder the
 * create ran in (`sandbox` and `refresh` take the project's folder), so a second terminal opened there needs
 * only the one `cd` to the web starter.
 */
function sandboxChat(printer: Printer, outcome: CreateOutcome, web: Platform, relative: string): void {
  const { plan, invocation } = outcome;
  const [first, second] = plan.users.map((u) => queryValue(u.address));
  const project = relative === '.' ? '' : ` ${commandWord(relative)}`;
  printer.info("Chat now, with no account, through this project's local sandbox (not mesibo):", 'heading');
  printer.info('');
  printer.info('  1. In this terminal, start the sandbox (Ctrl-C stops it):');
  printer.info(`       ${invocation.command} sandbox${project}`, 'command');
  printer.info('  2. In a second terminal, in this same folder, start the web starter:');
  printer.info(`       cd ${commandWord(path.join(relative, web.dir))}`, 'command');
  printer.info(`       ${runScript(invocation.agent, 'start')}`, 'command');
  printer.info(`     then open the two links it prints (?user=${first} and ?user=${second}), each in its own browser tab, and send a message.`);
  printer.info('');
  printer.info("To move to mesibo's servers (the same project, with real tokens instead of sandbox ones):", 'heading');
  printer.info('');
  printer.info(`  1. Open ${CONSOLE_URL}, create an application and copy its App Token.`);
  printer.info('  2. Issue real tokens for the same users; refresh asks for the App Token (masked):');
  printer.info(`       ${invocation.command} refresh${project}`, 'command');
}

export function printNextSteps(printer: Printer, outcome: CreateOutcome): void {
  const { plan, manifest, cwd, invocation } = outcome;
  const relative = path.relative(cwd, plan.targetPath) || '.';
  const cd = relative === '.' ? [] : [`cd ${commandWord(relative)}`];
  const starter = firstStarter(plan);
  // Only the web starter can use the project's sandbox (it loads the sandbox's script); a local backend that
  // is not this project's sandbox (--api-url) issues tokens no emulator here checks.
  const emulated = plan.sandbox && starter.id === 'web';
  printer.info('');
  if (emulated) {
    sandboxChat(printer, outcome, starter, relative);
  } else if (manifest.sandbox) {
    // Sandbox tokens cannot reach mesibo's servers: the way to a real chat goes through an App Token.
    const where = plan.sandbox ? 'sandbox tokens' : `tokens from ${plan.endpoint}, a backend on this machine`;
    printer.info(`Done. ${plan.targetDir} has ${where}: with mesibo's servers a starter using them reports AUTHFAIL. To chat for real:`, 'heading');
    printer.info('');
    printer.info(`  1. Open ${CONSOLE_URL} and create an application.`);
    printer.info("  2. Copy its App Token (your application's page → App Token).");
    printer.info('  3. Issue real tokens for the same users; refresh asks for the App Token (masked):');
    for (const line of [...cd, `${invocation.command} refresh`]) printer.info(`       ${line}`, 'command');
    printer.info(starter.id === 'web' ? '  4. Open the web starter twice, once as each user:' : `  4. Run the ${starter.label} starter as each user:`);
    tryIt(printer, starter, outcome, '       ');
  } else {
    printer.info('Done. Now run:', 'heading');
    printer.info('');
    for (const line of cd) printer.info(`  ${line}`, 'command');
    tryIt(printer, starter, outcome, '  ');
  }
  const others = plan.platforms.map((p) => PLATFORMS[p.id]).filter((p) => p !== starter);
  if (others.length > 0) {
    const from = relative === '.' ? 'this folder' : commandWord(relative);
    printer.info('');
    printer.info(
      emulated
        ? `The other starters need real tokens (the sandbox serves only the web starter); then, each from ${from} in a terminal of its own:`
        : `The other starters, each from ${from} in a terminal of its own:`,
    );
    for (const platform of others) {
      printer.info(`  ${platform.label}:`, 'dim');
      for (const step of platformSteps(platform, plan, invocation).steps) printer.info(`    ${step}`, 'command');
    }
  }
  printer.info('');
  printer.info(`${path.join(relative, 'README.md')} lists the users, appids and token files; each starter's README has the details.`, 'dim');
}

/** Refresh's reminder after issuing sandbox tokens again. */
export function sandboxNotice(printer: Printer, invocation: Invocation): void {
  printer.warn(
    "Sandbox tokens work only with the built-in sandbox, not with mesibo's servers: a starter using them " +
      `will report AUTHFAIL. For real tokens, create an application at ${CONSOLE_URL}, copy its App Token, and run ` +
      `\`${invocation.command} refresh\` in the project folder.`,
  );
}

/** One line about git, or nothing when git was not asked for. */
export function gitLine(printer: Printer, git: GitOutcome | 'skipped'): void {
  if (git === 'committed') printer.success('Initialized a git repository with a first commit (the token files are git-ignored)');
  if (git === 'initialized') {
    printer.success('Initialized a git repository (token files are git-ignored)');
    printer.info('  No first commit: git has no user.email here. Set one (git config --global user.email you@example.com) and commit.', 'dim');
  }
  if (git === 'commit-failed') printer.warn('Initialized a git repository, but could not make the first commit; commit when you are ready.');
  if (git === 'existing-git') printer.info('The folder already has a .git entry: no repository was initialized and nothing was committed.');
  if (git === 'git-missing') printer.warn('git is not installed, so no repository was initialized.');
  if (git === 'failed') printer.warn('git init failed; the project is complete without it.');
}

/** The --json summary: what was written, reusing the manifest and the file list the run made. */
export function jsonSummary(plan: Plan, rendered: RenderedProject, git: GitOutcome | 'skipped'): object {
  const { manifest } = rendered;
  return {
    ok: true,
    path: plan.targetPath,
    name: manifest.name,
    sandbox: manifest.sandbox,
    endpoint: manifest.endpoint,
    tokensExpireAt: manifest.tokensExpireAt,
    platforms: manifest.platforms,
    users: manifest.users,
    files: rendered.files.map((f) => f.path).sort(),
    git,
  };
}
