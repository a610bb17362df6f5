// `npm start`: serves this folder at http://localhost:8080/ (or $PORT) to this machine only, and prints the
// link that logs in as each user. It hands the users' tokens (config.js) only to a browser that opened one
// of those links, which carry this run's key, and only to this starter's own page: README.md, "Who gets the
// tokens", says how. No dependencies.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import vm from 'node:vm';

const root = await realpath(import.meta.dirname);
const SECRET_NAME = 'config.js';
const SECRET = path.join(root, SECRET_NAME);
/** Where the page reads config.js, as JSON. */
const CONFIG_URL = '/config.json';
/** Sent by the page's own fetch. Another site's page could send it only after a CORS preflight, never granted here. */
const PAGE_HEADER = 'mesibo-starter';
/**
 * This run's key, as Jupyter's token URLs carry theirs: the printed links hold it, and the first request that
 * brings it gets it back as a cookie. Anyone else on this machine (another account, any program that only
 * knows the port) can send whatever headers it likes, but not a key it never saw.
 */
const KEY = randomBytes(32).toString('base64url');
const KEY_PARAM = 'key';
/** The token server's development passcode, for a config.js that names a tokenServer (../server/README.md). */
const PASSCODE_FILE = path.join(root, '..', 'server', '.passcode');
const START_SERVER = 'Start it in a terminal of its own: cd ../server, npm install, then npm start (../server/README.md).';
const REFRESH_HINT =
  "To issue fresh tokens, run create-mesibo-app's refresh here or in the project folder: " +
  '../README.md, Tokens, gives the command for the version that made this project.';

/** The only kinds of file served. */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const TEXT = 'text/plain; charset=utf-8';

// On every response. Nothing here is meant for another origin, so there is no CORS header either.
const HEADERS = {
  'Cache-Control': 'no-store', // a refreshed config.js takes effect on the next reload
  'Referrer-Policy': 'no-referrer', // a link's key never travels on in a Referer
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

/** The port the starter and the local sandbox expect the page on (the sandbox accepts pages of it by default). */
const DEFAULT_PORT = 8080;
const port = Number(process.env.PORT || DEFAULT_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number (0 to 65535), not ${JSON.stringify(process.env.PORT)}.`);
  process.exit(1);
}
/** The names this server answers to. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
/** The Host values that name this server, once it listens: anything else is another site's name (DNS rebinding). */
let ownHosts = new Set();
/** Cookies are shared by every port of a host, so the name says which server's key it holds. */
let cookieName = '';

const digest = (value) => createHash('sha256').update(value).digest();
/** Whether `value` is this run's key, in time that says nothing about how much of it matched. */
const isKey = (value) => typeof value === 'string' && timingSafeEqual(digest(value), digest(KEY));

/** The value of this server's cookie in a request, if it sent one. */
function cookieOf(req) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === cookieName) return value.join('=');
  }
  return undefined;
}

function reply(res, status, type, body, headers = {}) {
  res.writeHead(status, { ...HEADERS, 'Content-Type': type, ...headers }).end(body);
}

/** config.js as data. It is this project's own file: its context gives it only a `window` to assign to. */
async function readConfig() {
  const context = { window: {} };
  vm.runInNewContext(await readFile(SECRET, 'utf8'), context, { filename: 'config.js', timeout: 1000 });
  const config = context.window.MESIBO_CONFIG;
  const tokenServer = config?.tokenServer;
  // With a token server, config.js lists the users only: their tokens are asked for when the page needs them.
  const valid = (user) => typeof user?.address === 'string' && (typeof user.token === 'string' || (tokenServer !== undefined && user.token === undefined));
  const sandbox = config?.sandbox;
  if (
    typeof config?.appId !== 'string' ||
    (tokenServer !== undefined && !/^https?:\/\/[^/]+\/?$/.test(tokenServer)) ||
    typeof config.sdk !== 'string' ||
    !/^https?:\/\//.test(config.sdk) ||
    (sandbox !== undefined && typeof sandbox?.start !== 'string') ||
    !Array.isArray(config.users) ||
    !config.users.every(valid)
  ) {
    throw new Error('it must set window.MESIBO_CONFIG = { appId, sdk, users: [{ address, token }, …] } (see config.js.example)');
  }
  return {
    appId: config.appId,
    sdk: config.sdk,
    ...(sandbox ? { sandbox: { start: sandbox.start } } : {}),
    ...(tokenServer ? { tokenServer } : {}),
    users: config.users.map(({ address, token }) => ({ address, token })),
  };
}

class TokenServerProblem extends Error {}

/**
 * The config as the page gets it: with a token server, each user's token comes from it now (it keeps a
 * token until close to its expiry), asked for with the passcode, which never reaches the browser.
 */
async function withTokens(config) {
  if (!config.tokenServer) return config;
  const { tokenServer, ...rest } = config;
  let passcode;
  try {
    passcode = (await readFile(PASSCODE_FILE, 'utf8')).trim();
  } catch {
    throw new TokenServerProblem(`${PASSCODE_FILE} is missing: it holds the token server's development passcode. ${START_SERVER}`);
  }
  const users = await Promise.all(
    config.users.map(async ({ address }) => {
      let res;
      try {
        res = await fetch(new URL('/v1/token', tokenServer), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-passcode': passcode },
          body: JSON.stringify({ appid: config.appId, address }),
          signal: AbortSignal.timeout(20_000),
        });
      } catch (error) {
        throw new TokenServerProblem(`Could not reach the token server at ${tokenServer} (${error.cause?.code ?? error.name}). ${START_SERVER}`);
      }
      const answer = await res.json().catch(() => ({}));
      if (res.status !== 201 || typeof answer.token !== 'string') {
        throw new TokenServerProblem(`The token server at ${tokenServer} gave no token for ${address}: ${answer.explanation ?? `HTTP ${res.status}`}`);
      }
      return { address, token: answer.token };
    }),
  );
  return { ...rest, users };
}

