/**
 * Issue 22's proof in Chromium: in a `--platforms web,server --sandbox` project, the web starter's pages log in
 * with tokens that `npm start` got from the project's token server, which minted them through the project's
 * own sandbox; two such pages chat. Every port is a free one (8092, 8080 and 8787 may be taken here); the
 * page's request for the sandbox script at its recorded address is answered from where the sandbox runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxKey } from '../src/sandbox/key-file';
import { CLI, cliEnv, removeDir, runCli, sandboxUrl, tempDir } from './support/cli';
import { assertToolsOrSkip } from './support/tools';
import { CHROMIUM, launchChromium } from './support/web-starter';
import { startTokenServer, type RunningServer } from './support/server';

const tools = assertToolsOrSkip([CHROMIUM, 'npm']);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe.skipIf(tools.skip)(`two pages chat with tokens from the token server ${tools.reason}`, () => {
  let work: string;
  let project: string;
  let browser: Browser;
  let sandboxPort: number;
  let webPort: number;
  let recordedScript: string;
  let sandbox: ResultPromise | undefined;
  let tokenServer: RunningServer | undefined;
  let web: ResultPromise | undefined;
  const links = new Map<string, string>();
  const webRequests: string[] = [];

  async function openPage(url: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.route('**/*', async (route) => {
      const requested = route.request().url();
      webRequests.push(requested);
      if (requested === recordedScript) {
        const response = await route.fetch({ url: `http://127.0.0.1:${sandboxPort}/mesibo.js` }).catch(() => undefined);
        return response ? route.fulfill({ response }) : route.abort('connectionrefused');
      }
      return new URL(requested).port === String(webPort) ? route.continue() : route.abort();
    });
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    work = tempDir('cma-server-chat-');
    const create = await runCli(['chat', '--platforms', 'web,server', '--sandbox', '--yes', '--no-git'], { cwd: work, timeout: 60_000 });
    expect(create.exitCode, String(create.stderr)).toBe(0);
    project = path.join(work, 'chat');
    const webDir = path.join(project, 'web');
    const serverDir = path.join(project, 'server');
    recordedScript = /^ {2}sdk: "(.+)",$/m.exec(readFileSync(path.join(webDir, 'config.js'), 'utf8'))![1]!;
    [sandboxPort, webPort, browser] = await Promise.all([freePort(), freePort(), launchChromium()]);

    const install = await execa('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: serverDir, reject: false, timeout: 300_000 });
    expect(install.exitCode, String(install.stderr)).toBe(0);

    // 1. The project's sandbox, accepting pages of the free web port.
    sandbox = execa('node', [CLI, 'sandbox', '--port', String(sandboxPort), '--web-port', String(webPort)], {
      cwd: project, env: cliEnv(), extendEnv: false, reject: false, buffer: false, stdin: 'ignore',
    });
    const backendUrl = await sandboxUrl(sandbox as any);
    // 2. The token server, as its README says for a sandbox project: the sandbox's App Token and backend API.
    const appToken = parseSandboxKey(readFileSync(path.join(project, '.mesibo-sandbox.json'), 'utf8')).appToken;
    tokenServer = await startTokenServer(serverDir, { MESIBO_APP_TOKEN: appToken, MESIBO_API_URL: backendUrl });
    // 3. The web starter's npm start, told where this token server listens.
    const configFile = path.join(webDir, 'config.js');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('http://127.0.0.1:8787', tokenServer.url));
    web = execa('npm', ['start'], { cwd: webDir, env: cliEnv({ PORT: String(webPort) }), extendEnv: false, reject: false, buffer: false, detached: true });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      web!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        for (const m of out.matchAll(/^ {2}(\S+): (http:\/\/localhost:\d+\/\?user=\S+&key=[\w-]+)$/gm)) links.set(m[1]!, m[2]!);
        if (links.size === 2) resolve();
      });
      web!.once('exit', () => reject(new Error(`npm start exited: ${out}`)));
    });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    sandbox?.kill('SIGINT');
    await sandbox;
    await tokenServer?.stop();
    if (web?.pid) process.kill(-web.pid, 'SIGTERM');
    await web;
    if (work) removeDir(work);
  });

  it('logs both pages in with tokens from the token server, and they chat', async () => {
    const before = tokenServer!.lines.filter((l) => l.includes('POST /v1/token 201')).length;
    const [a, b] = await Promise.all([openPage(links.get('123')!), openPage(links.get('456')!)]);
    for (const [page, me] of [[a, '123'], [b, '456']] as const) {
      await expect.poll(() => page.locator('#status').textContent(), { timeout: 30_000 }).toBe('online');
      expect(await page.locator('#me').textContent()).toBe(me);
    }
    // Each page's config asked the server for both users' tokens (minted once each, then cached).
    expect(tokenServer!.lines.filter((l) => l.includes('POST /v1/token 201')).length).toBeGreaterThanOrEqual(before + 2);
    // The browser never talked to the token server itself.
    expect(webRequests.some((u) => u.startsWith(tokenServer!.url))).toBe(false);

    await a.locator('#peer').selectOption('456');
    await a.locator('#text').fill('hello through the token server');
    await a.locator('#text').press('Enter');
    await expect.poll(() => b.locator('#messages li.incoming').allTextContents(), { timeout: 30_000 }).toEqual(['123hello through the token server']);
  });
});
