/**
 * Every command the tool prints runs as printed (issue 23). A sandbox create, a sandbox workshop and a
 * workshop against a project's sandbox are made with the built CLI from a checkout; then every command is
 * extracted from what they printed, from the hints and errors a newcomer meets (help, a mistyped command,
 * refresh and doctor outside a project, doctor's fixes) and from the files they wrote (READMEs, AGENTS.md,
 * handouts). Nothing here lists the commands: other commands printed tomorrow are checked the same way.
 *
 * - every command starts with something a reader can run: never the bare `create-mesibo-app`, which is no
 *   command on a machine that never installed it; a `node <path>` or `npx file:<path>` names a file that exists;
 * - every `cd` reaches a folder, from where the text around it says;
 * - the safe ones run: help, doctor, refresh (as printed, against mesibo's backend through a refusing proxy,
 *   so it must get as far as sending; and with --sandbox added, to the end), announce against the sandbox,
 *   and the long-running ones, each started, checked and stopped with Ctrl-C: the sandbox (it serves its
 *   script, then exits 0) and the web starter's npm start (its first printed keyed link gets the page its
 *   config, with every user's token). None may be "not found" or refused as bad usage (exit 2).
 * The published form (`npx create-mesibo-app@<version>`) is run through this checkout instead: it is not on
 * the registry yet, and the test never leaves the machine.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, removeDir, runCli, sandboxUrl, spawnCli, tempDir } from './support/cli';
import { startProxy, deadPort, type TestProxy } from './support/security-backend';
import { fetchPageConfig, fromConsole, fromHtml, fromMarkdown, hasPlaceholder, startPrinted, type Printed, type Started } from './support/printed-commands';

const THIS_CHECKOUT = `node ${CLI}`;
const TOOL = /^(?:node (\S+|"[^"]+"|'[^']+')|npx (file:\S+|create-mesibo-app@\S+)|pnpm dlx create-mesibo-app@\S+|yarn dlx create-mesibo-app@\S+|bunx create-mesibo-app@\S+)(?=\s|$)/;
/** How a package manager runs the web starter's server (src/report/invocation.ts runScript). */
const START = /^(?:npm start|pnpm start|yarn start|bun run start)$/;
const APP_TOKEN = 'PrintedCommandsAppToken0123456789abcdefghijklmnopqrstuvwxyzABCDE';

let work: string;
const printed: Printed[] = [];

/** Files a reader reads for commands, below `dir` (not .git, not node_modules). */
function readable(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isFile(): boolean }>)
    .filter((e) => e.isFile() && /^(README\.md|AGENTS\.md|handout\.html)$/.test(e.name) && !/[\\/](\.git|node_modules)([\\/]|$)/.test(e.parentPath))
    .map((e) => path.join(e.parentPath, e.name));
}

async function collect(args: string[], cwd: string, env = cliEnv()) {
  const result = await runCli(args, { cwd, env });
  const source = `output of ${args.join(' ')} (in ${path.relative(work, cwd) || '.'})`;
  printed.push(...fromConsole(`${result.stdout}\n${result.stderr}`, cwd, source, path.join(work, 'my-chat')));
  return result;
}

let sandbox: ReturnType<typeof spawnCli>;
let sandboxToken: string;
let proxy: TestProxy;

beforeAll(async () => {
  work = tempDir('cma-printed-');
  const made = await collect(['my-chat', '--sandbox', '--yes'], work);
  expect(made.exitCode, made.stderr).toBe(0);
  const room = await collect(['workshop', 'room', '--seats', '2', '--sandbox', '--yes', '--platforms', 'web,python'], work);
  expect(room.exitCode, room.stderr).toBe(0);
  // A workshop against the project's own sandbox (any free port), whose announce step can run.
  sandbox = spawnCli(['sandbox', 'my-chat', '--port', '0'], { cwd: work });
  const url = await sandboxUrl(sandbox);
  sandboxToken = JSON.parse(readFileSync(path.join(work, 'my-chat', '.mesibo-sandbox.json'), 'utf8')).appToken;
  const hosted = await collect(['workshop', 'room-2', '--seats', '2', '--platforms', 'web', '--api-url', url], work, cliEnv({ MESIBO_APP_TOKEN: sandboxToken }));
  expect(hosted.exitCode, hosted.stderr).toBe(0);
  // The hints and errors of a newcomer's first mistakes, and the help texts.
  for (const args of [['refresh'], ['doctor'], ['refesh'], ['C:\\Users\\me\\my-chat'], ['--yes=false'], ['--help']]) await collect(args, work);
  for (const topic of ['refresh', 'doctor', 'sandbox', 'workshop']) await collect(['help', topic], work);
  await collect(['doctor'], path.join(work, 'my-chat', 'web'));
  for (const file of [...readable(path.join(work, 'my-chat')), ...readable(path.join(work, 'room')), ...readable(path.join(work, 'room-2'))]) {
    const text = readFileSync(file, 'utf8');
    printed.push(...(file.endsWith('.html') ? fromHtml(text, file) : fromMarkdown(text, file)));
  }
  proxy = await startProxy(await deadPort(), { refuse: 502 });
}, 60_000);

