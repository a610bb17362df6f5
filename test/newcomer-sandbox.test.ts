/**
 * Issue 21, "the newcomer path": after a sandbox create with the web starter, the printed way to a chat is
 * two commands (the project's sandbox, and the web starter's npm start in a second terminal, after its one
 * `cd`) and the two `?user=` links npm start prints; it says that Ctrl-C stops the sandbox, and how to move
 * to mesibo's servers (console, App Token, refresh). Each command runs as printed: the test starts the two
 * long-running ones from the printed lines, fetches npm start's printed keyed link as a browser would, and
 * checks that the page gets its config, pointed at the sandbox that serves its script.
 *
 * Without the web starter (the others cannot use the emulator), and for tokens from a local backend that is
 * not the project's sandbox (--api-url), the end stays the numbered way to real tokens (issue 14, item 4).
 */
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { fetchPageConfig, startPrinted, type Started } from './support/printed-commands';

let work: string;
let stdout: string;
let lines: string[];
beforeAll(async () => {
  work = tempDir('cma-newcomer-');
  const result = await runCli(['my-chat', '--sandbox', '--yes', '--no-git'], { cwd: work });
  expect(result.exitCode, String(result.stderr)).toBe(0);
  stdout = String(result.stdout);
  lines = stdout.split('\n');
});
afterAll(() => removeDir(work));

/** The command lines (indented by 7) that follow the first line matching `step` after `from`, up to the next prose line. */
function commandsAfter(step: RegExp, from = 0, text: string[] = lines): string[] {
  const start = text.findIndex((l, i) => i >= from && step.test(l));
  expect(start, `no line matching ${step} in:\n${text.join('\n')}`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const line of text.slice(start + 1)) {
    if (!/^ {7}\S/.test(line)) break;
    out.push(line.trim());
  }
  return out;
}

const CHAT = "Chat now, with no account, through this project's local sandbox (not mesibo):";
const MOVE = "To move to mesibo's servers";
const chatBlock = () => lines.slice(lines.indexOf(CHAT), lines.findIndex((l) => l.startsWith(MOVE)));

