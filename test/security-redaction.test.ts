/**
 * Issue 12, case 5 and the "Redaction" and "terminal control characters" parts: no fragment of 8 or
 * more characters of the App Token or of a user token reaches the output, whatever cuts or quotes it,
 * and nothing from outside can drive the terminal.
 */
import { describe, expect, it } from 'vitest';
import { createPrinter, type Stream } from '../src/output/printer';
import { Redactor, echo, jsonText, stripControls } from '../src/output/redact';
import { createBackendClient } from '../src/backend/client';
import { leakedFragment, SECURITY_APP_TOKEN as TEST_APP_TOKEN, startScriptedBackend, userToken } from './support/security-backend';

function stream(isTTY = false): Stream & { text: string } {
  const s = { isTTY, text: '', write: (chunk: string) => (s.text += chunk) };
  return s;
}

function printerWith(secrets: string[], tty = false) {
  const redactor = new Redactor();
  for (const s of secrets) redactor.add(s);
  const stdout = stream(tty);
  const stderr = stream(tty);
  const p = createPrinter({ stdout, stderr, json: false, env: {}, redactor });
  return { p, redactor, out: () => stdout.text + stderr.text, stdout };
}

describe('redaction', () => {
  it('masks every substring of 8 or more characters of a secret, wherever it is cut', () => {
    const { redactor } = printerWith([TEST_APP_TOKEN]);
    for (let start = 0; start < TEST_APP_TOKEN.length - 8; start += 3) {
      for (let end = start + 8; end <= TEST_APP_TOKEN.length; end += 5) {
        const text = `body: "${TEST_APP_TOKEN.slice(start, end)}…"`;
        expect(leakedFragment(redactor.redact(text), [TEST_APP_TOKEN]), text).toBeUndefined();
      }
    }
    // Shorter runs are left alone: they are too common to mean anything.
    expect(redactor.redact('Tk9AppT')).toBe('Tk9AppT');
    expect(redactor.redact('nothing secret here')).toBe('nothing secret here');
  });

  it('a secret with a control character is masked raw, as printed (stripped) and as JSON-escaped', () => {
    const token = 'AbCdEfGh\u0007IjKlMnOpQrStUvWx0123456789';
    const { p, out } = printerWith([token]);
    p.error(`raw ${token}`);
    p.error(`escaped ${JSON.stringify(token)}`);
    p.json({ token });
    expect(leakedFragment(out(), [token, stripControls(token), JSON.stringify(token).slice(1, -1)])).toBeUndefined();
  });

  it('stays linear with 1000 user tokens registered', () => {
    const tokens = Array.from({ length: 1000 }, (_, i) => userToken(`user${i}`));
    const redactor = new Redactor();
    const started = performance.now();
    for (const t of tokens) redactor.add(t);
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}: useradd for "user${i}" echoed ${tokens[i % 1000]!.slice(i % 40, (i % 40) + 20)}`);
    const redacted = lines.map((l) => redactor.redact(l));
    const elapsed = performance.now() - started;
    expect(leakedFragment(redacted.join('\n'), tokens.slice(0, 50))).toBeUndefined();
    expect(redacted[0]).toMatch(/^line 0: useradd for "user0" echoed \[redacted\]$/);
    // 1000 × 57 windows and 2000 lines: well under a second when each line is one pass (generous on a busy CI).
    expect(elapsed).toBeLessThan(3000);
  });

  it('an error body that echoes the request never shows part of the App Token (issue 12, case 5)', async () => {
    // A proxy or a broken backend that echoes the request as text: the 60-character excerpt used to cut
    // the App Token mid-way, and exact-match redaction let 35 of its characters through.
    const echoing = await startScriptedBackend((body) => ({
      status: 400,
      headers: { 'content-type': 'text/plain' },
      body: `bad request: ${JSON.stringify(body)}`,
    }));
    try {
      const client = createBackendClient({ endpoint: echoing.url, appToken: TEST_APP_TOKEN, sleep: async () => {} });
      const error = await client.useradd({ address: '123', name: 'User 123', appId: 'com.example.chat', expiryMinutes: 60 }).then(
        () => new Error('expected a failure'),
        (e: Error) => e,
      );
      await client.close();
      expect(error.message).toMatch(/not JSON .*starts with .*"token\\":\\"\[redacted\]/);
      const { p, out } = printerWith([TEST_APP_TOKEN]);
      p.error(error.message);
      expect(leakedFragment(out(), [TEST_APP_TOKEN])).toBeUndefined();
    } finally {
      await echoing.close();
    }
  });
});

describe('terminal control characters', () => {
  const hostile = 'A\u001b[2J\u001b[31mred\u001b]0;owned title\u0007 \u202eevil\u202c \u009b31m\rfake ✔ line\u0000';

  it('are stripped from every line, while our own colours stay', () => {
    const { p, stdout } = printerWith([], true);
    p.success(hostile);
    expect(stdout.text).toContain('\u001b[32m✔\u001b[39m'); // our mark, painted
    const after = stdout.text.slice(stdout.text.indexOf('\u001b[39m') + 5);
    expect(after).toBe(' Ared evil fake ✔ line\n');
    expect(after).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('are stripped from progress labels and under --json made inert but kept as data', () => {
    const { p, stdout } = printerWith([], true);
    p.progress(`Users ${hostile}`, 1, 2);
    expect(stdout.text.startsWith('\r\u001b[2K')).toBe(true);
    expect(stdout.text.slice(5)).not.toMatch(/[\u001b\u009b\u202e\u0007]/);
    const json = stream();
    createPrinter({ stdout: json, stderr: stream(), json: true, env: {}, redactor: new Redactor() }).json({ name: hostile });
    expect(json.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(json.text)).toEqual({ name: hostile });
    expect(jsonText('\u2028')).toBe('"\\u2028"');
  });

  it('echo() cleans and shortens a value quoted in an error', () => {
    expect(echo('x'.repeat(500))).toBe(JSON.stringify(`${'x'.repeat(59)}…`));
    expect(echo('a\u001b[31mb\nc')).toBe('"ab c"');
  });
});
