/**
 * Issue 19, bugs 8, 9 and 10: redaction knows every secret the run has, and refuses to take one from
 * the command line.
 * - refresh: the project's current tokens (read from its token files) are masked when a backend echoes
 *   them; a workshop rerun: the kept tokens are.
 * - the App Token pasted into the wrong place (`--users "$MESIBO_APP_TOKEN"`, a positional argument,
 *   `--app-token-file ./<token>.txt`) is refused with exit 2 and never echoed, before any request;
 * - the App Token's simple transforms (reversed, base64 of it or of an 8-character piece, spaced out,
 *   with invisible characters between its characters) are masked;
 * - a 3-character App Token is refused with a clear error.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redactor } from '../src/output/redact';
import { removeScratch, runInProcess, scratchDir } from './support/security-run';
import { leakedFragment, SECURITY_APP_TOKEN, startScriptedBackend, userToken, type ScriptedBackend } from './support/security-backend';
import { webUsers } from './support/workshop-run';

const TOKEN = SECURITY_APP_TOKEN;
let cwd: string;
let backend: ScriptedBackend | undefined;
beforeEach(() => {
  cwd = scratchDir('cma-known-');
});
afterEach(async () => {
  await backend?.close();
  backend = undefined;
  removeScratch(cwd);
});

/** A backend that issues userToken(address) for every useradd, or answers with `fail` when it is set. */
async function issuing(fail?: () => Record<string, unknown> | undefined) {
  backend = await startScriptedBackend((req) => {
    const failure = fail?.();
    if (failure) return { status: 200, body: failure };
    return { status: 200, body: { op: 'useradd', result: true, user: { uid: 7, token: userToken(`${req.user?.address}/${req.user?.appid}`) } } };
  });
  return backend;
}

const create = (argv: string[], env: NodeJS.ProcessEnv = { MESIBO_APP_TOKEN: TOKEN }) =>
  runInProcess(['--yes', '--no-git', '--api-url', backend!.url, '--platforms', 'web', ...argv], { cwd, env });

describe('the App Token pasted into the wrong place is refused, never echoed', () => {
  it.each([
    ['--users "$MESIBO_APP_TOKEN"', ['app', '--users', TOKEN], /^✖ The value of --users holds your App Token \(not shown\)/m],
    ['--users=<token>,2', ['app', `--users=${TOKEN},2`], /^✖ The value of --users holds your App Token/m],
    ['a positional argument', [TOKEN], /^✖ Command-line argument \d+ holds your App Token/m],
    ['part of the folder name', [`app-${TOKEN.slice(5, 30)}`], /holds your App Token/],
  ])('%s: exit 2, nothing created, nothing sent', async (_what, argv, message) => {
    await issuing();
    const run = await create(argv);
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/give the App Token only through MESIBO_APP_TOKEN, --app-token-file/);
    expect(leakedFragment(run.output, [TOKEN])).toBeUndefined();
    expect(readdirSync(cwd)).toEqual([]);
    expect(backend!.requests).toEqual([]);
  });

  it('--app-token-file ./<token>.txt: refused once the file is read, before any request, the path never shown', async () => {
    await issuing();
    writeFileSync(path.join(cwd, `${TOKEN}.txt`), `${TOKEN}\n`);
    const run = await create(['app', '--users', '1,2', '--app-token-file', path.join(cwd, `${TOKEN}.txt`)], {});
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toMatch(/The value of --app-token-file holds your App Token \(not shown\)/);
    expect(leakedFragment(run.output, [TOKEN])).toBeUndefined();
    expect(backend!.requests).toEqual([]);
    expect(readdirSync(cwd)).toEqual([`${TOKEN}.txt`]);
  });

  it('an App Token of 3 characters is refused with a clear error (exit 2)', async () => {
    await issuing();
    const run = await create(['app', '--users', '1,2'], { MESIBO_APP_TOKEN: 'abc' });
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toMatch(/MESIBO_APP_TOKEN is 3 characters long, too short to be an App Token \(the mesibo console shows 64 characters; at least 12 are needed\)/);
    expect(run.output).not.toContain('abc');
    expect(backend!.requests).toEqual([]);
  });

  it('good input is unaffected: the same create with ordinary users succeeds', async () => {
    await issuing();
    const run = await create(['app', '--users', '1,2']);
    expect(run.code, run.output).toBe(0);
  });
});

