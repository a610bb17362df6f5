/** The end of a create: next steps for people, a JSON summary for scripts. Neither ever holds a token. */
import path from 'node:path';
import { PLATFORMS } from '../platforms';
import type { Plan } from '../plan/plan';
import type { Printer } from '../output/printer';
import { shellWord } from '../render/literals';
import type { RenderedProject } from '../render/project';
import type { GitOutcome } from '../write/git';

export function printNextSteps(printer: Printer, plan: Plan, cwd: string): void {
  const [first, second] = plan.users;
  const relative = path.relative(cwd, plan.targetPath) || '.';
  printer.info('');
  printer.info('Next steps:');
  for (const p of plan.platforms) {
    const platform = PLATFORMS[p.id];
    const steps = platform.nextSteps({
      dir: shellWord(`${relative}/${platform.dir}`),
      firstUser: shellWord(first!.address),
      secondUser: shellWord(second!.address),
    });
    printer.info(`  ${platform.label} (appid ${p.appId}):`);
    for (const step of steps) printer.info(`    ${step}`);
  }
  printer.info('');
  printer.info(`Run one starter as ${first!.address} and another as ${second!.address}, and send a message.`);
  printer.info(`Each folder's README has the details; ${path.join(relative, 'README.md')} lists users, appids and tokens' files.`);
}

export function sandboxNotice(printer: Printer): void {
  printer.warn(
    'Sandbox tokens work only with the built-in sandbox, not with mesibo\'s servers: a starter using them ' +
      'will report AUTHFAIL. For real tokens, copy your App Token from the mesibo console and run ' +
      '`MESIBO_APP_TOKEN=... npx create-mesibo-app refresh` in the project folder.',
  );
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
