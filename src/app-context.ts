/**
 * Everything a command needs from the outside world, injectable as a whole for tests: the edges (how
 * questions are asked, where output goes, signals, the clock) and the backend's tuning. Production wires
 * them in src/main.ts; tests pass scripted fakes.
 */
import type { PromptQuestion } from 'node-plop';
import type { Printer } from './output/printer';
import type { Redactor } from './output/redact';
import type { InterruptGuard } from './interrupt';

/** Asks questions and returns the answers by name (production: generators/prompter.ts). */
export type Prompter = (questions: PromptQuestion[]) => Promise<Record<string, unknown>>;

/**
 * Request timeout, retry pacing and concurrency, from the environment (src/tuning.ts). `retry` has the
 * shape of the backend client's RetryPolicy; it is spelled out here so that this, the lowest layer,
 * imports nothing from the backend.
 */
export interface Tuning {
  readonly timeoutMs: number;
  readonly retry: { readonly maxAttempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number; readonly maxRetryAfterMs: number };
  readonly concurrency: number;
}

export interface AppContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** True when questions may be asked: a terminal, no --yes, no CI, no --json. */
  readonly interactive: boolean;
  readonly prompt: Prompter;
  readonly printer: Printer;
  readonly redactor: Redactor;
  readonly interrupts: InterruptGuard;
  readonly tuning: Tuning;
  readonly verbose: boolean;
  readonly now: () => Date;
}
