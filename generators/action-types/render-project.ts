/**
 * The `render-project` action type: the whole project in memory, from the plan and its issued tokens, by
 * the pure render step (src/render/project.ts, on handlebars/runtime with the literal helpers). Not plop's
 * own `add`/`addMany`: those render with the global Handlebars instance, which HTML-escapes every value.
 */
import type { CustomActionFunction } from 'node-plop';
import { renderProject } from '../../src/render/project';
import type { ProjectRun } from './project-run';

export const RENDER_PROJECT = 'render-project';

export const renderProjectAction: CustomActionFunction = (answers) => {
  const run = answers as ProjectRun;
  run.rendered = renderProject(run.plan, run.issued, run.templates, run.tool);
  return `${run.rendered.files.length} files rendered`;
};
