/**
 * The interactive path. Plan collection's questions (the mesibo-app generator's prompts) with a scripted
 * prompter: only what the flags left open, the same validators as the flags, the folder checked at its own
 * question, the backend asked for when no App Token was given, texts naming only the chosen platforms.
 * Then real terminal sessions (a pty, test/support/pty-run.py) against the built CLI, as a newcomer runs it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptQuestion } from 'node-plop';
import { collectPlan } from '../src/plan/create-plan';
import { appIdMessage } from '../src/plan/questions';
import type { FolderFacts, InspectFolder } from '../src/plan/folder-questions';
import type { CreateArgs } from '../src/cli/args';
import { startFakeBackend } from './support/fake-backend';
import { CLI, cliEnv, listFiles, removeDir, tempDir } from './support/cli';
import { deadPort, startProxy } from './support/security-backend';
import { assertToolsOrSkip } from './support/tools';

const baseArgs: CreateArgs = {
  command: 'create', platformAppIds: {}, allowHttp: false, sandbox: true, force: false, git: false, json: false, yes: false, verbose: false,
};

type Q = PromptQuestion & { name: string; validate?: (v: any, a?: any) => true | string; when?: (a: any) => boolean; default?: unknown };
type Choice = { name: string; value: string; checked?: boolean; disabled?: string | boolean };
const evaluated = <T>(value: T | ((a: any) => T), answers: Record<string, unknown>): T =>
  typeof value === 'function' ? (value as (a: any) => T)(answers) : value;

/** Answers questions like inquirer would: `when`, defaults, choices, messages and validation (a rejected answer is recorded). */
function scripted(answers: Record<string, unknown>, rejected: string[] = []) {
  const asked: string[] = [];
  const messages: Record<string, string> = {};
  const choices: Record<string, Choice[]> = {};
  const prompt = async (questions: PromptQuestion[]) => {
    const result: Record<string, unknown> = {};
    for (const q of questions as Q[]) {
      if (q.when && !q.when(result)) continue;
      asked.push(q.name);
      messages[q.name] = evaluated((q as { message: string }).message, result);
      const offered = evaluated((q as { choices?: Choice[] }).choices, result);
      if (offered) choices[q.name] = offered;
      const checked = q.type === 'checkbox' ? offered?.filter((c) => c.checked && !c.disabled).map((c) => c.value) : undefined;
      let value = answers[q.name] ?? evaluated(q.default, result) ?? checked;
      if (offered && q.type === 'list' && offered.find((c) => c.value === value)?.disabled) throw new Error(`${q.name}: ${value} is disabled`);
      if (Array.isArray(value) && typeof value[0] === 'string' && q.name !== 'platforms') value = value.join(',');
      const verdict = q.validate?.(value, result) ?? true;
      if (verdict !== true) {
        rejected.push(`${q.name}: ${verdict}`);
        value = evaluated(q.default, result);
      }
      result[q.name] = value;
    }
    return result;
  };
  return { prompt, asked, rejected, messages, choices };
}

