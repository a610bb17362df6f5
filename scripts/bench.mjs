// `npm run bench`: how fast and how big the built CLI is, each figure against a baseline measured in the
// same run on the same machine: create-vite for start-up, size and command times; a bare loopback
// WebSocket echo with `ws` for the sandbox's relay. Runs interleave (A B A B …) after one warm-up each;
// every figure is printed with its min, median and max, ratios as the ratio of each pair of runs; for the
// single-process commands also their CPU time (the figure a loaded machine disturbs least). Not a
// test: nothing here runs in CI, and a missed goal only sets the exit code to 1.
//
//   --help          create-mesibo-app --help         / create-vite --help               ratio <= 1.2
//   warm create     five starters via --sandbox      / create-vite, template vanilla-ts ratio <= 2.5
//   doctor          on a five-starter project        / create-vite's create             ratio <= 2
//   refresh         --sandbox --yes, same project    / create-vite's create             ratio <= 2
//   cold npm exec   the packed tarball, empty cache  / the same for create-vite's       ratio <= 0.8
//   tarball         npm pack of this checkout        (create-vite's for reference)      <= 350 KiB
//   200 users       against the sandbox, 50 ms per answer: wall time                    <= 3 s
//   workshop        500 seats x 3 appids, 200 ms per answer / the ideal                 ratio <= 1.15
//   workshop RSS    the CLI's max RSS, 1000 seats / 250 seats                           ratio <= 1.25
//   relay           delivery p50 and p99 between two clients, and with 200 clients at one message per
//                   second each / the bare echo's                                       p99 ratio <= 2
//   relay RSS       after 11x the messages / after the first ones                       ratio <= 1.1
//
// Options: --runs-help N (15), --runs-create N (11: create, doctor, refresh and create-vite in turn),
//   --runs-exec N (5), --runs-users N (3), --runs-workshop N (1), --relay-rounds N (3),
//   --relay-seconds N (8), --json, --cli PATH (another build's index.js, also the one packed with this checkout's package.json
//   and templates).
// NODE_EXTRA_CA_CERTS is removed from the children's environment: when set, Node parses that CA bundle at
// every start (~45 ms of CPU here), a cost of the machine, not of either tool. On Node >= 22.1 the bin turns
// on Node's compile cache; the bench points it at its temp folder, so warm runs are a user's later runs.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { interleaved, kib, median, ms, NODE, pairedRatios, range, runner, spread, table } from './bench-lib.mjs';
import { relayBench } from './bench-relay.mjs';
import { workshopBench } from './bench-workshop.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITE = path.join(ROOT, 'node_modules', 'create-vite', 'index.js');
const PLATFORMS = ['android', 'ios', 'web', 'cpp', 'python'];
const { values: opts } = parseArgs({
  options: Object.fromEntries(
    [['runs-help', '15'], ['runs-create', '11'], ['runs-exec', '5'], ['runs-users', '3'], ['runs-workshop', '1'], ['relay-rounds', '3'], ['relay-seconds', '8']]
      .map(([k, d]) => [k, { type: 'string', default: d }])
      .concat([['json', { type: 'boolean', default: false }], ['cli', { type: 'string' }]]),
  ),
});
const n = (k, min) => Math.max(min, Number(opts[k]));
const CLI = opts.cli ? path.resolve(opts.cli) : path.join(ROOT, 'dist', 'index.js');
for (const [file, hint] of [[CLI, 'run `npm run build` first (npm run bench does)'], [VITE, 'create-vite is a devDependency; run `npm install`']]) {
  if (!existsSync(file)) {
    console.error(`bench: ${path.relative(ROOT, file)} is missing: ${hint}.`);
    process.exit(2);
  }
}

const loadAtStart = os.loadavg();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cma-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
const childEnv = { ...process.env, NODE_COMPILE_CACHE: path.join(tmp, 'compile-cache') };
delete childEnv.NODE_EXTRA_CA_CERTS;
const timed = runner(childEnv, tmp);
let dirCounter = 0;
const freshDir = (prefix) => `${prefix}-${++dirCounter}`;
const progress = (text) => process.stderr.write(`bench: ${text}\n`);
const rows = [];
/** A row of the table: a paired-ratio figure against the baseline. */
function ratioRow(name, ours, base, goal, limit) {
  const ratios = spread(pairedRatios(ours, base));
  rows.push([name, range(spread(ours), ms), range(spread(base), ms), range(ratios, (x) => x.toFixed(2)), goal, ratios.median <= limit]);
  return ratios;
}
/** CPU time of the same runs (`cpu` holds one series per contender, warm-ups left out), no goal of its own. */
const cpu = { help: [[], []], create: [[], [], [], []] };
const cpuOf = (series, i) => (i >= 0 ? { cpuInto: series } : {});
function cpuRow(ours, base) {
  rows.push([`  CPU of the same runs`, range(spread(ours), ms), range(spread(base), ms), range(spread(pairedRatios(ours, base)), (x) => x.toFixed(2)), '', undefined]);
}
const results = {};

