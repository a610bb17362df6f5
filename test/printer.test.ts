import { describe, expect, it, vi } from 'vitest';
import { colourFor, createPrinter, wrap, type Stream } from '../src/output/printer';
import { Redactor } from '../src/output/redact';

function stream(isTTY: boolean, columns?: number): Stream & { text: string } {
  const s = { isTTY, columns, text: '', write: (chunk: string) => (s.text += chunk) };
  return s;
}

interface Options {
  tty: boolean;
  columns?: number;
  env?: NodeJS.ProcessEnv;
  json?: boolean;
  secret?: string;
  verbose?: boolean;
  now?: () => number;
}

function printer(opts: Options) {
  const stdout = stream(opts.tty, opts.columns);
  const stderr = stream(opts.tty, opts.columns);
  const redactor = new Redactor();
  if (opts.secret) redactor.add(opts.secret);
  const p = createPrinter({ stdout, stderr, json: opts.json ?? false, env: opts.env ?? {}, redactor, verbose: opts.verbose, now: opts.now });
  return { p, stdout, stderr };
}

/** What a terminal shows: escape sequences gone, each line as last rewritten. */
function screen(text: string): string[] {
  return text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.split(/\r\u001b\[2K|\r/).pop()!);
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

  it('FORCE_COLOR forces colour anywhere (0 turns it off), then NO_COLOR, then the terminal decides', () => {
    expect(colourFor({ write() {}, isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourFor({ write() {}, isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourFor({ write() {}, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourFor({ write() {}, isTTY: true }, { NO_COLOR: '' })).toBe(true); // no-color.org: set and not empty
    expect(colourFor({ write() {}, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    const forced = printer({ tty: false, env: { FORCE_COLOR: '1' } });
    forced.p.success('done');
    expect(forced.stdout.text).toContain('\u001b[32m');
  });

  it('shows --verbose-only lines only with --verbose', () => {
    const quiet = printer({ tty: false });
    quiet.p.info('Sandbox backend listening on http://127.0.0.1:1/', 'detail');
    expect(quiet.stdout.text).toBe('');
    const verbose = printer({ tty: false, verbose: true });
    verbose.p.info('Sandbox backend listening on http://127.0.0.1:1/', 'detail');
    expect(verbose.stdout.text).toBe('Sandbox backend listening on http://127.0.0.1:1/\n');
  });
});

describe('wrapping', () => {
  const prose =
    'Sandbox tokens work only with the built-in sandbox: a starter using them reports AUTHFAIL. For real tokens run ' +
    '`npx create-mesibo-app@0.1.0 refresh` in the project folder, or read https://console.mesibo.com/a/very/long/path/that/is/longer/than/the/terminal';

  it('wraps prose to the terminal width at spaces, never inside a URL or a `command`', () => {
    const { p, stderr } = printer({ tty: true, columns: 41 });
    p.warn(prose);
    const lines = screen(stderr.text).filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines.filter((l) => !l.includes('https://'))) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(lines.some((l) => l.includes('`npx create-mesibo-app@0.1.0 refresh`'))).toBe(true);
    expect(lines.some((l) => l.includes('https://console.mesibo.com/a/very/long/path/that/is/longer/than/the/terminal'))).toBe(true);
    expect(lines[0]).toMatch(/^! /);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}\S/); // continuation lines hang under the text
    expect(lines.join(' ').replace(/^! /, '').replace(/\s+/g, ' ')).toBe(prose);
  });

  it('never wraps a command line, and keeps a list item hanging past its number', () => {
    const { p, stdout } = printer({ tty: true, columns: 30 });
    p.info('       node /a/very/long/path/to/create-mesibo-app/dist/index.js refresh', 'command');
    p.info('  3. Issue real tokens for the same users; refresh asks for the App Token');
    const lines = screen(stdout.text);
    expect(lines[0]).toBe('       node /a/very/long/path/to/create-mesibo-app/dist/index.js refresh');
    expect(lines.slice(1, -1).every((l) => l.length <= 29)).toBe(true);
    expect(lines[1]).toMatch(/^ {2}3\. Issue/);
    for (const line of lines.slice(2, -1)) expect(line).toMatch(/^ {5}\S/);
  });

  it('leaves lines whole without a terminal (a log or a pipe wraps itself)', () => {
    const { p, stderr } = printer({ tty: false, columns: 40 });
    p.warn(prose);
    expect(stderr.text).toBe(`! ${prose}\n`);
  });

  it('wrap keeps a word longer than the width on a line of its own', () => {
    expect(wrap('a https://example.com/long b', 10)).toEqual(['a', 'https://example.com/long', 'b']);
  });
});

describe('live progress', () => {
  it('shows a spinner and the elapsed time on a terminal, ticking while a request is in flight', () => {
    vi.useFakeTimers();
    try {
      let clock = 0;
      const { p, stdout } = printer({ tty: true, now: () => clock });
      p.progress('Issuing tokens:', 0, 2);
      clock = 1200;
      vi.advanceTimersByTime(1200); // no progress call: the ticker redraws on its own
      expect(stdout.text).toMatch(/Issuing tokens: 0 of 2 \S*1\.2 s/);
      const frames = new Set(stdout.text.match(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g));
      expect(frames.size).toBeGreaterThan(3);
      p.progress('Issuing tokens:', 2, 2);
      expect(screen(stdout.text)).toEqual(['Issuing tokens: 2 of 2', '']);
      const before = stdout.text;
      vi.advanceTimersByTime(1000); // stopped: nothing more is drawn
      expect(stdout.text).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is cleared before a warning and drawn again after it; an error ends it cleanly', () => {
    vi.useFakeTimers();
    try {
      // One terminal behind both streams, as in a shell: the order of what reaches it is what a user sees.
      let terminal = '';
      const tty = (): Stream => ({ isTTY: true, write: (chunk: string) => (terminal += chunk) });
      const p = createPrinter({ stdout: tty(), stderr: tty(), json: false, env: {}, redactor: new Redactor(), now: () => 0 });
      p.progress('Issuing tokens:', 1, 3);
      p.warn('HTTP 503; trying again');
      expect(screen(terminal)).toEqual(['! HTTP 503; trying again', expect.stringMatching(/^\S Issuing tokens: 1 of 3 0\.0 s$/)]);
      p.error('The backend failed');
      const after = terminal;
      vi.advanceTimersByTime(1000);
      expect(terminal).toBe(after); // no stray redraw after the failure
      expect(screen(terminal)).toEqual(['! HTTP 503; trying again', '✖ The backend failed', '']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never under --json, and close() stops it', () => {
    vi.useFakeTimers();
    try {
      const json = printer({ tty: true, json: true, now: () => 0 });
      json.p.progress('Issuing tokens:', 0, 4);
      expect(json.stderr.text).toBe('Issuing tokens: 0 of 4\n');
      expect(json.stdout.text).toBe('');
      const tty = printer({ tty: true, now: () => 0 });
      tty.p.progress('Issuing tokens:', 0, 4);
      tty.p.close();
      const after = tty.stdout.text;
      vi.advanceTimersByTime(1000);
      expect(tty.stdout.text).toBe(after);
      expect(after.endsWith('\r\u001b[2K')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
