// The relay phase of `npm run bench` (issue 21): how long a message takes from one page to another through
// the sandbox's WebSocket relay, against a bare loopback WebSocket echo with `ws` measured in the same run
// (the floor: no JSON, no routing, the same library and the same two hops). Each server runs in a process
// of its own, forked from this file; the clients run in the bench's process, so that both contenders pay
// the same client costs.
//
//   pair     one client sends, the other receives, one message at a time: p50 and p99 of the delivery time
//   load     `clients` connected at once, each sending one message per second to a random other client
//            (the echo: to itself), for `seconds`: p50 and p99 of every delivery after the first second
//   memory   the relay's RSS after a forced GC, after `rssMessages` messages and after 10x as many more
//
// Relay clients behave as the web starter's page does: hello with the appid and a sandbox token, then
// for every message received an `ack` (delivered) and a `read` frame back (src/sandbox/relay.ts).
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { quantile } from './bench-lib.mjs';

const SELF = fileURLToPath(import.meta.url);
const APP_ID = 'com.example.bench';

// ---- the servers (child processes) ---------------------------------------------------------------------
async function serve(kind, bundle, users) {
  let info;
  if (kind === 'echo') {
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
    info = { url: `ws://127.0.0.1:${wss.address().port}/` };
  } else {
    const { startSandbox } = await import(pathToFileURL(bundle).href);
    const sandbox = await startSandbox({ port: 0 });
    if (typeof sandbox.relay !== 'string' || typeof sandbox.issue !== 'function') {
      info = { unavailable: 'this build of the sandbox has no relay (src/sandbox/server.ts: no `relay` URL or `issue`)' };
    } else {
      const tokens = Array.from({ length: users }, (_, i) => ({ address: `b${i}`, token: sandbox.issue(APP_ID, `b${i}`) }));
      info = { url: sandbox.relay, origin: `http://localhost:${sandbox.key.webPort}`, tokens };
    }
  }
  process.on('message', (m) => {
    if (m === 'rss') {
      globalThis.gc?.();
      process.send({ rss: process.memoryUsage().rss });
    } else if (m === 'exit') process.exit(0);
  });
  process.send(info);
}

if (process.argv[2] === '--serve') await serve(process.argv[3], process.argv[4], Number(process.argv[5]));

function startServer(kind, bundle, users) {
  const child = fork(SELF, ['--serve', kind, bundle ?? '', String(users)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ask = (m) => new Promise((resolve) => { child.once('message', resolve); child.send(m); });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (info) => resolve({ ...info, rss: async () => (await ask('rss')).rss, stop: () => child.send('exit') }));
  });
}

// ---- the clients (this process) -----------------------------------------------------------------------
/** Opens `n` clients; each calls `onDelivered(ms)` for every message it receives. */
async function connect(server, n, onDelivered) {
  const { WebSocket } = await import('ws');
  const open = (i) =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(server.url, server.origin ? { origin: server.origin } : {});
      ws.once('error', reject);
      if (!server.tokens) {
        ws.on('message', (data) => onDelivered(performance.now() - Number(String(data))));
        ws.once('open', () => resolve({ ws, address: i, send: (_to, text) => ws.send(text) }));
        return;
      }
      const me = server.tokens[i];
      let mid = 0;
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data));
        if (frame.t === 'status') {
          if (frame.status === 1) resolve({ ws, address: me.address, send: (to, text) => ws.send(JSON.stringify({ t: 'send', mid: ++mid, to, text })) });
          else reject(new Error(`relay refused a bench client: status ${frame.status}`));
        } else if (frame.t === 'msg') {
          onDelivered(performance.now() - Number(frame.text));
          ws.send(JSON.stringify({ t: 'ack', mid: frame.mid, from: frame.from }));
          ws.send(JSON.stringify({ t: 'read', mid: frame.mid, from: frame.from }));
        }
      });
      ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', appid: APP_ID, token: me.token })));
    });
  const clients = [];
  for (let i = 0; i < n; i++) clients.push(await open(i));
  return clients;
}

const close = (clients) => Promise.all(clients.map((c) => new Promise((r) => (c.ws.once('close', r), c.ws.close()))));
/** Whom client `i` sends to: the echo answers the sender itself; through the relay, another client. */
const peerOf = (server, clients, i, pick) => (server.tokens ? clients[pick].address : clients[i].address);

/** One message at a time from client 0 to client 1: delivery times in ms. */
async function pair(server, messages) {
  const times = [];
  let delivered;
  const clients = await connect(server, 2, (t) => (times.push(t), delivered()));
  for (let i = 0; i < messages; i++) {
    await new Promise((resolve) => {
      delivered = resolve;
      clients[0].send(peerOf(server, clients, 0, 1), String(performance.now()));
    });
  }
  await close(clients);
  return times;
}

/** `n` clients, one message per second each at its own phase, for `seconds`: delivery times after the first second. */
async function load(server, n, seconds) {
  const times = [];
  let counting = false;
  const clients = await connect(server, n, (t) => counting && times.push(t));
  const timers = clients.map((c, i) =>
    setTimeout(() => {
      const tick = () => c.send(peerOf(server, clients, i, (i + 1 + Math.floor(Math.random() * (n - 1))) % n), String(performance.now()));
      tick();
      timers[i] = setInterval(tick, 1000);
    }, (1000 * i) / n),
  );
  await new Promise((r) => setTimeout(r, 1000));
  counting = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  for (const t of timers) clearInterval(t);
  await new Promise((r) => setTimeout(r, 500));
  await close(clients);
  return times;
}

/** The relay's RSS after a forced GC: after `first` messages, and after 10x as many more. */
async function memory(server, n, first) {
  let received = 0;
  let waiter;
  const clients = await connect(server, n, () => ++received === waiter?.count && waiter.resolve());
  const sendAll = async (count) => {
    for (let sent = 0; sent < count; sent += n) {
      const target = received + Math.min(n, count - sent);
      const done = new Promise((resolve) => (waiter = { count: target, resolve }));
      for (let i = 0; i < Math.min(n, count - sent); i++) clients[i].send(clients[(i + 1) % n].address, String(performance.now()));
      await done;
    }
  };
  await sendAll(first);
  const before = await server.rss();
  await sendAll(first * 10);
  const after = await server.rss();
  await close(clients);
  return { messages: [first, first * 11], rss: [before, after] };
}

const pct = (times) => ({ p50: quantile(times, 0.5), p99: quantile(times, 0.99), n: times.length });

/**
 * Interleaved rounds (echo, relay, echo, relay …), each a pair phase and a load phase for both; then the
 * relay's memory. Resolves with per-round percentiles, or `{ unavailable }` when the build has no relay.
 */
export async function relayBench({ sandboxBundle, rounds = 3, seconds = 8, clients = 200, pings = 300, rssMessages = 2000 }) {
  const echo = await startServer('echo');
  const relay = await startServer('relay', sandboxBundle, clients);
  try {
    if (relay.unavailable) return { unavailable: relay.unavailable };
    const result = { rounds: [], clients, seconds, pings };
    for (let r = 0; r < rounds; r++) {
      const round = {};
      round.echoPair = pct(await pair(echo, pings));
      round.relayPair = pct(await pair(relay, pings));
      round.echoLoad = pct(await load(echo, clients, seconds));
      round.relayLoad = pct(await load(relay, clients, seconds));
      result.rounds.push(round);
    }
    result.memory = await memory(relay, clients, rssMessages);
    return result;
  } finally {
    echo.stop();
    relay.stop();
  }
}
