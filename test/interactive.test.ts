/**
 * The interactive path: questions come from plan collection's questions with the same validators as the
 * flags (tested with a scripted prompter), and a real terminal session (a pty) for masking and Ctrl-C.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptQuestion } from 'node-plop';
import { collectPlan } from '../src/plan/create-plan';
import type { CreateArgs } from '../src/cli/args';
import { CLI, cliEnv, listFiles, removeDir, tempDir } from './support/cli';
import { assertToolsOrSkip } from './support/tools';

const baseArgs: CreateArgs = {
  command: 'create', platformAppIds: {}, allowHttp: false, sandbox: true, force: false, git: false, json: false, yes: false, verbose: false,
};

type Q = PromptQuestion & { name: string; validate?: (v: any, a?: any) => true | string; when?: (a: any) => boolean; default?: unknown };

/** Answers questions like inquirer would: `when`, defaults, and validation (a rejected answer is recorded). */
function scripted(answers: Record<string, unknown>, rejected: string[] = []) {
  const asked: string[] = [];
  const prompt = async (questions: PromptQuestion[]) => {
    const result: Record<string, unknown> = {};
    for (const q of questions as Q[]) {
      if (q.when && !q.when(result)) continue;
      asked.push(q.name);
      const checked = (q as { choices?: Array<{ value: string; checked?: boolean }> }).choices?.filter((c) => c.checked).map((c) => c.value);
      let value = answers[q.name] ?? (typeof q.default === 'function' ? q.default(result) : (q.default ?? checked));
      if (Array.isArray(value) && typeof value[0] === 'string' && q.name !== 'platforms') value = value.join(',');
      const verdict = q.validate?.(value, result) ?? true;
      if (verdict !== true) {
        rejected.push(`${q.name}: ${verdict}`);
        value = typeof q.default === 'function' ? q.default(result) : q.default;
      }
      result[q.name] = value;
    }
    return result;
  };
  return { prompt, asked, rejected };
}

describe('questions', () => {
  it('asks only what the flags left open, and builds the plan from the answers', async () => {
    const { prompt, asked } = scripted({ name: 'Team Chat', platforms: ['web', 'cpp'], appId: 'team.chat', users: 'ann, ben' });
    const plan = await collectPlan({ ...baseArgs, dir: 'team' }, { cwd: '/tmp', interactive: true, prompt });
    expect(asked).toEqual(['name', 'platforms', 'appId', 'users']);
    expect(plan).toMatchObject({
      name: 'Team Chat',
      targetPath: '/tmp/team',
      platforms: [{ id: 'web', appId: 'team.chat' }, { id: 'cpp', appId: 'team.chat' }],
      users: [{ address: 'ann' }, { address: 'ben' }],
    });
  });

  it('validates answers with the same rules as the flags', async () => {
    const rejected: string[] = [];
    const { prompt } = scripted({ appId: 'not-a-package', users: 'solo', dir: '../up' }, rejected);
    const plan = await collectPlan(baseArgs, { cwd: '/tmp', interactive: true, prompt });
    expect(rejected).toEqual([
      expect.stringMatching(/^dir: "\.\.\/up" contains a "\.\." segment/),
      expect.stringMatching(/^appId: "not-a-package" is not valid as the Android application id/),
      expect.stringMatching(/^users: "solo" needs at least 2 addresses/),
    ]);
    expect(plan.targetDir).toBe('mesibo-app'); // fell back to the defaults
  });

  it('does not ask for the shared appid when every chosen platform has its own', async () => {
    const { prompt, asked } = scripted({});
    await collectPlan({ ...baseArgs, dir: 'x', name: 'X', platforms: 'web', users: '1,2', platformAppIds: { web: 'w' } }, {
      cwd: '/tmp', interactive: true, prompt,
    });
    expect(asked).toEqual([]);
  });

  it('never asks when not interactive', async () => {
    const prompt = async () => {
      throw new Error('must not prompt');
    };
    await expect(collectPlan({ ...baseArgs, dir: 'x' }, { cwd: '/tmp', interactive: false, prompt })).resolves.toMatchObject({
      platforms: expect.arrayContaining([{ id: 'ios', appId: 'com.example.x' }]),
    });
  });
});

describe('in a terminal', () => {
  const tools = assertToolsOrSkip(['python3']);
  const ptyRun = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'pty-run.py');
  let work: string;
  beforeAll(() => {
    work = tempDir();
  });
  afterAll(() => removeDir(work));

  it.skipIf(tools.skip)('Ctrl-C at a prompt exits 130 and writes nothing', async () => {
    const steps = [['Project folder', 'chat\r'], ['App display name', '\u0003']];
    const result = await execa('python3', [ptyRun, JSON.stringify(steps), 'node', CLI, '--sandbox'], {
      cwd: work, env: cliEnv({ TERM: 'xterm' }), extendEnv: false, reject: false, timeout: 40_000,
    });
    expect(result.stdout).toContain('App display name');
    expect(result.exitCode).toBe(130);
    expect(existsSync(path.join(work, 'chat'))).toBe(false);
  });

  it.skipIf(tools.skip)('asks for the App Token masked and never echoes it', async () => {
    const secret = 'TypedAppToken0123456789';
    const steps = [
      ['Project folder', 'typed\r'], ['App display name', '\r'], ['Platforms', '\r'],
      ['App id', '\r'], ['User addresses', '\r'], ['App Token', `${secret}\r`],
    ];
    const result = await execa('python3', [ptyRun, JSON.stringify(steps), 'node', CLI, '--api-url', 'http://127.0.0.1:9/backend/'], {
      cwd: work, env: cliEnv({ TERM: 'xterm', CREATE_MESIBO_APP_MAX_ATTEMPTS: '1' }), extendEnv: false, reject: false, timeout: 40_000,
    });
    expect(result.stdout).toContain('App Token');
    expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toMatch(/\*{5,}/);
    expect(result.exitCode).toBe(1); // nothing listens on port 9
    expect(listFiles(work)).toEqual([]);
  });
});
