/**
 * Issue 12, cases 10 and 11 (first point): what a backend sends is checked before use. A token that is
 * not one mesibo issues (a space splits the C++ starter's `key value` line, a newline ends it) is
 * refused without being quoted; an error's escape sequences never reach the terminal; fields of the
 * wrong type are a clear backend error, not a crash reported as a bug.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackendClient } from '../src/backend/client';
import { BackendError } from '../src/backend/errors';
import { backendIdProblem, TOKEN_PATTERN } from '../src/backend/answer';
import { readdirSync } from 'node:fs';
import { removeScratch, runInProcess, scratchDir } from './support/security-run';
import { Redactor } from '../src/output/redact';
import { createPrinter } from '../src/output/printer';
import { leakedFragment, SECURITY_APP_TOKEN, startScriptedBackend, userToken, type ScriptedBackend } from './support/security-backend';

let backend: ScriptedBackend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

const user = { address: '123', name: 'User 123', appId: 'com.example.chat', expiryMinutes: 60 };

/** One useradd answered with `body`; the error, and what a run's printer would show of it. */
async function answeredWith(body: unknown, status = 200) {
  backend = await startScriptedBackend(() => ({ status, body }));
  const redactor = new Redactor();
  const client = createBackendClient({ endpoint: backend.url, appToken: SECURITY_APP_TOKEN, redactor, sleep: async () => {} });
  const result = await client.useradd(user).catch((e: Error) => e);
  await client.close();
  let shown = '';
  const sink = { write: (s: string) => (shown += s) };
  if (result instanceof Error) createPrinter({ stdout: sink, stderr: sink, json: false, env: {}, redactor }).error(result.message);
  return { result, shown };
}

const good = userToken('123');

