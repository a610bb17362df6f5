/**
 * AGENTS.md, the project's notes for coding agents (templates/project/AGENTS.md.hbs): where the tokens are
 * and that they are never printed or committed, how to refresh them and run doctor, how to start each
 * starter, which files the tool owns. Written unless --no-ai (create-astro's flag is the model).
 */
import type { Plan } from './plan';

export const AGENTS_FILE = 'AGENTS.md';

/** The files a plan writes (project-relative paths), without AGENTS.md when the plan says --no-ai. */
export function honourNoAi<T>(plan: Pick<Plan, 'ai'>, files: readonly T[], pathOf: (file: T) => string): T[] {
  return plan.ai === false ? files.filter((file) => pathOf(file) !== AGENTS_FILE) : [...files];
}
