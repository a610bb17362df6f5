/**
 * The web starter's `npm start` (serve.mjs) over plain HTTP: the Node.js it asks for is the CLI's own; it
 * answers only to its own names (no DNS rebinding), on loopback only; it never serves config.js, dotfiles or
 * anything outside its folder; and /config.json goes only to a request that looks like the page's own fetch,
 * as JSON that no other origin may use.
 */
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeToken, renderFixture } from './support/render';
import { MESIBO_CDN, httpGet, startServer, type StarterServer } from './support/web-starter';

const APP_ID = 'demo.web-app';
const USERS = ['123', '456'];
const TOKENS = USERS.map((u) => fakeToken(u, APP_ID));

let project: string;
let webDir: string;
let server: StarterServer;
/** The headers of the page's own fetch, in a browser that opened one of this run's links. */
const fromPage = () => ({ 'Mesibo-Starter': 'config', 'Sec-Fetch-Site': 'same-origin', ...server.cookie() });

beforeAll(async () => {
  project = (await renderFixture({ platforms: [{ id: 'web', appId: APP_ID }], users: USERS })).dir;
  webDir = path.join(project, 'web');
  // Files a traversal or a link would reach: one outside web/, and links to it and to the secret.
  writeFileSync(path.join(project, 'outside.txt'), 'OUTSIDE-SECRET');
  symlinkSync(path.join(project, 'outside.txt'), path.join(webDir, 'outside.js'));
  symlinkSync(path.join(webDir, 'config.js'), path.join(webDir, 'tokens.js'));
  server = await startServer(webDir);
});
afterAll(async () => {
  await server?.stop();
  rmSync(project, { recursive: true, force: true });
});

const expectNoToken = (text: string, what: string) => {
  for (const token of TOKENS) expect(text.includes(token), `${what} holds a token`).toBe(false);
};

describe('the starter package', () => {
  const root = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8'));

  it('is dependency-free, runs serve.mjs, and asks for the same Node.js as create-mesibo-app', () => {
    const pkg = JSON.parse(readFileSync(path.join(webDir, 'package.json'), 'utf8'));
    expect(pkg.scripts).toEqual({ start: 'node serve.mjs' });
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.devDependencies ?? {}).toEqual({});
    expect(pkg.engines).toEqual({ node: root.engines.node });
    expect(readFileSync(path.join(webDir, 'README.md'), 'utf8')).toContain(`Node.js \`${root.engines.node}\` for \`npm start\``);
  });
});

