/**
 * The Python starter against the recording double of mesibo's package (test/doubles/python, every name
 * of which exists in the real package: test/python-real-sdk.test.ts): it compiles, logs in with the right
 * token and appid, shows status changes and incoming rich and plain messages, sends each stdin line to
 * the peer, and at the end of input waits until every message has left.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownCode, shellWord } from '../src/render/literals';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { detectInvocation, toolHints } from '../src/report/invocation';
import { fakeToken, renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { HOSTILE, expectTokensOnlyInSecretFile, tempDir, withoutSecretFile } from './support/starter-common';
import { runStarter as run, startStarter } from './support/python-starter';

const tools = assertToolsOrSkip(['python3']);
const APP_ID = 'demo.python-app';

describe.skipIf(tools.skip)(`python starter ${tools.reason}`, () => {
  let scratch: ReturnType<typeof tempDir>;
  let project: string;
  let pythonDir: string;
  let runs = 0;
  const runStarter = (dir: string, args: string[], stdin: string, env: Record<string, string> = {}) =>
    run({ python: 'python3', dir, args, stdin, env, pycache: scratch.dir, log: path.join(scratch.dir, `calls-${++runs}.jsonl`) });
  const sends = (calls: Array<{ call: string }>) => calls.filter((c) => c.call === 'send');

  beforeAll(async () => {
    scratch = tempDir('cma-python-');
    project = (await renderFixture({ platforms: [{ id: 'python', appId: APP_ID }], users: ['123', '456', '789'] })).dir;
    pythonDir = path.join(project, 'python');
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    scratch.cleanup();
  });

  it('compiles', async () => {
    await execa('python3', ['-X', `pycache_prefix=${scratch.dir}`, '-m', 'py_compile', 'main.py', 'chat.py'], { cwd: pythonDir });
  });

  it('keeps the tokens in config.json only and pins mesibo in requirements.txt', () => {
    expectTokensOnlyInSecretFile(project, 'python', APP_ID, ['123', '456', '789']);
    const requirements = readFileSync(path.join(pythonDir, 'requirements.txt'), 'utf8');
    expect(requirements.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([`mesibo==${SDK_VERSIONS.python.mesibo}`]);
    expect(requirements).toContain(`CPython ${SDK_VERSIONS.python.pythonMin} to ${SDK_VERSIONS.python.pythonMax}`);
  });

  it("records the pinned build's refusal date and what mesibo then logs (src/sdk-versions.json), for doctor and the next steps", () => {
    expect(SDK_VERSIONS.python).toMatchObject({ mesibo: '2.7.1', refusesAfter: '2026-11-21' });
    expect(SDK_VERSIONS.python.refusalNote).toContain("'mesibo API version used in this App is too old, update to continue using it'");
    expect(SDK_VERSIONS.cpp).toMatchObject({ mesibo: '2.7.1', refusesAfter: '2026-11-21', refusalNote: SDK_VERSIONS.python.refusalNote });
    // Android: the newest core build seen, with why it is not ui 2.9.0's core (its POM could not be read here).
    expect(SDK_VERSIONS.android.mesibo).toBe('2.7.19');
    expect(SDK_VERSIONS.android.note).toContain('ui 2.9.0');
    expect(SDK_VERSIONS.android.note).toContain("answers 'not found' for everything under com.mesibo.api");
  });

  for (const [me, peer] of [['123', '456'], ['456', '123']] as const) {
    it(`logs in as demo user ${me}, shows incoming rich and plain messages and sends stdin lines to ${peer}`, async () => {
      const result = await runStarter(pythonDir, ['--user', me], `hello from ${me}\n\nsecond line\n`, {
        MESIBO_FAKE_FROM: peer,
        MESIBO_FAKE_RICH: `hi ${me}, ü`,
        MESIBO_FAKE_PLAIN: `plain hi ${me}`,
      });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.calls.filter((c) => !['send', 'callback', 'transmitted'].includes(c.call))).toEqual([
        { call: 'addListener', isListener: true },
        { call: 'setAccessToken', token: fakeToken(me, APP_ID) },
        { call: 'setAppId', appid: APP_ID },
        { call: 'start' },
        { call: 'stop' },
      ]);
      expect(sends(result.calls)).toEqual([
        { call: 'send', to: peer, message: `hello from ${me}` },
        { call: 'send', to: peer, message: 'second line' },
      ]);
      // Callbacks return 0, as mesibo's Python listener contract asks.
      const results = result.calls.filter((c) => c.call === 'callback').map((c) => c.result);
      expect(results.length).toBeGreaterThanOrEqual(6);
      expect(new Set(results)).toEqual(new Set([0]));
      const lines = result.stdout.split('\n');
      expect(lines).toContain('Connection: connecting');
      expect(lines).toContain('Connection: online');
      expect(lines).toContain(`${peer}: hi ${me}, ü`);
      expect(lines).toContain(`${peer}: plain hi ${me}`);
      // mesibo hands our own messages to Mesibo_onMessage too; they are not shown as received.
      expect(result.stdout).not.toContain(`: hello from ${me}`);
    });
  }

  it('at the end of input waits until every message has left, not until three status reports came', async () => {
    // Each message reports SENT, DELIVERED and READ; the fourth one leaves only after ~1.2 s.
    const lines = ['one', 'two', 'three', 'four'];
    const result = await runStarter(pythonDir, ['--user', '123'], lines.map((l) => `${l}\n`).join(''), { MESIBO_FAKE_SEND_MS: '300' });
    expect(result.exitCode).toBe(0);
    const transmitted = result.calls.filter((c) => c.call === 'transmitted').map((c) => c.message);
    expect(transmitted).toEqual(lines);
    const order = result.calls.map((c) => c.call);
    expect(order.lastIndexOf('transmitted')).toBeLessThan(order.indexOf('stop'));
    expect(result.stdout).not.toContain('not sent');
  });

  it('when mesibo reports no connection state, says a newer mesibo build is needed and exits 1', async () => {
    // The input stays open: the program must not wait for the terminal to end it.
    const run = await startStarter({
      python: 'python3', dir: pythonDir, args: ['--user', '123'], pycache: scratch.dir,
      log: path.join(scratch.dir, `calls-${++runs}.jsonl`), env: { MESIBO_FAKE_STATUS: 'none' },
    });
    expect(run.exitCode).toBe(1);
    const paragraph = String(run.stderr).trim();
    expect(paragraph.split('\n')).toHaveLength(1);
    expect(paragraph).toMatch(/^mesibo reported no connection state within 5 seconds: mesibo /);
    // Today is past 2.7.1's refusal date: the paragraph names it, quotes what mesibo logs, and says what is needed.
    expect(paragraph).toContain(`mesibo ${SDK_VERSIONS.python.mesibo} refuses to start after ${SDK_VERSIONS.python.refusesAfter}`);
    expect(paragraph).toContain('"mesibo API version used in this App is too old, update to continue using it"');
    expect(paragraph).toContain('A newer mesibo build is needed');
    expect(String(run.stdout)).not.toContain('Traceback');
  });

  it('sends to --to when given, and to the first demo user from a third user', async () => {
    const explicit = await runStarter(pythonDir, ['--user', '123', '--to', '789'], 'to three\n');
    expect(sends(explicit.calls)).toEqual([{ call: 'send', to: '789', message: 'to three' }]);
    const third = await runStarter(pythonDir, ['--user', '789'], 'from three\n');
    expect(third.exitCode).toBe(0);
    expect(sends(third.calls)).toEqual([{ call: 'send', to: '123', message: 'from three' }]);
  });

  it('explains AUTHFAIL and exits non-zero', async () => {
    const result = await runStarter(pythonDir, ['--user', '123'], 'never sent\n', { MESIBO_FAKE_STATUS: '4' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/Connection: AUTHFAIL: the token or appid does not match/);
    expect(result.stderr).toContain("Could not log in as '123'.");
    expect(result.stderr).toMatch(/npx create-mesibo-app@\d+\.\d+\.\d+ refresh/);
    expect(result.calls.filter((c) => c.call === 'transmitted')).toEqual([]);
  });

  it('on AUTHFAIL names the way this project was made first (a checkout), the published form second', async () => {
    const tool = toolHints(detectInvocation({}, '/home/me/create-mesibo-app'));
    const made = await renderFixture({ platforms: [{ id: 'python', appId: APP_ID }], users: ['123', '456'], tool });
    try {
      const result = await runStarter(path.join(made.dir, 'python'), ['--user', '123'], 'x\n', { MESIBO_FAKE_STATUS: '4' });
      expect(result.exitCode).toBe(1);
      const lines = result.stderr.split('\n').map((l) => l.trim());
      const checkout = lines.indexOf('node /home/me/create-mesibo-app/dist/index.js refresh');
      const published = lines.findIndex((l) => /^npx create-mesibo-app@\d+\.\d+\.\d+ refresh$/.test(l));
      expect(checkout, result.stderr).toBeGreaterThan(0);
      expect(published, result.stderr).toBeGreaterThan(checkout);
    } finally {
      rmSync(made.dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown user, listing the known ones', async () => {
    const result = await runStarter(pythonDir, ['--user', '999'], '');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("unknown user '999'");
    expect(result.stderr).toContain("'123', '456', '789'");
    expect(result.calls).toEqual([]);
  });

  it('without config.json, points at the .example twin and at refresh, and exits non-zero', async () => {
    await withoutSecretFile(path.join(pythonDir, 'config.json'), async (useExample) => {
      const result = await runStarter(pythonDir, ['--user', '123'], 'x\n');
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('config.json not found');
      expect(result.stderr).toContain('Copy config.json.example to config.json');
      expect(result.stderr).toMatch(/npx create-mesibo-app@\d+\.\d+\.\d+ refresh/);
      expect(result.calls).toEqual([]);

      // The committed twin parses but carries placeholders, which mesibo refuses as a token.
      useExample();
      const example = await runStarter(pythonDir, ['--user', '123'], 'x\n');
      expect(example.exitCode).toBe(1);
      expect(example.stderr).toContain("mesibo rejected the access token of '123' in config.json");
    });
  });

  it('carries hostile names and addresses through exactly', async () => {
    const hostile = await renderFixture({ name: HOSTILE.name, platforms: [{ id: 'python', appId: APP_ID }], users: HOSTILE.users });
    try {
      const dir = path.join(hostile.dir, 'python');
      await execa('python3', ['-X', `pycache_prefix=${scratch.dir}`, '-m', 'py_compile', 'main.py'], { cwd: dir });
      const [first, second, third] = HOSTILE.users as [string, string, string];
      const result = await runStarter(dir, ['--user', second], 'ünïcode "quoted" \\ line\n', {
        MESIBO_FAKE_FROM: third,
        MESIBO_FAKE_PLAIN: 'back',
      });
      expect(result.exitCode).toBe(0);
      expect(result.calls).toContainEqual({ call: 'setAccessToken', token: fakeToken(second, APP_ID) });
      expect(result.calls).toContainEqual({ call: 'send', to: first, message: 'ünïcode "quoted" \\ line' });
      expect(result.stdout).toContain(`${HOSTILE.name}: logging in as ${second}.`);
      expect(result.stdout).toContain(`${third}: back`);

      // The README's commands and user list carry the same values, quoted for the shell and Markdown.
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain(`python main.py --user ${shellWord(first)} --to ${shellWord(second)}\n`);
      expect(readme).toContain(`python main.py --user ${shellWord(second)} --to ${shellWord(first)}\n`);
      for (const user of HOSTILE.users) expect(readme).toContain(`- ${markdownCode(user)}\n`);
    } finally {
      rmSync(hostile.dir, { recursive: true, force: true });
    }
  });
});
