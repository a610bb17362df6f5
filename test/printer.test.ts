import { describe, expect, it } from 'vitest';
import { createPrinter, type Stream } from '../src/output/printer';
import { Redactor } from '../src/output/redact';

function stream(isTTY: boolean): Stream & { text: string } {
  const s = { isTTY, text: '', write: (chunk: string) => (s.text += chunk) };
  return s;
}

function printer(opts: { tty: boolean; env?: NodeJS.ProcessEnv; json?: boolean; secret?: string }) {
  const stdout = stream(opts.tty);
  const stderr = stream(opts.tty);
  const redactor = new Redactor();
  if (opts.secret) redactor.add(opts.secret);
  return { p: createPrinter({ stdout, stderr, json: opts.json ?? false, env: opts.env ?? {}, redactor }), stdout, stderr };
}

describe('printer', () => {
  it('colours on a terminal, not with NO_COLOR, not when piped', () => {
    const tty = printer({ tty: true });
    tty.p.success('done');
    expect(tty.stdout.text).toContain('\u001b[32m');
    const noColor = printer({ tty: true, env: { NO_COLOR: '1' } });
    noColor.p.success('done');
    expect(noColor.stdout.text).toBe('✔ done\n');
    const piped = printer({ tty: false });
    piped.p.error('bad');
    expect(piped.stderr.text).toBe('✖ bad\n');
  });

  it('rewrites one progress line on a terminal and prints a few plain lines otherwise', () => {
    const tty = printer({ tty: true });
    for (let i = 0; i <= 100; i++) tty.p.progress('Users:', i, 100);
    expect(tty.stdout.text.split('\n')).toHaveLength(2);
    expect(tty.stdout.text).toContain('\rUsers: 100 of 100'.slice(1));
    const piped = printer({ tty: false });
    for (let i = 0; i <= 100; i++) piped.p.progress('Users:', i, 100);
    expect(piped.stdout.text.trim().split('\n')).toEqual(['Users: 0 of 100', 'Users: 25 of 100', 'Users: 50 of 100', 'Users: 75 of 100', 'Users: 100 of 100']);
  });

  it('under --json keeps stdout for the summary alone', () => {
    const { p, stdout, stderr } = printer({ tty: false, json: true });
    p.info('working');
    p.json({ ok: true });
    expect(JSON.parse(stdout.text)).toEqual({ ok: true });
    expect(stderr.text).toBe('working\n');
  });

  it('redacts a registered secret from every line', () => {
    const { p, stdout, stderr } = printer({ tty: false, secret: 'S3cretAppToken' });
    p.info('token=S3cretAppToken');
    p.error('echo: S3cretAppToken!');
    p.json({ t: 'S3cretAppToken' });
    expect(stdout.text + stderr.text).not.toContain('S3cretAppToken');
    expect(stderr.text).toBe('✖ echo: [redacted]!\n');
  });
});
