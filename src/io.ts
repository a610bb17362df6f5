/**
 * The injectable edges: how questions are asked and where output goes. Production wires them to
 * node-plop's prompts and the process streams; tests pass scripted fakes.
 */
import type { PromptQuestion } from 'node-plop';

export type Prompter = (questions: PromptQuestion[]) => Promise<Record<string, unknown>>;

/** The default prompter: the generator's own prompts (node-plop -> inquirer), loaded only when asked. */
export const plopPrompter: Prompter = async (questions) => {
  const { runGeneratorPrompts } = await import('../generators/mesibo-app');
  return runGeneratorPrompts(questions);
};
