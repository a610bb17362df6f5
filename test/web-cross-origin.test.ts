/**
 * The web starter's tokens, attacked from other origins in Chromium: a page on another loopback port tries
 * `<script src>`, `fetch` and `no-cors` fetch of config.js and /config.json, and a page of another site whose
 * name resolves to 127.0.0.1 (DNS rebinding) tries the same as same-origin requests, in a browser that holds
 * this run's key (it opened one of npm start's links). Neither reads a token, while the same attacks from the
 * starter's own page do read them (so the harness can see a leak).
 */
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeToken, renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { CHROMIUM, launchChromium, startServer, withKey, type StarterServer } from './support/web-starter';

const tools = assertToolsOrSkip([CHROMIUM]);
const APP_ID = 'demo.web-app';
const USERS = ['123', '456'];
const TOKENS = USERS.map((u) => fakeToken(u, APP_ID));
const REBIND_HOST = 'rebind.test';

/** Every way a page may try to read the config from `target`; resolves with what it could read of each. */
const ATTACK = `async (target) => {
  const results = [];
  const note = (attack, value) => results.push({ attack, value: String(value) });
  for (const file of ['/config.js', '/config.json']) {
    delete window.MESIBO_CONFIG;
    await new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = target + file;
      script.onload = script.onerror = resolve;
      document.head.append(script);
    });
    note('<script src=' + file + '>', JSON.stringify(window.MESIBO_CONFIG ?? null));
    const inits = { fetch: {}, 'no-cors fetch': { mode: 'no-cors' }, 'fetch with the page header': { headers: { 'Mesibo-Starter': 'config' } } };
    for (const [label, init] of Object.entries(inits)) {
      try {
        const response = await fetch(target + file, { cache: 'no-store', ...init });
        note(label + ' ' + file, response.type + ' ' + response.status + ' ' + (await response.text()));
      } catch (error) {
        note(label + ' ' + file, 'refused: ' + error.message);
      }
    }
  }
  return results;
}`;

const leaks = (results: Array<{ attack: string; value: string }>) =>
  results.filter((r) => TOKENS.some((t) => r.value.includes(t))).map((r) => r.attack);

describe.skipIf(tools.skip)(`web starter tokens against other origins ${tools.reason}`, () => {
  let project: string;
  let browser: Browser;
  let server: StarterServer;
  let evil: Server;
  let evilOrigin: string;

  beforeAll(async () => {
    project = (await renderFixture({ platforms: [{ id: 'web', appId: APP_ID }], users: USERS })).dir;
    // A name that resolves to 127.0.0.1, as another site's does once its DNS answer is switched.
    [browser, server] = await Promise.all([
      launchChromium([`--host-resolver-rules=MAP ${REBIND_HOST} 127.0.0.1`]),
      startServer(path.join(project, 'web')),
    ]);
    const target = `http://localhost:${server.port}`;
    evil = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><script type="module">window.results = await (${ATTACK})(${JSON.stringify(target)});</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), server?.stop(), new Promise((resolve) => evil?.close(resolve))]);
    rmSync(project, { recursive: true, force: true });
  });

  /** The browser of a user who opened one of npm start's links: it holds this run's key as a cookie. */
  const holdKey = async (page: Page) => {
    await page.route('https://**', (route) => route.abort()); // mesibo's CDN: not needed here
    await page.goto(withKey(server, '/'));
    const cookies = await page.context().cookies();
    expect(cookies.map(({ name, value, httpOnly, sameSite, path: cookiePath }) => ({ name, value, httpOnly, sameSite, cookiePath }))).toEqual([
      { name: `mesibo-starter-${server.port}`, value: server.key, httpOnly: true, sameSite: 'Strict', cookiePath: '/' },
    ]);
    expect(await page.evaluate('document.cookie')).toBe(''); // no script of the page reads it
    expect(page.url()).toBe(server.url); // the key left the address bar
  };

  it("reads the tokens from the starter's own page (the harness sees a leak when there is one)", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.route('https://**', (route) => route.abort()); // mesibo's CDN: not needed here
      await page.goto(withKey(server, '/'));
      const results = await page.evaluate(`(${ATTACK})(location.origin)`);
      expect(leaks(results as Array<{ attack: string; value: string }>)).toEqual(['fetch with the page header /config.json']);
    } finally {
      await context.close();
    }
  });

  it('gives no token to a page of another origin, by <script src>, fetch or no-cors fetch', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await holdKey(page);
      await page.goto(`${evilOrigin}/evil.html`);
      const results = (await page.waitForFunction(() => (globalThis as any).results, undefined, { timeout: 20_000 }).then((h) => h.jsonValue())) as Array<{ attack: string; value: string }>;
      expect(results.map((r) => r.attack)).toEqual([
        '<script src=/config.js>', 'fetch /config.js', 'no-cors fetch /config.js', 'fetch with the page header /config.js',
        '<script src=/config.json>', 'fetch /config.json', 'no-cors fetch /config.json', 'fetch with the page header /config.json',
      ]);
      expect(leaks(results)).toEqual([]);
      // No script ran; every fetch failed: CORS refuses the readable ones, Cross-Origin-Resource-Policy the no-cors ones.
      for (const r of results) expect(r.value, r.attack).toMatch(r.attack.startsWith('<script') ? /^null$/ : /^refused: /);
    } finally {
      await context.close();
    }
  });

  it('answers 421, and no token, to requests of a page whose name was rebound to 127.0.0.1', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await holdKey(page);
      // After the switch, the attacker's script runs in the origin of its own name, now served from 127.0.0.1.
      // (Chromium's Local Network Access also stops a page loaded from a public address; other browsers do not.)
      const rebound = `http://${REBIND_HOST}:${server.port}`;
      const navigation = await page.goto(`${rebound}/`);
      expect(navigation?.status()).toBe(421);
      const results = (await page.evaluate(`(${ATTACK})(location.origin)`)) as Array<{ attack: string; value: string }>;
      expect(leaks(results)).toEqual([]);
      // Same-origin in the browser's eyes, so it may read each answer: all 421.
      const fetched = results.filter((r) => r.attack.startsWith('fetch'));
      expect(fetched).toHaveLength(4);
      for (const r of fetched) expect(r.value, r.attack).toMatch(new RegExp(`^basic 421 This server answers only to http://localhost:${server.port}/`));
    } finally {
      await context.close();
    }
  });
});
