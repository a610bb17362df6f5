/**
 * The node-plop generator of a create, `mesibo-app`.
 *
 * - Its prompts are the questions the command line left open: src/plan/questions.ts builds them from the
 *   platform registry and checks each answer with the flags' own rules; node-plop asks them (inquirer).
 * - Its actions are two custom action types (`setActionType`, a plop feature), each a thin call of a step:
 *   `render-project`, the pure render (src/render/project.ts), and `write-project`, the write step
 *   (src/write/project-folder.ts: staging folder, then rename). plop's own `add`/`addMany` are not used:
 *   they render with the global Handlebars instance, which HTML-escapes every value; our templates run on
 *   handlebars/runtime with a literal helper per language.
 *
 * node-plop, and inquirer with it, is made once per run: by the first question, or by a create's actions.
 */
import nodePlop, { type CustomActionFunction, type NodePlopAPI, type PlopGeneratorConfig, type PromptQuestion } from 'node-plop';
import type { InterruptGuard } from '../src/interrupt';
import type { Issued, Plan } from '../src/plan/plan';
import { honourNoAi } from '../src/plan/agents-file';
import { renderProject, type RenderedProject } from '../src/render/project';
import type { ToolHints } from '../src/render/template-data';
import type { Templates } from '../src/render/templates';
import { writeProject, type WriteOptions } from '../src/write/project-folder';
import { cannotWrite } from '../src/write/preflight';

export const GENERATOR = 'mesibo-app';
const RENDER_PROJECT = 'render-project';
const WRITE_PROJECT = 'write-project';

/**
 * What one run of the actions works on. node-plop hands this object (the run's "answers") to each action
 * in turn, so it is also how the render action passes its frozen result on to the write action.
 */
export interface ProjectRun {
  readonly plan: Plan;
  readonly issued: Issued;
  readonly templates: Templates;
  readonly interrupts: InterruptGuard;
  readonly writeOptions: WriteOptions;
  /** How the generated READMEs say to run create-mesibo-app again (src/report/invocation.ts). */
  readonly tool?: ToolHints;
  rendered?: RenderedProject;
  /** What the failed action threw, whole: node-plop keeps only its message. */
  failure?: unknown;
}

const renderProjectAction: CustomActionFunction = (answers) => {
  const run = answers as ProjectRun;
  const rendered = renderProject(run.plan, run.issued, run.templates, run.tool);
  run.rendered = Object.freeze({ ...rendered, files: Object.freeze(honourNoAi(run.plan, rendered.files, (f) => f.path)) });
  return `${run.rendered.files.length} files rendered`;
};

/** A failure becomes the write step's own paragraph, naming the folder and the reason. */
const writeProjectAction: CustomActionFunction = (answers) => {
  const { plan, rendered, interrupts, writeOptions } = answers as ProjectRun;
  if (!rendered) throw new Error(`internal: ${WRITE_PROJECT} ran before the project was rendered`);
  try {
    writeProject(plan.targetPath, rendered.files, interrupts, writeOptions);
  } catch (error) {
    throw cannotWrite(error, plan.targetPath, JSON.stringify(plan.targetDir), 'Nothing was left behind.');
  }
  return plan.targetDir;
};

/** The generator, with the prompts of one ask (none when only its actions run). */
function mesiboApp(prompts: PromptQuestion[]): PlopGeneratorConfig {
  return {
    description: 'mesibo starters for Android, iOS, web, C++ and Python, with users and their access tokens',
    prompts,
    // A function, so that each run gets action objects of its own (node-plop sets `force` on them).
    actions: () => [{ type: RENDER_PROJECT }, { type: WRITE_PROJECT }],
  };
}

/** An action that keeps what it threw on the run. */
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
