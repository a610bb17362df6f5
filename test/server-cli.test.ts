/**
 * `server` as a platform choice, from the command line: asked for by name only, never alone, no appid
 * flag; its passcode never shown; refresh leaves every server file alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createQuestions } from '../src/plan/questions';
import { FREE_FOLDERS } from '../src/plan/folder-questions';
import { listFiles, removeDir, runCli, tempDir } from './support/cli';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
const fresh = () => {
  const dir = tempDir('cma-server-cli-');
  dirs.push(dir);
  return dir;
};

describe('server as a platform', () => {
  it('is listed in help, without an appid flag, and is not among the defaults', async () => {
    const dir = fresh();
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.stdout).toMatch(/--platforms <list> +comma list of android, ios, web, cpp, python, server \(default: all but server\)/);
    expect(help.stdout).not.toContain('--server-app-id');
    const made = await runCli(['app', '--sandbox', '--yes', '--no-git'], { cwd: dir });
    expect(made.exitCode, made.stderr).toBe(0);
    expect(listFiles(path.join(dir, 'app')).some((f) => f.startsWith('server/'))).toBe(false);
  });

  it('is a choice of the platforms question, not ticked, and not enough on its own', () => {
    const questions = createQuestions({ cwd: '/tmp', overridden: [], backendKnown: true, force: false, inspect: FREE_FOLDERS, dir: 'app' } as any);
    const platforms = questions.find((q) => q.name === 'platforms') as any;
    const choices = platforms.choices({}) as Array<{ value: string; checked: boolean }>;
    expect(choices.map((c) => [c.value, c.checked])).toEqual([
      ['android', true], ['ios', true], ['web', true], ['cpp', true], ['python', true], ['server', false],
    ]);
    expect(platforms.validate(['server'])).toMatch(/choose at least one of them too/);
    expect(platforms.validate(['web', 'server'])).toBe(true);
    // The appid question names only platforms with an appid.
    const appId = questions.find((q) => q.name === 'appId') as any;
    expect(appId.message({ platforms: ['web', 'server'] })).toBe('App id (app name for Web)');
  });

  it('is refused alone, and with an appid of its own, before anything is written', async () => {
    const dir = fresh();
    const alone = await runCli(['app', '--platforms', 'server', '--sandbox', '--yes'], { cwd: dir });
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toContain('--platforms "server" has only the token server, which mints tokens for the appids of the other platforms');
    expect(alone.stderr).toContain('like --platforms web,python,server');
    const own = await runCli(['app', '--platforms', 'web,server', '--server-app-id', 'com.x.y', '--sandbox', '--yes'], { cwd: dir });
    expect(own.exitCode).toBe(2);
    expect(own.stderr).toContain('--server-app-id was given, but the token server has no appid of its own');
    expect(listFiles(dir)).toEqual([]);
  });

  it('never shows its passcode, and refresh leaves every server file alone', async () => {
    const dir = fresh();
    const made = await runCli(['app', '--platforms', 'web,server', '--sandbox', '--yes', '--no-git', '--json'], { cwd: dir });
    expect(made.exitCode, made.stderr).toBe(0);
    const project = path.join(dir, 'app');
    const passcode = readFileSync(path.join(project, 'server', '.passcode'), 'utf8').trim();
    expect(passcode.length).toBeGreaterThanOrEqual(32);
    expect(`${made.stdout}${made.stderr}`).not.toContain(passcode.slice(0, 8));
    const summary = JSON.parse(made.stdout);
    expect(summary.platforms).toContainEqual({ id: 'server', appId: '', dir: 'server', secretFile: 'server/.passcode' });
    expect(summary.files).toContain('server/openapi.json');
    // Nothing but the .passcode file holds it.
    expect(listFiles(project).filter((f) => readFileSync(path.join(project, f), 'latin1').includes(passcode))).toEqual(['server/.passcode']);

    const server = () => Object.fromEntries(listFiles(path.join(project, 'server')).map((f) => [f, readFileSync(path.join(project, 'server', f), 'utf8')]));
    const before = server();
    const refreshed = await runCli(['refresh', '--sandbox', '--yes'], { cwd: project });
    expect(refreshed.exitCode, refreshed.stderr).toBe(0);
    expect(refreshed.stdout).toContain('1 appid (web, server)');
    expect(refreshed.stdout).not.toContain('server/.passcode');
    expect(server()).toEqual(before);
  });

  it("tells the other starters how to use it: Python's config names it instead of tokens; Android (10.0.2.2) and iOS READMEs show the call", async () => {
    const dir = fresh();
    const made = await runCli(['with', '--platforms', 'android,ios,python,server', '--sandbox', '--yes', '--no-git'], { cwd: dir });
    expect(made.exitCode, made.stderr).toBe(0);
    const read = (f: string) => readFileSync(path.join(dir, 'with', f), 'utf8');
    expect(JSON.parse(read('python/config.json'))).toMatchObject({ tokenServer: 'http://127.0.0.1:8787', users: [{ address: '123' }, { address: '456' }] });
    expect(read('python/config.json')).not.toContain('token"');
    expect(read('android/README.md')).toContain('URL("http://10.0.2.2:8787/v1/token")');
    expect(read('ios/README.md')).toContain('URL(string: "http://127.0.0.1:8787/v1/token")');
    for (const f of ['android/README.md', 'ios/README.md']) expect(read(f), f).toContain('../server/src/authorize.ts');
    expect(read('python/README.md')).toContain('`cd ../server`, `npm install`, then\n`npm start`');

    const without = await runCli(['without', '--platforms', 'android,ios,python', '--sandbox', '--yes', '--no-git'], { cwd: dir });
    expect(without.exitCode, without.stderr).toBe(0);
    const plain = (f: string) => readFileSync(path.join(dir, 'without', f), 'utf8');
    expect(JSON.parse(plain('python/config.json')).users[0].token).toMatch(/^[0-9a-z]{20,}$/);
    for (const f of ['android/README.md', 'ios/README.md', 'python/README.md']) expect(plain(f), f).not.toContain('token server');
  });
});
