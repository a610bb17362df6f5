/**
 * The production Prompter (src/app-context.ts): every question the CLI asks is a run of the mesibo-app
 * generator's prompts. Tiny on purpose: the generator, node-plop and inquirer load on the first question.
 */
import type { Prompter } from '../src/app-context';

export const plopPrompter: Prompter = async (questions) => (await import('./mesibo-app')).ask(questions);