afterAll(async () => {
  sandbox?.kill('SIGINT');
  await sandbox;
  await proxy?.close();
  removeDir(work);
});

const where = (p: Printed) => `${p.text}   [${p.source.startsWith(work) ? path.relative(work, p.source) : p.source}, in ${path.relative(work, p.cwd) || '.'}]`;
const words = (text: string) => text.replace(/^(?:[A-Z_]+=\S*\s+)+/, '').split(/\s+/);

describe('every command printed by a sandbox create and workshop, their files, hints and errors', () => {
  it('finds commands of every kind in them (the extraction itself works)', () => {
    const texts = printed.map((p) => p.text);
    for (const kind of [/^cd /, / refresh$/, / doctor$/, / workshop announce /, / sandbox$/, /--help$|help \w+$/, /^npm start$/, /^python3? /, /^cmake /]) {
      expect(texts.some((t) => kind.test(t)), `no command matching ${kind} in:\n${texts.join('\n')}`).toBe(true);
    }
  });

  it('each starts with a program the reader has: never the bare tool name, and a tool path that exists', () => {
    const problems: string[] = [];
    for (const p of printed.filter((x) => !hasPlaceholder(x.text))) {
      const first = words(p.text)[0]!;
      if (first === 'create-mesibo-app') problems.push(`not found (no such program): ${where(p)}`);
      const tool = TOOL.exec(words(p.text).join(' '));
      const file = tool?.[1] ?? (tool?.[2]?.startsWith('file:') ? tool[2].slice(5) : undefined);
      if (file && !existsSync(file.replace(/^(['"])(.*)\1$/, '$2'))) problems.push(`names a file that is not there: ${where(p)}`);
    }
    expect(problems).toEqual([]);
  });

  it('each cd reaches a folder', () => {
    const problems = printed
      .filter((p) => p.text.startsWith('cd ') && !hasPlaceholder(p.text))
      .filter((p) => {
        const target = path.resolve(p.cwd, p.text.slice(3).trim().replace(/^(['"])(.*)\1$/, '$2'));
        return !existsSync(target) || !statSync(target).isDirectory();
      })
      .map(where);
    expect(problems).toEqual([]);
  });

  it('the safe ones run as printed: help, doctor, refresh, announce, and the long-running sandbox and npm start', async () => {
    const problems: string[] = [];
    const ran = new Map<string, number>();
    const seen = new Set<string>();
    for (const p of printed) {
      if (START.test(p.text) && !seen.has(`${p.text}|${p.cwd}`)) {
        // The web starter's server, where the text around it says (its `cd` included).
        seen.add(`${p.text}|${p.cwd}`);
        ran.set('start', (ran.get('start') ?? 0) + 1);
        const problem = await runStart(p.text, p.cwd);
        if (problem) problems.push(`${problem}: ${where(p)}`);
        continue;
      }
      const tool = TOOL.exec(p.text);
      if (!tool || hasPlaceholder(p.text)) continue;
      // The published form is not on the registry yet: the same command through this checkout.
      const command = `${THIS_CHECKOUT}${p.text.slice(tool[0].length)}`;
      const args = command.slice(THIS_CHECKOUT.length).trim().split(/\s+/);
      const kind = args.includes('--help') || args.includes('-h') || args[0] === 'help' ? 'help'
        : args[0] === 'workshop' && args[1] === 'announce' ? 'announce'
        : ['doctor', 'refresh', 'sandbox'].includes(args[0]!) ? args[0]!
        : undefined;
      if (!kind || seen.has(`${command}|${p.cwd}`)) continue;
      seen.add(`${command}|${p.cwd}`);
      ran.set(kind, (ran.get(kind) ?? 0) + 1);
      const problem = await runSafe(kind, command, p.cwd);
      if (problem) problems.push(`${problem}: ${where(p)}`);
    }
    expect(problems).toEqual([]);
    for (const kind of ['help', 'doctor', 'refresh', 'announce', 'sandbox', 'start']) expect(ran.get(kind), `ran no ${kind}`).toBeGreaterThan(0);
  }, 240_000);
});

/** Runs one safe command; what went wrong, or undefined. */
async function runSafe(kind: string, command: string, cwd: string): Promise<string | undefined> {
  const sh = (line: string, env: Record<string, string | undefined>) =>
    execa('sh', ['-c', line], { cwd, env: cliEnv(env), extendEnv: false, reject: false, timeout: 30_000 });
  const refused = (r: { exitCode?: number; stdout: string; stderr: string }) =>
    r.exitCode === 127 || /not found/.test(r.stderr) ? `not found (${r.stderr.trim().slice(0, 200)})` : r.exitCode === 2 ? `refused, exit 2: ${r.stderr.trim().slice(0, 300)}` : undefined;
  if (kind === 'help') {
    const r = await sh(command, {});
    return refused(r) ?? (r.exitCode === 0 ? undefined : `exit ${r.exitCode}: ${r.stderr.trim().slice(0, 200)}`);
  }
  if (kind === 'doctor') {
    const r = await sh(command, {});
    return refused(r) ?? (r.exitCode === 0 || r.exitCode === 1 ? undefined : `exit ${r.exitCode}: ${r.stderr.trim().slice(0, 200)}`);
  }
  if (kind === 'announce') {
    const r = await sh(command, { MESIBO_APP_TOKEN: sandboxToken });
    return refused(r) ?? (r.exitCode === 0 ? undefined : `exit ${r.exitCode}: ${r.stderr.trim().slice(0, 300)}`);
  }
  if (kind === 'refresh') {
    // As printed: to mesibo's backend, through a proxy that refuses, so nothing leaves the machine.
    const before = proxy.tunnels.length;
    const asPrinted = await sh(command, { MESIBO_APP_TOKEN: APP_TOKEN, HTTPS_PROXY: proxy.url, CREATE_MESIBO_APP_MAX_ATTEMPTS: '1' });
    const problem = refused(asPrinted);
    if (problem) return problem;
    if (proxy.tunnels.length === before && !/--api-url/.test(command)) return `sent nothing (exit ${asPrinted.exitCode}): ${asPrinted.stderr.trim().slice(0, 300)}`;
    const sandboxed = await sh(`${command} --sandbox`, {});
    return refused(sandboxed) ?? (sandboxed.exitCode === 0 ? undefined : `with --sandbox, exit ${sandboxed.exitCode}: ${sandboxed.stderr.trim().slice(0, 300)}`);
  }
  // The sandbox runs until Ctrl-C: it starts, serves its script, and stops with 0 on Ctrl-C. On any free port
  // (--port 0 added, or put for a printed one): the recorded one may be taken on a test machine, and a workshop
  // seat's names the port of this test's own running sandbox, which is not the text's fault.
  let sandbox: Started;
  try {
    sandbox = await startPrinted(/ --port \d+/.test(command) ? command.replace(/ --port \d+/, ' --port 0') : `${command} --port 0`, cwd, 'sandbox');
  } catch (error) {
    return /exit(ed)? .*127|not found/.test(String(error)) ? 'not found' : `did not start: ${String(error).slice(0, 300)}`;
  }
  try {
    const script = await fetch(new URL('/mesibo.js', sandbox.url));
    if (script.status !== 200) return `started, but its script answered ${script.status}`;
  } finally {
    const code = await sandbox.stop();
    if (code !== 0) return `Ctrl-C ended it with exit ${code}`;
  }
  return undefined;
}

/**
 * npm start (or its pnpm, yarn, bun form) runs until Ctrl-C: it starts (on any free port, PORT=0: 8080 may be
 * taken here), prints a link per user with its run's key, and the first one gets the page its config, with a
 * token for every user; then Ctrl-C stops it.
 */
async function runStart(command: string, cwd: string): Promise<string | undefined> {
  let web: Started;
  try {
    web = await startPrinted(command, cwd, 'npm start', { PORT: '0' });
  } catch (error) {
    return `did not start: ${String(error).slice(0, 300)}`;
  }
  try {
    const config = await fetchPageConfig(web.links()[0]!);
    if (config.users.length === 0 || config.users.some((u) => typeof u.token !== 'string' || u.token === '')) return 'its page got no tokens';
    await web.printedLinks(config.users.length);
  } catch (error) {
    return `served, but: ${String(error).slice(0, 300)}`;
  } finally {
    await web.stop();
  }
  return undefined;
}
