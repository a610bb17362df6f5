/**
 * The C++ starter against the fake libmesibo (test/doubles/cpp; the header is checked against the real
 * library in test/cpp-real-sdk.test.ts): main.cpp compiles warning-free; CMake finds mesibo as the
 * imported target mesibo::mesibo (here via MESIBO_ROOT), or stops with the install command, or with the
 * architecture of a library built for another CPU; and the built program logs in with the right token and
 * appid, prints incoming rich and plain messages, sends each stdin line to the peer and at the end of
 * input waits until every message has left.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineValue, markdownCode, shellWord } from '../src/render/literals';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { PLATFORMS } from '../src/platforms';
import { detectInvocation, toolHints } from '../src/report/invocation';
import { fakeToken, renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { HOSTILE, expectTokensOnlyInSecretFile, tempDir, withoutSecretFile } from './support/starter-common';
import { buildFakeMesibo, cmakeBuild, runStarter, startStarter, syntaxCheck } from './support/cpp-starter';

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

  it("the CLI's next steps install mesibo's library before the first cmake, and name the pinned build's refusal date", () => {
    const steps = PLATFORMS.cpp.nextSteps({ dir: 'my-chat/cpp', firstUser: '123', secondUser: '456' });
    expect(steps).toEqual([
      `# Note: mesibo ${SDK_VERSIONS.cpp.mesibo} refuses to start after ${SDK_VERSIONS.cpp.refusesAfter}; the starter then says so: a newer mesibo build is needed`,
      `${INSTALL_COMMAND}   # mesibo's library, once per machine`,
      'cd my-chat/cpp',
      'cmake -S . -B build',
      'cmake --build build',
      './build/mesibo-starter --user 123 --to 456',
    ]);
    // The same installer the README gives (and CMake's error names, tested below).
    expect(readFileSync(path.join(cppDir, 'README.md'), 'utf8')).toContain(INSTALL_COMMAND);
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
        MESIBO_FAKE_RICH: `hi ${me}, ü`,
        MESIBO_FAKE_PLAIN: `plain hi ${me}`,
      });
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(run.calls.slice(0, 4)).toEqual([
        { call: 'addListener' },
        { call: 'setAccessToken', token: fakeToken(me, APP_ID) },
        { call: 'setAppId', appid: APP_ID },
        { call: 'start' },
      ]);
      expect(run.calls).toContainEqual({ call: 'stop' });
      expect(sends(run.calls)).toEqual([
        { call: 'send', to: peer, message: `hello from ${me}` },
        { call: 'send', to: peer, message: 'second line' },
      ]);
      // Each message is freed after sending, as mesibo's C++ API asks.
      expect(run.calls.filter((c) => c.call === 'free')).toHaveLength(2);
      const lines = run.stdout.split('\n');
      expect(run.stdout).toContain('Connection: connecting\nConnection: online\n');
      expect(lines).toContain(`${peer}: hi ${me}, ü`);
      expect(lines).toContain(`${peer}: plain hi ${me}`);
      // mesibo echoes our own messages to Mesibo_onMessage; they are not shown as received.
      expect(run.stdout).not.toContain(`${peer}: hello from ${me}`);
    });
  }

  it('at the end of input waits until every message has left, not until three status reports came', async () => {
    // Each message reports SENT, DELIVERED and READ; the fourth one leaves only after ~1.2 s.
    const lines = ['one', 'two', 'three', 'four'];
    const run = await runStarter(cppDir, log(), ['--user', '123'], lines.map((l) => `${l}\n`).join(''), { MESIBO_FAKE_SEND_MS: '300' });
    expect(run.exitCode).toBe(0);
    expect(run.calls.filter((c) => c.call === 'transmitted').map((c) => c.message)).toEqual(lines);
    const order = run.calls.map((c) => c.call);
    expect(order.lastIndexOf('transmitted')).toBeLessThan(order.indexOf('stop'));
    expect(run.stdout).not.toContain('not sent');
  });

  it('when mesibo reports no connection state, says a newer mesibo build is needed and exits 1', async () => {
    // The input stays open: the program must not wait for the terminal to end it.
    const calls = log();
    const run = await startStarter(cppDir, calls, ['--user', '123'], undefined, { env: { MESIBO_FAKE_STATUS: 'none' } });
    expect(run.exitCode).toBe(1);
    const paragraph = String(run.stderr).trim();
    expect(paragraph.split('\n')).toHaveLength(1);
    expect(paragraph).toMatch(/^mesibo reported no connection state within 5 seconds/);
    expect(paragraph).toMatch(/a newer mesibo build is needed/i);
    // Today is past 2.7.1's refusal date: the paragraph quotes what mesibo logs and names the date.
    expect(paragraph).toContain(`libmesibo ${SDK_VERSIONS.cpp.mesibo}, the build this starter was checked with, refuses to start after ${SDK_VERSIONS.cpp.refusesAfter}`);
    expect(paragraph).toContain('"mesibo API version used in this App is too old, update to continue using it"');
    expect(readFileSync(calls, 'utf8')).toContain('{"call":"stop"}');
  });

  it('ends at the end of input (piped EOF) while mesibo is still connecting', async () => {
    // CONNECTING, then nothing: the input has ended, so the program ends after the grace, with exit 0.
    const run = await runStarter(cppDir, log(), ['--user', '123'], 'queued\n', { MESIBO_FAKE_STATUS: '6' });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('1 message(s) not sent (connection: connecting); they are dropped as this program ends.');
    expect(sends(run.calls)).toEqual([{ call: 'send', to: '456', message: 'queued' }]);
  });

  it('ends when the terminal sends Ctrl-D before mesibo is online', async () => {
    const child = startStarter(cppDir, log(), ['--user', '123'], undefined, { env: { MESIBO_FAKE_STATUS: '6' } });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('Connection: connecting\n')) resolve();
      });
      void child.then(() => reject(new Error(`ended before connecting:\n${seen}`)));
    });
    child.stdin!.end(); // what Ctrl-D at the start of a line does: end of input
    const run = await child;
    expect(run.exitCode).toBe(0);
  });

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
    expect(run.stderr).toMatch(/npx create-mesibo-app@\d+\.\d+\.\d+ refresh/);
    // A line read while mesibo is still connecting goes to its outbox (whether it is read before or after
    // AUTHFAIL arrives is a race between two threads); it never leaves the outbox.
    expect(run.calls.filter((c) => c.call === 'transmitted')).toEqual([]);
  });

  it('on AUTHFAIL names the way this project was made first (a checkout), the published form second', async () => {
    const tool = toolHints(detectInvocation({}, '/home/me/create-mesibo-app'));
    const made = await renderFixture({ platforms: [{ id: 'cpp', appId: APP_ID }], users: ['123', '456'], tool });
    try {
      const dir = path.join(made.dir, 'cpp');
      await cmakeBuild(dir, fakeMesibo);
      const run = await runStarter(dir, log(), ['--user', '123'], 'x\n', { MESIBO_FAKE_STATUS: '4' });
      expect(run.exitCode).toBe(1);
      const lines = run.stderr.split('\n').map((l) => l.trim());
      const checkout = lines.indexOf('node /home/me/create-mesibo-app/dist/index.js refresh');
      const published = lines.findIndex((l) => /^npx create-mesibo-app@\d+\.\d+\.\d+ refresh$/.test(l));
      expect(checkout, run.stderr).toBeGreaterThan(0);
      expect(published, run.stderr).toBeGreaterThan(checkout);
    } finally {
      rmSync(made.dir, { recursive: true, force: true });
    }
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
      expect(run.stderr).toMatch(/npx create-mesibo-app@\d+\.\d+\.\d+ refresh/);
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
    const lists = readFileSync(path.join(cppDir, 'CMakeLists.txt'), 'utf8');
    expect(lists).toContain('find_package(Mesibo REQUIRED)');
    expect(lists).toContain('target_link_libraries(mesibo-starter PRIVATE mesibo::mesibo Threads::Threads)');
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

  it('stops CMake naming both architectures when libmesibo is built for another CPU', async () => {
    // The header of a 32-bit ARM ELF shared library (what a Raspberry Pi's 32-bit libmesibo would be):
    // FindMesibo reads only the header, so these 52 bytes are enough to be refused.
    const root = path.join(scratch.dir, 'arm32-mesibo');
    mkdirSync(path.join(root, 'lib'), { recursive: true });
    mkdirSync(path.join(root, 'include'), { recursive: true });
    writeFileSync(path.join(root, 'include', 'mesibo.h'), '');
    const elf = Buffer.alloc(52);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0); // magic, 32-bit, little-endian, version
    elf.writeUInt16LE(3, 16); // ET_DYN
    elf.writeUInt16LE(0x28, 18); // EM_ARM
    writeFileSync(path.join(root, 'lib', 'libmesibo.so'), elf);
    const run = await execa('cmake', ['-S', '.', '-B', path.join(scratch.dir, 'build-arm32'), `-DMESIBO_ROOT=${root}`], { cwd: cppDir, reject: false });
    expect(run.exitCode).not.toBe(0);
    const host = process.arch === 'arm64' ? 'arm64' : 'x86_64';
    expect(run.stderr.replace(/\s+/g, ' ')).toContain(
      `${root}/lib/libmesibo.so is mesibo's library for Linux (ELF) 32-bit arm, but this build is for Linux (ELF) ${host}: it cannot be linked.`,
    );
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
        MESIBO_FAKE_PLAIN: 'back',
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