function configProblem(error) {
  if (error.code === 'ENOENT') {
    return (
      "config.js is missing: it holds the users' access tokens and is kept out of git. " +
      `Copy config.js.example to config.js and paste the tokens into it. ${REFRESH_HINT}`
    );
  }
  const line = /^config\.js:(\d+)/.exec(error?.stack ?? '')?.[1];
  return `config.js could not be read${line ? ` (line ${line})` : ''}: ${error?.message ?? error}`;
}

/** The config, to a same-origin fetch from this starter's page, in a browser that holds this run's key. */
async function sendConfig(req, res) {
  if (!isKey(cookieOf(req))) {
    const problem =
      "This browser has not opened one of this run's links yet: open a link that npm start printed " +
      '(it ends in &key=…). A link from an earlier run of npm start no longer works.';
    reply(res, 403, 'application/json', JSON.stringify({ problem }));
    return;
  }
  const site = req.headers['sec-fetch-site']; // sent by every current browser; absent from older ones and curl
  const origin = req.headers.origin;
  const fromOwnPage =
    req.headers[PAGE_HEADER] === 'config' &&
    (site === undefined || site === 'same-origin') &&
    (origin === undefined || origin === `http://${req.headers.host.toLowerCase()}`);
  if (!fromOwnPage) {
    reply(res, 403, TEXT, `${CONFIG_URL} is only for this starter's own page (index.html).\n`);
    return;
  }
  try {
    reply(res, 200, 'application/json', JSON.stringify(await withTokens(await readConfig())));
  } catch (error) {
    if (error instanceof TokenServerProblem) return reply(res, 502, 'application/json', JSON.stringify({ problem: error.message }));
    reply(res, error.code === 'ENOENT' ? 404 : 500, 'application/json', JSON.stringify({ problem: configProblem(error) }));
  }
}

