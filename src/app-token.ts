/**
 * Where the App Token comes from: --app-token-file, then MESIBO_APP_TOKEN, then a masked prompt.
 * Never from a command-line value. Errors here never include the token or the file's content, nor a
 * "path" that looks like the token itself (pasted in place of the path).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors';
import type { Prompter } from './app-context';
import { echo, type Redactor } from './output/redact';

/** An App Token file holds one short line; anything bigger is the wrong file (or /dev/zero). */
export const MAX_APP_TOKEN_FILE_BYTES = 4096;
/**
 * The shortest App Token accepted. mesibo's console shows 64 characters; a few characters are a typo
 * or a placeholder, and a secret that short could not be masked in output without masking common words.
 */
export const MIN_APP_TOKEN_LENGTH = 12;

export interface AppTokenSource {
  appTokenFile?: string;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  prompt: Prompter;
}

/**
 * True when the App Token is to come from --app-token-file or MESIBO_APP_TOKEN (read and checked later):
 * then the interactive flow does not ask how to create the users.
 */
export function appTokenGiven(source: Pick<AppTokenSource, 'appTokenFile' | 'env'>): boolean {
  return source.appTokenFile !== undefined || Boolean(source.env.MESIBO_APP_TOKEN?.trim());
}

/**
 * A non-empty MESIBO_APP_TOKEN is a secret of the run from its first line, whatever the command: every
 * line printed masks it, and a command line that holds it is refused (src/output/redact.ts addKnown)
 * before anything from it is used or echoed.
 */
export function registerEnvironmentAppToken(env: NodeJS.ProcessEnv, redactor: Redactor): void {
  const token = env.MESIBO_APP_TOKEN?.trim();
  if (token && token.length >= MIN_APP_TOKEN_LENGTH) redactor.addKnown(token, 'app-token');
}

export async function readAppToken(source: AppTokenSource): Promise<string> {
  if (source.appTokenFile !== undefined) return fromFile(source.appTokenFile);
  const fromEnv = source.env.MESIBO_APP_TOKEN?.trim();
  if (fromEnv) return checked(fromEnv, 'MESIBO_APP_TOKEN');
  // Asked only once the user chose their App Token over the sandbox (or gave --api-url); the question
  // says where the App Token is.
  if (source.interactive) {
    const { appTokenQuestion } = await import('./plan/questions');
    const answers = await source.prompt([appTokenQuestion()]);
    return checked(String(answers.appToken ?? '').trim(), 'the App Token you typed');
  }
  throw new UsageError(
    'No App Token, and no terminal to ask for one. Set MESIBO_APP_TOKEN=<your App Token> in the environment, ' +
      'or pass --app-token-file <path> to a file holding it (the App Token is in the mesibo console, under your ' +
      'application). To try everything without an account, pass --sandbox.',
  );
}

/**
 * The path as it may be shown: not at all when it looks like a token (no folder, no extension, long
 * and token-like), since then it probably is one.
 */
function shownPath(file: string): string {
  if (/^[A-Za-z0-9_-]{16,}$/.test(file)) return '(the value given, not shown: it looks like a token, not a path)';
  // A file named after the token (`./<token>.txt`): its name is the secret.
  if (/[A-Za-z0-9]{24,}/.test(file)) return '(the path given, not shown: part of it looks like a token)';
  return echo(file);
}

/** At most MAX + 1 bytes, whatever the file is: a pipe (`<(...)`) works, a device cannot exhaust memory. */
function readCapped(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    if (stat.isFile() && stat.size > MAX_APP_TOKEN_FILE_BYTES) return Buffer.alloc(MAX_APP_TOKEN_FILE_BYTES + 1);
    const buffer = Buffer.alloc(MAX_APP_TOKEN_FILE_BYTES + 1);
    let size = 0;
    for (let n = -1; n !== 0 && size < buffer.length; size += n) n = readSync(fd, buffer, size, buffer.length - size, null);
    return buffer.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}

function fromFile(file: string): string {
  const shown = `--app-token-file ${shownPath(file)}`;
  let bytes: Buffer;
  try {
    bytes = readCapped(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new UsageError(`${shown} ${why}. Give the path of a file that holds only your App Token.`);
  }
  if (bytes.length > MAX_APP_TOKEN_FILE_BYTES) {
    throw new UsageError(
      `${shown} is larger than ${MAX_APP_TOKEN_FILE_BYTES} bytes, so it is not an App Token file: it must hold only ` +
        'your App Token, on one line.',
    );
  }
  const lines = bytes.toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length !== 1) {
    throw new UsageError(
      `${shown} ${lines.length === 0 ? 'is empty' : 'has more than one line'}: ` +
        'it must hold only your App Token, on one line.',
    );
  }
  return checked(lines[0]!, shown);
}

function checked(token: string, from: string): string {
  if (token === '') throw new UsageError(`${from} is empty. Give your App Token from the mesibo console.`);
  if (token.length > MAX_APP_TOKEN_FILE_BYTES) {
    throw new UsageError(`${from} is longer than ${MAX_APP_TOKEN_FILE_BYTES} characters, so it is not an App Token.`);
  }
  if (token.length < MIN_APP_TOKEN_LENGTH) {
    throw new UsageError(
      `${from} is ${token.length} characters long, too short to be an App Token (the mesibo console shows 64 characters; ` +
        `at least ${MIN_APP_TOKEN_LENGTH} are needed). Copy the whole App Token from the console, under your application.`,
    );
  }
  if (/\s|\p{Cc}|\p{Cf}/u.test(token)) {
    throw new UsageError(`${from} holds spaces, control or invisible characters inside the App Token; paste the token alone.`);
  }
  return token;
}
