/**
 * For the web starter's tests: the starter's own `npm start` server (serve.mjs) as a child process, and
 * headless Chromium showing its pages, with mesibo's CDN script answered by the recording double in
 * test/doubles/web and every other request that would leave this machine aborted.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PLATFORMS } from '../../src/platforms';
import { DOUBLES_DIR } from './starter-common';

export const CHROMIUM = '/usr/lib/chromium/chromium';
export const MESIBO_CDN = PLATFORMS.web.sdk.cdn!;

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}

/** A port nothing listens on now (for a server whose port another must know before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface StarterServer {
  /** `http://localhost:<port>/`, as the server printed it. */
  url: string;
  port: number;
  /** This run's key, as its printed links carry it. */
  key: string;
  /** The cookie header of a browser that opened one of its links. */
  cookie(): Record<string, string>;
  /** Everything it printed so far. */
  stdout(): string;
  stop(): Promise<void>;
}

/** `target` with this run's key added, as npm start's printed links carry it. */
export function withKey(server: StarterServer, target: string): string {
  const url = new URL(target, server.url);
  url.searchParams.set('key', server.key);
  return url.href;
}

/** Starts `node serve.mjs` in `webDir` with PORT=0 and resolves once it prints where it listens. */
export async function startServer(webDir: string): Promise<StarterServer> {
  const child = execa('node', ['serve.mjs'], { cwd: webDir, env: { PORT: '0' }, reject: false });
  let out = '';
  // Resolves once the server printed where it listens and its first link with this run's key.
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /at (http:\/\/localhost:\d+\/)[^]*[?&]key=[\w-]+\n/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`serve.mjs exited early: ${out}`)));
  });
  const port = Number(new URL(url).port);
  const key = /[?&]key=([\w-]+)$/m.exec(out)![1]!;
  return {
    url,
    port,
    key,
    cookie: () => ({ Cookie: `mesibo-starter-${port}=${key}` }),
    stdout: () => out,
    stop: async () => {
      child.kill();
      await child;
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One raw HTTP request to 127.0.0.1:`port`, with exactly the request target and headers given. */
export function httpGet(port: number, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: target, method, headers: { Host: `localhost:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

export interface StarterPage {
  page: Page;
  /** Uncaught exceptions and console errors, other than failed loads the test provokes on purpose. */
  errors: string[];
  /** What the page asked of mesibo's SDK (the double's record). */
  calls(): Promise<Array<Record<string, unknown>>>;
  /** Properties the page read that mesibo's objects do not have: always expected empty. */
  unknown(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Opens `server`'s page at `pathAndQuery` in a fresh browser context, with this run's key added as npm start's
 * links carry it (`key: false`: as typed, without it). The double answers for mesibo's SDK at `sdkUrl`
 * (mesibo's CDN unless told); `sdk: false` fails that script instead.
 */
export async function openStarter(
  browser: Browser,
  server: StarterServer,
  pathAndQuery: string,
  { sdk = true, key = true, sdkUrl = MESIBO_CDN }: { sdk?: boolean; key?: boolean; sdkUrl?: string } = {},
): Promise<StarterPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(msg.text());
  });
  const double = await readFile(path.join(DOUBLES_DIR, 'web', 'mesibo.js'), 'utf8');
  const origin = new URL(server.url).origin;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === sdkUrl) return sdk ? route.fulfill({ contentType: 'text/javascript', body: double }) : route.abort();
    return new URL(url).origin === origin ? route.continue() : route.abort();
  });
  await page.goto(key && !pathAndQuery.includes('key=') ? withKey(server, pathAndQuery) : new URL(pathAndQuery, server.url).href);
  return {
    page,
    errors,
    calls: () => page.evaluate('window.mesiboDouble ? window.mesiboDouble.calls : []') as Promise<Array<Record<string, unknown>>>,
    unknown: () => page.evaluate('window.mesiboDouble ? window.mesiboDouble.unknown : []') as Promise<string[]>,
    close: () => context.close(),
  };
}
