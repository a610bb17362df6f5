/**
 * The literal helpers the iOS templates use, read back the way Xcode and CocoaPods read them: xcconfig values
 * through swift-build's parsing and macro expansion, Info.plist strings through a plist parser and the same
 * expansion, pbxproj values through two project-file readers, Podfile strings through Ruby itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { parse as parsePlist } from 'plist';
import { parse as parsePbxprojJson, build as buildPbxproj } from '@bacons/xcode/json';
import { infoPlistString, pbxValue, rubyString, xcconfigValue } from '../src/render/literals';
import { expandBuildSettings, parseXcconfig } from './support/ios';
import { parsePbxproj } from './support/ios-pbxproj';
import { assertToolsOrSkip } from './support/tools';

const ruby = assertToolsOrSkip(['ruby']);
const VALUES = ['a//b', '///', '$y', '$(X)', '${X}', '$$', ' lead', 'trail ', 'semi;', 'back\\', 'http://x', 'ü "q" \'s\'', '{{x}}'];
const SETTINGS = new Map([['X', 'expanded'], ['y', 'expanded']]);

describe('ios literals as Xcode reads them', () => {
  it('xcconfigValue survives the xcconfig parser and build setting expansion', () => {
    for (const value of VALUES) {
      const parsed = parseXcconfig(`VALUE = ${xcconfigValue(value)}\nNEXT = 1\n`).settings;
      expect(expandBuildSettings(parsed.get('VALUE')!, SETTINGS), value).toBe(value);
      expect(parsed.get('NEXT')).toBe('1');
    }
    expect(() => xcconfigValue('a\nb')).toThrow();
    expect(() => xcconfigValue('a\u2028b')).toThrow();
  });

  it('infoPlistString survives plist parsing and build setting expansion', () => {
    for (const value of [...VALUES, '<&>']) {
      const plist = parsePlist(`<plist version="1.0"><dict><key>k</key><string>${infoPlistString(value)}</string></dict></plist>`) as { k: string };
      expect(expandBuildSettings(plist.k, SETTINGS), value).toBe(value);
    }
  });

  it('pbxValue is bare only where Xcode writes bare strings, and parses back in both readers', () => {
    expect(pbxValue('com.example.chat')).toBe('com.example.chat');
    expect(pbxValue('17.0')).toBe('17.0');
    expect(pbxValue('org.acme.chat-app')).toBe('"org.acme.chat-app"');
    for (const value of ['com.example.chat', 'org.acme.chat-app', 'a "b" \\ c', 'ü', 'tab\there']) {
      const text = `{ v = ${pbxValue(value)}; }`;
      expect((parsePbxprojJson(text) as unknown as { v: string }).v).toBe(value);
      expect(buildPbxproj(parsePbxprojJson(text) as never)).toContain(`v = ${pbxValue(value)};`);
      expect(parsePbxproj(`// !$*UTF8*$!\n${text}\n`).root.v).toBe(value);
    }
  });

  it.skipIf(ruby.skip)(`rubyString reads back in Ruby exactly, with nothing interpolated ${ruby.reason}`, async () => {
    const values = ['2.7.18', "it's", 'back\\slash', '\\\'', '#{exit 1}', '#@x', '"q"', 'line\nbreak', 'ü'];
    const program = values.map((v) => `puts ${rubyString(v)}.unpack1('H*')`).join('\n');
    // From a file, as CocoaPods reads a Podfile: source files are UTF-8 whatever the locale (`-e` is not).
    const dir = mkdtempSync(path.join(tmpdir(), 'cma-ruby-'));
    writeFileSync(path.join(dir, 'Podfile'), `${program}\n`);
    const { stdout } = await execa('ruby', [path.join(dir, 'Podfile')]).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(stdout.split('\n').map((hex) => Buffer.from(hex, 'hex').toString('utf8'))).toEqual(values);
  });
});
