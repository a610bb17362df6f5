/**
 * The node-plop generator of a create, `mesibo-app`.
 *
 * - Its prompts are the questions the command line left open: src/plan/questions.ts builds them from the
 *   platform registry and checks each answer with the flags' own rules; node-plop asks them (inquirer).
 * - Its actions are two custom action types (`setActionType`, a plop feature): render the project in
 *   memory, then write it (action-types/). plop's own template actions are not used (render-project.ts).
 *
 * node-plop, and inquirer with it, is made once per run: by the first question, or by a create's actions.
 */
import nodePlop, { type CustomActionFunction, type NodePlopAPI, type PlopGeneratorConfig, type PromptQuestion } from 'node-plop';
import type { RenderedProject } from '../src/render/project';
import type { ProjectRun } from './action-types/project-run';
import { RENDER_PROJECT, renderProjectAction } from './action-types/render-project';
import { WRITE_PROJECT, writeProjectAction } from './action-types/write-project';

export const GENERATOR = 'mesibo-app';

/** The generator, with the prompts of one ask (none when only its actions run). */
function mesiboApp(prompts: PromptQuestion[]): PlopGeneratorConfig {
  return {
    description: 'mesibo starters for Android, iOS, web, C++ and Python, with users and their access tokens',
    prompts,
    // A function, so that each run gets action objects of its own (node-plop sets `force` on them).
    actions: () => [{ type: RENDER_PROJECT }, { type: WRITE_PROJECT }],
  };
}

/** An action that keeps what it threw on the run: node-plop records only the message. */
function keepingFailure(action: CustomActionFunction): CustomActionFunction {
  return async (answers, config, api) => {
    try {
      return await action(answers, config, api);
    } catch (error) {
      (answers as ProjectRun).failure = error;
      throw error;
    }
  };
}

let plop: Promise<NodePlopAPI> | undefined;

function loadPlop(): Promise<NodePlopAPI> {
  plop ??= nodePlop('', { destBasePath: process.cwd(), force: false }).then((api) => {
    api.setActionType(RENDER_PROJECT, keepingFailure(renderProjectAction));
    api.setActionType(WRITE_PROJECT, keepingFailure(writeProjectAction));
    api.setGenerator(GENERATOR, mesiboApp([]));
    return api;
  });
  return plop;
}

/** Asks `questions` as the generator's prompts and returns the answers by name. */
export async function ask(questions: PromptQuestion[]): Promise<Record<string, unknown>> {
  const generator = (await loadPlop()).setGenerator(GENERATOR, mesiboApp(questions));
  // On Ctrl-C inquirer closes its readline and re-raises SIGINT; a live timer keeps the event loop up
  // until our SIGINT handler runs (otherwise Node exits 13 on the still-pending prompt).
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return (await generator.runPrompts()) as Record<string, unknown>;
  } finally {
    clearInterval(keepAlive);
  }
}

/** Runs the generator's actions, without prompts: the plan's project rendered in memory, then written. */
export async function generate(input: Omit<ProjectRun, 'rendered' | 'failure'>): Promise<RenderedProject> {
  const run: ProjectRun = { ...input };
  const { failures } = await (await loadPlop()).getGenerator(GENERATOR).runActions(run);
  if (failures.length > 0) throw run.failure ?? new Error(`${failures[0]!.type}: ${failures[0]!.error}`);
  if (!run.rendered) throw new Error(`internal: the ${GENERATOR} generator rendered nothing`);
  return run.rendered;
}
