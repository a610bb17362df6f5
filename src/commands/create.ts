/**
 * `create-mesibo-app [dir]`, top to bottom: plan (its questions are the mesibo-app generator's prompts),
 * check the target, get the App Token, provision users and tokens, run the generator's actions (render the
 * project in memory, write it: staging folder, then rename), git init, report.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context';
import { SANDBOX_APP_TOKEN } from '../defaults';
import { collectPlan, type CreateArgs } from '../plan/create-plan';
import type { Issued } from '../plan/plan';
import { appTokenGiven, readAppToken } from '../app-token';
import { withBackend } from '../backend/session';
import { countTokens, provision } from '../provision';
import { loadTemplates } from '../render/templates';
import { plannedFiles } from '../render/template-files';
import { newSandboxKey, SANDBOX_FILE } from '../sandbox/key-file';
import { honourNoAi } from '../plan/agents-file';
import { projectTemplates } from '../render/project';
import { readyTarget } from '../write/project-folder';
import { leftoverNotice } from '../write/leftovers';
import { projectRoom } from '../write/preflight';
import type { GitOutcome } from '../write/git';
import { gitLine, jsonSummary, printNextSteps } from '../report/create-summary';
import { detectInvocation, toolHints } from '../report/invocation';
import { checkLocalBackend } from './endpoint-checks';
import { displayUrl } from '../backend/endpoint-policy';
import { inspectFolder } from '../../generators/folder-facts';

export async function runCreate(args: CreateArgs, ctx: AppContext): Promise<number> {
  const { printer } = ctx;

  // 1. Every answer collected and validated into a frozen plan; nothing touched yet.
  const plan = await collectPlan(args, {
    cwd: ctx.cwd,
    interactive: ctx.interactive,
    prompt: ctx.prompt,
    appTokenGiven: appTokenGiven({ appTokenFile: args.appTokenFile, env: ctx.env }),
    inspect: inspectFolder,
  });

  // 2. Refuse a non-empty target (or, with --force, any file we would overwrite or any link we would
  // write through), and try a write where the project will go, before any backend call. The templates
  // are read now too: a broken package fails here, before any user exists.
  const planned = honourNoAi(plan, plannedFiles(plan.platforms, { sandbox: plan.sandbox }), (f) => f);
  const room = projectRoom(planned.length, plan.users.length * plan.platforms.length);
  const removed = readyTarget(plan.targetPath, plan.targetDir, plan.force, planned, room);
  if (removed.length > 0) printer.info(leftoverNotice(removed, ctx.cwd));
  const templates = await loadTemplates(projectTemplates(plan.platforms));

  // How this tool was run (a checkout, a tarball, npm): hints and the generated READMEs repeat it.
  const invocation = detectInvocation(ctx.env);
  // A backend on this machine (--api-url) must be listening: a stopped sandbox is named as such at once.
  if (!plan.sandbox) await checkLocalBackend(plan.endpoint, invocation.command, 'run the same command without --api-url');

  // 3. The App Token: read once, kept in memory, registered for redaction.
  let appToken = SANDBOX_APP_TOKEN;
  if (!plan.sandbox) {
    appToken = await readAppToken({ appTokenFile: args.appTokenFile, env: ctx.env, interactive: ctx.interactive, prompt: ctx.prompt });
    ctx.redactor.add(appToken);
  }

  // 4. Users and tokens from the backend (the in-process sandbox, or the real one). The generator (node-plop)
  // loads meanwhile, unless a question loaded it already.
  const generator = import('../../generators/mesibo-app');
  generator.catch(() => {}); // a failure to load surfaces where it is awaited, in step 5
  // A sandbox project's key: its tokens are signed with it, and written with the project for later `sandbox` runs.
  const sandboxKey = plan.sandbox ? newSandboxKey() : undefined;
  const { endpoint, tokens } = await withBackend({ ...plan, sandboxKey }, appToken, ctx, async (client, endpoint) => {
    if (plan.sandbox) printer.info(`Sandbox backend listening on ${endpoint} (local, this run only)`, 'detail');
    const onProgress = (done: number, total: number) => printer.progress('Creating users and tokens:', done, total);
    // Stopped now, nothing is written; but requests already out may have created users at a real backend.
    const release = plan.sandbox
      ? () => {}
      : ctx.interrupts.onInterrupt(
          (signal) =>
            `Cancelled (${signal ?? 'SIGINT'}); nothing was written. Requests already sent to ${displayUrl(endpoint)} while creating users ` +
            'may have created users there. That is harmless: running the same command again gives each address that exists a new token.',
        );
    try {
      return { endpoint, tokens: await provision(client, plan, { concurrency: ctx.tuning.concurrency, onProgress }) };
    } finally {
      release();
    }
  });
  // Where and when the tokens were issued: a value of its own, so the plan is never changed mid-run.
  // The token server's development passcode (server/.passcode, 0600, git-ignored): made here, never shown.
  const serverPasscode = plan.platforms.some((p) => p.id === 'server') ? randomBytes(24).toString('base64url') : undefined;
  if (serverPasscode !== undefined) ctx.redactor.add(serverPasscode);
  const issued: Issued = Object.freeze({ endpoint, tokens, at: ctx.now(), serverPasscode, sandbox: sandboxKey });
  printer.success(`Issued ${countTokens(tokens)} access tokens for ${plan.users.length} users`);

  // 5. The generator's actions: render in memory, then write into a staging folder moved into place only
  // when complete (a write failure is one paragraph naming the folder and the reason).
  const rendered = await (await generator).generate({
    plan,
    issued,
    templates,
    tool: toolHints(invocation),
    interrupts: ctx.interrupts,
    // CREATE_MESIBO_APP_TEST_PAUSE_WRITE is a test-only hook (see WriteOptions.pauseFile).
    writeOptions: { pauseFile: ctx.env.CREATE_MESIBO_APP_TEST_PAUSE_WRITE },
  });
  printer.success(`Wrote ${plan.targetDir} (${plan.platforms.map((p) => p.id).join(', ')})`);

  // 6. git init and a first commit (never of a token file): a convenience, never a reason to fail.
  const secretFiles = [...rendered.manifest.platforms.map((p) => p.secretFile), ...(sandboxKey ? [SANDBOX_FILE] : [])];
  const git: GitOutcome | 'skipped' = plan.git ? await (await import('../write/git')).initGit(plan.targetPath, rendered.files.map((f) => f.path), secretFiles) : 'skipped';
  gitLine(printer, git);

  // 7. Report, from what was computed above; the commands in it run this tool as it was run this time.
  if (plan.json) printer.json(jsonSummary(plan, rendered, git));
  else printNextSteps(printer, { plan, manifest: rendered.manifest, cwd: ctx.cwd, invocation });
  return 0;
}
