/**
 * Issue 21 end to end with the built CLI: `create --sandbox` writes the key file (0600, git-ignored, never in
 * the first commit); `create-mesibo-app sandbox` run in the project (or below it) accepts the web starter's
 * tokens from config.js, again after a restart, and refuses another project's with AUTHFAIL; its backend API
 * issues tokens only for the App Token in the key file, and the users it adds are kept for later runs;
 * `refresh --sandbox` issues tokens the project's sandbox accepts; bad input is one paragraph with exit 2.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import vm from 'node:vm';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRelay, parseSandboxKey, SANDBOX_FILE } from '../src/sandbox/index';
import { cliEnv, removeDir, runCli, spawnCli, tempDir } from './support/cli';

let work: string;
beforeAll(async () => {
  work = tempDir('cma-sandbox-');
  for (const name of ['first', 'second']) {
    const made = await runCli([name, '--sandbox', '--yes', '--platforms', 'web,python'], { cwd: work, env: cliEnv({ GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' }) });
    expect(made.exitCode, String(made.stderr)).toBe(0);
  }
});
afterAll(() => removeDir(work));

/** The web starter's config.js, as serve.mjs reads it. */
function webConfig(project: string): { appId: string; sdk: string; users: Array<{ address: string; token: string }> } {
  const context = { window: {} as Record<string, any> };
  vm.runInNewContext(readFileSync(path.join(work, project, 'web', 'config.js'), 'utf8'), context);
  return context.window.MESIBO_CONFIG;
}

/** `sandbox` as a process of its own (any free port), once it says where it listens. */
async function runSandbox(args: string[], cwd: string) {
  const child = spawnCli(['sandbox', '--port', '0', ...args], { cwd });
  let out = '';
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`sandbox exited early: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    port,
    relay: `ws://127.0.0.1:${port}/relay`,
    backend: `http://127.0.0.1:${port}/backend/`,
    output: () => out,
    stop: async () => {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    },
  };
}

async function statusFor(relay: string, appid: string, token: string): Promise<number | undefined> {
  const client = await connectRelay({ relay }, { appid, token });
  client.close();
  return client.status;
}