describe('tokens and uids from the backend', () => {
  it.each([
    ['a space', `${good.slice(0, 30)} ${good.slice(30)}`, /with spaces or control characters/],
    ['a newline', `${good.slice(0, 30)}\n${good.slice(30)}`, /with spaces or control characters/],
    ['a bell (control character)', `${good.slice(0, 30)}\u0007${good.slice(30)}`, /with spaces or control characters/],
    ['a quote', `${good.slice(0, 30)}"${good.slice(30)}`, /with characters other than letters, digits/],
    ['too short', good.slice(0, 10), /\(10 characters; expected 16 to 512/],
    ['too long', good.repeat(10), /\(640 characters; expected 16 to 512/],
  ])('a token with %s is refused, and never shown', async (_what, token, why) => {
    const { result, shown } = await answeredWith({ op: 'useradd', result: true, user: { uid: 5001, token } });
    expect(result).toBeInstanceOf(BackendError);
    expect((result as Error).message).toMatch(/accepted useradd for user "123" \(appid "com.example.chat"\) but its answer has a user\.token that is not an access token as mesibo issues them/);
    expect((result as Error).message).toMatch(why);
    expect(leakedFragment((result as Error).message, [token])).toBeUndefined();
    expect(leakedFragment(shown, [token])).toBeUndefined();
  });

  it('accepts mesibo\'s shape and a tolerant superset, nothing a config format would act on', () => {
    expect(TOKEN_PATTERN.test(good)).toBe(true);
    expect(TOKEN_PATTERN.test('abc.DEF_ghi-0123456789')).toBe(true);
    for (const bad of ['a'.repeat(15), `${good}$`, `${good}/`, `${good}#`, `${good}=`, `${good}\\`, `${good}é`]) {
      expect(TOKEN_PATTERN.test(bad), bad).toBe(false);
    }
  });

  it.each([
    [{ uid: 'x'.repeat(65), token: good }, /has a user\.uid that is not a plain id \("x{29}…"\)/],
    [{ uid: -1, token: good }, /has a user\.uid that is not a whole number \(-1\)/],
    [{ uid: { n: 1 }, token: good }, /has a user\.uid that is an object/],
    [{ token: good }, /has no user\.uid/],
    [{ uid: 1, token: 42 }, /has a user\.token that is a number/],
  ])('a uid or token of the wrong kind is a backend error: %j', async (issued, why) => {
    const { result } = await answeredWith({ op: 'useradd', result: true, user: issued });
    expect(result).toBeInstanceOf(BackendError);
    expect((result as Error).message).toMatch(why);
  });

  it('a "user token" built from the App Token is refused: it would be written to the starters', async () => {
    const { result, shown } = await answeredWith({ result: true, user: { uid: 1, token: `${SECURITY_APP_TOKEN.slice(3, 40)}abcdef` } });
    expect((result as Error).message).toMatch(/has a user\.token that contains part of the App Token \(never written to a file\)/);
    expect(leakedFragment(shown, [SECURITY_APP_TOKEN])).toBeUndefined();
  });

  it('uid as a number or a digit string is normalised to a string', async () => {
    expect((await answeredWith({ result: true, user: { uid: '0042', token: good } })).result).toEqual({ uid: '0042', token: good });
  });
});

describe('failure fields from the backend', () => {
  it('escape sequences and bidi controls in error and cause are removed before they are printed', async () => {
    const { result, shown } = await answeredWith({
      op: 'useradd',
      result: false,
      error: '\u001b[2JMISSING\u202ePARA',
      cause: 'address \u001b]0;pwned\u0007missing\u001b[31m\r\nnext line',
    });
    expect(shown).not.toMatch(/[\u001b\u0007\u202e\r]/);
    expect((result as Error).message).toMatch(/refused useradd .*: "MISSINGPARA" \(address missing next line\) \(HTTP 200\)/);
  });

  it.each([
    [{ result: false, error: 'MISSINGPARA', properties: 'address' }, /: MISSINGPARA \(HTTP 200\)\.$/],
    [{ result: false, error: 'MISSINGPARA', properties: [1, 'address', null] }, /Fields: address\.$/],
    [{ result: false, error: 42, cause: ['x'] }, /: UNKNOWN \(HTTP 200\)\.$/],
    [{ result: 'true', user: { uid: 1, token: good } }, /: UNKNOWN \(HTTP 200\)\.$/],
    [[{ result: true }], /answered useradd .* with JSON that is an array, not a mesibo answer/],
    ['"just a string"', /with JSON that is a string, not a mesibo answer/],
    [{ result: true, user: 'nobody' }, /its answer has a user that is a string/],
  ])('fields of the wrong type are a clear backend error: %j', async (body, why) => {
    const { result } = await answeredWith(body);
    expect(result).toBeInstanceOf(BackendError);
    expect((result as Error).message).toMatch(why);
  });

  it('a long cause is shortened, and an App Token it echoes is masked before the cut', async () => {
    const cause = `${'blah '.repeat(30)}token=${SECURITY_APP_TOKEN} ${'x'.repeat(5000)}`;
    const { result } = await answeredWith({ result: false, error: 'BADTOKEN', cause });
    const message = (result as Error).message;
    expect(message.length).toBeLessThan(400);
    expect(message).toMatch(/\(blah .*token=\[redacted\] x+…\)/);
    expect(leakedFragment(message, [SECURITY_APP_TOKEN], 4)).toBeUndefined(); // not even a cut-off piece
  });
});

describe('issue 19, vulnerability 5: a uid that holds a secret the run knows is refused before anything is written', () => {
  it.each([
    ['the App Token', SECURITY_APP_TOKEN],
    ['the first 40 characters of the App Token', SECURITY_APP_TOKEN.slice(0, 40)],
    ['8 characters of the App Token', `u${SECURITY_APP_TOKEN.slice(10, 18)}`],
    ['the token of the same answer', good],
  ])('uid = %s: a backend error that shows no part of it', async (_what, uid) => {
    const { result, shown } = await answeredWith({ op: 'useradd', result: true, user: { uid, token: good } });
    expect(result).toBeInstanceOf(BackendError);
    expect((result as Error).message).toMatch(/its answer has a user\.uid that holds a secret this run knows \(the App Token or a user token; not shown, and nothing was written\)/);
    expect(leakedFragment(shown, [SECURITY_APP_TOKEN, good])).toBeUndefined();
  });

  it("uid = another user's token, issued earlier in the run: refused", async () => {
    const other = userToken('456');
    let n = 0;
    backend = await startScriptedBackend(() => ({ status: 200, body: { result: true, user: n++ === 0 ? { uid: 1, token: other } : { uid: other, token: good } } }));
    const client = createBackendClient({ endpoint: backend.url, appToken: SECURITY_APP_TOKEN, redactor: new Redactor(), sleep: async () => {} });
    expect(await client.useradd({ ...user, address: '456' })).toEqual({ uid: '1', token: other });
    const second = await client.useradd(user).catch((e: Error) => e);
    await client.close();
    expect((second as Error).message).toMatch(/has a user\.uid that holds a secret this run knows/);
  });

  it('end to end: create with a backend answering uid = App Token exits 1 and writes no project', async () => {
    backend = await startScriptedBackend((req) => ({ status: 200, body: { result: true, user: { uid: req.token, token: userToken(String(req.user?.address)) } } }));
    const cwd = scratchDir('cma-uid-');
    try {
      const run = await runInProcess(['app', '--yes', '--no-git', '--api-url', backend.url, '--platforms', 'web', '--users', '1,2'], {
        cwd,
        env: { MESIBO_APP_TOKEN: SECURITY_APP_TOKEN },
      });
      expect(run.code, run.output).toBe(1);
      expect(run.stderr).toMatch(/has a user\.uid that holds a secret this run knows/);
      expect(leakedFragment(run.output, [SECURITY_APP_TOKEN])).toBeUndefined();
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      removeScratch(cwd);
    }
  });

  it('a mid is checked by the same rule (exported for the announce command)', () => {
    const secrets = new Redactor();
    secrets.add(SECURITY_APP_TOKEN);
    expect(backendIdProblem(1387628, 'mid', secrets)).toBeUndefined();
    expect(backendIdProblem('1387628', 'mid', secrets)).toBeUndefined();
    expect(backendIdProblem(SECURITY_APP_TOKEN, 'mid', secrets)).toMatch(/has a mid that holds a secret this run knows/);
    expect(backendIdProblem('x'.repeat(65), 'mid', secrets)).toMatch(/has a mid that is not a plain id/);
  });
});

describe("the message op's mid", () => {
  async function messageAnsweredWith(body: unknown) {
    backend = await startScriptedBackend(() => ({ status: 200, body }));
    const redactor = new Redactor();
    const client = createBackendClient({ endpoint: backend.url, appToken: SECURITY_APP_TOKEN, redactor, sleep: async () => {} });
    const result = await client.message({ from: 'host', to: ['seat-1'], message: 'hi' }).catch((e: Error) => e);
    await client.close();
    return result;
  }

  it('a mid that holds 8 characters of the App Token is a backend error, never returned to be recorded', async () => {
    const result = await messageAnsweredWith({ op: 'message', result: true, mid: SECURITY_APP_TOKEN.slice(5, 21) });
    expect(result).toBeInstanceOf(BackendError);
    expect((result as Error).message).toMatch(/has a mid that holds a secret this run knows/);
    expect(leakedFragment((result as Error).message, [SECURITY_APP_TOKEN])).toBeUndefined();
  });

  it('a plain mid, or none (the older shape), is a sent message', async () => {
    expect(await messageAnsweredWith({ op: 'message', result: true, mid: 1387628 })).toEqual({ mid: '1387628' });
    await backend?.close();
    expect(await messageAnsweredWith({ op: 'message', result: true })).toEqual({});
  });
});
