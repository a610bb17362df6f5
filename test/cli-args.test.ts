/**
 * Flags as a newcomer types them: a typo gets the flag meant, `help` is a command, a repeated value flag is
 * refused instead of silently keeping the last value, a negative number is a (bad) value rather than a
 * missing one, and a long value is never echoed whole.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/args';
import { closest } from '../src/cli/suggest';
import { UsageError } from '../src/errors';
import { checkRefreshFlags } from '../src/plan/refresh-plan';
import { fromFlag, parseUsers } from '../src/validators';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CLI, removeDir, runCli, tempDir } from './support/cli';

function refusal(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('an unknown flag', () => {
  it.each([
    [['--plaform', 'web'], '--platforms'],
    [['--platfroms', 'web'], '--platforms'],
    [['--user', '1,2'], '--users'],
    [['--sandox'], '--sandbox'],
    [['--apiurl', 'x'], '--api-url'],
    [['refresh', '--token-expry', '5'], '--token-expiry'],
    [['sandbox', '--prot', '80'], '--port'],
  ])('%j gets the closest known one', (argv, meant) => {
    expect(refusal(argv)).toContain(`(did you mean ${meant}?)`);
  });

  it('far from every flag gets no guess', () => {
    expect(refusal(['--zzzzzzzz'])).toMatch(/^Unknown option --zzzzzzzz\. Run create-mesibo-app --help/);
  });

  it("another command's flag says whose it is", () => {
    expect(refusal(['refresh', '--platforms', 'web'])).toMatch(/--platforms is for creating a project, not for refresh/);
  });

  it('is echoed shortened', () => {
    const message = refusal([`--${'x'.repeat(500)}`]);
    expect(message.length).toBeLessThan(200);
  });
});

describe('help as a command', () => {
  it.each([
    [['help'], 'create'],
    [['help', 'create'], 'create'],
    [['help', 'refresh'], 'refresh'],
    [['help', 'sandbox'], 'sandbox'],
    [['refresh', '--help'], 'refresh'],
  ])('%j', (argv, topic) => {
    expect(parseCommandLine(argv)).toEqual({ command: 'help', topic });
  });

  it('a mistyped command gets the one meant', () => {
    expect(refusal(['help', 'refesh'])).toMatch(/no command "refesh" \(did you mean refresh\?\)/);
  });

  it('a folder named help is still possible as ./help', () => {
    expect(parseCommandLine(['./help'])).toMatchObject({ command: 'create', dir: './help' });
  });
});

describe('a repeated value flag', () => {
  it.each([
    [['--users', '1,2', '--users', '3,4'], /--users was given more than once.*like --users 123,456/],
    [['my-app', '--platforms=web', '--platforms', 'ios'], /--platforms was given more than once.*like --platforms web,python/],
    [['refresh', '--api-url', 'https://a/', '--api-url', 'https://b/'], /^--api-url was given more than once; give it once\.$/],
    [['sandbox', '--port', '1', '--port', '2'], /--port was given more than once/],
  ])('%j is exit 2, naming it', (argv, message) => {
    expect(refusal(argv)).toMatch(message);
  });

  it('a repeated switch is harmless', () => {
    expect(parseCommandLine(['app', '--yes', '-y', '--verbose', '--verbose'])).toMatchObject({ yes: true, verbose: true });
  });
});

describe('a negative number', () => {
  it('is read as a value, which the validator then refuses as not positive', () => {
    expect(parseCommandLine(['app', '--token-expiry', '-5'])).toMatchObject({ tokenExpiry: '-5' });
    const args = parseCommandLine(['refresh', '--token-expiry', '-5']);
    expect(() => checkRefreshFlags(args as never)).toThrow(/--token-expiry "-5" must be a positive whole number of minutes/);
  });

  it('still stops at --, and a flag-like value is still a missing value', () => {
    expect(refusal(['app', '--token-expiry', '--yes'])).toMatch(/--token-expiry needs a value/);
    expect(refusal(['app', '--', '--token-expiry', '-5'])).toMatch(/Unexpected argument/);
  });
});

describe('long values in flag errors', () => {
  it('are shortened, with an ellipsis', () => {
    const long = `${'1,'.repeat(5000)}1`;
    let message = '';
    try {
      fromFlag('--users', `${long},1`, parseUsers);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^--users "1,1,.{20,}…" /);
    expect(message.length).toBeLessThan(300);
  });
});

describe('closest', () => {
  it('takes a unique prefix, and refuses an ambiguous or distant one', () => {
    expect(closest('--plat', ['--platforms', '--port'])).toBe('--platforms');
    expect(closest('--a', ['--api-url', '--app-id'])).toBeUndefined();
    expect(closest('--qqqqqqqqqq', ['--platforms'])).toBeUndefined();
  });
});

describe('the built CLI', () => {
  it('`help` and `help refresh` print help and exit 0; nothing is created', async () => {
    const work = tempDir('cma-args-');
    try {
      const help = await runCli(['help'], { cwd: work });
      expect(help.exitCode).toBe(0);
      expect(String(help.stdout)).toMatch(/^Usage: create-mesibo-app \[dir\] \[options\]/);
      const refresh = await runCli(['help', 'refresh'], { cwd: work });
      expect(refresh.exitCode).toBe(0);
      expect(String(refresh.stdout)).toMatch(/^Usage: create-mesibo-app refresh \[dir\] \[options\]/);
      expect(existsSync(path.join(work, 'help'))).toBe(false);
    } finally {
      removeDir(work);
    }
  });

  it('a typo is exit 2 with the flag meant, in one line', async () => {
    const result = await runCli(['my-app', '--plaform', 'web'], { cwd: '/' });
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr).trim()).toBe(`✖ Unknown option --plaform (did you mean --platforms?). Run node ${CLI} --help to see every option.`);
  });
});