describe('npm start', () => {
  it('serves the page on its own names, and /config.json to the page', async () => {
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, `LocalHost:${server.port}`]) {
      const index = await httpGet(server.port, '/', { Host: host });
      expect(index.status, host).toBe(200);
      expect(index.body).toBe(readFileSync(path.join(webDir, 'index.html'), 'utf8'));
      // No other site may frame it (clickjacking) or load it as a resource.
      expect(index.headers).toMatchObject({ 'content-security-policy': "frame-ancestors 'none'", 'cross-origin-resource-policy': 'same-origin', 'x-content-type-options': 'nosniff' });
    }
    expect((await httpGet(server.port, '/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    const config = await httpGet(server.port, '/config.json', fromPage());
    expect(config.status).toBe(200);
    expect(JSON.parse(config.body)).toEqual({ appId: APP_ID, sdk: MESIBO_CDN, users: USERS.map((address, i) => ({ address, token: TOKENS[i] })) });
  });

  it('answers 421, and nothing else, to a Host that is not its own (DNS rebinding)', async () => {
    const foreign = [`rebind.example:${server.port}`, `localhost:${server.port + 1}`, 'localhost', `127.0.0.2:${server.port}`, `localhost.:${server.port}`];
    for (const host of foreign) {
      for (const target of ['/', '/config.js', '/config.json']) {
        const res = await httpGet(server.port, target, { ...fromPage(), Host: host, Origin: `http://${host}` });
        expect(res.status, `${host} ${target}`).toBe(421);
        expect(res.body).toContain(`only to http://localhost:${server.port}/`);
        expectNoToken(res.body, `${host} ${target}`);
      }
    }
    // HTTP/1.0 lets a client leave Host out.
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(server.port, '127.0.0.1', () => socket.end('GET /config.json HTTP/1.0\r\nMesibo-Starter: config\r\n\r\n'))
        .on('data', (chunk) => (text += chunk.toString()))
        .on('end', () => resolve(text))
        .on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 421 /);
    expectNoToken(raw, 'a request without Host');
  });

  it('gives /config.json only to a same-origin request carrying the page header, as JSON no other origin may use', async () => {
    const own = `http://localhost:${server.port}`;
    // Each from a browser holding this run's key, so that only the header named decides.
    const refused: Array<Record<string, string>> = [
      { ...server.cookie() }, // a navigation, or a <script src>: no page header
      { 'Sec-Fetch-Site': 'same-origin', ...server.cookie() },
      { 'Mesibo-Starter': 'yes', ...server.cookie() },
      { ...fromPage(), 'Sec-Fetch-Site': 'same-site' }, // another port of localhost
      { ...fromPage(), 'Sec-Fetch-Site': 'cross-site' },
      { ...fromPage(), 'Sec-Fetch-Site': 'none' },
      { ...fromPage(), Origin: `http://127.0.0.1:${server.port + 1}` },
      { ...fromPage(), Origin: 'null' },
      { 'Mesibo-Starter': 'config', Origin: 'http://evil.example', ...server.cookie() }, // a browser without Sec-Fetch-*
    ];
    for (const headers of refused) {
      const res = await httpGet(server.port, '/config.json', headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expectNoToken(res.body, JSON.stringify(headers));
    }
    const ok = await httpGet(server.port, '/config.json', { ...fromPage(), Origin: own });
    expect(ok.status).toBe(200);
    expect(ok.headers).toMatchObject({
      'content-type': 'application/json',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    expect(Object.keys(ok.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    // Without Fetch Metadata (older browsers) the key, the page header and the Origin still decide.
    expect((await httpGet(server.port, '/config.json', { 'Mesibo-Starter': 'config', ...server.cookie() })).status).toBe(200);
    // The CORS preflight another origin needs before it may send the page header is refused, without CORS headers.
    const preflight = await httpGet(server.port, '/config.json', {
      Origin: 'http://127.0.0.1:9', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'mesibo-starter',
    }, 'OPTIONS');
    expect(preflight.status).toBe(405);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('prints each link with a key of its own run, and never a token', async () => {
    const links = [...server.stdout().matchAll(/^ {2}(.+): (http:\S+)$/gm)].map((m) => [m[1], m[2]]);
    expect(links).toEqual(USERS.map((u) => [u, `${server.url}?user=${u}&key=${server.key}`]));
    expect(server.key).toMatch(/^[\w-]{43}$/); // 32 random bytes
    expectNoToken(server.stdout(), 'the output');
    expect(server.stdout()).not.toContain('sandbox'); // real tokens: no sandbox to start
    const another = await startServer(webDir);
    try {
      expect(another.key).not.toBe(server.key);
      // Cookies are shared by every port of a host: each server's cookie is named for its port.
      const config = await httpGet(another.port, '/config.json', { 'Mesibo-Starter': 'config', Cookie: `mesibo-starter-${another.port}=${server.key}` });
      expect(config.status).toBe(403);
      expect((await httpGet(another.port, '/config.json', { 'Mesibo-Starter': 'config', ...another.cookie() })).status).toBe(200);
    } finally {
      await another.stop();
    }
  });

  it('exchanges a link\'s key for an HttpOnly, SameSite=Strict cookie and sends the browser on without it', async () => {
    const res = await httpGet(server.port, `/?user=123&key=${server.key}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?user=123');
    expect(res.headers['set-cookie']).toEqual([`mesibo-starter-${server.port}=${server.key}; HttpOnly; SameSite=Strict; Path=/`]);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const cookie = res.headers['set-cookie']![0]!.split(';')[0]!;
    expect((await httpGet(server.port, '/config.json', { 'Mesibo-Starter': 'config', Cookie: `other=1; ${cookie}` })).status).toBe(200);
    // Any path: the key is taken off and the rest kept.
    const deep = await httpGet(server.port, `/index.html?key=${server.key}&user=a%20b`);
    expect([deep.status, deep.headers.location]).toEqual([303, '/index.html?user=a+b']);
  });

  it('gives no token to another local account that knows the port but not the key, whatever it sends', async () => {
    const own = `http://localhost:${server.port}`;
    const page = { 'Mesibo-Starter': 'config', 'Sec-Fetch-Site': 'same-origin', Origin: own, Host: `localhost:${server.port}` };
    const wrongKeys = ['', 'x', server.key.slice(0, -1), `${server.key}x`, server.key.toUpperCase(), server.key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))];
    const attempts: Array<[string, Record<string, string>]> = [
      ['/config.json', page],
      ['/config.json', { ...page, Cookie: '' }],
      ['/config.json', { ...page, Cookie: `mesibo-starter-${server.port + 1}=${server.key}` }], // another server's cookie name
      ...wrongKeys.map((k): [string, Record<string, string>] => ['/config.json', { ...page, Cookie: `mesibo-starter-${server.port}=${k}` }]),
      ...wrongKeys.map((k): [string, Record<string, string>] => [`/config.json?key=${encodeURIComponent(k)}`, page]),
      ...wrongKeys.map((k): [string, Record<string, string>] => [`/?user=123&key=${encodeURIComponent(k)}`, page]),
    ];
    for (const [target, headers] of attempts) {
      const res = await httpGet(server.port, target, headers);
      expect(res.status, `${target} ${JSON.stringify(headers)}`).toBe(403);
      expect(res.headers['set-cookie'], target).toBeUndefined();
      expectNoToken(res.body, target);
    }
    const refused = await httpGet(server.port, '/config.json', page);
    expect(JSON.parse(refused.body).problem).toBe(
      "This browser has not opened one of this run's links yet: open a link that npm start printed (it ends in &key=…). " +
        'A link from an earlier run of npm start no longer works.',
    );
    // The page itself holds no token and is served to anyone: it explains what to open.
    expect((await httpGet(server.port, '/?user=123', page)).status).toBe(200);
  });

  it('never serves config.js, dotfiles, other methods, or anything outside its folder', async () => {
    expect(existsSync(path.join(webDir, '.gitignore'))).toBe(true);
    const refused = [
      '/config.js', '/CONFIG.JS', '/config.js?x', '/tokens.js', '/.gitignore', '/%2egitignore', '/config.js.example',
      '/../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/..%5coutside.txt', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/outside.js', '/%00', '/%E0%A4%A', '/missing.js', '/README.md', '/serve.mjs',
    ];
    for (const target of refused) {
      const res = await httpGet(server.port, target, fromPage());
      expect(res.status, target).toBe(404);
      expect(res.body, target).not.toContain('OUTSIDE-SECRET');
      expectNoToken(res.body, target);
    }
    expect((await httpGet(server.port, 'http://localhost/config.js')).status).toBe(400); // absolute-form target
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await httpGet(server.port, '/config.json', fromPage(), method);
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    const head = await httpGet(server.port, '/', {}, 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it.skipIf(process.platform !== 'linux')('listens on 127.0.0.1 only', () => {
    const listening = (file: string) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter((f) => f[3] === '0A' && Number.parseInt(f[1]!.split(':')[1]!, 16) === server.port)
        .map((f) => f[1]!.split(':')[0]);
    expect(listening('/proc/net/tcp')).toEqual(['0100007F']);
    expect(existsSync('/proc/net/tcp6') ? listening('/proc/net/tcp6') : []).toEqual([]);
  });

  it('names a broken config.js and where, at start and to the page', async () => {
    const broken = (await renderFixture({ platforms: [{ id: 'web', appId: APP_ID }], users: USERS })).dir;
    const dir = path.join(broken, 'web');
    writeFileSync(path.join(dir, 'config.js'), readFileSync(path.join(dir, 'config.js'), 'utf8').replace('users: [', 'users: [['));
    const brokenServer = await startServer(dir);
    try {
      await expect.poll(() => brokenServer.stdout()).toMatch(/config\.js could not be read \(line \d+\): /);
      expect(brokenServer.stdout()).toContain(`Once it is fixed, open ${brokenServer.url}?key=${brokenServer.key}\n`);
      const toPage = { 'Mesibo-Starter': 'config', ...brokenServer.cookie() };
      // Its error can quote config.js: only for the key's holder.
      expect((await httpGet(brokenServer.port, '/config.json', { 'Mesibo-Starter': 'config' })).status).toBe(403);
      const res = await httpGet(brokenServer.port, '/config.json', toPage);
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body).problem).toMatch(/^config\.js could not be read \(line \d+\): /);
      writeFileSync(path.join(dir, 'config.js'), 'window.MESIBO_CONFIG = { appId: "x", users: [{ address: "1" }] };\n');
      expect(JSON.parse((await httpGet(brokenServer.port, '/config.json', toPage)).body).problem).toContain('see config.js.example');
    } finally {
      await brokenServer.stop();
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('refuses a PORT that is not a port number', async () => {
    const run = await execa('node', ['serve.mjs'], { cwd: webDir, env: { PORT: '80x' }, reject: false, timeout: 10_000 });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('PORT must be a port number (0 to 65535), not "80x".');
  });
});
