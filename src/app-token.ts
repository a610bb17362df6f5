/**
 * Where the App Token comes from: --app-token-file, then MESIBO_APP_TOKEN, then a masked prompt.
 * Never from a command-line value. Errors here never include the token or the file's content.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './errors';
import type { Prompter } from './io';

export interface AppTokenSource {
  appTokenFile?: string;
  env: NodeJS.ProcessEnv;
  interactive: boolean;
  prompt: Prompter;
}

export async function readAppToken(source: AppTokenSource): Promise<string> {
  if (source.appTokenFile !== undefined) return fromFile(source.appTokenFile);
  const fromEnv = source.env.MESIBO_APP_TOKEN?.trim();
  if (fromEnv) return checked(fromEnv, 'MESIBO_APP_TOKEN');
  if (source.interactive) {
    const { appTokenQuestion } = await import('../generators/prompts');
    const answers = await source.prompt([appTokenQuestion()]);
    return checked(String(answers.appToken ?? '').trim(), 'the App Token you typed');
  }
  throw new UsageError(
    'No App Token, and no terminal to ask for one. Set MESIBO_APP_TOKEN=<your App Token> in the environment, ' +
      'or pass --app-token-file <path> to a file holding it (the App Token is in the mesibo console, under your ' +
      'application). To try everything without an account, pass --sandbox.',
  );
}

function fromFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new UsageError(`--app-token-file ${JSON.stringify(file)} ${why}. Give the path of a file that holds only your App Token.`);
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length !== 1) {
    throw new UsageError(
      `--app-token-file ${JSON.stringify(file)} ${lines.length === 0 ? 'is empty' : 'has more than one line'}: ` +
        'it must hold only your App Token, on one line.',
    );
  }
  return checked(lines[0]!, `--app-token-file ${JSON.stringify(file)}`);
}

function checked(token: string, from: string): string {
  if (token === '') throw new UsageError(`${from} is empty. Give your App Token from the mesibo console.`);
  if (/\s|\p{Cc}/u.test(token)) {
    throw new UsageError(`${from} holds spaces or control characters inside the App Token; paste the token alone.`);
  }
  return token;
}
