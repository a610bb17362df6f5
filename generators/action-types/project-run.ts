/**
 * What one run of the mesibo-app generator's actions works on. node-plop hands this object (the run's
 * "answers") to each action in turn, so it is also how the render action passes its frozen result on to
 * the write action. node-plop keeps only the message of an action's error; the error itself is kept here.
 */
import type { InterruptGuard } from '../../src/interrupt';
import type { Issued, Plan } from '../../src/plan/plan';
import type { RenderedProject } from '../../src/render/project';
import type { ToolHints } from '../../src/render/template-data';
import type { Templates } from '../../src/render/templates';
import type { WriteOptions } from '../../src/write/project-folder';

export interface ProjectRun {
  readonly plan: Plan;
  readonly issued: Issued;
  readonly templates: Templates;
  readonly interrupts: InterruptGuard;
  readonly writeOptions: WriteOptions;
  /** How the generated READMEs say to run create-mesibo-app again (src/report/invocation.ts). */
  readonly tool?: ToolHints;
  /** Set by the render-project action. */
  rendered?: RenderedProject;
  /** What the failed action threw, whole. */
  failure?: unknown;
}
