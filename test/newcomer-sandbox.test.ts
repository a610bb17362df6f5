/**
 * Issue 14, item 4: the end of a sandbox run is an honest, numbered path to a real chat, and each command
 * in it runs as printed: the refresh (with its `cd` on a line of its own) really is this tool's refresh of
 * this project, aimed at mesibo's servers; the web starter's `npm start` really serves the two `?user=`
 * links printed. Never "run one starter as 123 and another as 456" right after saying sandbox tokens fail.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';

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

/** The indented command lines that follow the line matching `step`, up to the next prose line. */
function commandsAfter(step: RegExp): string[] {
  const start = lines.findIndex((l) => step.test(l));
  expect(start, `no line matching ${step} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^ {7}\S/.test(line)) break;
    out.push(line.trim());
  }
  return out;
}

describe('the end of a sandbox run', () => {
  it('says the tokens get AUTHFAIL from mesibo, then numbers the steps to a real chat', () => {
    expect(stdout).toMatch(/Done\. my-chat has sandbox tokens: with mesibo's servers a starter using them reports AUTHFAIL/);
    const numbered = lines.filter((l) => /^ {2}\d\. /.test(l)).map((l) => l.trim().slice(0, 2));
    expect(numbered).toEqual(['1.', '2.', '3.', '4.']);
    expect(stdout).toMatch(/ 1\. Open https:\/\/console\.mesibo\.com and create an application/);
    expect(stdout).toMatch(/ 2\. Copy its App Token/);
    expect(stdout).not.toMatch(/Run one starter as/);
    expect(stdout).not.toMatch(/Sandbox backend listening/); // internal, --verbose only
  });

  it('step 3 is this project\'s refresh, with cd on its own line, and runs as printed', async () => {
    const step3 = commandsAfter(/ 3\. /);
    expect(step3).toEqual(['cd my-chat', `node ${CLI} refresh`]);
    // Typed into a shell line by line, without a terminal and without an App Token: it finds the project,
    // aims at mesibo's servers, and stops only for the App Token (exit 2), which a person would paste.
    const shell = await execa('sh', ['-c', step3.join('\n')], { cwd: work, env: cliEnv(), extendEnv: false, reject: false, stdin: 'ignore' });
    const output = `${shell.stdout}\n${shell.stderr}`;
    expect(shell.exitCode, output).toBe(2);
    expect(output).toContain(`Refreshing the current folder (${path.join(work, 'my-chat')})`);
    expect(output).toContain("Backend: mesibo's servers, https://api.mesibo.com/backend/");
    expect(output).toMatch(/MESIBO_APP_TOKEN/);
  });

  it('step 4 starts the web starter, which prints the two ?user= links (with its key) that it serves', async () => {
    const step4 = commandsAfter(/ 4\. /);
    expect(step4.slice(0, 2)).toEqual(['cd web', 'npm start']);
    // No link is printed here: npm start's links carry its run's key, and a keyless one would be refused.
    expect(stdout).toContain("then open the two links it prints (?user=123 and ?user=456; each holds that run's key)");
    expect(stdout).not.toMatch(/localhost:8080\/\?user=/);

    // `npm start` as printed (on another port: 8080 may be taken here), from the folder step 4's cd names.
    const web = path.join(work, 'my-chat', 'web');
    const server = spawn('npm', ['start'], { cwd: web, env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0' }, detached: true });
    try {
      const served = await new Promise<string>((resolve, reject) => {
        let seen = '';
        server.stdout.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if ((seen.match(/\?user=/g) ?? []).length >= 2) resolve(seen);
        });
        server.once('exit', () => reject(new Error(`npm start exited: ${seen}`)));
      });
      const port = /localhost:(\d+)\//.exec(served)![1];
      const servedLinks = served.match(/http:\/\/localhost:\d+\/\?user=\S+/g)!;
      expect(servedLinks.map((l) => l.replace(/&key=[^&\s]+/, ''))).toEqual(['123', '456'].map((u) => `http://localhost:${port}/?user=${u}`));
      for (const link of servedLinks) expect((await fetch(link)).status).toBe(200);
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
    }
  });

  it('lists the other starters with their commands, cd on its own line', () => {
    const other = stdout.slice(stdout.indexOf('The other starters'));
    expect(other).toMatch(/^ {4}cd ios\n {4}pod install$/m);
    expect(other).toMatch(/^ {4}cd python\n {4}python3 -m venv \.venv/m);
    expect(other).not.toMatch(/&&/);
  });

  it('shows the internal sandbox line only with --verbose', async () => {
    const verbose = await runCli(['loud', '--sandbox', '--yes', '--no-git', '--platforms', 'web', '--verbose'], { cwd: work });
    expect(String(verbose.stdout)).toMatch(/Sandbox backend listening on http:\/\/127\.0\.0\.1:\d+\/backend\//);
  });
});
