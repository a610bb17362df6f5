/**
 * For the web starter's tests: headless Chromium showing a generated web/ folder from a fake https origin,
 * with mesibo's CDN script answered by the recording double in test/doubles/web and every other request
 * aborted; and the starter's `npm start` server run as a child process.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DOUBLES_DIR } from './starter-common';

export const CHROMIUM = '/usr/lib/chromium/chromium';
export const ORIGIN = 'https://starter.test';
const MESIBO_CDN = 'https://cdn.mesibo.com/api/mesibo.js';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}

export interface StarterPage {
  page: Page;
  /** Uncaught exceptions and console errors, other than the resources tests withhold on purpose. */
  errors: string[];
  /** What the page asked of mesibo's SDK (the double's record). */
  calls(): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

/** Opens `webDir`'s page at ORIGIN + `pathAndQuery`; files named in `withhold` answer 404. */
export async function openStarter(browser: Browser, webDir: string, pathAndQuery: string, withhold: string[] = []): Promise<StarterPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
  });
  const double = await readFile(path.join(DOUBLES_DIR, 'web', 'mesibo.js'), 'utf8');
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.href === MESIBO_CDN) return route.fulfill({ contentType: 'text/javascript', body: double });
    if (url.origin !== ORIGIN) return route.abort();
    const name = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.join(webDir, name);
    if (withhold.includes(name) || !file.startsWith(webDir + path.sep)) return route.fulfill({ status: 404, body: '' });
    try {
      return await route.fulfill({ contentType: TYPES[path.extname(file)] ?? 'text/plain', body: await readFile(file) });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });
  await page.goto(ORIGIN + pathAndQuery);
  return {
    page,
    errors,
    calls: () => page.evaluate('window.mesiboDouble ? window.mesiboDouble.calls : []') as Promise<Array<Record<string, unknown>>>,
    close: () => context.close(),
  };
}

/** Starts `node serve.mjs` with PORT=0 and resolves with the URL it prints once listening. */
export async function startServer(webDir: string): Promise<{ url: string; stop: () => Promise<void>; process: ResultPromise }> {
  const child = execa('node', ['serve.mjs'], { cwd: webDir, env: { PORT: '0' }, reject: false });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /at (http:\/\/localhost:\d+\/)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`serve.mjs exited early: ${out}`)));
  });
  return {
    url,
    process: child,
    stop: async () => {
      child.kill();
      await child;
    },
  };
}