// --help ------------------------------------------------------------------------------------------------
progress(`--help, ${n('runs-help', 5)} interleaved runs each`);
results.help = await interleaved(n('runs-help', 5), [(i) => timed([CLI, '--help'], cpuOf(cpu.help[0], i)), (i) => timed([VITE, '--help'], cpuOf(cpu.help[1], i))]);
ratioRow('--help', ...results.help, 'ratio <= 1.2', 1.2);
cpuRow(...cpu.help);

// warm create, doctor, refresh ----------------------------------------------------------------------------
const project = freshDir('five');
await timed([CLI, project, '--sandbox', '--yes', '--no-git']);
async function createOurs(i) {
  const dir = freshDir('mesibo');
  const t = await timed([CLI, dir, '--sandbox', '--yes', '--no-git'], cpuOf(cpu.create[0], i));
  for (const p of PLATFORMS) if (!existsSync(path.join(tmp, dir, p))) throw new Error(`create-mesibo-app wrote no ${p}/ folder`);
  rmSync(path.join(tmp, dir), { recursive: true, force: true });
  return t;
}
async function createVite(i) {
  const dir = freshDir('vite');
  const t = await timed([VITE, dir, '--template', 'vanilla-ts', '--no-interactive', '--no-immediate'], cpuOf(cpu.create[3], i));
  if (!existsSync(path.join(tmp, dir, 'package.json'))) throw new Error('create-vite wrote no package.json');
  rmSync(path.join(tmp, dir), { recursive: true, force: true });
  return t;
}
// doctor finds one problem in a sandbox project (its tokens are sandbox tokens): exit 1, every starter checked.
const doctor = (i) =>
  timed([CLI, 'doctor', project], {
    ...cpuOf(cpu.create[1], i),
    ok: (code) => code === 0 || code === 1,
    check: (out) => (PLATFORMS.every((p) => out.includes(`${p}/`)) && /problem|No problems|all good/i.test(out) ? '' : 'doctor did not examine all five starters'),
  });
const refresh = (i) => timed([CLI, 'refresh', project, '--sandbox', '--yes'], { ...cpuOf(cpu.create[2], i), check: (out) => (/Updated mesibo\.json/.test(out) ? '' : 'refresh updated nothing') });
progress(`warm create, doctor, refresh and create-vite, ${n('runs-create', 5)} interleaved runs each`);
const [createTimes, doctorTimes, refreshTimes, viteTimes] = await interleaved(n('runs-create', 5), [createOurs, doctor, refresh, createVite]);
results.create = { ours: createTimes, doctor: doctorTimes, refresh: refreshTimes, vite: viteTimes };
ratioRow('warm create: 5 starters --sandbox / vanilla-ts', createTimes, viteTimes, 'ratio <= 2.5', 2.5);
cpuRow(cpu.create[0], cpu.create[3]);
ratioRow('doctor, 5-starter project / create-vite create', doctorTimes, viteTimes, 'ratio <= 2', 2);
cpuRow(cpu.create[1], cpu.create[3]);
ratioRow('refresh --sandbox, 5 starters / create-vite create', refreshTimes, viteTimes, 'ratio <= 2', 2);
cpuRow(cpu.create[2], cpu.create[3]);
results.cpu = cpu;

