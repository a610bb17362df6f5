/**
 * The C++ starter: main.cpp compiles warning-free against a stub of mesibo's header; CMake finds mesibo
 * (here a fake libmesibo via MESIBO_ROOT) or stops with the install command; and the built program logs in
 * with the right token and appid, prints incoming messages, sends each stdin line to the peer and exits
 * cleanly at end of input.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineValue, markdownCode, shellWord } from '../src/render/literals';
import { fakeToken, renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { HOSTILE, expectTokensOnlyInSecretFile, tempDir, withoutSecretFile } from './support/starter-common';
import { buildFakeMesibo, cmakeBuild, runStarter, syntaxCheck } from './support/cpp-starter';

const tools = assertToolsOrSkip(['g++', 'cmake']);
const APP_ID = 'demo.cpp-app';
const INSTALL_COMMAND = 'curl -s https://raw.githubusercontent.com/mesibo/libmesibo/master/install.sh | sudo bash -';

describe.skipIf(tools.skip)(`C++ starter ${tools.reason}`, () => {
  let scratch: ReturnType<typeof tempDir>;
  let project: string;
  let cppDir: string;
  let fakeMesibo: string;
  let runs = 0;
  const log = () => path.join(scratch.dir, `calls-${++runs}.jsonl`);
  const sends = (calls: Array<{ call: string }>) => calls.filter((c) => c.call === 'send');

  beforeAll(async () => {
    scratch = tempDir('cma-cpp-');
    project = (await renderFixture({ platforms: [{ id: 'cpp', appId: APP_ID }], users: ['123', '456', '789'] })).dir;
    cppDir = path.join(project, 'cpp');
    fakeMesibo = await buildFakeMesibo(path.join(scratch.dir, 'mesibo'));
    await cmakeBuild(cppDir, fakeMesibo);
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    scratch?.cleanup();
  });

  it('compiles with -Wall -Wextra -Werror against the stub header', async () => {
    await syntaxCheck(cppDir);
  });

  it('keeps the tokens in mesibo.conf only', () => {
    expectTokensOnlyInSecretFile(project, 'cpp', APP_ID, ['123', '456', '789']);
    // mesibo.conf has no escapes: a value that would end its line early is refused at generation.
    expect(() => lineValue('a\nuser b')).toThrow(/control characters/);
  });

  for (const [me, peer] of [['123', '456'], ['456', '123']] as const) {
    it(`logs in as demo user ${me}, shows incoming messages and sends stdin lines to ${peer}`, async () => {
      const run = await runStarter(cppDir, log(), ['--user', me], `hello from ${me}\n\nsecond line\n`, {
        MESIBO_FAKE_FROM: peer,
        MESIBO_FAKE_TEXT: `hi ${me}, ü`,
      });
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.calls.slice(0, 4)).toEqual([
        { call: 'addListener' },
        { call: 'setAccessToken', token: fakeToken(me, APP_ID) },
        { call: 'setAppName', appid: APP_ID },
        { call: 'start' },
      ]);
      expect(sends(run.calls)).toEqual([
        { call: 'send', to: peer, message: `hello from ${me}` },
        { call: 'send', to: peer, message: 'second line' },
      ]);
      // Each message is freed after sending, as mesibo's C++ API asks.
      expect(run.calls.filter((c) => c.call === 'free')).toHaveLength(2);
      expect(run.stdout).toContain('Connection: connecting\nConnection: online\n');
      expect(run.stdout).toContain(`${peer}: hi ${me}, ü`);
      // mesibo echoes our own messages to Mesibo_onMessage; they are not shown as received.
      expect(run.stdout).not.toContain(`${peer}: hello from ${me}`);
    });
  }

  it('sends to --to when given, and to the first demo user from a third user', async () => {
    const explicit = await runStarter(cppDir, log(), ['--user', '123', '--to', '789'], 'to three\n');
    expect(sends(explicit.calls)).toEqual([{ call: 'send', to: '789', message: 'to three' }]);
    const third = await runStarter(cppDir, log(), ['--user', '789'], 'from three\n');
    expect(third.exitCode).toBe(0);
    expect(sends(third.calls)).toEqual([{ call: 'send', to: '123', message: 'from three' }]);
  });

  it('explains AUTHFAIL and exits non-zero', async () => {
    const run = await runStarter(cppDir, log(), ['--user', '123'], 'never sent\n', { MESIBO_FAKE_STATUS: '4' });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Connection: AUTHFAIL: the token or appid does not match');
    expect(run.stderr).toContain('npx create-mesibo-app refresh');
    expect(sends(run.calls)).toEqual([]);
  });

  it('rejects an unknown user or missing --user with usage', async () => {
    const unknown = await runStarter(cppDir, log(), ['--user', '999'], '');
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe('unknown user "999"; mesibo.conf has:\n  123\n  456\n  789');
    const none = await runStarter(cppDir, log(), [], '');
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('usage: ./build/mesibo-starter --user <address> [--to <address>]');
    expect([...unknown.calls, ...none.calls]).toEqual([]);
  });

  it('without mesibo.conf, points at the .example twin and at refresh, and exits non-zero', async () => {
    await withoutSecretFile(path.join(cppDir, 'mesibo.conf'), async (useExample) => {
      const run = await runStarter(cppDir, log(), ['--user', '123'], 'x\n');
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('mesibo.conf not found in the current folder');
      expect(run.stderr).toContain('copy mesibo.conf.example to mesibo.conf');
      expect(run.stderr).toContain('MESIBO_APP_TOKEN=<your App Token> npx create-mesibo-app refresh');
      expect(run.calls).toEqual([]);

      // The committed twin parses but carries placeholders, which mesibo refuses as a token.
      useExample();
      const example = await runStarter(cppDir, log(), ['--user', '123'], 'x\n');
      expect(example.exitCode).toBe(1);
      expect(example.stderr).toContain('mesibo rejected the access token of "123" in mesibo.conf');
    });
  });

  it('stops CMake with the install command when mesibo is not installed', async () => {
    const empty = path.join(scratch.dir, 'no-mesibo');
    mkdirSync(empty);
    const configure = (extra: string[], build: string) =>
      execa('cmake', ['-S', '.', '-B', path.join(scratch.dir, build), ...extra], { cwd: cppDir, reject: false });
    // CMake wraps long messages, so compare with whitespace folded.
    const text = (stderr: string) => stderr.replace(/\s+/g, ' ');
    const run = await configure([`-DMESIBO_ROOT=${empty}`], 'build-empty');
    expect(run.exitCode).not.toBe(0);
    expect(text(run.stderr)).toContain(`mesibo's C++ library was not found: no mesibo.h and libmesibo in ${empty}/include`);
    expect(text(run.stderr)).toContain(INSTALL_COMMAND);
    // Where mesibo's installer would put it (only checkable where it has not been installed).
    if (!existsSync('/usr/include/mesibo.h')) {
      const defaults = await configure([], 'build-default');
      expect(defaults.exitCode).not.toBe(0);
      expect(text(defaults.stderr)).toContain('no mesibo.h and libmesibo in /usr/include and /usr/lib');
    }
  });

  it('carries hostile names and addresses through exactly', async () => {
    const hostile = await renderFixture({ name: HOSTILE.name, platforms: [{ id: 'cpp', appId: APP_ID }], users: HOSTILE.users });
    try {
      const dir = path.join(hostile.dir, 'cpp');
      await syntaxCheck(dir);
      await cmakeBuild(dir, fakeMesibo);
      const [first, second, third] = HOSTILE.users as [string, string, string];
      const run = await runStarter(dir, log(), ['--user', second], 'ünïcode "quoted" \\ line ??=\n', {
        MESIBO_FAKE_FROM: third,
        MESIBO_FAKE_TEXT: 'back',
      });
      expect(run.exitCode).toBe(0);
      expect(run.calls).toContainEqual({ call: 'setAccessToken', token: fakeToken(second, APP_ID) });
      expect(sends(run.calls)).toEqual([{ call: 'send', to: first, message: 'ünïcode "quoted" \\ line ??=' }]);
      expect(run.stdout).toContain(`${HOSTILE.name}: logging in as ${second}...`);
      expect(run.stdout).toContain(`${third}: back`);
      // An address with spaces, `#` and `;` survives mesibo.conf.
      const spaced = await runStarter(dir, log(), ['--user', third, '--to', second], 'x\n');
      expect(spaced.calls).toContainEqual({ call: 'setAccessToken', token: fakeToken(third, APP_ID) });
      expect(sends(spaced.calls)).toEqual([{ call: 'send', to: second, message: 'x' }]);

      // The README's commands and user list carry the same values, quoted for the shell and Markdown.
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain(`${INSTALL_COMMAND}\n`);
      expect(readme).toContain(`./build/mesibo-starter --user ${shellWord(first)} --to ${shellWord(second)}\n`);
      expect(readme).toContain(`./build/mesibo-starter --user ${shellWord(second)} --to ${shellWord(first)}\n`);
      for (const user of HOSTILE.users) expect(readme).toContain(`- ${markdownCode(user)}\n`);
    } finally {
      rmSync(hostile.dir, { recursive: true, force: true });
    }
  });
});
