/**
 * The node-plop generator. Its prompts are the questions `src/prompts` builds from the platform registry;
 * its actions render the templates for a validated plan into a staging folder (never the user's folder).
 */
import type { ActionType, NodePlopAPI, PlopGenerator, PromptQuestion } from 'node-plop';
import nodePlop from 'node-plop';
import { registerHelpers } from './helpers';
import { secretConfig, type SecretConfigAction } from './action-types/secret-config';
import { writeJson, type WriteJsonAction } from './action-types/write-json';
import { renderFolder, type RenderFolderAction } from './action-types/render-folder';
import type { Plan, Provisioned } from '../src/plan';
import { buildContext, platformContext, contextPlatform } from '../src/render/context';
import { MANIFEST_FILE, platformTemplateFiles, projectTemplateFiles } from '../src/render/file-list';
import { renderSecretFilesWith, secretSpec, type RenderedFile } from './render-secrets';
import type { PlatformId } from '../src/platforms';
import { buildManifest } from '../src/render/manifest';
import { TEMPLATES_DIR } from '../src/paths';

export const GENERATOR = 'mesibo-app';

async function createPlop(destBasePath: string): Promise<NodePlopAPI> {
  const plop = await nodePlop('', { destBasePath, force: false });
  plop.setPlopfilePath(TEMPLATES_DIR);
  registerHelpers(plop);
  plop.setActionType('secret-config', secretConfig);
  plop.setActionType('write-json', writeJson);
  plop.setActionType('render-folder', renderFolder);
  return plop;
}

/** The action list for a plan: project files, the manifest, then each platform's folder and secrets. */
export function buildActions(plan: Plan, provisioned: Provisioned, now: Date): ActionType[] {
  const base = buildContext(plan, provisioned, now);
  const project: RenderFolderAction = { type: 'render-folder', files: projectTemplateFiles(), data: base };
  const actions: ActionType[] = [project];
  const manifest: WriteJsonAction = { type: 'write-json', path: MANIFEST_FILE, value: buildManifest(plan, base) };
  actions.push(manifest);
  for (const p of plan.platforms) {
    const platform = contextPlatform(p.id, p.appId);
    const folder: RenderFolderAction = {
      type: 'render-folder',
      files: platformTemplateFiles(p.id, p.appId),
      data: platformContext(base, platform),
    };
    actions.push(folder);
    const secretAction: SecretConfigAction = { type: 'secret-config', ...secretSpec(base, platform, provisioned) };
    actions.push(secretAction);
  }
  return actions;
}

/**
 * Renders the whole project into `destBasePath`. node-plop collects failures instead of throwing;
 * the first one becomes an Error here so callers can clean up.
 */
export async function renderProject(
  destBasePath: string,
  plan: Plan,
  provisioned: Provisioned,
  now: Date = new Date(),
): Promise<string[]> {
  const plop = await createPlop(destBasePath);
  const generator: PlopGenerator = plop.setGenerator(GENERATOR, {
    description: 'mesibo starters with provisioned users and tokens',
    prompts: [],
    actions: buildActions(plan, provisioned, now),
  });
  const { changes, failures } = await generator.runActions({});
  const failure = failures.find((f) => !String(f.error).startsWith('Aborted due to previous'));
  if (failure) throw new Error(`could not write ${failure.path || failure.type}: ${failure.error}`);
  return changes.map((c) => c.path);
}

/** Each platform's git-ignored token config, rendered exactly as create writes it, without writing (refresh). */
export async function renderSecretFiles(
  plan: Plan,
  provisioned: Provisioned,
  now: Date,
): Promise<Array<RenderedFile & { platform: PlatformId }>> {
  const plop = await createPlop(TEMPLATES_DIR);
  return renderSecretFilesWith((t, d) => plop.renderString(t, d), plan, provisioned, now);
}

/** Asks the questions through the generator's prompts (inquirer, via node-plop). */
export async function runGeneratorPrompts(questions: PromptQuestion[]): Promise<Record<string, unknown>> {
  const plop = await createPlop(process.cwd());
  const generator = plop.setGenerator(GENERATOR, { description: 'ask', prompts: questions, actions: [] });
  return (await generator.runPrompts()) as Record<string, unknown>;
}
