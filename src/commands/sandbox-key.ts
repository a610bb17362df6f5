/**
 * A project's sandbox key file (.mesibo-sandbox.json), read for `sandbox` and `refresh --sandbox`: inside the
 * project, never through a link, and never a value of it in a message (they are secrets).
 */
import path from 'node:path';
import { RunError, UsageError } from '../errors';
import { MAX_SANDBOX_FILE_BYTES, parseSandboxKey, SANDBOX_FILE, SandboxFileError, type SandboxKey } from '../sandbox/key-file';
import { readFileInside, UnsafePathError } from '../write/inside';

/** The key, or undefined when the project has no key file. `outcome` ends every error ("Nothing was changed."). */
export function readProjectSandboxKey(root: string, shown: string, command: string, outcome: string): SandboxKey | undefined {
  const file = path.join(shown, SANDBOX_FILE);
  let contents: Buffer;
  try {
    ({ contents } = readFileInside(root, SANDBOX_FILE, JSON.stringify(shown), outcome));
  } catch (error) {
    if (error instanceof UnsafePathError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RunError(`Could not read ${file}: ${(error as Error).message}. ${outcome}`, { cause: error });
  }
  try {
    if (contents.length > MAX_SANDBOX_FILE_BYTES) throw new SandboxFileError(`it is larger than ${MAX_SANDBOX_FILE_BYTES / 1024} KB`);
    return parseSandboxKey(contents.toString('utf8'));
  } catch (error) {
    if (!(error instanceof SandboxFileError)) throw error;
    throw new UsageError(
      `${file} cannot be used: ${error.message}. create writes it; it is not meant to be edited. Restore it from a ` +
        `backup, or make the project again with --sandbox (${command} my-chat --sandbox --yes). ${outcome}`,
    );
  }
}
