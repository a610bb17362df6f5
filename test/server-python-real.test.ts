/**
 * Issue 22, last Proof bullet: the Python starter in server mode gets its token from the project's token
 * server, under mesibo's real Python module (PyPI mesibo, pinned in src/sdk-versions.json).
 *
 * Runs of the real module never have network (see python-real-sdk.test.ts), so everything runs in one
 * network namespace of our own (`unshare -rn`): its loopback, brought up here, is the only interface, so
 * the sandbox, the token server and the starter reach each other and nothing else. Each of them enters it
 * with `nsenter`, started from here as the project's READMEs say: `sandbox` in the project, `npm start` in
 * server/ with the sandbox's App Token and backend URL, then `python main.py --user 123` in python/, its
 * config.json as generated (it names http://127.0.0.1:8787, the server's own default port, which is free in
 * a fresh namespace). mesibo 2.7.1 refuses to start after its refusal date, so the starter runs under
 * faketime, on a date before it; mesibo then reports AUTHFAIL for a token its servers did not issue.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSandboxKey } from '../src/sandbox/key-file';
import { checkToken, tagIndex } from '../src/sandbox/tokens';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';
import { offlineGate } from './support/python-real';
import { runStarter, starterLines, type PythonRun } from './support/python-starter';
import { pythonSdk } from './support/sdks';
import { assertToolsOrSkip } from './support/tools';

const APPID = 'com.example.app';
const sdk = await pythonSdk();
const offline = offlineGate();
const tools = assertToolsOrSkip(['nsenter', 'faketime', 'python3']);
const skip = sdk.skip || offline.skip || tools.skip;

/**
 * Holds the namespace open (it lasts while a process is in it): brings its loopback up with the ioctl that
 * `ip link set lo up` makes (SIOCGIFFLAGS / SIOCSIFFLAGS, IFF_UP; no iproute2 needed), says "up", then
 * waits for its stdin to close.
 */
const HOLD = String.raw`
import fcntl, socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
flags = struct.unpack("16sh", fcntl.ioctl(s, 0x8913, struct.pack("16sh", b"lo", 0)))[1]
fcntl.ioctl(s, 0x8914, struct.pack("16sh", b"lo", flags | 1))
print("up", flush=True)
sys.stdin.read()
`;

/** One request to the token server from inside the namespace: prints the status, then the body. */
const ASK = `const r = await fetch(process.argv[1] + '/v1/token', { method: 'POST',
  headers: { 'content-type': 'application/json', 'x-passcode': process.env.PASSCODE },
  body: JSON.stringify({ appid: process.argv[2], address: process.argv[3] }) });
console.log(r.status); console.log(await r.text());`;

interface Running {
  child: ResultPromise;
  /** Every line it printed so far, stdout and stderr. */
  lines: string[];
}

/** Starts a long-running process, in its own process group (stopped with all its children at the end). */
function start(argv: string[], cwd: string, env: Record<string, string | undefined>, ready: RegExp): Promise<{ run: Running; match: RegExpExecArray }> {
  const child = execa(argv[0]!, argv.slice(1), { cwd, env, extendEnv: false, stdin: 'ignore', buffer: false, reject: false, detached: true });
  const run: Running = { child, lines: [] };
  running.push(run);
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        run.lines.push(line);
        const match = ready.exec(line);
        if (match) resolve({ run, match });
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    void child.then(() => reject(new Error(`${argv.join(' ')} ended before it was ready:\n${run.lines.join('\n')}`)));
  });
}

const running: Running[] = [];
let holder: ResultPromise | undefined;
let inside: string[];
let dir: string;
let project: string;
let passcode: string;
let appToken: string;
let sandbox: Running;
let server: Running;
let tokenServer: string;

const useradds = () => sandbox.lines.filter((line) => line.includes('backend API: useradd ok')).length;
const tokenPosts = () => server.lines.filter((line) => / POST \/v1\/token \d{3}$/.test(line));

/** The generated starter with the real module's interpreter, in the namespace, on a date mesibo still starts on. */
function starter(user: string): Promise<PythonRun> {
  return runStarter({
    python: sdk.sdk!.python,
    dir: path.join(project, 'python'),
    args: ['--user', user],
    stdin: 'hello\n',
    pycache: path.join(dir, 'pycache'),
    wrapper: [...inside, 'faketime', '2026-11-01 12:00:00'],
  });
}