/** A disk of folders by path: entries of each, and the files a create would meet there. */
function fakeDisk(folders: Record<string, { entries?: string[]; files?: string[]; file?: boolean }>): InspectFolder {
  return (target): FolderFacts => {
    const f = folders[target];
    if (!f) return { state: 'free', entries: [], clashes: () => [] };
    if (f.file) return { state: 'unusable', unusable: 'is a file, not a folder', entries: [], clashes: () => [] };
    const files = f.files ?? [];
    const project = ['README.md', 'mesibo.json', '.gitignore'];
    return {
      state: (f.entries ?? files).length > 0 ? 'non-empty' : 'free',
      entries: f.entries ?? files,
      clashes: (platforms) =>
        platforms.length === 0 ? files.filter((x) => project.includes(x)) : files.filter((x) => platforms.some((id) => x.startsWith(`${id}/`))),
    };
  };
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

  it('validates answers with the same rules as the flags, in plain words that name no flag', async () => {
    const rejected: string[] = [];
    const { prompt } = scripted({ appId: 'com.1chat', users: 'solo', dir: '../up' }, rejected);
    const plan = await collectPlan(baseArgs, { cwd: '/tmp', interactive: true, prompt });
    expect(rejected).toEqual([
      expect.stringMatching(/^dir: "\.\.\/up" contains a "\.\." segment/),
      'appId: "com.1chat" is not valid as the Android application id (package name): it has a segment, "1chat", that does ' +
        'not start with a letter. Give one that suits every chosen platform, like com.example.chat.',
      'users: "solo" needs at least 2 addresses (the first two are the demo pair that message each other). Give ' +
        'comma-separated addresses, like 123,456.',
    ]);
    for (const r of rejected) expect(r).not.toContain('--');
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

describe('how the users are created', () => {
  const noToken = { ...baseArgs, sandbox: false, dir: 'x', name: 'X', platforms: 'web', users: '1,2' };

  it('with no App Token, asks, and the sandbox is the default', async () => {
    const { prompt, asked, choices } = scripted({});
    const plan = await collectPlan(noToken, { cwd: '/tmp', interactive: true, prompt, appTokenGiven: false });
    expect(asked).toEqual(['appId', 'backend']);
    expect(choices.backend!.map((c) => c.name)).toEqual([
      'Try it locally with the built-in sandbox (no account)',
      'Use my mesibo App Token (console.mesibo.com → the application → App Token)',
    ]);
    expect(plan).toMatchObject({ sandbox: true, endpoint: '' });
  });

  it('"Use my mesibo App Token" plans mesibo\'s backend', async () => {
    const { prompt } = scripted({ backend: 'app-token' });
    const plan = await collectPlan(noToken, { cwd: '/tmp', interactive: true, prompt, appTokenGiven: false });
    expect(plan).toMatchObject({ sandbox: false, endpoint: 'https://api.mesibo.com/backend/' });
  });

  it.each([
    ['an App Token in the environment or a file', noToken, true],
    ['--api-url', { ...noToken, apiUrl: 'https://mesibo.internal.example/backend/' }, false],
    ['--sandbox', { ...noToken, sandbox: true }, false],
  ])('is not asked with %s', async (_, args, appTokenGiven) => {
    const { prompt, asked } = scripted({});
    await collectPlan(args, { cwd: '/tmp', interactive: true, prompt, appTokenGiven });
    expect(asked).not.toContain('backend');
  });
});

describe('the folder, at its own question', () => {
  const flags = { ...baseArgs, name: 'X', users: '1,2' };

  it('a non-empty folder from the command line is asked about first; a new name is suggested and checked', async () => {
    const rejected: string[] = [];
    const inspect = fakeDisk({ '/w/busy': { entries: ['notes.txt'] }, '/w/taken': { entries: ['a'] } });
    const { prompt, asked, messages } = scripted({ existing: 'new', newDir: 'taken' }, rejected);
    const plan = await collectPlan({ ...flags, dir: 'busy' }, { cwd: '/w', interactive: true, prompt, inspect });
    expect(asked.slice(0, 2)).toEqual(['existing', 'newDir']);
    expect(messages.existing).toBe('"busy" is not empty ("notes.txt"). What now?');
    expect(rejected).toEqual(['newDir: "taken" is not empty either. Give the name of a new or empty folder.']);
    expect(plan).toMatchObject({ targetDir: 'busy-2', targetPath: '/w/busy-2', force: false }); // the suggestion
    expect(plan.platforms[0]!.appId).toBe('com.example.busy2'); // defaults follow the folder finally chosen
  });

  it('"beside the files there" is --force: nothing there may be overwritten', async () => {
    const inspect = fakeDisk({ '/w/busy': { files: ['notes.txt', 'web/index.html'] } });
    const { prompt, choices } = scripted({ existing: 'beside' });
    const plan = await collectPlan({ ...flags, dir: 'busy' }, { cwd: '/w', interactive: true, prompt, inspect });
    expect(plan.force).toBe(true);
    // A platform whose folder there already holds a file it writes cannot be chosen, and is not.
    expect(choices.platforms!.find((c) => c.value === 'web')).toMatchObject({ checked: false, disabled: 'web/index.html is there already' });
    expect(plan.platforms.map((p) => p.id)).toEqual(['android', 'ios', 'cpp', 'python']);
  });

  it('is not offered when the project\'s own files are there', async () => {
    const inspect = fakeDisk({ '/w/old': { files: ['README.md', 'src/x'] } });
    const { prompt, choices } = scripted({});
    await collectPlan({ ...flags, dir: 'old' }, { cwd: '/w', interactive: true, prompt, inspect });
    expect(choices.existing![1]).toMatchObject({ value: 'beside', disabled: 'not possible: it already has "README.md"' });
  });

  it('a typed folder is checked at once too, before the questions after it', async () => {
    const inspect = fakeDisk({ '/w/busy': { entries: ['notes.txt'] } });
    const { prompt, asked } = scripted({ dir: 'busy', existing: 'beside' });
    const plan = await collectPlan({ ...baseArgs, users: '1,2' }, { cwd: '/w', interactive: true, prompt, inspect });
    expect(asked.slice(0, 3)).toEqual(['dir', 'existing', 'name']);
    expect(plan).toMatchObject({ targetDir: 'busy', force: true });
  });

  it('a typed folder that is a file is refused at the question; --force skips the choice', async () => {
    const rejected: string[] = [];
    const inspect = fakeDisk({ '/w/f': { file: true }, '/w/busy': { entries: ['x'] } });
    const typed = scripted({ dir: 'f' }, rejected);
    await collectPlan(flags, { cwd: '/w', interactive: true, prompt: typed.prompt, inspect });
    expect(rejected).toEqual(['dir: "f" is a file, not a folder. Give another folder name.']);
    const forced = scripted({});
    const plan = await collectPlan({ ...flags, dir: 'busy', force: true }, { cwd: '/w', interactive: true, prompt: forced.prompt, inspect });
    expect(forced.asked).not.toContain('existing');
    expect(plan.force).toBe(true);
  });
});

describe('prompt texts name only the chosen platforms', () => {
  it.each([
    [['web', 'python'], 'App id (app name for Web and Python)'],
    [['android'], 'App id (Android package name)'],
    [['ios', 'cpp'], 'App id (iOS bundle id / app name for C++)'],
    [['android', 'ios', 'web', 'cpp', 'python'], 'App id (Android package name / iOS bundle id / app name for Web, C++ and Python)'],
  ] as const)('%j', async (platforms, message) => {
    expect(appIdMessage(platforms)).toBe(message);
    const { prompt, messages } = scripted({ platforms: [...platforms] });
    await collectPlan({ ...baseArgs, dir: 'x' }, { cwd: '/tmp', interactive: true, prompt });
    expect(messages.appId).toBe(message);
  });
});

describe('in a terminal', () => {
  const tools = assertToolsOrSkip(['python3']);
  const ptyRun = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'pty-run.py');
  const ENTER = '\r';
  const DOWN = '\u001b[B';
  let work: string;
  beforeAll(() => {
    work = tempDir();
  });
  afterAll(() => removeDir(work));

  /** Runs the CLI in a pty from `cwd`, answering `steps`; the transcript, exit code and the run's folder. */
  async function session(steps: string[][], args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
    const cwd = options.cwd ?? tempDir('cma-pty-');
    const result = await execa('python3', [ptyRun, JSON.stringify(steps), 'node', CLI, ...args], {
      cwd, env: cliEnv({ TERM: 'xterm', ...options.env }), extendEnv: false, reject: false, timeout: 40_000,
    });
    // What the screen shows, without the terminal's colour and cursor sequences.
    const transcript = String(result.stdout).replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    return { transcript, exitCode: result.exitCode, cwd };
  }

  it.skipIf(tools.skip)('a newcomer with no account who presses Enter at every prompt gets all five starters from the sandbox', async () => {
    const prompts = ['Project folder', 'App display name', 'Platforms', 'App id', 'User addresses', 'How should the users'];
    const { transcript, exitCode, cwd } = await session(prompts.map((p) => [p, ENTER]), ['--no-git']);
    expect(exitCode, transcript).toBe(0);
    expect(transcript).toContain('Try it locally with the built-in sandbox (no account)');
    expect(transcript).not.toContain('input hidden'); // the masked prompt never came
    const project = path.join(cwd, 'mesibo-app');
    for (const p of ['android', 'ios', 'web', 'cpp', 'python']) expect(existsSync(path.join(project, p)), p).toBe(true);
    expect(JSON.parse(readFileSync(path.join(project, 'mesibo.json'), 'utf8'))).toMatchObject({ sandbox: true });
    removeDir(cwd);
  });

  it.skipIf(tools.skip)('"Use my mesibo App Token" says where it is, asks for it masked, and takes it to mesibo\'s backend', async () => {
    const secret = 'TypedAppToken0123456789';
    // mesibo's backend is reached through this proxy, which refuses: nothing leaves the machine.
    const proxy = await startProxy(await deadPort(), { refuse: 502 });
    try {
      const steps = [
        ['Project folder', ENTER], ['App display name', ENTER], ['Platforms', ENTER], ['App id', ENTER], ['User addresses', ENTER],
        ['How should the users', DOWN + ENTER], ['App Token', `${secret}${ENTER}`],
      ];
      const { transcript, exitCode, cwd } = await session(steps, ['--no-git'], {
        env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, CREATE_MESIBO_APP_MAX_ATTEMPTS: '1' },
      });
      expect(transcript).toContain('mesibo App Token (console.mesibo.com → the application → App Token; input hidden)');
      expect(transcript).not.toContain(secret);
      // Hidden without a mask character: one `*` per character would show the App Token's length.
      expect(transcript).toContain('[input is hidden]');
      expect(transcript).not.toMatch(/\*{2,}/);
      expect(proxy.tunnels.length).toBeGreaterThan(0); // one useradd per user, all to mesibo's backend
      expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set(['api.mesibo.com:443']));
      expect(exitCode, transcript).toBe(1);
      expect(listFiles(cwd)).toEqual([]);
      removeDir(cwd);
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(tools.skip)('a non-empty folder on the command line is asked about at once: beside the files, or a new name', async () => {
    const rest = ['App display name', 'Platforms', 'App id', 'User addresses', 'How should the users'].map((p) => [p, ENTER]);
    const cwd = tempDir('cma-pty-');
    mkdirSync(path.join(cwd, 'busy'));
    writeFileSync(path.join(cwd, 'busy', 'notes.txt'), 'mine\n');
    const beside = await session([['is not empty', DOWN + ENTER], ...rest], ['busy', '--no-git'], { cwd });
    expect(beside.exitCode, beside.transcript).toBe(0);
    expect(beside.transcript).toContain('"busy" is not empty ("notes.txt"). What now?');
    expect(readFileSync(path.join(cwd, 'busy', 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(cwd, 'busy', 'mesibo.json'))).toBe(true);

    const renamed = await session([['is not empty', ENTER], ['New project folder', ENTER], ...rest], ['busy', '--no-git'], { cwd });
    expect(renamed.exitCode, renamed.transcript).toBe(0);
    expect(existsSync(path.join(cwd, 'busy-2', 'mesibo.json'))).toBe(true);
    removeDir(cwd);
  });

  it.skipIf(tools.skip)('prompts name only the chosen platforms, and appid errors are plain words without a flag', async () => {
    const steps = [['Project folder', ENTER], ['App display name', ENTER], ['App id', `my app${ENTER}`], ['not valid', '\u0003']];
    const { transcript, exitCode, cwd } = await session(steps, ['--platforms', 'web,python', '--no-git']);
    expect(transcript).toContain('App id (app name for Web and Python)');
    expect(transcript).not.toMatch(/Android|iOS/);
    expect(exitCode).toBe(130);
    const android = await session([['Project folder', ENTER], ['App display name', ENTER], ['App id', `com.1chat${ENTER}`], ['not valid', '\u0003']], [
      '--platforms', 'android', '--sandbox',
    ]);
    expect(android.transcript).toContain('App id (Android package name)');
    expect(android.transcript).toContain('it has a segment, "1chat", that does not start with a letter. Give one that suits every chosen platform');
    expect(android.transcript).not.toMatch(/--android-app-id|--app-id|it segment/);
    removeDir(cwd);
    removeDir(android.cwd);
  });

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
    // A backend that rejects the App Token: the typed token must reach it, and nothing be written.
    const backend = await startFakeBackend([{ kind: 'json', status: 200, body: { op: 'useradd', result: false, error: 'AUTHFAIL' } }]);
    try {
      const result = await execa('python3', [ptyRun, JSON.stringify(steps), 'node', CLI, '--api-url', backend.url], {
        cwd: work, env: cliEnv({ TERM: 'xterm' }), extendEnv: false, reject: false, timeout: 40_000,
      });
      expect(result.stdout).toContain('App Token');
      expect(result.stdout).not.toContain(secret);
      expect(result.stdout).toContain('[hidden]');
      expect(result.stdout).not.toMatch(/\*{2,}/);
      expect(result.exitCode).toBe(1); // the backend rejected it
      expect(backend.requests.length).toBeGreaterThan(0);
      expect(backend.requests.every((r) => r.token === secret)).toBe(true);
    } finally {
      await backend.close();
    }
    expect(listFiles(work)).toEqual([]);
  });
});
