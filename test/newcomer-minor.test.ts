/**
 * The minor items of issue 23, each as a newcomer meets it: a switch given a value, a TLS failure, a command
 * inside a wrapped paragraph, a sandbox that was never started, the help texts, Ctrl-C while users are being
 * created, and the generated README's word on changing an appid. (The hidden App Token prompt is checked in
 * a real terminal in test/interactive.test.ts.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/cli/args';
import { helpFor } from '../src/cli/help';
import { networkReason } from '../src/backend/errors';
import { wrap } from '../src/output/printer';
import { numberedSeats } from '../src/workshop/workshop-plan';
import { CLI, cliEnv, removeDir, runCli, spawnCli, tempDir } from './support/cli';
import { deadPort } from './support/security-backend';
import { startWorkshopBackend } from './support/workshop-backend';

const PROGRAM = `node ${CLI}`;
let work: string;
beforeAll(() => {
  work = tempDir('cma-minor-');
});
afterAll(() => removeDir(work));

function usageMessage(argv: string[]): string {
  try {
    parseCommandLine(argv, PROGRAM, 'linux');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('a switch given a value', () => {
  it.each([['--yes=false', '--yes'], ['--verbose=1', '--verbose'], ['--force=yes', '--force']])('%s names %s', (arg, flag) => {
    const message = usageMessage(['chat', arg]);
    expect(message).toContain(`Option ${flag} is a switch and takes no value: write just ${flag} to turn it on`);
    expect(message).not.toMatch(/-y,|Option -y /);
  });
});

describe('a TLS failure', () => {
  const raw =
    'C0D7B2F2A07F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n';

  it("is one line with OpenSSL's reason and what it means", () => {
    expect(networkReason('ERR_SSL_WRONG_VERSION_NUMBER', raw)).toBe(
      'ERR_SSL_WRONG_VERSION_NUMBER: TLS handshake failed: wrong version number (the server there does not speak TLS; a plain-http backend needs an http:// URL)',
    );
    expect(networkReason('ECONNRESET', 'socket hang up')).toBe('ECONNRESET: socket hang up');
    expect(networkReason('', 'a\n  b')).toBe('a b');
  });

  it('from the built CLI: https to a plain-http server, one clean paragraph', async () => {
    const server: Server = createServer((_req, res) => res.end('plain'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/backend/`;
      const result = await runCli(['tls', '--yes', '--platforms', 'web', '--api-url', url], { cwd: work, env: cliEnv({ MESIBO_APP_TOKEN: 'A'.repeat(64) }) });
      expect(result.exitCode).toBe(1);
      const paragraph = result.stderr.split('\n').find((l) => l.includes('Could not reach the backend'))!;
      expect(paragraph).toContain('TLS handshake failed: wrong version number');
      expect(paragraph).toContain('Check your network and --api-url.'); // the same line: no break inside it
      expect(result.stderr).not.toMatch(/ssl3_record|:error:0A/);
      expect(existsSync(path.join(work, 'tls'))).toBe(false);
    } finally {
      server.close();
    }
  });
});

describe('wrapping', () => {
  it('never breaks a backticked command, even right after a bracket', () => {
    const command = `${PROGRAM} sandbox --port 4000`;
    const lines = wrap(`Nothing listens there. Start it in the project's folder (\`${command}\`) and rerun.`, 40);
    expect(lines.some((l) => l.includes(`(\`${command}\`)`))).toBe(true);
    expect(lines.length).toBeGreaterThan(2);
  });
});

describe('a local backend that was never started', () => {
  it('is not "started again": create --api-url at a port where nothing ever listened', async () => {
    const port = await deadPort();
    const result = await runCli(['never', '--yes', '--api-url', `http://127.0.0.1:${port}/backend/`], { cwd: work, env: cliEnv({ MESIBO_APP_TOKEN: 'A'.repeat(64) }) });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('no sandbox or local backend is running there');
    expect(result.stderr).not.toMatch(/start it again|that was there/i);
  });
});

describe('help', () => {
  it('the main help lists every command, workshop and announce included', () => {
    const text = helpFor('create', PROGRAM);
    for (const command of ['sandbox', 'refresh', 'doctor', 'workshop [dir]', 'workshop announce [dir]', 'help']) {
      expect(text).toContain(`create-mesibo-app ${command}`);
    }
  });

  it("the workshop help names seats as the tool makes them", () => {
    const text = helpFor('workshop', PROGRAM);
    expect(numberedSeats(9).map((s) => s.address)).toEqual(['seat-1', 'seat-2', 'seat-3', 'seat-4', 'seat-5', 'seat-6', 'seat-7', 'seat-8', 'seat-9']);
    expect(text).toContain('seat-1 … seat-9');
    expect(numberedSeats(30).map((s) => s.address)).toEqual(expect.arrayContaining(['seat-01', 'seat-30']));
    expect(text).toContain('seat-01 … seat-30');
    expect(numberedSeats(100)[0]!.address).toBe('seat-001');
    expect(text).toContain('seat-001 … seat-100');
    expect(text).not.toContain('seat-01, seat-02');
  });
});

describe('Ctrl-C while users are being created', () => {
  it('says nothing was written and that requests already sent may have created users', async () => {
    const backend = await startWorkshopBackend({ hold: () => true });
    try {
      const run = spawnCli(['stopped-chat', '--yes', '--platforms', 'web', '--api-url', backend.url], { cwd: work, env: cliEnv({ MESIBO_APP_TOKEN: 'A'.repeat(64) }) });
      let stderr = '';
      run.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await expect.poll(() => backend.requests.length, { timeout: 20_000 }).toBeGreaterThan(0);
      run.kill('SIGINT');
      const result = await run;
      expect(result.exitCode).toBe(130);
      expect(stderr).toContain('Cancelled (SIGINT); nothing was written.');
      expect(stderr).toContain(`Requests already sent to ${backend.url} while creating users may have created users there.`);
      expect(readdirSync(work)).not.toContain('stopped-chat');
    } finally {
      backend.release();
      await backend.close();
    }
  });
});

describe("the generated README on changing an appid", () => {
  it('says to run refresh, which detects the change and asks; never to edit mesibo.json by hand', async () => {
    const result = await runCli(['readme', '--sandbox', '--yes', '--no-git', '--platforms', 'web,android'], { cwd: work });
    expect(result.exitCode, result.stderr).toBe(0);
    const readme = readFileSync(path.join(work, 'readme', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).not.toMatch(/change that platform's `appId` in `mesibo.json`/);
    expect(readme).toContain("run refresh (see Tokens below). It reads each starter's appid from its build, shows what changed and asks");
    expect(readme).toContain('do not edit that file by hand');
  });
});
