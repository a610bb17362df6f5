/**
 * The web starter in headless Chromium, served by its own `npm start`: each user logs in with the right
 * token and appid from the link npm start prints, sees the status in words, sends to the other user and
 * sees incoming messages, rich and plain; the picker, AUTHFAIL, a missing config.js and hostile values.
 * The page reads no name that mesibo's SDK lacks (the double records any).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownCode, queryValue } from '../src/render/literals';
import { fakeToken, renderFixture } from './support/render';
import { assertToolsOrSkip } from './support/tools';
import { HOSTILE, expectTokensOnlyInSecretFile, withoutSecretFile } from './support/starter-common';
import { CHROMIUM, MESIBO_CDN, launchChromium, openStarter, startServer, type StarterPage, type StarterServer } from './support/web-starter';

const tools = assertToolsOrSkip([CHROMIUM]);
const APP_ID = 'demo.web-app';
const USERS = ['123', '456', '789'];

let project: string;
let webDir: string;

beforeAll(async () => {
  project = (await renderFixture({ platforms: [{ id: 'web', appId: APP_ID }], users: USERS })).dir;
  webDir = path.join(project, 'web');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

it('keeps the tokens in config.js only', () => {
  expectTokensOnlyInSecretFile(project, 'web', APP_ID, USERS);
});

describe.skipIf(tools.skip)(`web starter in Chromium ${tools.reason}`, () => {
  let browser: Browser;
  let server: StarterServer;
  const pages: StarterPage[] = [];
  const open = async (query: string, on: StarterServer = server, options?: { sdk?: boolean; key?: boolean; sdkUrl?: string }) => {
    const opened = await openStarter(browser, on, query, options);
    pages.push(opened);
    return opened;
  };

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(webDir)]);
  });

  /** Runs `body` with config.js's sdk line replaced by `fields` (npm start reads config.js on each request). */
  const withConfig = async (fields: Record<string, unknown>, body: () => Promise<void>) => {
    const file = path.join(webDir, 'config.js');
    const original = readFileSync(file, 'utf8');
    const lines = Object.entries(fields).map(([k, v]) => `  ${k}: ${JSON.stringify(v)},`).join('\n');
    const changed = original.replace(/^ {2}sdk: .*$/m, lines);
    expect(changed).not.toBe(original);
    writeFileSync(file, changed);
    try {
      await body();
    } finally {
      writeFileSync(file, original);
    }
  };
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()));
    await Promise.all([browser?.close(), server?.stop()]);
  });

  it('npm start prints one link per user, no token, and each link logs in as its user', async () => {
    await expect.poll(() => server.stdout()).toContain(`  ${USERS.at(-1)}: `);
    const links = [...server.stdout().matchAll(/^ {2}(.+): (http:\S+)$/gm)].map((m) => [m[1], m[2]]);
    expect(links).toEqual(USERS.map((u) => [u, `${server.url}?user=${u}&key=${server.key}`]));
    for (const user of USERS) expect(server.stdout()).not.toContain(fakeToken(user, APP_ID));
    for (const [user, link] of links) {
      const { page, errors, calls, unknown } = await open(link!);
      await expect.poll(() => page.locator('#status').textContent()).toBe('online');
      expect(page.url()).toBe(`${server.url}?user=${user}`); // the key left the address bar
      expect(await page.locator('#me').textContent()).toBe(user);
      expect(await calls()).toContainEqual({ call: 'setAccessToken', token: fakeToken(user!, APP_ID) });
      expect(await unknown()).toEqual([]);
      expect(errors).toEqual([]);
    }
  });

  for (const [me, peer] of [['123', '456'], ['456', '123']] as const) {
    it(`logs in as demo user ${me}, sends to ${peer} and shows incoming messages, rich and plain`, async () => {
      const { page, errors, calls, unknown } = await open(`/index.html?user=${me}`);
      const status = page.locator('#status');
      await expect.poll(() => status.textContent()).toBe('online');
      expect(await calls()).toEqual([
        { call: 'new' },
        { call: 'setAppName', appid: APP_ID },
        { call: 'setListener' },
        { call: 'setAccessToken', token: fakeToken(me, APP_ID) },
        { call: 'start' },
        // Every conversation is on screen, so each is read, with read receipts to its sender.
        ...USERS.filter((u) => u !== me).flatMap((other) => [
          { call: 'createReadSession', peer: other, listener: 'the listener' },
          { call: 'enableReadReceipt', peer: other, enable: true },
          { call: 'read', peer: other, count: 100 },
        ]),
      ]);
      expect(await page.locator('#me').textContent()).toBe(me);
      expect(await page.locator('#peer').inputValue()).toBe(peer);

      await page.locator('#text').fill(`hello from ${me} ü`);
      await page.locator('#text').press('Enter');
      await expect.poll(calls).toContainEqual({ call: 'send', to: peer, groupid: 0, message: `hello from ${me} ü` });
      const sent = page.locator('#messages li.outgoing');
      expect(await sent.locator('.from').textContent()).toBe(`you to ${peer}`);
      expect(await sent.textContent()).toContain(`hello from ${me} ü`);
      expect(await page.locator('#messages li.incoming').count()).toBe(0); // mesibo's report of our own message
      expect(await page.locator('#text').inputValue()).toBe('');

      // The ticks follow what mesibo reports for this message: sent, then delivered, then read.
      const tick = sent.locator('.tick');
      await expect.poll(() => tick.textContent()).toBe('✓ sent');
      const mid = await page.evaluate(() => [...(globalThis as any).mesiboDouble.sent.keys()][0]);
      await page.evaluate((m) => (globalThis as any).mesiboDouble.messageStatus(m, 2), mid);
      expect([await tick.textContent(), await tick.getAttribute('data-status')]).toEqual(['✓✓ delivered', 'delivered']);
      await page.evaluate((m) => (globalThis as any).mesiboDouble.messageStatus(m, 3), mid);
      expect([await tick.textContent(), await tick.getAttribute('data-status')]).toEqual(['✓✓ read', 'read']);
      await page.evaluate((m) => (globalThis as any).mesiboDouble.messageStatus(m, 0x81), mid); // MESIBO_MSGSTATUS_USEROFFLINE
      expect(await tick.textContent()).toBe('not sent');

      await page.evaluate(([from, text]) => (globalThis as any).mesiboDouble.receive(from, text, { rich: true }), [peer, `hi ${me}`]);
      await page.evaluate(([from, text]) => (globalThis as any).mesiboDouble.receive(from, text), [peer, 'plain']);
      expect(await page.locator('#messages li.incoming').allTextContents()).toEqual([`${peer}hi ${me}`, `${peer}plain`]);
      expect(await unknown()).toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  it('offers every user when no ?user= is given, and logs in as the one picked', async () => {
    const { page, errors, calls } = await open('/');
    await expect.poll(() => page.locator('#users a').allTextContents()).toEqual(USERS);
    expect(await calls()).toEqual([]);
    await page.getByRole('link', { name: '789' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('online');
    expect(new URL(page.url()).searchParams.get('user')).toBe('789');
    expect(await calls()).toContainEqual({ call: 'setAccessToken', token: fakeToken('789', APP_ID) });
    // A user outside the demo pair writes to the first demo user by default.
    expect(await page.locator('#peer').inputValue()).toBe('123');
    expect(errors).toEqual([]);
  });

  it('without the key of this run (a link typed by hand, or from an earlier run), says which link to open', async () => {
    for (const target of ['/?user=123', `/?user=123&key=${'A'.repeat(43)}`]) {
      const { page, errors, calls } = await open(target, server, { key: false });
      if (target.includes('key=')) {
        expect(await page.locator('body').textContent()).toBe("This link's key is not this run's: open a link that npm start printed this time.\n");
        continue;
      }
      await expect.poll(() => page.locator('#problem').textContent()).toBe(
        "This browser has not opened one of this run's links yet: open a link that npm start printed (it ends in &key=…). " +
          'A link from an earlier run of npm start no longer works.',
      );
      expect(await page.locator('#chat').isHidden()).toBe(true);
      expect(await calls()).toEqual([]);
      expect(errors).toEqual([]);
    }
  });

  it('names an unknown ?user= and offers the picker instead', async () => {
    const { page, calls } = await open('/?user=999');
    await expect.poll(() => page.locator('#problem').textContent()).toBe('config.js has no user "999": pick one below.');
    expect(await page.locator('#users a').count()).toBe(3);
    expect(await calls()).toEqual([]);
  });

  it('explains AUTHFAIL in words and stops sending', async () => {
    const { page } = await open('/?user=123');
    await expect.poll(() => page.locator('#status').textContent()).toBe('online');
    await page.evaluate(() => (globalThis as any).mesiboDouble.setStatus(4));
    expect(await page.locator('#status').textContent()).toBe(
      'AUTHFAIL: the token or appid does not match (tokens only work with the appid they were issued for)',
    );
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    expect(await page.locator('#text').isDisabled()).toBe(true);
  });

  it('without config.js, points at the .example twin and at refresh', async () => {
    await withoutSecretFile(path.join(webDir, 'config.js'), async () => {
      const { page, errors, calls } = await open('/?user=123');
      await expect.poll(() => page.locator('#problem').textContent()).toContain('config.js is missing');
      const problem = await page.locator('#problem').textContent();
      expect(problem).toContain('Copy config.js.example to config.js');
      expect(problem).toContain("run create-mesibo-app's refresh here or in the project folder");
      expect(await calls()).toEqual([]);
      expect(errors).toEqual([]);
    });
  });

  it("says so when mesibo's SDK did not load from its CDN", async () => {
    const { page, errors } = await open('/?user=123', server, { sdk: false });
    await expect.poll(() => page.locator('#problem').textContent()).toBe(
      `mesibo's SDK did not load from mesibo's CDN (${MESIBO_CDN}): check the network and reload.`,
    );
    expect(await page.locator('#chat').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('loads mesibo\'s SDK from the address config.js names, and from nowhere else', async () => {
    expect(readFileSync(path.join(webDir, 'index.html'), 'utf8')).not.toMatch(/<script[^>]*mesibo|cdn\.mesibo\.com/);
    expect(readFileSync(path.join(webDir, 'config.js'), 'utf8')).toContain(`  sdk: "${MESIBO_CDN}",\n`);
    const sdkUrl = 'http://127.0.0.1:9/elsewhere/mesibo.js';
    await withConfig({ sdk: sdkUrl }, async () => {
      const { page, errors, calls } = await open('/?user=123', server, { sdkUrl });
      await expect.poll(() => page.locator('#status').textContent()).toBe('online');
      expect(await calls()).toContainEqual({ call: 'setAccessToken', token: fakeToken('123', APP_ID) });
      expect(errors).toEqual([]);
    });
  });

  describe('with sandbox tokens (config.js names the sandbox and how to start it)', () => {
    const SANDBOX_SDK = 'http://127.0.0.1:8092/mesibo.js';
    const START = 'node "/home/me/create mesibo app/dist/index.js" sandbox';
    const sandboxConfig = { sdk: SANDBOX_SDK, sandbox: { start: START } };

    it('says the sandbox is not running when its script does not load, with the command that starts it', async () => {
      await withConfig(sandboxConfig, async () => {
        const { page, errors, calls } = await open('/?user=123', server, { sdk: false, sdkUrl: SANDBOX_SDK });
        await expect.poll(() => page.locator('#problem').textContent()).toContain('The local sandbox is not running');
        expect(await page.locator('#problem').textContent()).toBe(
          `The local sandbox is not running: its stand-in for mesibo's SDK did not load from ${SANDBOX_SDK}. ` +
            `Start it in this project's folder with this command, then reload this page:${START}`,
        );
        expect(await page.locator('#problem code').textContent()).toBe(START); // on a line of its own, exactly
        expect(await page.locator('#chat').isHidden()).toBe(true);
        expect(await calls()).toEqual([]);
        expect(errors).toEqual([]);
      });
    });

    it('on AUTHFAIL, says these are sandbox tokens rather than sending the user after the appid', async () => {
      await withConfig(sandboxConfig, async () => {
        const { page, errors } = await open('/?user=123', server, { sdkUrl: SANDBOX_SDK });
        await expect.poll(() => page.locator('#status').textContent()).toBe('online');
        await page.evaluate(() => (globalThis as any).mesiboDouble.setStatus(4));
        const text = await page.locator('#status').textContent();
        expect(text).toBe(
          "AUTHFAIL: these are sandbox tokens, which work only with this project's own sandbox and the appid they " +
            `were issued for. Is the sandbox at 127.0.0.1:8092 another project's? Start this project's in its folder with: ${START}`,
        );
        expect(text).not.toContain('token or appid does not match');
        expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
        expect(errors).toEqual([]);
      });
    });
  });

  it('shows hostile names and addresses exactly and sends to them', async () => {
    const hostile = await renderFixture({ name: HOSTILE.name, platforms: [{ id: 'web', appId: APP_ID }], users: HOSTILE.users });
    const dir = path.join(hostile.dir, 'web');
    const hostileServer = await startServer(dir);
    try {
      const [first, second] = HOSTILE.users as [string, string, string];
      const picker = await open('/', hostileServer);
      expect(await picker.page.title()).toBe(HOSTILE.name);
      expect(await picker.page.locator('h1').textContent()).toBe(HOSTILE.name);
      await expect.poll(() => picker.page.locator('#users a').allTextContents()).toEqual(HOSTILE.users);
      expect(picker.errors).toEqual([]);

      const { page, errors, calls } = await open(`/?user=${encodeURIComponent(second)}`, hostileServer);
      await expect.poll(() => page.locator('#status').textContent()).toBe('online');
      expect(await calls()).toContainEqual({ call: 'setAccessToken', token: fakeToken(second, APP_ID) });
      await page.locator('#text').fill('</script>"\'\\${x}');
      await page.locator('#text').press('Enter');
      await expect.poll(calls).toContainEqual({ call: 'send', to: first, groupid: 0, message: '</script>"\'\\${x}' });
      expect(errors).toEqual([]);

      // The links npm start prints and the README's example log in as each user: the query the page reads back above.
      await expect.poll(() => hostileServer.stdout()).toContain(`?user=${queryValue(HOSTILE.users[2]!)}&key=`);
      const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain(`for ${markdownCode(first)},\n\`http://localhost:8080/?user=${queryValue(first)}&key=…\``);
      for (const user of HOSTILE.users) {
        const link = `${hostileServer.url}?user=${queryValue(user)}&key=${hostileServer.key}`;
        expect(hostileServer.stdout()).toContain(`: ${link}\n`);
        expect(new URL(link).searchParams.get('user')).toBe(user);
      }
    } finally {
      await hostileServer.stop();
      rmSync(hostile.dir, { recursive: true, force: true });
    }
  });
});
