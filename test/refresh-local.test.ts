/**
 * Issue 14, item 5: `refresh --api-url <a standalone sandbox>` does not record that loopback address as the
 * project's backend (the next plain refresh then went there, found nothing and blamed an "overloaded"
 * backend). The project stays a sandbox one, whose plain refresh goes to mesibo's servers; and a refused
 * connection to a loopback endpoint says the sandbox is not running and how to go back to mesibo.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { cliEnv, runCli, sandboxUrl, spawnCli } from './support/cli';
import { expectRefusal, expectUnchanged, manifestOf, refresh, refreshFixture, SECRET_FILES, snapshot } from './support/refresh';

const { work, template, freshProject } = refreshFixture();

/**
 * `create-mesibo-app sandbox` of the fixture's sandbox project in its own process, the URL it prints, and the
 * App Token it takes (the one in that project's .mesibo-sandbox.json).
 */
async function standaloneSandbox() {
  const server = spawnCli(['sandbox', template(), '--port', '0'], { cwd: work(), env: cliEnv() });
  const url = await sandboxUrl(server);
  const appToken = JSON.parse(readFileSync(path.join(template(), '.mesibo-sandbox.json'), 'utf8')).appToken as string;
  server.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  return {
    url,
    appToken,
    /** Ctrl-C, as a user stops it; it exits 0 once its port is closed. */
    stop: async () => {
      server.kill('SIGINT');
      expect(await exited).toBe(0);
    },
  };
}

describe('refresh against a standalone sandbox', () => {
  it('keeps the project a sandbox one, so the next plain refresh goes to mesibo, not to the stopped sandbox', async () => {
    const project = freshProject();
    const sandbox = await standaloneSandbox();
    const before = snapshot(project);
    const { result, output } = await refresh(project, ['--api-url', sandbox.url], { MESIBO_APP_TOKEN: sandbox.appToken });
    await sandbox.stop();
    expect(result.exitCode, output).toBe(0);
    expect(manifestOf(project)).toMatchObject({ sandbox: true, endpoint: null });
    expect(output).toContain(`${sandbox.url} is on this machine, so mesibo.json does not record it as the project's backend`);
    expectUnchanged(before, snapshot(project), [...SECRET_FILES, 'mesibo.json']);

    // The next plain refresh: mesibo's servers (it stops at the missing App Token), not the dead address.
    const next = await expectRefusal(project, [], 2, /Backend: mesibo's servers, https:\/\/api\.mesibo\.com\/backend\//, {
      MESIBO_APP_TOKEN: undefined,
    });
    expect(next).not.toContain(sandbox.url);
    expect(next).not.toMatch(/down or overloaded/);
  });

  it('a stopped sandbox given again: exit 1 at once, saying it is not running and how to go back to mesibo', async () => {
    const project = freshProject();
    const sandbox = await standaloneSandbox();
    await sandbox.stop();
    const started = Date.now();
    const output = await expectRefusal(project, ['--api-url', sandbox.url], 1, /Nothing is listening at http:\/\/127\.0\.0\.1:\d+\/backend\/ \(connection refused\)/);
    expect(Date.now() - started).toBeLessThan(10_000); // no retries with backoff for a refused loopback
    expect(output).toMatch(/no sandbox or local backend is running there/);
    expect(output).not.toMatch(/start it again/i); // it may never have been started
    expect(output).toMatch(new RegExp(`sandbox --port ${new URL(sandbox.url).port}\``));
    expect(output).toContain('refresh --api-url https://api.mesibo.com/backend/`');
    expect(output).not.toMatch(/down or overloaded/);
  });
});

describe('create --api-url <a stopped sandbox>', () => {
  it('exits 1 before asking for the App Token, saying the sandbox is not running and how to use mesibo', async () => {
    const sandbox = await standaloneSandbox();
    await sandbox.stop();
    const result = await runCli(['stopped', '--api-url', sandbox.url, '--yes'], {
      cwd: work(),
      env: cliEnv({ MESIBO_APP_TOKEN: 'A'.repeat(64) }),
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.exitCode, output).toBe(1);
    expect(output).toMatch(/Nothing is listening at http:\/\/127\.0\.0\.1:\d+\/backend\/ \(connection refused\)/);
    expect(output).toContain('run the same command without --api-url');
    expect(output).not.toMatch(/down or overloaded/);
    expect(existsSync(path.join(work(), 'stopped'))).toBe(false);
  });
});
