/**
 * Issue 21's proof, in Chromium: from `create-mesibo-app my-chat --sandbox --yes`, the project's own sandbox
 * (`create-mesibo-app sandbox`) and the web starter's own `npm start` carry a chat between two pages with no
 * account and no network. Both ways, each page sees the other's message, and the sender sees it delivered
 * and read; a page whose token is not for its appid shows AUTHFAIL; the pages go offline when the sandbox
 * stops and online when it is back; a message to a closed page arrives when it opens again; the backend
 * API's message op (workshop announce's) shows up in a page.
 *
 * The commands are create's printed ones, run as printed, on free ports rather than the recorded 8092 and
 * 8080, which may be taken on a test machine: `PORT=W npm start` (which then prints the sandbox command for
 * W, `… sandbox --web-port W`) and the sandbox command with `--port P --web-port W` added. The page asks for
 * the script at the address config.js records, and the browser is given the sandbox's answer from P.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageBody } from '../src/backend/message';
import { CLI, cliEnv, removeDir, runCli, sandboxUrl, spawnCli, tempDir } from './support/cli';
import { assertToolsOrSkip } from './support/tools';
import { CHROMIUM, freePort, launchChromium } from './support/web-starter';

const tools = assertToolsOrSkip([CHROMIUM, 'npm']);

describe.skipIf(tools.skip)(`two pages chat through the local sandbox ${tools.reason}`, () => {
  let work: string;
  let project: string;
  let webDir: string;
  let browser: Browser;
  let sandboxPort: number;
  let webPort: number;
  /** The script URL config.js names (the sandbox's recorded port). */
  let recordedScript: string;
  let sandbox: ReturnType<typeof spawnCli> | undefined;
  let web: ResultPromise | undefined;
  let webOut = '';
  /** The links npm start printed, by user. */
  const links = new Map<string, string>();
  const contexts: Array<{ close(): Promise<void> }> = [];

  /** What create printed: the sandbox's command (step 1) and the web starter's lines (step 2). */
  let printed: { sandbox: string; web: string[] };
  /** The sandbox command npm start printed for its port. */
  let sandboxCommand = '';

  /**
   * Runs create's printed sandbox command as printed, in the folder create ran in, with the free ports added:
   * P for the sandbox (8092 may be taken here) and W, the port npm start serves on (as npm start prints it).
   */
  async function startSandbox(): Promise<void> {
    sandbox = execa('sh', ['-c', `exec ${printed.sandbox} --port ${sandboxPort} --web-port ${webPort}`], {
      cwd: work, env: cliEnv(), extendEnv: false, reject: false, buffer: false, stdin: 'ignore',
    }) as unknown as ReturnType<typeof spawnCli>;
    await sandboxUrl(sandbox);
  }

  async function stopSandbox(): Promise<void> {
    sandbox?.kill('SIGINT');
    await sandbox;
    sandbox = undefined;
  }

  /** A page in a browser of its own, opened at `url`; the sandbox's script is fetched from where it runs now. */
  async function openPage(url: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.route('**/*', async (route) => {
      const requested = route.request().url();
      if (requested === recordedScript) {
        const response = await route.fetch({ url: `http://127.0.0.1:${sandboxPort}/mesibo.js` }).catch(() => undefined);
        return response ? route.fulfill({ response }) : route.abort('connectionrefused');
      }
      return new URL(requested).port === String(webPort) ? route.continue() : route.abort();
    });
    await page.goto(url);
    // Every status word the page shows, in order, and every tick of every message (a string: no DOM types here).
    await page.evaluate(`{
      const seen = (window.seen = { status: [], ticks: [] });
      new MutationObserver((records) => {
        for (const record of records) {
          for (const node of record.addedNodes) {
            const parent = node.parentElement;
            if (node.nodeType !== 3 || !parent) continue;
            if (parent.id === 'status') seen.status.push(node.data);
            if (parent.classList.contains('tick')) seen.ticks.push(node.data);
          }
        }
      }).observe(document.body, { subtree: true, childList: true });
    }`);
    (page as any).errors = errors;
    return page;
  }

  const status = (page: Page) => page.locator('#status').textContent();
  const incoming = (page: Page) => page.locator('#messages li.incoming').allTextContents();
  const ticks = (page: Page, text: string) =>
    page.locator('#messages li.outgoing', { hasText: text }).locator('.tick').textContent();
  const tickHistory = (page: Page) => page.evaluate('window.seen.ticks') as Promise<string[]>;
  const statusHistory = (page: Page) => page.evaluate('window.seen.status') as Promise<string[]>;

  async function send(page: Page, to: string, text: string): Promise<void> {
    await page.locator('#peer').selectOption(to);
    await page.locator('#text').fill(text);
    await page.locator('#text').press('Enter');
  }

  beforeAll(async () => {
    work = tempDir('cma-chat-');
    const create = await runCli(['my-chat', '--sandbox', '--yes'], { cwd: work, timeout: 60_000 });
    expect(create.exitCode, String(create.stderr)).toBe(0);
    // The printed way to a chat: step 1 starts the sandbox, step 2 the web starter (then its two links).
    const out = String(create.stdout);
    const steps = out.slice(out.indexOf('Chat now, with no account'), out.indexOf('To move to mesibo'));
    const commandsOf = (step: RegExp) => steps.slice(steps.search(step)).split('\n').slice(1).filter((l) => /^ {7}\S/.test(l)).map((l) => l.trim());
    printed = { sandbox: commandsOf(/ 1\. /)[0]!, web: commandsOf(/ 2\. /).slice(0, 2) };
    project = path.join(work, 'my-chat');
    webDir = path.join(project, 'web');
    recordedScript = /^ {2}sdk: "(.+)",$/m.exec(readFileSync(path.join(webDir, 'config.js'), 'utf8'))![1]!;
    [sandboxPort, webPort, browser] = await Promise.all([freePort(), freePort(), launchChromium()]);
    // npm start as printed, in the folder step 2's cd names: the two links, and (not on 8080) the sandbox's command.
    expect(printed.web).toEqual(['cd my-chat/web', 'npm start']);
    web = execa('npm', ['start'], { cwd: path.join(work, 'my-chat', 'web'), env: cliEnv({ PORT: String(webPort) }), extendEnv: false, reject: false, buffer: false, detached: true });
    await new Promise<void>((resolve, reject) => {
      web!.stdout!.on('data', (chunk: Buffer) => {
        webOut += chunk.toString();
        for (const m of webOut.matchAll(/^ {2}(\S+): (http:\/\/localhost:\d+\/\?user=\S+&key=[\w-]+)$/gm)) links.set(m[1]!, m[2]!);
        sandboxCommand = /unless started for this one:\n {2}(.+)\n/.exec(webOut)?.[1] ?? '';
        if (links.size === 2 && sandboxCommand) resolve();
      });
      web!.once('exit', () => reject(new Error(`npm start exited: ${webOut}`)));
    });
    await startSandbox();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => {})));
    await browser?.close();
    await stopSandbox();
    if (web?.pid) process.kill(-web.pid, 'SIGTERM');
    await web;
    if (work) removeDir(work);
  });

  let a: Page;
  let b: Page;

  it('npm start prints the two demo users\' links, and each logs in through the sandbox', async () => {
    expect([...links.keys()]).toEqual(['123', '456']);
    expect(printed.sandbox).toBe(`node ${CLI} sandbox my-chat`);
    expect(sandboxCommand).toBe(`node ${CLI} sandbox --web-port ${webPort}`);
    expect(recordedScript).toBe('http://127.0.0.1:8092/mesibo.js');
    [a, b] = await Promise.all([openPage(links.get('123')!), openPage(links.get('456')!)]);
    for (const [page, me] of [[a, '123'], [b, '456']] as const) {
      await expect.poll(() => status(page), { timeout: 20_000 }).toBe('online');
      expect(await page.locator('#me').textContent()).toBe(me);
      expect(await page.locator('#mesibo-sandbox-banner').textContent()).toContain('local sandbox, not mesibo');
    }
  });

  it('carries messages both ways: each page sees the other\'s, and the sender sees them delivered and read', async () => {
    await send(a, '456', 'hello from 123');
    await expect.poll(() => incoming(b), { timeout: 20_000 }).toEqual(['123hello from 123']);
    await expect.poll(() => ticks(a, 'hello from 123'), { timeout: 20_000 }).toBe('✓✓ read');
    expect(await tickHistory(a)).toEqual(['sending', '✓ sent', '✓✓ delivered', '✓✓ read']);

    await send(b, '123', 'hi 123, 456 here');
    await expect.poll(() => incoming(a), { timeout: 20_000 }).toEqual(['456hi 123, 456 here']);
    await expect.poll(() => ticks(b, 'hi 123, 456 here'), { timeout: 20_000 }).toBe('✓✓ read');
    expect(await tickHistory(b)).toEqual(['sending', '✓ sent', '✓✓ delivered', '✓✓ read']);
    expect(await incoming(b)).toEqual(['123hello from 123']); // no echo of its own message
  });

  it('shows AUTHFAIL, in sandbox words, to a page whose token was issued for another appid', async () => {
    const file = path.join(webDir, 'config.js');
    const original = readFileSync(file, 'utf8');
    // The same users' tokens, with an appid they were not issued for (npm start reads config.js per request).
    writeFileSync(file, original.replace(/^ {2}appId: ".*",$/m, '  appId: "com.example.another",'));
    try {
      const c = await openPage(links.get('123')!);
      await expect.poll(() => status(c), { timeout: 20_000 }).toMatch(/^AUTHFAIL: these are sandbox tokens/);
      expect(await c.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    } finally {
      writeFileSync(file, original);
    }
    expect(await status(a)).toBe('online'); // the others are not affected
  });

  it('shows offline or connecting while the sandbox is stopped (a page opened then says how to start it), and online once it is back', async () => {
    await stopSandbox();
    for (const page of [a, b]) await expect.poll(() => status(page), { timeout: 20_000 }).toMatch(/^(offline|connecting)$/);
    // An open page says how to start it again; a page opened now says so too, each with this run's command.
    await expect.poll(() => a.locator('#problem').textContent(), { timeout: 20_000 }).toContain('The local sandbox stopped.');
    expect(await a.locator('#problem code').textContent()).toBe(`node ${CLI} sandbox`);
    const late = await openPage(links.get('123')!);
    await expect.poll(() => late.locator('#problem').textContent(), { timeout: 20_000 }).toContain('The local sandbox is not running');
    expect(await late.locator('#problem code').textContent()).toBe(`node ${CLI} sandbox`);
    await late.context().close();
    await startSandbox();
    for (const page of [a, b]) await expect.poll(() => status(page), { timeout: 20_000 }).toBe('online');
    expect(await a.locator('#problem').isHidden()).toBe(true);
    expect(await statusHistory(a)).toEqual(expect.arrayContaining(['online', 'offline', 'connecting']));
    // And the chat goes on.
    await send(a, '456', 'after the restart');
    await expect.poll(() => ticks(a, 'after the restart'), { timeout: 20_000 }).toBe('✓✓ read');
  });

  it('keeps a message for a user whose page is closed, and delivers it when the page opens again', async () => {
    await b.context().close();
    await send(a, '456', 'while you were away');
    await expect.poll(() => ticks(a, 'while you were away'), { timeout: 20_000 }).toBe('✓ sent');
    b = await openPage(links.get('456')!);
    await expect.poll(() => status(b), { timeout: 20_000 }).toBe('online');
    await expect.poll(() => incoming(b), { timeout: 20_000 }).toEqual(['123while you were away']);
    await expect.poll(() => ticks(a, 'while you were away'), { timeout: 20_000 }).toBe('✓✓ read');
    for (const page of [a, b]) expect((page as any).errors).toEqual([]);
  });

  it("delivers the backend API's message op, the one workshop announce sends, into a connected page", async () => {
    // As announce sends it (src/backend/message.ts), with the App Token that only the project's 0600 key file holds.
    const { appToken } = JSON.parse(readFileSync(path.join(project, '.mesibo-sandbox.json'), 'utf8'));
    const response = await fetch(`http://127.0.0.1:${sandboxPort}/backend/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(messageBody(appToken, { from: '456', to: ['123'], message: 'Welcome, everyone!' })),
    });
    expect(await response.json()).toMatchObject({ op: 'message', result: true });
    await expect.poll(() => incoming(a), { timeout: 20_000 }).toContain('456Welcome, everyone!');
  });
});
