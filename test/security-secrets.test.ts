/**
 * Issue 12, case 11: secrets are never echoed, and the App Token file cannot exhaust memory.
 * (A user token with a control character is covered in security-backend-values.test.ts, credentials
 * in --api-url in security-endpoint.test.ts.)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_APP_TOKEN_FILE_BYTES, readAppToken } from '../src/app-token';
import { UsageError } from '../src/errors';
import { leakedFragment, SECURITY_APP_TOKEN } from './support/security-backend';

const dir = mkdtempSync(path.join(tmpdir(), 'cma-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noPrompt = async () => {
  throw new Error('no prompt expected');
};

async function fromFile(file: string): Promise<string | UsageError> {
  try {
    return await readAppToken({ appTokenFile: file, env: {}, interactive: false, prompt: noPrompt });
  } catch (error) {
    return error as UsageError;
  }
}

describe('--app-token-file', () => {
  it('reads the token from a file, trimmed', async () => {
    const file = path.join(dir, 'token.txt');
    writeFileSync(file, `  ${SECURITY_APP_TOKEN}\r\n`);
    expect(await fromFile(file)).toBe(SECURITY_APP_TOKEN);
  });

  it('given the token itself instead of a path, says so without echoing it', async () => {
    const error = await fromFile(SECURITY_APP_TOKEN);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      '--app-token-file (the value given, not shown: it looks like a token, not a path) does not exist. ' +
        'Give the path of a file that holds only your App Token.',
    );
    expect(leakedFragment((error as UsageError).message, [SECURITY_APP_TOKEN])).toBeUndefined();
  });

  it('names an ordinary missing path, shortened', async () => {
    expect(((await fromFile('./secrets/app-token.txt')) as Error).message).toMatch(/^--app-token-file "\.\/secrets\/app-token\.txt" does not exist\./);
    const long = `${'folder/'.repeat(40)}token.txt`;
    expect(((await fromFile(long)) as Error).message).toMatch(/^--app-token-file "(folder\/){8}fol…" does not exist\./);
  });

  it('refuses /dev/zero after reading at most the cap, instead of reading until memory runs out', async () => {
    const started = Date.now();
    const error = await fromFile('/dev/zero');
    expect((error as Error).message).toBe(
      `--app-token-file "/dev/zero" is larger than ${MAX_APP_TOKEN_FILE_BYTES} bytes, so it is not an App Token file: ` +
        'it must hold only your App Token, on one line.',
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a big regular file without reading it, even when it is one long line', async () => {
    const file = path.join(dir, 'big.txt');
    writeFileSync(file, 'a'.repeat(100_000));
    expect((await fromFile(file)) as Error).toBeInstanceOf(UsageError);
    expect(((await fromFile(file)) as Error).message).toMatch(/is larger than 4096 bytes/);
  });

  it('reads a pipe (as from `--app-token-file <(pass show mesibo)`)', async () => {
    // A real FIFO: another process writes it, while this one blocks reading it.
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'printf "%s\\n" "$TOKEN" > "$FIFO"'], { env: { ...process.env, TOKEN: SECURITY_APP_TOKEN, FIFO: fifo } });
    expect(await fromFile(fifo)).toBe(SECURITY_APP_TOKEN);
    await new Promise((resolve) => writer.on('exit', resolve));
  });

  it('a folder is named as one', async () => {
    mkdirSync(path.join(dir, 'a-folder'));
    expect(((await fromFile(path.join(dir, 'a-folder'))) as Error).message).toMatch(/ is a folder\./);
  });
});

describe('MESIBO_APP_TOKEN', () => {
  it('refuses a value too long to be an App Token, without echoing it', async () => {
    const huge = SECURITY_APP_TOKEN.repeat(100);
    const error = await readAppToken({ env: { MESIBO_APP_TOKEN: huge }, interactive: false, prompt: noPrompt }).catch((e) => e as Error);
    expect((error as Error).message).toBe('MESIBO_APP_TOKEN is longer than 4096 characters, so it is not an App Token.');
  });
});
