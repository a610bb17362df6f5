/**
 * The production Prompter: the questions asked by a node-plop generator (its prompts run on inquirer), loaded
 * only when there is something to ask. Tests pass a scripted Prompter instead.
 */
import type { Prompter } from '../app-context';

export const plopPrompter: Prompter = async (questions) => {
  const { default: nodePlop } = await import('node-plop');
  const plop = await nodePlop('', { destBasePath: process.cwd(), force: false });
  const generator = plop.setGenerator('mesibo-app', { description: 'a mesibo project', prompts: questions, actions: [] });
  // On Ctrl-C inquirer closes its readline and re-raises SIGINT; a live timer keeps the event loop up
  // until our SIGINT handler runs (otherwise Node exits 13 on the still-pending prompt).
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    return (await generator.runPrompts()) as Record<string, unknown>;
  } finally {
    clearInterval(keepAlive);
  }
};
