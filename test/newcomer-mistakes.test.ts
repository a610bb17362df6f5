/**
 * Mistakes a newcomer makes on the first line (issue 23): a Windows path typed on Linux or macOS, and a
 * mistyped command. Each is refused as a mistake (exit 2, nothing written, nothing asked), with the
 * line that was meant; what the mistake looked like stays reachable when it was meant after all.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/args';
import { collectPlan } from '../src/plan/create-plan';
import { CliError } from '../src/errors';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';

const PROGRAM = 'node /opt/cma/dist/index.js';

function refusal(argv: string[], platform: NodeJS.Platform = 'linux'): CliError {
  try {
    parseCommandLine(argv, PROGRAM, platform);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('a Windows path on a POSIX system', () => {
  it('is refused with its POSIX form, for create and for the commands that take a folder', () => {
    const drive = refusal(['C:\\Users\\me\\my-chat', '--sandbox', '--yes']);
    expect(drive.exitCode).toBe(2);
    expect(drive.message).toContain('"C:\\\\Users\\\\me\\\\my-chat" is a Windows path');
    expect(drive.message).toContain('/mnt/c/Users/me/my-chat');
    expect(drive.message).toMatch(/or my-chat for a folder here/);
    expect(refusal(['projects\\my-chat']).message).toContain('POSIX form: projects/my-chat.');
    expect(refusal(['D:/work/chat']).message).toContain('/mnt/d/work/chat');
    for (const command of [['refresh'], ['doctor'], ['workshop'], ['workshop', 'announce']]) {
      expect(refusal([...command, 'C:\\x\\room']).message, command.join(' ')).toContain('/mnt/c/x/room');
    }
    expect(refusal(['C:\\Users\\me\\my-chat'], 'darwin').message).toContain('this system (darwin)');
  });

  it('is an ordinary path on Windows, as far as the plan', async () => {
    // The appid is given: this test runs on POSIX, where path.basename cannot read a Windows path.
    const args = parseCommandLine(['C:\\Users\\me\\my-chat', '--sandbox', '--yes', '--platforms', 'web', '--app-id', 'com.example.chat'], PROGRAM, 'win32');
    expect(args).toMatchObject({ command: 'create', dir: 'C:\\Users\\me\\my-chat' });
    const plan = await collectPlan(args as Parameters<typeof collectPlan>[0], { cwd: 'C:\\Users\\me', interactive: false, prompt: async () => ({}) });
    expect(plan.targetDir).toBe('C:\\Users\\me\\my-chat');
    expect(parseCommandLine(['refresh', 'C:\\Users\\me\\my-chat'], PROGRAM, 'win32')).toMatchObject({ command: 'refresh', dir: 'C:\\Users\\me\\my-chat' });
  });

  it('is refused at the folder question too', async () => {
    const seen: string[] = [];
    const prompt = async (questions: Array<{ name: string; validate?: (v: string) => true | string }>) => {
      const q = questions.find((x) => x.name === 'dir')!;
      seen.push(String(q.validate!('C:\\Users\\me\\my-chat')), String(q.validate!('my-chat')));
      throw new Error('stop');
    };
    const args = parseCommandLine(['--sandbox'], PROGRAM, 'linux') as Parameters<typeof collectPlan>[0];
    await expect(collectPlan(args, { cwd: '/tmp', interactive: true, prompt: prompt as never })).rejects.toThrow('stop');
    expect(seen[0]).toContain('/mnt/c/Users/me/my-chat');
    expect(seen[1]).toBe('true');
  });
});

describe('a mistyped command', () => {
  it.each([
    ['refesh', 'refresh'],
    ['doctr', 'doctor'],
    ['workshp', 'workshop'],
    ['sandbx', 'sandbox'],
    ['Refresh', 'refresh'],
    ['announce', 'workshop announce'],
  ])('%s is refused with "did you mean `%s`?" and the ./ form of the folder', (typed, meant) => {
    const error = refusal([typed, '--yes', '--sandbox']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(`did you mean \`${meant}\`?`);
    expect(error.message).toContain(`\`${PROGRAM} ./${typed}\``);
  });

  it('after a flag, a command name is still not a folder name', () => {
    expect(refusal(['--yes', 'doctr']).message).toContain('did you mean `doctor`?');
    expect(refusal(['--yes', 'doctor']).message).toContain(`doctor is a command, so it goes first (see \`${PROGRAM} doctor --help\`)`);
  });

  it('leaves folder names that are not near a command alone', () => {
    for (const dir of ['docs', 'my-chat', 'sand', 'refreshments', 'workshops-2024', 'chat', './refesh', 'help-desk', 'held', 'helm', 'doc', 'refs', 'workshops', 'refresher', 'sandboxes', 'docker']) {
      expect(parseCommandLine([dir], PROGRAM, 'linux'), dir).toMatchObject({ command: 'create', dir });
    }
  });
});

describe('the built CLI', () => {
  let work: string;
  beforeAll(() => {
    work = tempDir('cma-mistakes-');
  });
  afterAll(() => removeDir(work));

  it.each(['refesh', 'doctr', 'workshp', 'sandbx'])('%s --yes --sandbox: exit 2, nothing written', async (typed) => {
    const result = await runCli([typed, '--yes', '--sandbox'], { cwd: work });
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('did you mean `');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(work)).toEqual([]);
  });

  it('"C:\\Users\\me\\my-chat" --sandbox --yes: exit 2, the POSIX form, nothing written', async () => {
    const result = await runCli(['C:\\Users\\me\\my-chat', '--sandbox', '--yes'], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('/mnt/c/Users/me/my-chat');
    expect(readdirSync(work)).toEqual([]);
  });

  it('./refesh makes the folder refesh', async () => {
    const result = await runCli(['./refesh', '--yes', '--sandbox', '--no-git', '--platforms', 'web'], { cwd: work });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(existsSync(path.join(work, 'refesh', 'mesibo.json'))).toBe(true);
    removeDir(path.join(work, 'refesh'));
  });

  it('in a terminal, refesh asks nothing', async () => {
    const ptyRun = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'pty-run.py');
    const result = await execa('python3', [ptyRun, '[]', 'node', CLI, 'refesh'], {
      cwd: work, env: cliEnv({ TERM: 'xterm' }), extendEnv: false, reject: false, timeout: 40_000,
    });
    expect(result.exitCode).toBe(2);
    expect(String(result.stdout)).toContain('did you mean `refresh`?');
    expect(String(result.stdout)).not.toContain('App display name');
    expect(readdirSync(work)).toEqual([]);
  });
});
