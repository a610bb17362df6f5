/**
 * Issue 22 from outside: a project made with `--platforms web,python,server --sandbox --yes`, its server's
 * dependencies installed from its own lockfile, its own tests run, then the server started with `npm start`
 * against the sandbox backend (behind a relay that counts what reaches it) and held to its OpenAPI document.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/server';
import { parseSandboxKey } from '../src/sandbox/key-file';
import { checkToken, tagIndex } from '../src/sandbox/tokens';
import { removeDir, runCli, sandboxUrl, spawnCli, tempDir } from './support/cli';
import { countingBackend, startTokenServer, type CountingBackend, type RunningServer } from './support/server';
import { runStarter } from './support/python-starter';

// Random, so that any 8 characters of it showing anywhere can only have come from it.
const APP_TOKEN = randomBytes(30).toString('base64url');
const APPID = 'com.example.app';

let dir: string;
let serverDir: string;
let passcode: string;
let sandbox: Sandbox;
let backend: CountingBackend;
const servers: RunningServer[] = [];
/** Every response (status, headers, body) the tests saw, for the leak check at the end. */
const seen: string[] = [];
let openapi: any;
let validate: (schemaRef: string, value: unknown) => string | undefined;

/** A config file for one server: the generated one with `change` applied (rate limit, deadline). */
function configWith(name: string, change: Record<string, unknown>): string {
  const base = JSON.parse(readFileSync(path.join(serverDir, 'config.json'), 'utf8'));
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ ...base, manifest: path.join(dir, 'app', 'mesibo.json'), ...change }));
  return file;
}

async function serve(config: string, extra: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startTokenServer(serverDir, {
    MESIBO_APP_TOKEN: APP_TOKEN,
    MESIBO_API_URL: backend.url,
    MESIBO_SERVER_CONFIG: config,
    ...extra,
  });
  servers.push(server);
  return server;
}

/** One request, its answer checked against openapi.json for its path, method and status. */
async function call(server: RunningServer, method: 'GET' | 'POST', route: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  seen.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
  const json = JSON.parse(text);
  const operation = openapi.paths[route]?.[method.toLowerCase()];
  let response = operation?.responses[String(res.status)];
  if (response?.$ref) response = openapi.components.responses[response.$ref.split('/').pop()];
  const schema = response?.content?.['application/json']?.schema?.$ref ?? (operation ? undefined : '#/components/schemas/Error');
  expect(schema, `openapi.json documents ${method} ${route} → ${res.status}`).toBeDefined();
  expect(validate(schema, json), `${method} ${route} → ${res.status} ${text}`).toBeUndefined();
  return { status: res.status, headers: res.headers, json };
}

const withPasscode = () => ({ 'x-passcode': passcode });

