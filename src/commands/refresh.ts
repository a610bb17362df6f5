/**
 * `create-mesibo-app refresh [dir]`, top to bottom: check flags and the project (found in the folder or
 * above it), confirm where the App Token would go, get it, issue every token, render the token files and
 * the manifest in memory, swap them in as one unit, report. Nothing on disk changes until every token is
 * in hand, and then only the token files and mesibo.json do.
 */
import path from 'node:path';
import type { AppContext } from '../app-context';
import { CliError, InterruptedError, RunError } from '../errors';
import { SANDBOX_APP_TOKEN } from '../defaults';
import { updatedManifestText } from '../plan/manifest';
import type { Issued, Plan } from '../plan/plan';
import { hasAppId } from '../platforms';
import { openProject, type Project } from '../plan/refresh-project';
import { followBuildAppIds } from '../doctor/follow-build';
import { checkRefreshFlags, describeBackend, refreshPlan, resolveBackend, type RefreshArgs } from '../plan/refresh-plan';
import { readAppToken } from '../app-token';
import { withBackend } from '../backend/session';
import { countTokens, provision } from '../provision';
import { loadTemplates } from '../render/templates';
import { renderTokenConfigs, tokenConfigTemplates, TOKEN_CONFIG_MODE } from '../render/project';
import { atomicSwap, RestoreError, type Replacement } from '../write/atomic-swap';
import { assertInside, readFileInside, relativeTo, UnsafePathError } from '../write/inside';
import { parseTokenConfig } from '../doctor/token-configs';
import { sandboxNotice } from '../report/create-summary';
import { detectInvocation } from '../report/invocation';
import { checkLocalBackend, confirmRecordedEndpoint } from './endpoint-checks';
import { readProjectSandboxKey } from './sandbox-key';
import { newSandboxKey, SANDBOX_FILE, SANDBOX_FILE_MODE, sandboxKeyText } from '../sandbox/key-file';
import { DEFAULT_API_URL } from '../defaults';
import { driftWarning, formatDrift } from '../report/format-drift';
import { printRefreshed, refreshSummary } from '../report/refresh-summary';

/** A token file is a few hundred bytes per user; a bigger one is not read for tokens. */
const MAX_TOKEN_FILE_BYTES = 1 << 20;