describe('create --sandbox', () => {
  it('writes the key file private (0600), git-ignored and out of the first commit, and points the web page at the sandbox', async () => {
    const file = path.join(work, 'first', SANDBOX_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = parseSandboxKey(readFileSync(file, 'utf8'));
    expect(key.port).toBe(8092);
    expect([...key.users.keys()]).toEqual(['123', '456']);
    const ignored = await execa('git', ['check-ignore', '-q', SANDBOX_FILE], { cwd: path.join(work, 'first'), reject: false });
    expect(ignored.exitCode).toBe(0);
    const committed = await execa('git', ['ls-tree', '-r', '--name-only', 'HEAD'], { cwd: path.join(work, 'first'), reject: false });
    expect(committed.exitCode, String(committed.stderr)).toBe(0);
    expect(String(committed.stdout).split('\n')).not.toContain(SANDBOX_FILE);
    expect(String(committed.stdout)).toContain('mesibo.json');
    expect(webConfig('first').sdk).toBe('http://127.0.0.1:8092/mesibo.js');
    // The key file's secrets are in no other file of the project.
    const readme = readFileSync(path.join(work, 'first', 'README.md'), 'utf8') + readFileSync(path.join(work, 'first', 'web', 'config.js'), 'utf8');
    expect(readme).not.toContain(key.appToken.slice(0, 8));
    expect(readme).not.toContain(key.key.slice(0, 8));
  });
});

describe('create-mesibo-app sandbox', () => {
  it("accepts the project's tokens in every run (started from a subfolder too), and refuses another project's with AUTHFAIL", async () => {
    const { appId, users } = webConfig('first');
    const other = webConfig('second');
    for (const cwd of [path.join(work, 'first'), path.join(work, 'first', 'web')]) {
      const sandbox = await runSandbox([], cwd);
      expect(sandbox.output()).toContain('this computer only; not mesibo');
      for (const u of users) expect(await statusFor(sandbox.relay, appId, u.token), u.address).toBe(1);
      expect(await statusFor(sandbox.relay, other.appId, other.users[0]!.token)).toBe(4);
      expect(await statusFor(sandbox.relay, 'com.example.another', users[0]!.token)).toBe(4);
      // It says who signed in and why a page was refused, and never a token.
      for (let i = 0; i < 100 && !/refused a page with AUTHFAIL[^\n]*\n[^]*refused a page with AUTHFAIL/.test(sandbox.output()); i++) await new Promise((r) => setTimeout(r, 20));
      expect(sandbox.output()).toContain('page signed in as "123"');
      expect(sandbox.output()).toMatch(/refused a page with AUTHFAIL: its token was not issued by this project's sandbox for the page's appid/);
      for (const u of [...users, ...other.users]) expect(sandbox.output()).not.toContain(u.token.slice(0, 8));
      await sandbox.stop();
    }
  });

  it('issues tokens only for the App Token in the key file, through the command it prints, and keeps the users it adds', async () => {
    const project = path.join(work, 'first');
    const sandbox = await runSandbox([project], work);
    const useradd = (token: string) =>
      fetch(sandbox.backend, { method: 'POST', body: JSON.stringify({ op: 'useradd', token, user: { address: 'seat-9', token: { appid: 'com.example.first', expiry: 60 } } }) }).then((r) => r.json() as Promise<any>);
    expect(await useradd('anything-goes')).toMatchObject({ result: false, error: 'AUTHFAIL' });
    // The printed way to the App Token runs as printed, and never shows it.
    const printed = /export MESIBO_APP_TOKEN="(\$\(node -p .*\))"/.exec(sandbox.output())?.[1];
    expect(printed).toBeDefined();
    const appToken = String((await execa('bash', ['-c', `printf %s "${printed}"`])).stdout);
    expect(appToken).toMatch(/^[0-9a-z]{64}$/);
    expect(sandbox.output()).not.toContain(appToken.slice(0, 8));
    const answer = await useradd(appToken);
    expect(answer).toMatchObject({ result: true, user: { token: expect.stringMatching(/^[0-9a-z]{64}$/) } });
    await sandbox.stop();
    expect(statSync(path.join(project, SANDBOX_FILE)).mode & 0o777).toBe(0o600);
    const again = await runSandbox([], project);
    expect(await statusFor(again.relay, 'com.example.first', answer.user.token)).toBe(1);
    await again.stop();
  });

  it("issues a create's tokens through mesibo's older GET form too (--api-url …/api.php), and accepts them", async () => {
    const project = path.join(work, 'first');
    const sandbox = await runSandbox([project], work);
    const appToken = parseSandboxKey(readFileSync(path.join(project, SANDBOX_FILE), 'utf8')).appToken;
    const made = await runCli(['via-legacy', '--yes', '--no-git', '--platforms', 'web', '--app-id', 'com.example.first', '--api-url', `http://127.0.0.1:${sandbox.port}/api.php`], {
      cwd: work,
      env: cliEnv({ MESIBO_APP_TOKEN: appToken }),
    });
    expect(made.exitCode, String(made.stderr)).toBe(0);
    const { users } = webConfig('via-legacy');
    expect(await statusFor(sandbox.relay, 'com.example.first', users[0]!.token)).toBe(1);
    await sandbox.stop();
  });

  it('after refresh --sandbox, accepts the new tokens', async () => {
    const before = webConfig('second').users[0]!.token;
    const refreshed = await runCli(['refresh', 'second', '--sandbox', '--yes'], { cwd: work });
    expect(refreshed.exitCode, String(refreshed.stderr)).toBe(0);
    const { appId, users, sdk } = webConfig('second');
    expect(users[0]!.token).not.toBe(before);
    expect(sdk).toBe('http://127.0.0.1:8092/mesibo.js');
    const sandbox = await runSandbox([], path.join(work, 'second'));
    expect(await statusFor(sandbox.relay, appId, users[0]!.token)).toBe(1);
    await sandbox.stop();
  });

  it('refuses, with exit 2 and one paragraph naming the fix: no project, a project without key file, a bad --web-port, a port in use', async () => {
    const none = await runCli(['sandbox'], { cwd: work });
    expect(none.exitCode).toBe(2);
    expect(String(none.stderr)).toMatch(/No mesibo project in "\." or any folder above it \(no mesibo\.json\).*--sandbox/s);

    const bare = tempDir('cma-sandbox-nokey-');
    try {
      const made = await runCli(['plain', '--sandbox', '--yes', '--no-git', '--platforms', 'web'], { cwd: bare });
      expect(made.exitCode).toBe(0);
      rmSync(path.join(bare, 'plain', SANDBOX_FILE));
      const missing = await runCli(['sandbox', 'plain'], { cwd: bare });
      expect(missing.exitCode).toBe(2);
      expect(String(missing.stderr)).toMatch(/plain has no \.mesibo-sandbox\.json, so it is not a sandbox project/);
      expect(String(missing.stderr)).not.toMatch(/\n\s+at /);
    } finally {
      removeDir(bare);
    }

    const badPort = await runCli(['sandbox', 'first', '--web-port', '0'], { cwd: work });
    expect(badPort.exitCode).toBe(2);
    expect(String(badPort.stderr)).toMatch(/--web-port "0" must be a port number from 1 to 65535/);

    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as { port: number }).port;
      const inUse = await runCli(['sandbox', 'first', '--port', String(port)], { cwd: work });
      expect(inUse.exitCode).toBe(2);
      expect(String(inUse.stderr)).toMatch(new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port} \\(the port is in use`));
    } finally {
      busy.close();
    }
  });
});