describe("the App Token's simple transforms are masked", () => {
  const redactor = new Redactor();
  redactor.addKnown(TOKEN, 'app-token');
  const reversed = [...TOKEN].reverse().join('');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it.each([
    ['reversed', reversed],
    ['base64', b64(TOKEN)],
    ['base64 url-safe, unpadded', b64(TOKEN).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')],
    ['base64 of an 8-character piece (offset 0)', b64(TOKEN.slice(0, 8))],
    ['base64 of an 8-character piece (offset 13)', b64(TOKEN.slice(13, 21))],
    ['base64 of an 8-character piece (offset 29)', b64(TOKEN.slice(29, 37))],
    ['spaced out', [...TOKEN].join(' ')],
    ['with separators', [...TOKEN.slice(10, 30)].join('-')],
    ['with zero-width spaces', [...TOKEN].join('\u200b')],
    ['with a soft hyphen and word joiners', [...TOKEN.slice(0, 20)].join('\u00ad\u2060')],
    ['reversed and spaced', [...reversed].join(' ')],
  ])('%s', (_what, form) => {
    const shown = redactor.redact(`the backend said: ${form} (STOP)`);
    expect(shown).toMatch(/^the backend said: .*\[redacted\].* \(STOP\)$/);
    expect(shown).not.toContain(form);
    const letters = shown.replace(/[^\p{L}\p{N}]/gu, '');
    expect(leakedFragment(letters, [TOKEN, reversed, b64(TOKEN)])).toBeUndefined();
  });

  it('leaves ordinary text alone', () => {
    const text = 'Issued 4 access tokens for 2 users (com.example.chat) at https://api.mesibo.com/backend/';
    expect(redactor.redact(text)).toBe(text);
  });
});

describe('tokens the run read are masked when a backend echoes them', () => {
  it("refresh: a backend error quoting the project's current token shows none of it", async () => {
    await issuing();
    const made = await create(['app', '--users', '1,2']);
    expect(made.code, made.output).toBe(0);
    const current = webUsers(path.join(cwd, 'app')).users[0]!.token;
    await backend!.close();
    backend = await startScriptedBackend(() => ({ status: 200, body: { op: 'useradd', result: false, error: 'BADUSER', cause: `user already has token ${current} and ${current.slice(3, 15)}` } }));
    const run = await runInProcess(['refresh', 'app', '--api-url', backend.url, '--yes'], { cwd, env: { MESIBO_APP_TOKEN: TOKEN } });
    expect(run.code, run.output).toBe(1);
    expect(run.stderr).toMatch(/BADUSER \(user already has token \[redacted\] and \[redacted\]\)/);
    expect(leakedFragment(run.output, [current])).toBeUndefined();
  });

  it('workshop rerun: a backend error quoting a kept token shows none of it', async () => {
    let failing = false;
    const failure = () => (failing ? { op: 'useradd', result: false, error: 'BADUSER', cause: `seat token ${kept} exists` } : undefined);
    let kept = '';
    await issuing(failure);
    const flags = ['room', '--seats', '2', '--platforms', 'web', '--api-url', backend!.url];
    const first = await runInProcess(['workshop', ...flags], { cwd, env: { MESIBO_APP_TOKEN: TOKEN } });
    expect(first.code, first.output).toBe(0);
    const tokens = JSON.parse(readFileSync(path.join(cwd, 'room', '.workshop-tokens.json'), 'utf8')).tokens;
    kept = Object.values(tokens['seat-1'] as Record<string, string>)[0]!;
    // Seat 2's kept token and folder gone: the rerun must issue it again, and the backend echoes seat 1's token.
    delete tokens['seat-2'];
    writeFileSync(path.join(cwd, 'room', '.workshop-tokens.json'), JSON.stringify({ workshopTokens: 1, tokens }));
    removeScratch(path.join(cwd, 'room', 'seats', 'seat-2'));
    failing = true;
    const again = await runInProcess(['workshop', ...flags], { cwd, env: { MESIBO_APP_TOKEN: TOKEN } });
    expect(again.code, again.output).toBe(1);
    expect(again.stderr).toMatch(/BADUSER \(seat token \[redacted\] exists\)/);
    expect(leakedFragment(again.output, [kept])).toBeUndefined();
  });
});

describe('--app-token-file named after the token, not there', () => {
  it('the error does not show the path', async () => {
    const { readAppToken } = await import('../src/app-token');
    const error = await readAppToken({ appTokenFile: `./${TOKEN}.txt`, env: {}, interactive: false, prompt: async () => ({}) }).catch((e: Error) => e);
    expect((error as Error).message).toBe('--app-token-file (the path given, not shown: part of it looks like a token) does not exist. Give the path of a file that holds only your App Token.');
  });
});

describe('the App Token from a file, and on the command line too', () => {
  it('--users holding it, the token from --app-token-file: refused, and no line before the refusal showed it', async () => {
    await issuing();
    const file = path.join(cwd, 'token.txt');
    writeFileSync(file, `${TOKEN}\n`);
    const run = await create(['app', '--users', `${TOKEN},2`, '--app-token-file', file], {});
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toMatch(/The value of --users holds your App Token \(not shown\)/);
    expect(leakedFragment(run.output, [TOKEN])).toBeUndefined();
    expect(backend!.requests).toEqual([]);
    expect(readdirSync(cwd)).toEqual(['token.txt']);
  });
});
