/**
 * Issue 19, bug 11: bidirectional overrides and the other invisible format characters (Unicode \p{Cf},
 * and the line and paragraph separators) are refused in user addresses and display names at input,
 * --users, --name, a roster, a prompt, as target folder names already are: they would otherwise be
 * written raw into Kotlin, Swift, JS, JSON, the READMEs and the handout, making a name read differently
 * from what it is (Trojan Source). The message writes the character out (U+202E) and never prints it raw.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseUsers, promptValidator, parseName, validateAddress, validateDisplayName } from '../src/validators';
import { removeScratch, runInProcess, scratchDir } from './support/security-run';

const RAW_INVISIBLE = /[\p{Cf}\u2028\u2029]/u;
const SAMPLES: Array<[string, string]> = [
  ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
  ['RIGHT-TO-LEFT ISOLATE', '\u2067'],
  ['POP DIRECTIONAL ISOLATE', '\u2069'],
  ['LEFT-TO-RIGHT MARK', '\u200e'],
  ['ZERO WIDTH SPACE', '\u200b'],
  ['WORD JOINER', '\u2060'],
  ['BYTE ORDER MARK', '\ufeff'],
  ['SOFT HYPHEN', '\u00ad'],
  ['LINE SEPARATOR', '\u2028'],
  ['ARABIC LETTER MARK', '\u061c'],
];

describe('the validators', () => {
  it.each(SAMPLES)('refuse %s in an address and in a name, naming its code point', (_name, c) => {
    const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    expect(validateAddress(`ann${c}evil`)).toContain(`contains ${code}, an invisible character`);
    expect(validateDisplayName(`Ann${c} Admin`)).toContain(`contains ${code}, an invisible character`);
    expect(validateAddress(`ann${c}evil`)).not.toMatch(RAW_INVISIBLE);
    expect(validateDisplayName(`Ann${c} Admin`)).not.toMatch(RAW_INVISIBLE);
  });

  it('keep what real names need: accents, scripts, emoji with joiners (in names), plain addresses', () => {
    for (const name of ['Zoë', 'Łukasz', 'محمد', 'नमस्ते', 'می‌خواهم', '👩‍💻 Dev']) expect(validateDisplayName(name), name).toBeUndefined();
    for (const address of ['123', 'ann@example.com', '+4915112345678', 'seat-01']) expect(validateAddress(address), address).toBeUndefined();
    expect(validateAddress('a\u200db')).toMatch(/U\+200D/); // an address is an identifier: not even a joiner
  });

  it('the prompts refuse them too', () => {
    expect(promptValidator(parseUsers)('ann\u202e,bob')).toMatch(/U\+202E, an invisible character/);
    expect(promptValidator(parseName)('My\u2066Chat')).toMatch(/U\+2066, an invisible character/);
    expect(promptValidator(parseUsers)('ann,bob')).toBe(true);
  });
});

describe('end to end', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = scratchDir('cma-bidi-');
  });
  afterEach(() => removeScratch(cwd));

  it.each([
    ['--users', ['app', '--sandbox', '--yes', '--no-git', '--users', 'admin\u202exod.exe,bob'], /--users .*U\+202E, an invisible character/],
    ['--name', ['app', '--sandbox', '--yes', '--no-git', '--users', 'a,b', '--name', 'Chat\u2067 Admin'], /--name .*U\+2067, an invisible character/],
  ])('create %s: exit 2, nothing written, the character never printed raw', async (_flag, argv, message) => {
    const run = await runInProcess(argv, { cwd });
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.output).not.toMatch(RAW_INVISIBLE);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a workshop roster: exit 2 with the line named, nothing written', async () => {
    writeFileSync(path.join(cwd, 'roster.csv'), 'Ada,ada\nBo\u202eb,bob\nCy,c\u2066y\n');
    const run = await runInProcess(['workshop', 'room', '--sandbox', '--roster', 'roster.csv', '--platforms', 'web'], { cwd });
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toMatch(/line 2: the name .* contains U\+202E, an invisible character/);
    expect(run.stderr).toMatch(/line 3: the address "c\\u2066y" contains U\+2066, an invisible character/);
    expect(run.output).not.toMatch(RAW_INVISIBLE);
    expect(readdirSync(cwd)).toEqual(['roster.csv']);
  });
});