describe.skipIf(skip)(`the Python starter in server mode, on mesibo's real module ${sdk.reason} ${offline.reason} ${tools.reason}`, () => {
  beforeAll(async () => {
    dir = tempDir('cma-server-python-real-');
    const created = await runCli(['app', '--platforms', 'web,python,server', '--sandbox', '--yes', '--no-git'], { cwd: dir });
    expect(created.exitCode, created.stderr).toBe(0);
    project = path.join(dir, 'app');
    const serverDir = path.join(project, 'server');
    passcode = readFileSync(path.join(serverDir, '.passcode'), 'utf8').trim();
    appToken = parseSandboxKey(readFileSync(path.join(project, '.mesibo-sandbox.json'), 'utf8')).appToken;
    // Outside the namespace: the registry (or npm's cache) is needed for this one.
    const install = await execa('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: serverDir, reject: false, timeout: 300_000 });
    expect(install.exitCode, install.stderr).toBe(0);

    holder = execa('unshare', ['-rn', '--', 'python3', '-c', HOLD], { reject: false, buffer: false });
    await new Promise<void>((resolve, reject) => {
      holder!.stdout!.once('data', () => resolve());
      void holder!.then((result) => reject(new Error(`could not bring up the namespace's loopback: ${String(result.stderr ?? result.exitCode)}`)));
    });
    inside = ['nsenter', '-t', String(holder.pid), '-U', '-n', '--preserve-credentials'];

    // --verbose: the sandbox prints one "backend API: useradd ok" per user the token server creates.
    ({ run: sandbox } = await start([...inside, 'node', CLI, 'sandbox', '--verbose'], project, cliEnv(), /http:\/\/127\.0\.0\.1:\d+\/backend\//));
    const backendUrl = /http:\/\/127\.0\.0\.1:\d+\/backend\//.exec(sandbox.lines.join('\n'))![0];
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, MESIBO_APP_TOKEN: appToken, MESIBO_API_URL: backendUrl };
    let listening: RegExpExecArray;
    ({ run: server, match: listening } = await start([...inside, 'npm', 'start', '--silent'], serverDir, env, /listening on (http:\/\/127\.0\.0\.1:\d+)/));
    tokenServer = listening[1]!;
  }, 400_000);

  afterAll(async () => {
    for (const { child } of running) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await Promise.all(running.map(({ child }) => child));
    holder?.stdin?.end();
    await holder;
    if (dir) removeDir(dir);
  });

  it('logs in with a token it asked the server for (POST /v1/token, one useradd), and mesibo reports AUTHFAIL', async () => {
    const config = JSON.parse(readFileSync(path.join(project, 'python', 'config.json'), 'utf8'));
    expect(config).toEqual({ appId: APPID, tokenServer, users: [{ address: '123' }, { address: '456' }] });
    expect([tokenPosts().length, useradds()]).toEqual([0, 0]);

    const run = await starter('123');
    expect(run.stderr).not.toMatch(/Traceback|Error:/);
    expect(run.exitCode).toBe(1);
    // The server answered one request with a token, for which the sandbox created one user.
    expect(tokenPosts()).toHaveLength(1);
    expect(tokenPosts()[0]).toMatch(/ POST \/v1\/token 201$/);
    expect(useradds()).toBe(1);
    // mesibo's real module got it: its own log lines (start() with the project's appid), then its verdict.
    expect(run.stdout).toContain(`app: ${APPID}`);
    expect(run.stdout).toContain('starting mesibo');
    expect(run.stdout).not.toContain('too old');
    expect(starterLines(run.stdout)).toEqual([
      'App: logging in as 123. Type a message for 456 and press Enter; end of input or Ctrl-C quits.',
      'Connection: AUTHFAIL: the token or appid does not match (tokens only work with the appid they were issued for)',
    ]);
    expect(run.stderr).toContain("Could not log in as '123'.");
    // The token came from the server: the hint is about the server's backend, not about refresh.
    expect(run.stderr).toContain('The token came from the token server at http://127.0.0.1:8787');
    expect(run.stderr).not.toMatch(/refresh/);

    // What it asked for was (123, the python appid): asked again for that pair, the server answers from its
    // cache, and the sandbox creates nobody. The token is one the sandbox itself accepts for 123.
    const again = await execa(inside[0]!, [...inside.slice(1), 'node', '--input-type=module', '-e', ASK, tokenServer, APPID, '123'], {
      env: { PASSCODE: passcode },
      reject: false,
    });
    const [status, body] = String(again.stdout).split('\n');
    expect(status, String(again.stderr)).toBe('201');
    expect(useradds()).toBe(1);
    const key = parseSandboxKey(readFileSync(path.join(project, '.mesibo-sandbox.json'), 'utf8'));
    expect(checkToken(key, tagIndex(key), APPID, JSON.parse(body!).token)).toEqual({ ok: true, address: '123' });

    // No piece of the App Token (8 characters or more) in anything the starter or the server printed.
    for (const text of [run.stdout, run.stderr, ...server.lines]) {
      for (let i = 0; i + 8 <= appToken.length; i++) expect(text.includes(appToken.slice(i, i + 8)), text).toBe(false);
    }
  });

  it('with config.json naming a port no server is on, asks nobody, never loads mesibo, and says how to start it', async () => {
    const file = path.join(project, 'python', 'config.json');
    const original = readFileSync(file, 'utf8');
    const elsewhere = tokenServer.replace(/:\d+$/, ':8788');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(original), tokenServer: elsewhere }));
    const before = [tokenPosts().length, useradds()];
    try {
      const run = await starter('456');
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toMatch(/^Could not reach the token server at http:\/\/127\.0\.0\.1:8788 \(.*\)\. Start it in another terminal: cd \.\.\/server/);
      expect(run.stdout).not.toContain('starting mesibo');
      expect([tokenPosts().length, useradds()]).toEqual(before);
    } finally {
      writeFileSync(file, original);
    }
  });
});
