/**
 * The Python starter: it compiles, and run against a recording double of mesibo's package it logs in with
 * the right token and appid, prints status changes and incoming messages, sends each stdin line to the
 * peer and exits cleanly at end of input.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownCode, shellWord } from '../src/render/literals';
import { fakeToken, renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { DOUBLES_DIR, HOSTILE, expectTokensOnlyInSecretFile, readCalls, tempDir, withoutSecretFile } from './support/starter-common';

const tools = assertToolsOrSkip(['python3']);
const APP_ID = 'demo.python-app';

interface Run {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  calls: ReturnType<typeof readCalls>;
}

let scratch: ReturnType<typeof tempDir>;
let runs = 0;

/** Runs main.py with the double of `mesibo` on PYTHONPATH; `env` steers the double (see its docstring). */
async function runStarter(pythonDir: string, args: string[], stdin: string, env: Record<string, string> = {}): Promise<Run> {
  const log = path.join(scratch.dir, `calls-${++runs}.jsonl`);
  const result = await execa('python3', ['-X', `pycache_prefix=${scratch.dir}`, 'main.py', ...args], {
    cwd: pythonDir,
    input: stdin,
    reject: false,
    env: { PYTHONPATH: path.join(DOUBLES_DIR, 'python'), MESIBO_FAKE_LOG: log, PYTHONIOENCODING: 'utf-8', ...env },
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, calls: readCalls(log) };
}

describe.skipIf(tools.skip)(`python starter ${tools.reason}`, () => {
  let project: string;
  let pythonDir: string;

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
    await execa('python3', ['-X', `pycache_prefix=${scratch.dir}`, '-m', 'py_compile', 'main.py'], { cwd: pythonDir });
  });

  it('keeps the tokens in config.json only and asks for mesibo in requirements.txt', () => {
    expectTokensOnlyInSecretFile(project, 'python', APP_ID, ['123', '456', '789']);
    expect(readFileSync(path.join(pythonDir, 'requirements.txt'), 'utf8').trim()).toBe('mesibo');
  });

  for (const [me, peer] of [['123', '456'], ['456', '123']] as const) {
    it(`logs in as demo user ${me}, shows incoming messages and sends stdin lines to ${peer}`, async () => {
      const run = await runStarter(pythonDir, ['--user', me], `hello from ${me}\n\nsecond line\n`, {
        MESIBO_FAKE_FROM: peer,
        MESIBO_FAKE_TEXT: `hi ${me}, ü`,
      });
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      const setup = run.calls.filter((c) => c.call !== 'send' && c.call !== 'callback');
      expect(setup).toEqual([
        { call: 'addListener', isListener: true },
        { call: 'setAccessToken', token: fakeToken(me, APP_ID) },
        { call: 'setAppName', appid: APP_ID },
        { call: 'start' },
      ]);
      expect(run.calls.filter((c) => c.call === 'send')).toEqual([
        { call: 'send', to: peer, message: `hello from ${me}` },
        { call: 'send', to: peer, message: 'second line' },
      ]);
      // Callbacks return 0, as mesibo's Python listener contract asks (the last may be cut short by the exit).
      const results = run.calls.filter((c) => c.call === 'callback').map((c) => c.result);
      expect(results.length).toBeGreaterThanOrEqual(4);
      expect(new Set(results)).toEqual(new Set([0]));
      expect(run.stdout).toContain('Connection: connecting');
      expect(run.stdout).toContain('Connection: online');
      expect(run.stdout).toContain(`${peer}: hi ${me}, ü`);
      // mesibo echoes our own messages to Mesibo_onMessage; they are not shown as received.
      expect(run.stdout).not.toContain(`${peer}: hello from ${me}`);
    });
  }

  it('sends to --to when given, and to the first demo user from a third user', async () => {
    const explicit = await runStarter(pythonDir, ['--user', '123', '--to', '789'], 'to three\n');
    expect(explicit.calls.filter((c) => c.call === 'send')).toEqual([{ call: 'send', to: '789', message: 'to three' }]);
    const third = await runStarter(pythonDir, ['--user', '789'], 'from three\n');
    expect(third.exitCode).toBe(0);
    expect(third.calls.filter((c) => c.call === 'send')).toEqual([{ call: 'send', to: '123', message: 'from three' }]);
  });

  it('explains AUTHFAIL and exits non-zero', async () => {
    const run = await runStarter(pythonDir, ['--user', '123'], 'never sent\n', { MESIBO_FAKE_STATUS: '4' });
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).toMatch(/AUTHFAIL: the token or appid does not match/);
    expect(run.stderr).toContain('npx create-mesibo-app refresh');
    expect(run.calls.filter((c) => c.call === 'send')).toEqual([]);
  });

  it('rejects an unknown user, listing the known ones', async () => {
    const run = await runStarter(pythonDir, ['--user', '999'], '');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown user '999'");
    expect(run.stderr).toContain("'123', '456', '789'");
    expect(run.calls).toEqual([]);
  });

  it('without config.json, points at the .example twin and at refresh, and exits non-zero', async () => {
    await withoutSecretFile(path.join(pythonDir, 'config.json'), async (useExample) => {
      const run = await runStarter(pythonDir, ['--user', '123'], 'x\n');
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toContain('config.json not found');
      expect(run.stderr).toContain('Copy config.json.example to config.json');
      expect(run.stderr).toContain('MESIBO_APP_TOKEN=<your App Token> npx create-mesibo-app refresh');
      expect(run.calls).toEqual([]);

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
      const run = await runStarter(dir, ['--user', second], 'ünïcode "quoted" \\ line\n', {
        MESIBO_FAKE_FROM: third,
        MESIBO_FAKE_TEXT: 'back',
      });
      expect(run.exitCode).toBe(0);
      expect(run.calls).toContainEqual({ call: 'setAccessToken', token: fakeToken(second, APP_ID) });
      expect(run.calls).toContainEqual({ call: 'send', to: first, message: 'ünïcode "quoted" \\ line' });
      expect(run.stdout).toContain(`${HOSTILE.name}: logging in as ${second}`);
      expect(run.stdout).toContain(`${third}: back`);

      // The README's commands and user list carry the same values, quoted for the shell and Markdown.
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain('python3 -m pip install -r requirements.txt');
      expect(readme).toContain(`python3 main.py --user ${shellWord(first)} --to ${shellWord(second)}\n`);
      expect(readme).toContain(`python3 main.py --user ${shellWord(second)} --to ${shellWord(first)}\n`);
      for (const user of HOSTILE.users) expect(readme).toContain(`- ${markdownCode(user)}\n`);
    } finally {
      rmSync(hostile.dir, { recursive: true, force: true });
    }
  });
});
