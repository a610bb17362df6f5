/**
 * Issue 21's last proof, in Chromium: "a `workshop announce` against the sandbox shows up in a seat's page".
 * A `--sandbox` project's sandbox runs (`create-mesibo-app sandbox`, on a free port); a workshop is made against
 * it with the App Token command and the `--api-url` the sandbox prints; seat-1's web starter (`npm start`, as
 * its folder has it) is opened through its printed link; `workshop announce` sends, and the page shows it.
 * The seats' web config loads the sandbox's script, so the page reaches that sandbox and no other server.
 *
 * Also: a rerun puts back a deleted config.js byte for byte; a loopback backend that is not a sandbox (a fake
 * mesibo backend) still gets mesibo's CDN; and a loopback --api-url where nothing listens is refused with
 * nothing written.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN } from './support/fake-backend';
import { startPrinted, type Started } from './support/printed-commands';
import { assertToolsOrSkip } from './support/tools';
import { CHROMIUM, freePort, launchChromium, MESIBO_CDN } from './support/web-starter';

const tools = assertToolsOrSkip([CHROMIUM, 'npm']);

/** `sdk` and `sandbox.start` of a web starter's config.js, as it is on disk. */
function webConfig(webDir: string): { text: string; sdk: string; start?: string } {
  const text = readFileSync(path.join(webDir, 'config.js'), 'utf8');
  const sdk = JSON.parse(/^ {2}sdk: ("[^"]*"),$/m.exec(text)![1]!);
  const start = /^ {2}sandbox: \{ start: ("[^"]*") \},$/m.exec(text)?.[1];
  return { text, sdk, start: start === undefined ? undefined : JSON.parse(start) };
}

describe.skipIf(tools.skip)(`a workshop against a project's running sandbox ${tools.reason}`, () => {
  let work: string;
  let room: string;
  /** The sandbox's project, which it names to the workshop (absolute). */
  let project: string;
  let browser: Browser;
  let webPort: number;
  let sandbox: Started;
  let web: Started | undefined;
  /** What the sandbox printed for workshop and announce: the App Token command, and the --api-url. */
  let tokenCommand: string;
  let apiUrl: string;

  /** `create-mesibo-app workshop …` in the folder the project was made in, after the sandbox's App Token command. */
  const workshop = (args: string) =>
    execa('sh', ['-c', `${tokenCommand}\nexec node ${CLI} workshop ${args}`], { cwd: work, env: cliEnv(), extendEnv: false, reject: false, stdin: 'ignore' });

  beforeAll(async () => {
    work = tempDir('cma-workshop-sandbox-');
    room = path.join(work, 'room');
    project = path.join(work, 'my-chat');
    const create = await runCli(['my-chat', '--sandbox', '--yes', '--no-git', '--platforms', 'web'], { cwd: work, timeout: 60_000 });
    expect(create.exitCode, String(create.stderr)).toBe(0);
    // The seat's npm start serves on W, which the sandbox is told to accept pages of (its relay checks Origin).
    [webPort, browser] = await Promise.all([freePort(), launchChromium()]);
    sandbox = await startPrinted(`node ${CLI} sandbox my-chat --port 0 --web-port ${webPort}`, work, 'sandbox');
    // The lines after "listening on" may come in a later chunk.
    await vi.waitFor(() => expect(sandbox.output()).toMatch(/then pass --api-url \S+\n/), { timeout: 20_000 });
    const out = sandbox.output();
    tokenCommand = /^ {4}(export MESIBO_APP_TOKEN=.+)$/m.exec(out)![1]!;
    apiUrl = /^ {4}then pass --api-url (http:\/\/127\.0\.0\.1:\d+\/backend\/)$/m.exec(out)![1]!;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await sandbox?.stop();
    if (work) removeDir(work);
  });

  let page: Page;

  it('makes the seats with web pages that load the sandbox\'s script, and says how to start that sandbox', async () => {
    const run = await workshop(`room --seats 2 --platforms web --api-url ${apiUrl}`);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const origin = new URL(apiUrl).origin;
    const port = new URL(apiUrl).port;
    for (const folder of ['seats/seat-1', 'seats/seat-2', 'host']) {
      const config = webConfig(path.join(room, folder, 'web'));
      expect(config.sdk).toBe(`${origin}/mesibo.js`);
      expect(config.start).toBe(`node ${CLI} sandbox ${project} --port ${port}`);
    }
    // The committed twin stays the real-tokens form.
    expect(readFileSync(path.join(room, 'seats/seat-1/web/config.js.example'), 'utf8')).toContain(MESIBO_CDN);
    expect(readFileSync(path.join(room, 'seats/seat-1/web/README.md'), 'utf8')).toContain(`node ${CLI} sandbox ${project} --port ${port}\n`);
  });

  it("seat-1's page, opened from npm start's printed link, goes online through the sandbox", async () => {
    web = await startPrinted('npm start', path.join(room, 'seats/seat-1/web'), 'npm start', { PORT: String(webPort) });
    const links = await web.printedLinks(2);
    expect(links.map((l) => new URL(l).searchParams.get('user'))).toEqual(['seat-1', 'seat-2']);
    // npm start's own hint for its port (printed after the links) is the command the sandbox is running with.
    await expect.poll(() => web!.output(), { timeout: 20_000 }).toContain(`  node ${CLI} sandbox ${project} --port ${new URL(apiUrl).port} --web-port ${webPort}\n`);

    const context = await browser.newContext();
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The page may reach its own server and the sandbox, nothing else (mesibo's CDN included).
    const allowed = new Set([new URL(links[0]!).origin, new URL(apiUrl).origin]);
    await page.route('**/*', (route) => (allowed.has(new URL(route.request().url()).origin) ? route.continue() : route.abort()));
    await page.goto(links[0]!);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toBe('online');
    expect(await page.locator('#me').textContent()).toBe('seat-1');
    expect(await page.locator('#mesibo-sandbox-banner').textContent()).toContain('local sandbox, not mesibo');
    expect(errors).toEqual([]);
  });

  it('workshop announce against the sandbox shows up in the seat\'s page', async () => {
    const run = await execa('sh', ['-c', `${tokenCommand}\nexec node ${CLI} workshop announce room --text "hello room" --api-url ${apiUrl}`], {
      cwd: work, env: cliEnv(), extendEnv: false, reject: false, stdin: 'ignore',
    });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    await expect.poll(() => page.locator('#messages li.incoming').allTextContents(), { timeout: 20_000 }).toEqual(['hosthello room']);
  });

  it('a rerun, with the sandbox stopped, puts back a deleted config.js byte for byte: the ledger says it was a sandbox', async () => {
    expect(JSON.parse(readFileSync(path.join(room, 'workshop.json'), 'utf8')).runningSandbox).toEqual({ project });
    const file = path.join(room, 'seats/seat-2/web/config.js');
    const before = readFileSync(file, 'utf8');
    rmSync(file);
    expect(await sandbox.stop()).toBe(0);
    const run = await workshop(`room --seats 2 --platforms web --api-url ${apiUrl}`);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // The command the seat's page and README give starts that project's sandbox again, as printed, from the seat.
    const again = await startPrinted(webConfig(path.dirname(file)).start!, path.dirname(file), 'sandbox');
    try {
      expect(again.url).toBe(new URL(apiUrl).origin);
      expect(again.output()).toContain(`Local sandbox of ${path.relative(path.dirname(file), project)} listening on`);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });
});

describe('a workshop against another backend on this machine', () => {
  let work: string;
  beforeAll(() => {
    work = tempDir('cma-workshop-local-');
  });
  afterAll(() => removeDir(work));

  it('that is not a sandbox (a mesibo backend reached on loopback): the seats load mesibo\'s SDK from its CDN', async () => {
    const fake = await startFakeBackend();
    try {
      const run = await runCli(['workshop', 'room', '--seats', '2', '--platforms', 'web', '--api-url', fake.url], { cwd: work, env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN }) });
      expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
      const config = webConfig(path.join(work, 'room/seats/seat-1/web'));
      expect(config.sdk).toBe(MESIBO_CDN);
      expect(config.start).toBeUndefined();
    } finally {
      await fake.close();
    }
  });

  it('where nothing listens: refused, saying how to start a sandbox, with nothing sent or written', async () => {
    const port = await freePort();
    const run = await runCli(['workshop', 'gone', '--seats', '2', '--platforms', 'web', '--api-url', `http://127.0.0.1:${port}/backend/`], {
      cwd: work,
      env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN }),
    });
    expect(run.exitCode).toBe(1);
    expect(String(run.stderr)).toContain(`Nothing answers at "http://127.0.0.1:${port}/backend/", on this machine.`);
    expect(String(run.stderr)).toContain(`node ${CLI} sandbox`);
    expect(String(run.stderr)).not.toMatch(/at .*\.js:\d+/);
    expect(existsSync(path.join(work, 'gone', 'workshop.json'))).toBe(false);
  });
});
