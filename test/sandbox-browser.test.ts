/**
 * The browser script in Chromium, on its own (test/chat-sandbox.test.ts runs it with the real web starter): a
 * page of an allowed origin gets the banner and goes online; a call it does not emulate throws an Error naming
 * it, in the browser's own Proxy; and a page of any other origin is refused by the relay, so it never gets
 * online even with a valid token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index';
import { assertToolsOrSkip } from './support/tools';
import { CHROMIUM, launchChromium } from './support/web-starter';

const tools = assertToolsOrSkip([CHROMIUM]);
const APPID = 'com.example.chat';

/** A page server on 127.0.0.1: `/` loads the sandbox's script and logs in with the token in the query. */
async function pageServer(sandbox: () => Sandbox): Promise<Server> {
  const server = createServer((req, res) => {
    const html =
      '<!doctype html><meta charset="utf-8"><body><p id="status">none</p>' +
      `<script src="${sandbox().script}"></script>` +
      '<script>const token = new URLSearchParams(location.search).get("token");' +
      'const api = new Mesibo(); api.setAppName(' + JSON.stringify(APPID) + ');' +
      'api.setListener({ Mesibo_onConnectionStatus(s) { document.getElementById("status").textContent = String(s); } });' +
      'api.setAccessToken(token); api.start(); window.api = api;</script>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.url?.startsWith('/?') ? html : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe.skipIf(tools.skip)(`the sandbox script in Chromium ${tools.reason}`, () => {
  let browser: Browser;
  let sandbox: Sandbox;
  let allowed: Server;
  let other: Server;
  const port = (s: Server) => (s.address() as AddressInfo).port;

  beforeAll(async () => {
    allowed = await pageServer(() => sandbox);
    other = await pageServer(() => sandbox);
    sandbox = await startSandbox({ webPorts: [port(allowed)] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    allowed?.close();
    other?.close();
  });

  it('shows the banner, goes online from an allowed origin, and names a call it does not emulate', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port(allowed)}/?token=${sandbox.issue(APPID, '123')}`);
    await page.locator('#status', { hasText: /^1$/ }).waitFor();
    expect(await page.locator('#mesibo-sandbox-banner').textContent()).toMatch(/^local sandbox, not mesibo/);
    const thrown = await page.evaluate(() => {
      try {
        (globalThis as any).api.setupVoiceCall('audioPlayer');
        return 'no error';
      } catch (error) {
        return String(error);
      }
    });
    expect(thrown).toMatch(/^Error: Mesibo\.setupVoiceCall is not emulated by create-mesibo-app's local sandbox/);
    await page.close();
  });

  it('never gets online from another origin, even with a valid token', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port(other)}/?token=${sandbox.issue(APPID, '456')}`);
    await page.locator('#status', { hasText: /^2$/ }).waitFor(); // MESIBO_STATUS_OFFLINE: the handshake was refused
    await page.waitForTimeout(1500); // a retry or two, refused too
    expect(await page.locator('#status').textContent()).toBe('2');
    expect(sandbox.live.online.size).toBe(0);
    await page.close();
  });
});
