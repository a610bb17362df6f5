/**
 * `create-mesibo-app refresh [dir]`, top to bottom: check flags and the project, get the App Token,
 * issue every token, render the token files and the manifest in memory, swap them in as one unit,
 * report. Nothing on disk changes until every token is in hand, and then only the token files and
 * mesibo.json do.
 */
import path from 'node:path';
import type { RefreshArgs } from '../cli/args';
import type { AppContext } from '../context';
import { CliError, InterruptedError, RunError } from '../errors';
import { readAppToken } from '../app-token';
import { SANDBOX_APP_TOKEN } from '../defaults';
import { withBackend } from '../backend/session';
import { countTokens, provision } from '../provision';
import type { Plan, Provisioned } from '../plan';
import { buildContext } from '../render/context';
import { buildManifest, type Manifest } from '../render/manifest';
import { sandboxNotice } from '../output/summary';
import { openProject, type Project } from './project';
import { checkRefreshFlags, describeTarget, resolveTarget, type RefreshTarget } from './target';
import { updatedManifest } from './manifest-write';
import { replaceAll, RestoreError, type Replacement } from './rewrite';
import { printRefreshed, refreshSummary } from './report';
import { driftWarning, formatDrift } from './format-check';

const SECRET_MODE = 0o600;

export async function runRefresh(args: RefreshArgs, ctx: AppContext): Promise<number> {
  const { printer } = ctx;

  // 1. Flags, the manifest and the folders it names: all checked before the App Token is asked for.
  const flags = checkRefreshFlags(args);
  const project = openProject(ctx.cwd, args.dir);
  const target = resolveTarget(flags, project.manifest);
  const plan = refreshPlan(project, target, args.json);
  const appIds = new Set(plan.platforms.map((p) => p.appId)).size;
  printer.info(
    `Refreshing ${project.shown}: ${plan.users.length} users × ${appIds} ${appIds === 1 ? 'appid' : 'appids'} ` +
      `(${plan.platforms.map((p) => p.id).join(', ')})`,
  );
  printer.info(describeTarget(target));

  // 2. The App Token: read once, kept in memory, registered for redaction.
  let appToken = SANDBOX_APP_TOKEN;
  if (!plan.sandbox) {
    appToken = await readAppToken({ appTokenFile: args.appTokenFile, env: ctx.env, interactive: ctx.interactive, prompt: ctx.prompt });
    ctx.redactor.add(appToken);
  }

  // 3. Every token, before any file is touched.
  const provisioned = await nothingChangedOnFailure(project, () =>
    withBackend(plan, appToken, ctx, async (client, endpoint) => {
      plan.endpoint = endpoint;
      if (plan.sandbox) printer.info(`Sandbox backend listening on ${endpoint} (local, this run only)`);
      return provision(client, plan, {
        concurrency: ctx.tuning.concurrency,
        onProgress: (done, total) => printer.progress('Issuing tokens:', done, total),
      });
    }),
  );
  printer.success(`Issued ${countTokens(provisioned)} access tokens for ${plan.users.length} users`);

  // 4. The new token files and manifest, rendered in memory by create's own templates.
  const now = ctx.now();
  const manifest = buildManifest(plan, buildContext(plan, provisioned, now));
  const { replacements, drift } = await nothingChangedOnFailure(project, () => render(project, plan, provisioned, now, manifest));
  if (drift.length > 0) printer.warn(driftWarning(drift));

  // 5. Swap them in as one unit; on any failure every original is put back.
  let leftovers: string[];
  try {
    leftovers = replaceAll(replacements, ctx.interrupts);
  } catch (error) {
    throw writeFailure(project, error);
  }

  // 6. Report.
  const outcome = { root: project.root, manifest, target, secrets: project.secrets, leftovers };
  printRefreshed(printer, outcome);
  if (plan.sandbox) sandboxNotice(printer);
  if (args.json) printer.json(refreshSummary(outcome));
  return 0;
}

/** The plan create would have made for this project; refresh feeds it to the same provision and render code. */
function refreshPlan(project: Project, target: RefreshTarget, json: boolean): Plan {
  const { manifest } = project;
  return {
    name: manifest.name,
    targetDir: path.basename(project.root),
    targetPath: project.root,
    platforms: manifest.platforms,
    users: manifest.users,
    tokenExpiryMinutes: target.tokenExpiryMinutes,
    endpoint: target.endpoint,
    sandbox: target.sandbox,
    force: false,
    git: false,
    json,
  };
}

async function render(
  project: Project,
  plan: Plan,
  provisioned: Provisioned,
  now: Date,
  manifest: Manifest,
): Promise<{ replacements: Replacement[]; drift: string[] }> {
  const { renderSecretFiles } = await import('../../generators/mesibo-app');
  const rendered = await renderSecretFiles(plan, provisioned, now);
  const byPlatform = new Map(rendered.map((r) => [r.platform, r]));
  const replacements = project.secrets.map((s) => {
    const file = byPlatform.get(s.platform);
    // Both lists come from the same registry; a mismatch would be a bug, never a silent partial refresh.
    if (!file || file.path !== s.rel) throw new Error(`internal: no rendered token file for ${s.rel}`);
    return { file: s.abs, content: file.content, mode: SECRET_MODE };
  });
  replacements.push({ file: project.manifestPath, content: updatedManifest(project.manifest.raw, manifest), mode: project.manifestMode });
  return { replacements, drift: formatDrift(project.secrets, rendered) };
}

/** Failures before the first write: say so, keeping the exit code (2, 1 or 130) of the original error. */
async function nothingChangedOnFailure<T>(project: Project, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    if (error instanceof CliError) {
      error.message = `${error.message} Nothing in ${project.shown} was changed.`;
      throw error;
    }
    throw new RunError(
      `Could not prepare the new token files: ${(error as Error)?.message ?? error}. Nothing in ${project.shown} was changed.`,
      { cause: error },
    );
  }
}

function writeFailure(project: Project, error: unknown): RunError {
  if (error instanceof RestoreError) {
    const kept = error.leftBackups.map((b) => `${path.relative(project.root, b.backup)} (the original ${path.relative(project.root, b.file)})`);
    return new RunError(
      `Could not write the new token files (${(error.cause as Error)?.message ?? error.cause}), and could not put every ` +
        `original back: move ${kept.join(', ')} back into place by hand. Then run refresh again.`,
      { cause: error.cause },
    );
  }
  return new RunError(
    `Could not write the new token files in ${project.shown}: ${(error as Error)?.message ?? error}. ` +
      'Every file was put back as it was; fix the problem (permissions? disk full?) and run refresh again.',
    { cause: error },
  );
}