/** The file a URL path names: an existing file of a served type inside this folder; never config.js or a dotfile. */
async function fileFor(pathname) {
  try {
    const parts = decodeURIComponent(pathname).split(/[/\\]/).filter(Boolean);
    if (parts.some((part) => part.startsWith('.') || part.includes('\0'))) return undefined;
    let file = await realpath(path.join(root, ...parts));
    if ((await stat(file)).isDirectory()) file = await realpath(path.join(file, 'index.html'));
    // Checked again after symlinks are resolved: a link may point out of the folder, at a dotfile or at config.js.
    const relative = path.relative(root, file);
    const inside = file.startsWith(root + path.sep) && !relative.split(path.sep).some((part) => part.startsWith('.'));
    // Compared without case: on macOS and Windows, CONFIG.JS names config.js too.
    const served = inside && relative.toLowerCase() !== SECRET_NAME && Object.hasOwn(TYPES, path.extname(file));
    return served && (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined; // missing file, bad percent-encoding...
  }
}

/**
 * A printed link: its key becomes an HttpOnly cookie (no script can read it; SameSite=Strict: no other site's
 * page sends it) and the browser is sent on to the same URL without the key, which leaves the address bar and
 * the history. A wrong key gets no cookie.
 */
function exchangeKey(url, res) {
  const key = url.searchParams.get(KEY_PARAM);
  url.searchParams.delete(KEY_PARAM);
  const location = url.pathname + url.search;
  if (!isKey(key)) {
    reply(res, 403, TEXT, `This link's key is not this run's: open a link that npm start printed this time.\n`);
    return;
  }
  reply(res, 303, TEXT, '', {
    Location: location,
    'Set-Cookie': `${cookieName}=${KEY}; HttpOnly; SameSite=Strict; Path=/`,
  });
}

async function handle(req, res) {
  if (!ownHosts.has(req.headers.host?.toLowerCase())) {
    const urls = LOOPBACK.map((name) => `http://${name}:${server.address().port}/`);
    reply(res, 421, TEXT, `This server answers only to ${urls.join(', ')}.\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    reply(res, 405, TEXT, 'Only GET and HEAD are served.\n', { Allow: 'GET, HEAD' });
    return;
  }
  if (!req.url.startsWith('/')) {
    reply(res, 400, TEXT, 'Bad request\n');
    return;
  }
  const url = new URL(req.url, 'http://localhost');
  const { pathname } = url;
  if (url.searchParams.has(KEY_PARAM)) {
    exchangeKey(url, res);
    return;
  }
  if (pathname === CONFIG_URL) {
    await sendConfig(req, res);
    return;
  }
  const file = await fileFor(pathname);
  if (!file) {
    reply(res, 404, TEXT, 'Not found\n');
    return;
  }
  res.writeHead(200, { ...HEADERS, 'Content-Type': TYPES[path.extname(file)] });
  if (req.method === 'HEAD') res.end();
  else await pipeline(createReadStream(file), res);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    // A browser that stops a download it no longer needs is no error.
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(`${req.method} ${req.url}: ${error.message}`);
    if (res.headersSent) res.destroy();
    else reply(res, 500, TEXT, 'Internal error\n');
  });
});

server.on('error', (error) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is in use; try: PORT=8081 npm start` : error.message);
  process.exit(1);
});

/** A query value that stays one clickable link in a terminal: `'()*!` are encoded too. */
const queryValue = (value) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** An address as a terminal shows it: control and format characters replaced. */
const printable = (value) => value.replace(/[\p{Cc}\p{Cf}]/gu, '\uFFFD');

// Loopback only: no other machine can connect.
server.listen(port, '127.0.0.1', async () => {
  const actual = server.address().port;
  // Browsers leave the port out of Host when it is 80.
  ownHosts = new Set(LOOPBACK.flatMap((name) => (actual === 80 ? [name, `${name}:80`] : [`${name}:${actual}`])));
  cookieName = `mesibo-starter-${actual}`;
  const base = `http://localhost:${actual}/`;
  console.log(`Serving ${root} at ${base} (Ctrl-C stops)`);
  try {
    const { users, sandbox } = await readConfig();
    console.log("Open one tab per user (each link holds this run's key: keep it to yourself):");
    for (const { address } of users) console.log(`  ${printable(address)}: ${base}?user=${queryValue(address)}&${KEY_PARAM}=${KEY}`);
    if (sandbox && actual !== DEFAULT_PORT) {
      console.log(`The local sandbox accepts pages of port ${DEFAULT_PORT} only, unless started for this one:`);
      console.log(`  ${printable(sandbox.start)} --web-port ${actual}`);
    }
  } catch (error) {
    console.log(configProblem(error));
    console.log(`Once it is fixed, open ${base}?${KEY_PARAM}=${KEY}`);
  }
});
