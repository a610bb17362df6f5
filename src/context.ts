/** Everything a command needs from the outside world, injectable as a whole for tests. */
import type { Prompter } from './io';
import type { Printer } from './output/printer';
import type { Redactor } from './output/redact';
import type { InterruptGuard } from './interrupt';
import type { Tuning } from './tuning';

export interface AppContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** True when questions may be asked: a terminal, no --yes, no CI, no --json. */
  interactive: boolean;
  prompt: Prompter;
  printer: Printer;
  redactor: Redactor;
  interrupts: InterruptGuard;
  tuning: Tuning;
  verbose: boolean;
  now: () => Date;
}