describe('the end of a sandbox create with the web starter', () => {
  it('starts with the chat through the local sandbox: two commands, a cd, and the two links npm start prints', () => {
    const written = lines.findIndex((l) => /Wrote my-chat/.test(l));
    expect(lines.slice(written + 1).find((l) => l.trim() !== '')).toBe(CHAT);
    const chat = chatBlock();
    const commands = chat.filter((l) => /^ {7}\S/.test(l)).map((l) => l.trim());
    expect(commands).toEqual([`node ${CLI} sandbox my-chat`, 'cd my-chat/web', 'npm start']);
    expect(chat.join('\n')).toContain('start the sandbox (Ctrl-C stops it):');
    expect(chat.join('\n')).toContain('In a second terminal, in this same folder, start the web starter:');
    expect(chat.join('\n')).toContain('then open the two links it prints (?user=123 and ?user=456), each in its own browser tab');
    // npm start prints the links with its run's key; a keyless link printed here would get no tokens.
    expect(stdout).not.toMatch(/localhost:8080\/\?user=/);
    // Nothing here sends the newcomer to the console first, or says their tokens fail.
    expect(chat.join('\n')).not.toMatch(/AUTHFAIL|console\.mesibo\.com|App Token/);
    expect(stdout).not.toMatch(/To chat for real|Sandbox backend listening/); // the latter is internal, --verbose only
  });

  it('runs as printed: the sandbox serves its script, and npm start\'s printed link gets the page its config, aimed at that sandbox', async () => {
    const [sandboxLine] = commandsAfter(/ 1\. In this terminal, start the sandbox/);
    const webLines = commandsAfter(/ 2\. In a second terminal/);
    const running: Started[] = [];
    try {
      // Both from the folder the create ran in, each in a "terminal" of its own. Port 8092 and 8080 may be
      // taken on a test machine: the sandbox gets --port 0 added, npm start PORT=0 (which it honours).
      const sandbox = await startPrinted(`${sandboxLine!} --port 0`, work, 'sandbox');
      running.push(sandbox);
      const web = await startPrinted(webLines.join('\n'), work, 'npm start', { PORT: '0' });
      running.push(web);
      expect(sandbox.output()).toMatch(/Local sandbox of my-chat listening on http:\/\/127\.0\.0\.1:\d+ .*Ctrl-C stops it/s);
      const script = await fetch(new URL('/mesibo.js', sandbox.url));
      expect(script.status).toBe(200);
      expect(await script.text()).toContain('local sandbox, not mesibo');

      // A printed link, opened as a browser does, gets the page its config: the users' tokens, and the
      // script address the printed sandbox command serves (the port recorded at create time).
      const config = await fetchPageConfig(web.links()[0]!);
      expect(config.sdk).toBe('http://127.0.0.1:8092/mesibo.js');
      expect(config.sandbox).toEqual({ start: `node ${CLI} sandbox` });
      expect(config.appId).toBe('com.example.mychat');
      expect(config.users.map((u) => u.address)).toEqual(['123', '456']);
      // And npm start printed one link per user, in the demo users' order (the ?user= links the steps name).
      const links = await web.printedLinks(2);
      expect(links.map((l) => new URL(l).searchParams.get('user'))).toEqual(['123', '456']);
      for (const user of config.users) expect(user.token).toMatch(/^[A-Za-z0-9]{64}$/);
    } finally {
      for (const process of running.reverse()) await process.stop();
    }
  }, 60_000);

  it('then says how to move to mesibo\'s servers, and its refresh runs as printed, aimed at them', async () => {
    const move = lines.findIndex((l) => l.startsWith(MOVE));
    expect(lines[move]).toBe("To move to mesibo's servers (the same project, with real tokens instead of sandbox ones):");
    expect(stdout).toMatch(/ 1\. Open https:\/\/console\.mesibo\.com, create an application and copy its App Token\./);
    const refresh = commandsAfter(/ 2\. Issue real tokens for the same users; refresh asks for the App Token \(masked\):/, move);
    expect(refresh).toEqual([`node ${CLI} refresh my-chat`]);
    // Typed into a shell without a terminal and without an App Token: it finds the project, aims at mesibo's
    // servers, and stops only for the App Token (exit 2), which a person would paste.
    const shell = await execa('sh', ['-c', refresh.join('\n')], { cwd: work, env: cliEnv(), extendEnv: false, reject: false, stdin: 'ignore' });
    const output = `${shell.stdout}\n${shell.stderr}`;
    expect(shell.exitCode, output).toBe(2);
    expect(output).toContain('Refreshing "my-chat"');
    expect(output).toContain("Backend: mesibo's servers, https://api.mesibo.com/backend/");
    expect(output).toMatch(/MESIBO_APP_TOKEN/);
  });

  it('lists the other starters as needing real tokens, with their commands, cd on its own line', () => {
    const other = stdout.slice(stdout.indexOf('The other starters'));
    expect(other).toMatch(/^The other starters need real tokens \(the sandbox serves only the web starter\); then, each from my-chat in a terminal of its own:$/m);
    expect(other).toMatch(/^ {4}cd ios\n {4}pod install$/m);
    expect(other).toMatch(/^ {4}cd python\n {4}python3 -m venv \.venv/m);
    expect(other).not.toMatch(/&&/);
  });

  it('made in the current folder, prints the sandbox and refresh without a folder, and cd web', async () => {
    const here = path.join(work, 'here');
    await execa('mkdir', [here]);
    const result = await runCli(['.', '--sandbox', '--yes', '--no-git', '--platforms', 'web'], { cwd: here });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const out = String(result.stdout).split('\n');
    expect(commandsAfter(/ 1\. In this terminal/, 0, out)).toEqual([`node ${CLI} sandbox`]);
    expect(commandsAfter(/ 2\. In a second terminal/, 0, out)).toEqual(['cd web', 'npm start']);
    expect(commandsAfter(/ 2\. Issue real tokens/, 0, out)).toEqual([`node ${CLI} refresh`]);
  });

  it('shows the internal sandbox line only with --verbose', async () => {
    const verbose = await runCli(['loud', '--sandbox', '--yes', '--no-git', '--platforms', 'web', '--verbose'], { cwd: work });
    expect(String(verbose.stdout)).toMatch(/Sandbox backend listening on http:\/\/127\.0\.0\.1:\d+\/backend\//);
  });
});

describe('the end of a sandbox create that the local sandbox cannot serve', () => {
  it('without the web starter: the numbered way to real tokens, then the starter as each user', async () => {
    const result = await runCli(['no-web', '--sandbox', '--yes', '--no-git', '--platforms', 'python'], { cwd: work });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const out = String(result.stdout);
    expect(out).not.toContain(CHAT);
    expect(out).toMatch(/Done\. no-web has sandbox tokens: with mesibo's servers a starter using them reports AUTHFAIL\. To chat for real:/);
    expect(out.split('\n').filter((l) => /^ {2}\d\. /.test(l)).map((l) => l.trim().slice(0, 2))).toEqual(['1.', '2.', '3.', '4.']);
    expect(commandsAfter(/ 3\. /, 0, out.split('\n'))).toEqual(['cd no-web', `node ${CLI} refresh`]);
    expect(out).toMatch(/ 4\. Run the Python starter as each user:/);
  });

  describe('tokens from a backend on this machine that is not the project\'s sandbox (--api-url)', () => {
    let fake: FakeBackend;
    beforeAll(async () => {
      fake = await startFakeBackend();
    });
    afterAll(() => fake.close());

    it('keeps the numbered way to real tokens, even with the web starter', async () => {
      const result = await runCli(['local-api', '--yes', '--no-git', '--platforms', 'web,python', '--api-url', fake.url], {
        cwd: work,
        env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN }),
      });
      expect(result.exitCode, String(result.stderr)).toBe(0);
      const out = String(result.stdout);
      expect(out).not.toContain(CHAT);
      expect(out).toContain(`Done. local-api has tokens from ${fake.url}, a backend on this machine`);
      expect(commandsAfter(/ 4\. Open the web starter twice/, 0, out.split('\n')).slice(0, 2)).toEqual(['cd web', 'npm start']);
    });
  });
});