beforeAll(async () => {
  dir = tempDir('cma-server-');
  const created = await runCli(['app', '--platforms', 'web,python,server', '--sandbox', '--yes', '--no-git'], { cwd: dir });
  expect(created.exitCode, created.stderr).toBe(0);
  serverDir = path.join(dir, 'app', 'server');
  passcode = readFileSync(path.join(serverDir, '.passcode'), 'utf8').trim();
  // Exactly what its lockfile pins, from the registry (or npm's cache).
  const install = await execa('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: serverDir, reject: false, timeout: 300_000 });
  expect(install.exitCode, install.stderr).toBe(0);
  const requireHere = createRequire(path.join(serverDir, 'package.json'));
  const Ajv = requireHere('ajv').default;
  const formats = requireHere('ajv-formats').default;
  openapi = JSON.parse(readFileSync(path.join(serverDir, 'openapi.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  formats(ajv);
  ajv.addSchema({ components: openapi.components }, 'openapi');
  validate = (ref, value) => {
    const check = ajv.getSchema(`openapi${ref}`);
    return check(value) ? undefined : ajv.errorsText(check.errors);
  };
  sandbox = await startSandbox({ appToken: APP_TOKEN });
  backend = await countingBackend(sandbox.url);
}, 400_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await backend?.close();
  await sandbox?.close();
  if (dir) removeDir(dir);
});

describe('the generated token server', () => {
  it('is written with a 0600 passcode that its .gitignore covers, and no App Token', () => {
    expect(statSync(path.join(serverDir, '.passcode')).mode & 0o777).toBe(0o600);
    expect(passcode).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(path.join(serverDir, '.gitignore'), 'utf8')).toMatch(/^\/\.passcode$/m);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'app', 'mesibo.json'), 'utf8'));
    expect(manifest.platforms.map((p: { id: string }) => p.id)).toEqual(['web', 'python', 'server']);
  });

  it('passes its own tests (npm test) and its typecheck', async () => {
    const result = await execa('npm', ['test'], { cwd: serverDir, reject: false, timeout: 120_000 });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/# pass [1-9]\d*\n# fail 0/);
    const typecheck = await execa('npm', ['run', 'typecheck'], { cwd: serverDir, reject: false, timeout: 120_000 });
    expect(typecheck.exitCode, `${typecheck.stdout}\n${typecheck.stderr}`).toBe(0);
  }, 150_000);

  it('mints for the sandbox, as openapi.json says, once per user however many ask at once', async () => {
    const server = await serve(configWith('main', { rateLimit: { requests: 1000, windowSeconds: 60 }, backendDeadlineMs: 1500 }));
    const health = await call(server, 'GET', '/healthz');
    expect(health.json).toEqual({ ok: true, canMint: true });

    const before = backend.received.length;
    const answers = await Promise.all(Array.from({ length: 50 }, () => call(server, 'POST', '/v1/token', { appid: APPID, address: '123' }, withPasscode())));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.json.token)).size).toBe(1);
    const sent = backend.received.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toEqual({ op: 'useradd', token: APP_TOKEN, user: { address: '123', token: { appid: APPID, expiry: 1440, v2: true } } });
    expect(answers[0]!.headers.get('cache-control')).toBe('no-store');
    expect(answers[0]!.json).toMatchObject({ address: '123', appid: APPID });
    // Asked again later (a page reload): still no second useradd.
    await call(server, 'POST', '/v1/token', { appid: APPID, address: '123' }, withPasscode());
    expect(backend.received.length).toBe(before + 1);
  });

  it('gives the Python starter its token: config.json names the server, not tokens', async () => {
    const pythonDir = path.join(dir, 'app', 'python');
    const config = JSON.parse(readFileSync(path.join(pythonDir, 'config.json'), 'utf8'));
    expect(config).toEqual({ appId: APPID, tokenServer: 'http://127.0.0.1:8787', users: [{ address: '123' }, { address: '456' }] });
    const server = servers[0]!; // the one above, on its own port: the starter is pointed at it
    writeFileSync(path.join(pythonDir, 'config.json'), JSON.stringify({ ...config, tokenServer: server.url }));
    const log = path.join(dir, 'python-calls.jsonl');
    const run = await runStarter({ python: 'python3', dir: pythonDir, args: ['--user', '456'], stdin: 'hello\n', pycache: path.join(dir, 'pycache'), log });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const minted = await call(server, 'POST', '/v1/token', { appid: APPID, address: '456' }, withPasscode());
    expect(run.calls.filter((c) => c.call === 'setAccessToken')).toEqual([{ call: 'setAccessToken', token: minted.json.token }]);

    // No server there: one paragraph saying how to start it.
    writeFileSync(path.join(pythonDir, 'config.json'), JSON.stringify({ ...config, tokenServer: backend.url.replace(/\/backend\/$/, '').replace(/:\d+$/, ':1') }));
    const down = await runStarter({ python: 'python3', dir: pythonDir, args: ['--user', '456'], stdin: '', pycache: path.join(dir, 'pycache'), log: `${log}.2` });
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toMatch(/^Could not reach the token server at http:\/\/127\.0\.0\.1:1 \(.*\)\. Start it in another terminal: cd \.\.\/server, npm install, then npm start/);
    writeFileSync(path.join(pythonDir, 'config.json'), JSON.stringify(config, null, 2));
  });

  it("gives the web starter's page its tokens through npm start, which asks the server (the passcode stays out of the browser)", async () => {
    const webDir = path.join(dir, 'app', 'web');
    const configFile = path.join(webDir, 'config.js');
    const original = readFileSync(configFile, 'utf8');
    expect(original).toContain('tokenServer: "http://127.0.0.1:8787"');
    expect(original).not.toMatch(/token: "/);
    const server = servers[0]!;
    writeFileSync(configFile, original.replace('http://127.0.0.1:8787', server.url));
    const web = execa('node', ['serve.mjs'], { cwd: webDir, env: { PORT: '0' }, buffer: false, reject: false });
    try {
      const link = await new Promise<string>((resolve, reject) => {
        let out = '';
        web.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /  123: (http:\/\/localhost:\d+\/\?user=123&key=[\w-]+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        void web.then(() => reject(new Error(`npm start ended: ${out}`)));
      });
      const opened = await fetch(link, { redirect: 'manual' });
      const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(new URL('/config.json', link), { headers: { cookie, 'mesibo-starter': 'config' } });
      const text = await page.text();
      expect(page.status, text).toBe(200);
      expect(text).not.toContain(passcode);
      const config = JSON.parse(text);
      const minted = await Promise.all(['123', '456'].map((address) => call(server, 'POST', '/v1/token', { appid: APPID, address }, withPasscode())));
      expect(config.users).toEqual(minted.map((m) => ({ address: m.json.address, token: m.json.token })));
      expect(config.tokenServer).toBeUndefined();
    } finally {
      web.kill('SIGTERM');
      await web;
      writeFileSync(configFile, original);
    }
  });

  it('answers 401 without the passcode or with a wrong one, and sends nothing to the backend', async () => {
    const server = await serve(configWith('auth', {}));
    const before = backend.received.length;
    for (const headers of [{}, { 'x-passcode': 'wrong' }, { 'x-passcode': passcode.slice(0, -1) }, { 'x-passcode': `${passcode}x` }] as Array<Record<string, string>>) {
      const res = await call(server, 'POST', '/v1/token', { appid: APPID, address: '456' }, headers);
      expect(res.status).toBe(401);
      expect(res.json.error).toBe('unauthorized');
    }
    expect(backend.received.length).toBe(before);
  });

  it('makes its own 0600 passcode in a fresh clone, which has none; in production it takes none and refuses everybody', async () => {
    const file = path.join(dir, 'clone-passcode');
    const server = await serve(configWith('clone', {}), { MESIBO_SERVER_PASSCODE_FILE: file });
    expect(server.lines.join('\n')).toContain(`Made a development passcode in ${file} (git-ignored, readable by you only)`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const made = readFileSync(file, 'utf8').trim();
    expect(made).toMatch(/^[\w-]{32}$/);
    expect(made).not.toBe(passcode);
    expect((await call(server, 'POST', '/v1/token', { appid: APPID, address: '456' }, { 'x-passcode': made })).status).toBe(201);
    expect((await call(server, 'POST', '/v1/token', { appid: APPID, address: '456' }, withPasscode())).status).toBe(401);
    expect(server.lines.join('\n')).not.toContain(made);

    const production = await serve(configWith('production', {}), { NODE_ENV: 'production' });
    expect((await call(production, 'POST', '/v1/token', { appid: APPID, address: '456' }, withPasscode())).status).toBe(401);
  });

  it('answers 403 for an appid that is not in mesibo.json', async () => {
    const server = await serve(configWith('appid', {}));
    const before = backend.received.length;
    const res = await call(server, 'POST', '/v1/token', { appid: 'com.example.other', address: '123' }, withPasscode());
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('forbidden-appid');
    expect(backend.received.length).toBe(before);
  });

  it('answers 429 with Retry-After past the rate limit, and accepts again after it', async () => {
    const server = await serve(configWith('rate', { rateLimit: { requests: 3, windowSeconds: 1 } }));
    const ask = () => call(server, 'POST', '/v1/token', { appid: APPID, address: '123' }, withPasscode());
    for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(201);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(refused.json.error).toBe('rate-limited');
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 100));
    expect((await ask()).status).toBe(201);
  });

  it('answers 504 when the backend hangs, and 400 for a body openapi.json does not allow', async () => {
    const server = await serve(configWith('hang', { backendDeadlineMs: 1000 }));
    backend.hang = true;
    try {
      const res = await call(server, 'POST', '/v1/token', { appid: APPID, address: 'hanging-user' }, withPasscode());
      expect(res.status).toBe(504);
      expect(res.json.error).toBe('backend-timeout');
    } finally {
      backend.hang = false;
    }
    for (const body of [{ appid: APPID, address: '123', extra: 1 }, { address: '123' }, { appid: 42, address: '123' }]) {
      expect((await call(server, 'POST', '/v1/token', body, withPasscode())).status).toBe(400);
    }
    expect((await call(server, 'GET', '/nowhere')).status).toBe(404);
  });

  it("mints, the README's way, through the project's own sandbox, tokens that sandbox accepts", async () => {
    const project = path.join(dir, 'app');
    const own = spawnCli(['sandbox', '--port', '0'], { cwd: project });
    try {
      const url = await sandboxUrl(own);
      const keyFile = path.join(project, '.mesibo-sandbox.json');
      const server = await serve(configWith('own-sandbox', {}), { MESIBO_APP_TOKEN: parseSandboxKey(readFileSync(keyFile, 'utf8')).appToken, MESIBO_API_URL: url });
      const res = await call(server, 'POST', '/v1/token', { appid: APPID, address: 'newcomer' }, withPasscode());
      expect(res.status).toBe(201);
      // The sandbox saved the new user to the project's key: its relay lets that token log in as newcomer.
      const key = parseSandboxKey(readFileSync(keyFile, 'utf8'));
      expect(checkToken(key, tagIndex(key), APPID, res.json.token)).toEqual({ ok: true, address: 'newcomer' });
      expect(checkToken(key, tagIndex(key), 'com.example.other', res.json.token).ok).toBe(false);
    } finally {
      own.kill('SIGTERM');
      await own;
    }
  });

  it('shows no piece of the App Token (8 characters or more) in any answer or log line', () => {
    const texts = [...seen, ...servers.flatMap((s) => s.lines)];
    expect(texts.length).toBeGreaterThan(60);
    for (const text of texts) {
      for (let i = 0; i + 8 <= APP_TOKEN.length; i++) expect(text.includes(APP_TOKEN.slice(i, i + 8)), text).toBe(false);
    }
  });
});
