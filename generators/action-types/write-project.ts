/**
 * The `write-project` action type: the rendered files onto the disk through a staging folder, moved into
 * place only when complete (src/write/project-folder.ts); nothing is left behind on a failure or Ctrl-C.
 * A failure becomes the write step's own paragraph naming the folder and the reason.
 */
import type { CustomActionFunction } from 'node-plop';
import { writeProject } from '../../src/write/project-folder';
import { cannotWrite } from '../../src/write/preflight';
import type { ProjectRun } from './project-run';

export const WRITE_PROJECT = 'write-project';

export const writeProjectAction: CustomActionFunction = (answers) => {
  const { plan, rendered, interrupts, writeOptions } = answers as ProjectRun;
  if (!rendered) throw new Error(`internal: ${WRITE_PROJECT} ran before the project was rendered`);
  try {
    writeProject(plan.targetPath, rendered.files, interrupts, writeOptions);
  } catch (error) {
    throw cannotWrite(error, plan.targetPath, JSON.stringify(plan.targetDir), 'Nothing was left behind.');
  }
  return plan.targetDir;
};
