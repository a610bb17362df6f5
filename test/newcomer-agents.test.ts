/**
 * AGENTS.md in a generated project (issue 23): what a coding agent needs to work in it without leaking a
 * token (where the tokens are, never to print or commit them), how to refresh them and run doctor with the
 * invocation that made the project, how to start each starter and the sandbox, which files the tool owns.
 * It holds no token; --no-ai leaves it out (and out of the plan, the collision check and the first commit).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/args';
import { helpFor } from '../src/cli/help';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';

/** Every token in a project's token config files (64 of [0-9A-Za-z], as mesibo issues them). */
function tokensIn(project: string): string[] {
  const files = ['android/mesibo.properties', 'ios/Config/Secrets.xcconfig', 'web/config.js', 'cpp/mesibo.conf', 'python/config.json'];
  return files.flatMap((f) => readFileSync(path.join(project, f), 'utf8').match(/(?<![0-9A-Za-z])[0-9A-Za-z]{64}(?![0-9A-Za-z])/g) ?? []);
}

describe('AGENTS.md', () => {
  let work: string;
  let project: string;
  let agents: string;
  beforeAll(async () => {
    work = tempDir('cma-agents-');
    const result = await runCli(['my-chat', '--sandbox', '--yes'], { cwd: work });
    expect(result.exitCode, result.stderr).toBe(0);
    project = path.join(work, 'my-chat');
    agents = readFileSync(path.join(project, 'AGENTS.md'), 'utf8');
  });
  afterAll(() => removeDir(work));

  it('holds no token, nor any 8-character piece of one', () => {
    const tokens = tokensIn(project);
    expect(tokens.length).toBe(10);
    for (const token of tokens) {
      for (let i = 0; i + 8 <= token.length; i++) expect(agents).not.toContain(token.slice(i, i + 8));
    }
  });

  it('names every token file, says never to print or commit them, and where the App Token is not', () => {
    for (const file of ['android/mesibo.properties', 'ios/Config/Secrets.xcconfig', 'web/config.js', 'cpp/mesibo.conf', 'python/config.json']) {
      expect(agents).toContain(`\`${file}\``);
      expect(agents).toContain(`\`${file}.example\``);
    }
    expect(agents).toMatch(/Never print, `cat`, log or quote these files/);
    expect(agents).toMatch(/never `git add -f` them/);
    expect(agents).toMatch(/The App Token .* is not in this project and must never be/s);
    expect(agents).toContain('sandbox tokens');
  });

  it('gives refresh, doctor and sandbox with the invocation that made the project, and each starter', () => {
    const program = `node ${CLI}`;
    for (const command of ['refresh', 'doctor', 'sandbox']) expect(agents).toContain(`\n${program} ${command}\n`);
    expect(agents).toContain('npx create-mesibo-app@0.1.0'); // the published form, second
    for (const line of ['cd web\nnpm start', 'cd python', 'cd cpp\ncmake -S . -B build', 'cd ios\npod install']) expect(agents).toContain(line);
    expect(agents).toMatch(/## Files the tool owns\n\n- `mesibo.json`/);
  });

  it('doctor runs as AGENTS.md prints it, from the project folder', async () => {
    const line = agents.split('\n').find((l) => l.endsWith(' doctor'))!;
    const result = await execa('sh', ['-c', line], { cwd: project, env: cliEnv(), extendEnv: false, reject: false });
    expect(result.stderr).not.toMatch(/not found|not inside/);
    expect(result.stdout).toContain(`Checked ${project}`);
  });

  it('is committed in the first commit, like the README', async () => {
    const files = (await execa('git', ['ls-files'], { cwd: project })).stdout.split('\n');
    expect(files).toContain('AGENTS.md');
  });
});

describe('--no-ai', () => {
  let work: string;
  beforeAll(() => {
    work = tempDir('cma-noai-');
  });
  afterAll(() => removeDir(work));

  it('is parsed into the plan and listed in help', () => {
    expect(parseCommandLine(['chat', '--no-ai'])).toMatchObject({ command: 'create', ai: false });
    expect(parseCommandLine(['chat'])).toMatchObject({ command: 'create', ai: true });
    expect(helpFor('create')).toMatch(/--no-ai +do not write AGENTS\.md/);
  });

  it('leaves AGENTS.md out of the project, the --json file list and the first commit', async () => {
    const result = await runCli(['chat', '--sandbox', '--yes', '--no-ai', '--json', '--platforms', 'web'], { cwd: work });
    expect(result.exitCode, result.stderr).toBe(0);
    const project = path.join(work, 'chat');
    expect(existsSync(path.join(project, 'AGENTS.md'))).toBe(false);
    expect(JSON.parse(result.stdout).files).not.toContain('AGENTS.md');
    expect(JSON.parse(result.stdout).files).toContain('README.md');
    expect((await execa('git', ['ls-files'], { cwd: project })).stdout).not.toContain('AGENTS.md');
  });

  it('lets --force add a project beside an AGENTS.md of the user\'s own, which stays as it was', async () => {
    const folder = path.join(work, 'mine');
    await execa('mkdir', [folder]);
    writeFileSync(path.join(folder, 'AGENTS.md'), 'my own notes\n');
    const refused = await runCli(['mine', '--sandbox', '--yes', '--force', '--platforms', 'web', '--no-git'], { cwd: work });
    expect(refused.exitCode).not.toBe(0); // without --no-ai it would overwrite it
    const result = await runCli(['mine', '--sandbox', '--yes', '--force', '--no-ai', '--platforms', 'web', '--no-git'], { cwd: work });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(folder, 'AGENTS.md'), 'utf8')).toBe('my own notes\n');
    expect(existsSync(path.join(folder, 'mesibo.json'))).toBe(true);
  });
});