// cold npm exec and the tarball ---------------------------------------------------------------------------
progress('npm pack');
const packJson = (out) => JSON.parse(out.slice(out.indexOf('[')))[0];
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
// The package as published: this checkout's metadata and templates with the build under test (--cli's).
const staged = path.join(tmp, 'package');
for (const f of ['package.json', 'README.md', 'LICENSE']) cpSync(path.join(ROOT, f), path.join(staged, f));
cpSync(path.dirname(CLI), path.join(staged, 'dist'), { recursive: true });
cpSync(path.join(ROOT, 'templates'), path.join(staged, 'templates'), { recursive: true });
const pack = packJson(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], staged));
// create-vite's tarball as published, from the npm cache that installed the devDependency.
const viteVersion = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'create-vite', 'package.json'), 'utf8')).version;
const vitePack = packJson(npm(['pack', `create-vite@${viteVersion}`, '--offline', '--json', '--pack-destination', tmp], tmp));
const NPM_CLI = path.join(execFileSync('npm', ['root', '--global'], { encoding: 'utf8' }).trim(), 'npm', 'bin', 'npm-cli.js');
/** `npm exec` of a tarball with an empty npm cache and config of its own (a first `npm create` on a machine), offline. */
async function coldExec(tarball, bin, args, made) {
  const dir = freshDir('exec');
  const cache = path.join(tmp, `npm-cache-${dirCounter}`);
  const env = { npm_config_cache: cache, npm_config_userconfig: path.join(tmp, 'no-npmrc'), npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_yes: 'true', npm_config_offline: 'true' };
  const t = await timed([NPM_CLI, 'exec', '--package', path.join(tmp, tarball), '--', bin, dir, ...args], { env });
  if (!existsSync(path.join(tmp, dir, made))) throw new Error(`npm exec ${bin} wrote no ${made}`);
  rmSync(path.join(tmp, dir), { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  return t;
}
progress(`cold npm exec of each packed tarball, ${n('runs-exec', 3)} interleaved runs each`);
results.exec = await interleaved(n('runs-exec', 3), [
  () => coldExec(pack.filename, 'create-mesibo-app', ['--sandbox', '--yes', '--no-git'], 'web'),
  () => coldExec(vitePack.filename, 'create-vite', ['--template', 'vanilla-ts', '--no-interactive', '--no-immediate'], 'package.json'),
]);
ratioRow('cold npm exec of the tarball, empty cache', ...results.exec, 'ratio <= 0.8', 0.8);
rows.push(['tarball', kib(pack.size), kib(vitePack.size), (pack.size / vitePack.size).toFixed(2), '<= 350 KiB', pack.size <= 350 * 1024]);

// the sandbox from the sources, for the backend phases and the relay --------------------------------------
// Its node:http is wrapped so that every backend request is counted from arrival to the end of its answer.
const countingHttp = {
  name: 'counting-http',
  setup(b) {
    b.onResolve({ filter: /^node:http$/ }, (args) => (args.importer.endsWith(path.join('sandbox', 'server.ts')) ? { path: 'counting-http', namespace: 'bench' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'bench' }, () => ({
      loader: 'js',
      contents: `import * as http from 'node:http';
const stats = (globalThis.__cmaBenchStats = { inFlight: 0, peak: 0, total: 0, firstArrival: 0, lastFinish: 0 });
export * from 'node:http';
export function createServer(handler) {
  return http.createServer((req, res) => {
    const now = performance.now();
    if (stats.total++ === 0) stats.firstArrival = now;
    stats.peak = Math.max(stats.peak, ++stats.inFlight);
    res.once('close', () => { stats.inFlight--; stats.lastFinish = performance.now(); });
    handler(req, res);
  });
}
`,
    }));
  },
};
const sandboxBundle = path.join(tmp, 'sandbox-server.mjs');
await build({
  entryPoints: [path.join(ROOT, 'src', 'sandbox', 'server.ts')],
  outfile: sandboxBundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.18',
  plugins: [countingHttp],
  logLevel: 'warning',
  // The sandbox bundles ws (CommonJS), which requires Node's built-ins.
  banner: { js: "import { createRequire as __cmaCreateRequire } from 'node:module'; const require = __cmaCreateRequire(import.meta.url);" },
});
const sandboxModule = await import(pathToFileURL(sandboxBundle).href);

// 200 users against a slow backend ------------------------------------------------------------------------
const USERS = 200;
progress(`${USERS} users, 50 ms per answer, ${n('runs-users', 1)} runs`);
results.provisioning = [];
for (let i = 0; i < n('runs-users', 1); i++) {
  const stats = globalThis.__cmaBenchStats;
  Object.assign(stats, { inFlight: 0, peak: 0, total: 0, firstArrival: 0, lastFinish: 0 });
  const sandbox = await sandboxModule.startSandbox({ latencyMs: 50 });
  try {
    const dir = freshDir('users');
    const users = Array.from({ length: USERS }, (_, k) => `u${k + 1}`).join(',');
    const wall = await timed([CLI, dir, '--api-url', sandbox.url, '--users', users, '--platforms', 'web', '--yes', '--no-git'], { env: { MESIBO_APP_TOKEN: sandbox.key?.appToken ?? 'bench-app-token' } });
    rmSync(path.join(tmp, dir), { recursive: true, force: true });
    if (stats.total !== USERS) throw new Error(`expected ${USERS} requests at the sandbox, saw ${stats.total}`);
    results.provisioning.push({ wall, window: stats.lastFinish - stats.firstArrival, peak: stats.peak });
  } finally {
    await sandbox.close();
  }
}
const users = spread(results.provisioning.map((p) => p.wall));
rows.push([`${USERS} users, 50 ms per answer`, range(users, ms), '', '', '<= 3000 ms', users.median <= 3000]);

// workshops ---------------------------------------------------------------------------------------------
const workshopRun = workshopBench({ cli: CLI, tmp, sandboxModule, timed, freshDir, concurrency: 8 });
progress(`workshop, 500 seats x 3 appids, 200 ms per answer, ${n('runs-workshop', 1)} run(s)`);
results.workshops = [];
for (let i = 0; i < n('runs-workshop', 1); i++) results.workshops.push(await workshopRun(500, 200));
const w = spread(results.workshops.map((r) => r.ratio));
rows.push(['workshop 500 seats x 3 appids / ideal', range(spread(results.workshops.map((r) => r.wall)), ms), `ideal ${ms(results.workshops[0].ideal)}`, range(w, (x) => x.toFixed(3)), 'ratio <= 1.15', w.median <= 1.15]);
progress('workshop memory, 250 and 1000 seats, 5 ms per answer');
results.memory = { small: await workshopRun(250, 5), large: await workshopRun(1000, 5) };
const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;
const rssRatio = results.memory.large.maxRssKiB / results.memory.small.maxRssKiB;
rows.push(['workshop max RSS, 1000 / 250 seats', mib(results.memory.large.maxRssKiB), mib(results.memory.small.maxRssKiB), rssRatio.toFixed(2), 'ratio <= 1.25', rssRatio <= 1.25]);

// the relay against the bare echo ------------------------------------------------------------------------
progress(`relay and echo, ${n('relay-rounds', 1)} interleaved rounds (pair, then 200 clients for ${n('relay-seconds', 2)} s)`);
results.relay = await relayBench({ sandboxBundle, rounds: n('relay-rounds', 1), seconds: n('relay-seconds', 2) });
const relayNotes = [];
if (results.relay.unavailable) {
  rows.push(['relay', 'not measured', '', '', 'p99 ratio <= 2', false]);
  relayNotes.push(`relay: ${results.relay.unavailable}`);
} else {
  const rounds = results.relay.rounds;
  const ms1 = (x) => `${x.toFixed(2)} ms`;
  for (const [label, ours, floor] of [['relay, two clients', 'relayPair', 'echoPair'], [`relay, ${results.relay.clients} clients at 1 msg/s each`, 'relayLoad', 'echoLoad']]) {
    for (const p of ['p50', 'p99']) {
      const r = spread(rounds.map((x) => x[ours][p] / x[floor][p]));
      const isGoal = p === 'p99';
      rows.push([`${label}: ${p}`, range(spread(rounds.map((x) => x[ours][p])), ms1), range(spread(rounds.map((x) => x[floor][p])), ms1), range(r, (x) => x.toFixed(2)), isGoal ? 'ratio <= 2' : '', isGoal ? r.median <= 2 : undefined]);
    }
  }
  const { messages, rss } = results.relay.memory;
  const grow = rss[1] / rss[0];
  rows.push([`relay RSS after ${messages[1]} / ${messages[0]} messages`, mib(rss[1] / 1024), mib(rss[0] / 1024), grow.toFixed(2), 'ratio <= 1.1', grow <= 1.1]);
}

// report --------------------------------------------------------------------------------------------------
const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m) ?? [])[1] ?? os.cpus()[0]?.model ?? 'unknown';
console.log('');
console.log(`Machine: ${os.availableParallelism()} cores (nproc), ${cpuModel}, Node ${process.version}, ${os.platform()} ${os.release()}`);
console.log(`Load average (1, 5, 15 min) at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}; at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`Each cell: median (min–max). Ratios are of paired interleaved runs; the relay's, of interleaved rounds.`);
console.log('');
const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'FAIL');
console.log(table(['figure', 'create-mesibo-app', `baseline (create-vite ${viteVersion}; echo)`, 'ratio', 'goal', 'result'], rows.map((r) => [...r.slice(0, 5), verdict(r[5])])));
console.log('');
const pv = results.provisioning;
console.log(`${USERS} users: provisioning window ${ms(median(pv.map((p) => p.window)))} (first request to last answer), peak ${Math.max(...pv.map((p) => p.peak))} requests in flight at the server.`);
console.log(`tarball: ${pack.entryCount} files, ${kib(pack.unpackedSize)} unpacked.`);
const wk = results.workshops[0];
console.log(`workshop: ${wk.requests} useradd requests at concurrency 8 (peak ${wk.peak} in flight); ideal ceil(${wk.requests} / 8) x 200 ms.`);
if (!results.relay.unavailable) console.log(`relay: ${results.relay.pings} messages one at a time per pair phase; ${results.relay.clients} clients for ${results.relay.seconds} s per load phase.`);
for (const note of relayNotes) console.log(note);
if (opts.json) console.log(JSON.stringify({ machine: { cores: os.availableParallelism(), cpu: cpuModel, node: process.version }, tarball: { size: pack.size, unpackedSize: pack.unpackedSize, files: pack.entryCount, vite: vitePack.size }, ...results }, null, 2));
const missed = rows.filter((r) => r[5] === false).length;
console.log(missed ? `${missed} goal(s) missed.` : 'All goals met.');
process.exitCode = missed ? 1 : 0;
