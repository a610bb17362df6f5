/**
 * System tools some checks need (chromium, aapt, ruby, g++, cmake, javac...). `.ci/run` installs them;
 * when CI is set a missing tool fails the test instead of skipping it, so a green CI always means checked.
 */
import { existsSync } from 'node:fs';
import { execaSync } from 'execa';

export function hasTool(command: string): boolean {
  if (command.includes('/')) return existsSync(command);
  try {
    execaSync('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Call at the top of a describe block: `const run = toolGate('aapt')` then `run.it(...)`.
 * Locally without the tool the tests are skipped with a note; under CI they fail.
 */
export function missingTools(...commands: string[]): string[] {
  return commands.filter((c) => !hasTool(c));
}

export function assertToolsOrSkip(commands: string[]): { skip: boolean; reason: string } {
  const missing = missingTools(...commands);
  if (missing.length === 0) return { skip: false, reason: '' };
  const reason = `missing system tool(s): ${missing.join(', ')} (bash .ci/run installs them)`;
  if (process.env.CI) throw new Error(`CI is set but ${reason}`);
  return { skip: true, reason };
}
