/**
 * The injectable edges: how questions are asked and where output goes. Production wires them to
 * node-plop's prompts and the process streams; tests pass scripted fakes.
 */
import type { PromptQuestion } from 'node-plop';

export type Prompter = (questions: PromptQuestion[]) => Promise<Record<string, unknown>>;

/** The default prompter: the generator's own prompts (node-plop -> inquirer), loaded only when asked. */
export const plopPrompter: Prompter = async (questions) => {
  const { runGeneratorPrompts } = await import('../generators/mesibo-app');
  // On Ctrl-C inquirer closes its readline and re-raises SIGINT; a live timer keeps the event loop up
  // until our SIGINT handler runs (otherwise Node exits 13 on the still-pending prompt).
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return await runGeneratorPrompts(questions);
  } finally {
    clearInterval(keepAlive);
  }
};