export async function runRefresh(args: RefreshArgs, ctx: AppContext): Promise<number> {
  const { printer } = ctx;

  // 1. Flags, the manifest and the folders it names: all checked before the App Token is asked for.
  const flags = checkRefreshFlags(args);
  const project = openProject(ctx.cwd, args.dir, detectInvocation(ctx.env).command);
  // No file is written through a symbolic link (a committed `web -> ../outside`), even one pointing inside.
  // The `.example` twins too: refresh rewrites one when its platform's appid changed.
  const written = [...project.secrets.flatMap((s) => [s.rel, `${s.rel}.example`]), relativeTo(project.root, project.manifestPath)];
  assertInside(project.root, written, project.shown, 'Nothing was changed.');
  // The tokens the project holds now are secrets of this run too (a backend may echo them): masked in all
  // output, and refused on the command line.
  for (const token of currentTokens(project)) ctx.redactor.addKnown(token, 'token');
  const backend = resolveBackend(flags, project.manifest);
  // A platform whose build now uses another appid gets tokens for that one, once confirmed.
  const plan = refreshPlan(await followBuildAppIds(project, args, ctx), backend, args.json);
  const appIds = new Set(plan.platforms.filter((p) => hasAppId(p.id)).map((p) => p.appId)).size;
  printer.info(
    `Refreshing ${project.shown}: ${plan.users.length} users × ${appIds} ${appIds === 1 ? 'appid' : 'appids'} ` +
      `(${plan.platforms.map((p) => p.id).join(', ')})`,
  );
  printer.info(describeBackend(backend));

  // 2. The App Token goes only to a backend chosen or confirmed in this run, and one that listens.
  const invocation = detectInvocation(ctx.env);
  await confirmRecordedEndpoint(backend, ctx);
  // The in-process sandbox is started by this run; any other backend on this machine must be listening.
  if (!backend.sandbox) await checkLocalBackend(backend.endpoint, invocation.command, `\`${invocation.command} refresh --api-url ${DEFAULT_API_URL}\``);

  // 3. The App Token: read once, kept in memory, registered for redaction.
  let appToken = SANDBOX_APP_TOKEN;
  if (!plan.sandbox) {
    appToken = await readAppToken({ appTokenFile: args.appTokenFile, env: ctx.env, interactive: ctx.interactive, prompt: ctx.prompt });
    ctx.redactor.add(appToken);
  }

  // The in-process sandbox signs with the project's key, so its own `sandbox` runs accept the new tokens (a
  // project without a key file gets one, written with the tokens).
  const sandboxKey = plan.sandbox
    ? (readProjectSandboxKey(project.root, project.shown, invocation.command, 'Nothing was changed.') ?? newSandboxKey())
    : undefined;

  // 4. Every token, before any file is touched.
  const { endpoint, tokens } = await nothingChangedOnFailure(project, () =>
    withBackend({ ...plan, sandboxKey }, appToken, ctx, async (client, endpoint) => {
      if (plan.sandbox) printer.info(`Sandbox backend listening on ${endpoint} (local, this run only)`, 'detail');
      const onProgress = (done: number, total: number) => printer.progress('Issuing tokens:', done, total);
      return { endpoint, tokens: await provision(client, plan, { concurrency: ctx.tuning.concurrency, onProgress }) };
    }),
  );
  const issued: Issued = Object.freeze({ endpoint, tokens, at: ctx.now(), sandbox: sandboxKey });
  printer.success(`Issued ${countTokens(tokens)} access tokens for ${plan.users.length} users`);

  // 5. The new token files and manifest, rendered in memory by create's own templates.
  const { replacements, manifest, drift } = await nothingChangedOnFailure(project, async () => {
    const templates = await loadTemplates(tokenConfigTemplates(plan.platforms));
    const { configs, manifest } = renderTokenConfigs(plan, issued, templates);
    const byPlatform = new Map(configs.map((c) => [c.platform, c]));
    const replacements: Replacement[] = project.secrets.map((s) => {
      const config = byPlatform.get(s.platform);
      // Both lists come from the same registry; a mismatch would be a bug, never a silent partial refresh.
      if (!config || config.path !== s.rel) throw new Error(`internal: no rendered token file for ${s.rel}`);
      return { file: s.abs, content: config.contents, mode: TOKEN_CONFIG_MODE };
    });
    replacements.push({ file: project.manifestPath, content: updatedManifestText(project.manifest.raw, manifest), mode: project.manifestMode });
    if (sandboxKey) replacements.push({ file: path.join(project.root, SANDBOX_FILE), content: sandboxKeyText(sandboxKey), mode: SANDBOX_FILE_MODE });
    // A platform whose appid changed gets its committed `.example` twin rewritten too (it names the appid).
    const appIdOf = (platforms: Plan['platforms'], id: string) => platforms.find((p) => p.id === id)?.appId;
    const renamed = project.secrets.filter((s) => appIdOf(plan.platforms, s.platform) !== appIdOf(project.manifest.platforms, s.platform));
    for (const s of renamed) replacements.push({ file: `${s.abs}.example`, content: byPlatform.get(s.platform)!.example, mode: 0o644 });
    if (renamed.length > 0) printer.info(`Also rewriting ${renamed.map((s) => `${s.rel}.example`).join(', ')} for the new appid`);
    return { replacements, manifest, drift: formatDrift(project.secrets.filter((s) => !renamed.includes(s)), configs) };
  });
  if (drift.length > 0) printer.warn(driftWarning(drift));

  // 6. Swap them in as one unit; on any failure every original is put back.
  let leftovers: string[];
  try {
    leftovers = atomicSwap(replacements, ctx.interrupts, project.root);
  } catch (error) {
    throw error instanceof UnsafePathError ? error : writeFailure(project, error);
  }

  // 7. Report.
  const outcome = { root: project.root, manifest, backend, secrets: project.secrets, leftovers };
  printRefreshed(printer, outcome);
  if (plan.sandbox) sandboxNotice(printer, invocation);
  if (args.json) printer.json(refreshSummary(outcome));
  return 0;
}

/** The user tokens in the project's token files as they are (read only inside it; an unreadable file holds none we could leak). */
function currentTokens(project: Project): string[] {
  const addresses = project.manifest.users.map((u) => u.address);
  const tokens: string[] = [];
  for (const s of project.secrets) {
    if (!s.exists) continue;
    try {
      const { contents } = readFileInside(project.root, s.rel, project.shown, 'Nothing was changed.', MAX_TOKEN_FILE_BYTES);
      tokens.push(...parseTokenConfig(s.platform, contents.toString('utf8'), addresses).tokens.values());
    } catch {
      // not a file we can read, or not in its format: refresh replaces it all the same
    }
  }
  return tokens.filter((t) => t.length >= 8);
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
