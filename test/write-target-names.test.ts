/**
 * Issue 12, limits: a target folder name that Windows reserves for a device (CON, PRN, AUX, NUL,
 * COM0-9, LPT0-9 and their superscript forms, CONIN$, CONOUT$; any case, with or without an extension)
 * or that ends with a space or a dot, and any invisible bidirectional or format character, is refused
 * (exit 2) with the value named safely: invisible characters written out as \u escapes.
 */
import { describe, expect, it } from 'vitest';
import { fromFlag, parseTargetDir, promptValidator } from '../src/validators';
import { cliEnv, removeDir, runCli, tempDir } from './support/cli';
import { readdirSync } from 'node:fs';

const check = (value: string) => fromFlag('the folder argument', value, parseTargetDir);

describe('Windows device names', () => {
  it.each(['CON', 'con', 'Prn', 'aux', 'NUL', 'nul.txt', 'NUL.tar.gz', 'com1', 'COM9', 'com0', 'lpt1', 'LPT9.log', 'COM\u00b9', 'lpt\u00b3', 'CONIN$', 'conout$', 'nul .txt', 'apps/con', 'con/app'])(
    '%j is refused',
    (value) => {
      expect(() => check(value)).toThrowError(/which Windows reserves for a device \(even with an extension\)/);
    },
  );

  it.each(['console', 'com10', 'lpt', 'nullable', 'auxiliary', 'my-con', 'con-app', 'prn2', 'COM', '/home/con/my-chat'])('%j is fine', (value) => {
    expect(() => check(value)).not.toThrow();
  });

  it('names the segment and says why, in the prompt too', () => {
    expect(promptValidator(parseTargetDir)('Aux.js')).toBe(
      '"Aux.js" uses the name "Aux", which Windows reserves for a device (even with an extension): the project could not be opened or copied there. Give a folder name like my-chat.',
    );
  });
});

describe('trailing dots and spaces', () => {
  it.each(['app.', 'app ', 'apps./chat', 'apps /chat'])('%j is refused', (value) => {
    expect(() => check(value)).toThrowError(/ends with a space or a dot|starts or ends with a space or a dot/);
  });
  it.each(['my.app', './app', 'a b/c d'])('%j is fine', (value) => {
    expect(() => check(value)).not.toThrow();
  });
});

describe('invisible characters', () => {
  it.each([
    ['\u202e', 'RIGHT-TO-LEFT OVERRIDE'],
    ['\u202a', 'LEFT-TO-RIGHT EMBEDDING'],
    ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
    ['\u2069', 'POP DIRECTIONAL ISOLATE'],
    ['\u200e', 'LEFT-TO-RIGHT MARK'],
    ['\u200f', 'RIGHT-TO-LEFT MARK'],
    ['\u061c', 'ARABIC LETTER MARK'],
    ['\u200b', 'ZERO WIDTH SPACE'],
    ['\ufeff', 'BYTE ORDER MARK'],
    ['\u2060', 'WORD JOINER'],
  ])('%j (%s) is refused, written out as an escape', (char) => {
    const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    expect(() => check(`chat${char}gpj.exe`)).toThrowError(
      `contains U+${code}, an invisible character that makes a name read differently from what it is (written out: "chat\\u${code}gpj.exe")`,
    );
  });

  it('keeps the joiners Persian, Indic scripts and emoji need', () => {
    expect(() => check('می\u200cخواهم')).not.toThrow(); // ZWNJ
    expect(() => check('team-\u{1F469}\u200d\u{1F4BB}')).not.toThrow(); // ZWJ in an emoji sequence
  });

  it('the built CLI: exit 2, nothing written, the value escaped (the raw character never printed)', async () => {
    const dir = tempDir('cma-names-');
    try {
      const result = await runCli(['my\u202Egpj.exe', '--sandbox', '--yes', '--no-git'], { cwd: dir, env: cliEnv({ CI: '1' }) });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('contains U+202E');
      expect(result.stderr).toContain('"my\\u202Egpj.exe"');
      expect(`${result.stdout}${result.stderr}`).not.toContain('\u202e');
      expect(readdirSync(dir)).toEqual([]);
      const reserved = await runCli(['NUL.txt', '--sandbox', '--yes', '--no-git'], { cwd: dir, env: cliEnv({ CI: '1' }) });
      expect(reserved.exitCode).toBe(2);
      expect(reserved.stderr).toMatch(/the folder argument "NUL.txt" uses the name "NUL", which Windows reserves for a device/);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      removeDir(dir);
    }
  });
});
