/**
 * `create-mesibo-app [dir]`, top to bottom: plan, check the target, get the App Token, provision users
 * and tokens, render into a staging folder, move it into place, git init, report.
 */
import type { CreateArgs } from '../cli/args';
import type { AppContext } from '../context';
import { collectPlan } from './collect';
import { checkTarget } from '../write/target';
import { plannedFiles } from '../render/file-list';
import { readAppToken } from '../app-token';
import { SANDBOX_APP_TOKEN } from '../defaults';
import { createStaging } from '../write/staging';
import type { GitOutcome } from '../write/git';
import { buildManifest } from '../render/manifest';
import { buildContext } from '../render/context';
import { jsonSummary, printNextSteps, sandboxNotice } from '../output/summary';
import { RunError } from '../errors';

export async function runCreate(args: CreateArgs, ctx: AppContext): Promise<number> {
  const { printer } = ctx;

  // 1. Every answer collected and validated; nothing touched yet.
  const plan = await collectPlan(args, { cwd: ctx.cwd, interactive: ctx.interactive, prompt: ctx.prompt });
  const files = plannedFiles(plan.platforms);

  // 2. Refuse a non-empty target (or, with --force, any file we would overwrite) before any backend call.
  checkTarget(plan.targetPath, plan.targetDir, plan.force, files);

  // 3. The App Token: read once, kept in memory, registered for redaction.
  let appToken = SANDBOX_APP_TOKEN;
  if (!plan.sandbox) {
    appToken = await readAppToken({ appTokenFile: args.appTokenFile, env: ctx.env, interactive: ctx.interactive, prompt: ctx.prompt });
    ctx.redactor.add(appToken);
  }

  // 4. Users and tokens from the backend (the in-process sandbox, or the real one). The generator loads
  // meanwhile: module evaluation overlaps the network wait instead of following it.
  const generator = import('../../generators/mesibo-app');
  generator.catch(() => {}); // a load failure surfaces where it is awaited, below
  const [{ withBackend }, { countTokens, provision }] = await Promise.all([import('../backend/session'), import('../provision')]);
  const provisioned = await withBackend(plan, appToken, ctx, async (client, endpoint) => {
    plan.endpoint = endpoint;
    if (plan.sandbox) printer.info(`Sandbox backend listening on ${endpoint} (local, this run only)`);
    const result = await provision(client, plan, {
      concurrency: ctx.tuning.concurrency,
      onProgress: (done, total) => printer.progress('Creating users and tokens:', done, total),
    });
    return result;
  });
  printer.success(`Issued ${countTokens(provisioned)} access tokens for ${plan.users.length} users`);

  // 5. Render into staging; move into place only when complete.
  const staging = createStaging(plan.targetPath);
  const release = ctx.interrupts.onInterrupt(() => staging.discard());
  const now = ctx.now();
  try {
    const { renderProject } = await generator;
    await renderProject(staging.dir, plan, provisioned, now);
    staging.commit();
  } catch (error) {
    staging.discard();
    throw new RunError(`Could not write the project to ${plan.targetDir}: ${(error as Error).message ?? error}. Nothing was left behind.`, {
      cause: error,
    });
  } finally {
    release();
  }
  printer.success(`Wrote ${plan.targetDir} (${plan.platforms.map((p) => p.id).join(', ')})`);

  // 6. git init: a convenience, never a reason to fail.
  const git: GitOutcome | 'skipped' = plan.git ? await (await import('../write/git')).initGit(plan.targetPath) : 'skipped';
  if (git === 'initialized') printer.success('Initialized a git repository (token config files are git-ignored)');
  if (git === 'git-missing') printer.warn('git is not installed, so no repository was initialized.');
  if (git === 'failed') printer.warn('git init failed; the project is complete without it.');

  // 7. Report.
  if (plan.sandbox) sandboxNotice(printer);
  if (plan.json) printer.json(jsonSummary(plan, buildManifest(plan, buildContext(plan, provisioned, now)), files, git));
  else printNextSteps(printer, plan, ctx.cwd);
  return 0;
}

