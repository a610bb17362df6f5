/**
 * Issue 12, case 3: a committed mesibo.json whose endpoint was changed to another server made
 * `MESIBO_APP_TOKEN=… refresh` send the App Token there. Now the App Token goes only to a backend chosen or
 * confirmed in this run: a recorded endpoint other than mesibo's needs --api-url again, or a yes at a prompt;
 * without a terminal, exit 2 naming it. The recorded endpoint also meets --api-url's policy (plain http to
 * another machine needs --allow-http).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cliEnv } from './support/cli';
import { TEST_APP_TOKEN } from './support/fake-backend';
import { fakeToken } from './support/render';
import { expectRefusal, filesHolding, manifestOf, refresh, refreshFixture } from './support/refresh';
import { assertToolsOrSkip } from './support/tools';

const { freshProject } = refreshFixture();

/** Another server, on 127.0.0.2: it records every request, and answers as mesibo would. */
async function otherServer(): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      const user = JSON.parse(body || '{}').user ?? {};
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ op: 'useradd', result: true, user: { uid: '77', token: fakeToken(`other:${user.address}`, user.token?.appid ?? '') } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return { url: `http://127.0.0.2:${(server.address() as AddressInfo).port}/backend/`, bodies, server };
}

let other: Awaited<ReturnType<typeof otherServer>> | undefined;
afterEach(async () => {
  if (other) await new Promise((resolve) => (other!.server.closeAllConnections(), other!.server.close(resolve)));
  other = undefined;
});

/** A project whose committed mesibo.json was changed to name `endpoint` as its backend. */
function projectPointingAt(endpoint: string): string {
  const project = freshProject();
  writeFileSync(path.join(project, 'mesibo.json'), `${JSON.stringify({ ...manifestOf(project), sandbox: false, endpoint }, null, 2)}\n`);
  return project;
}

describe('a recorded endpoint that is not mesibo\'s', () => {
  it('gets no request and no App Token from MESIBO_APP_TOKEN=… refresh: exit 2 naming it', async () => {
    other = await otherServer();
    const project = projectPointingAt(other.url);
    const output = await expectRefusal(project, [], 2, new RegExp(`mesibo\\.json names "${other.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" as this project's backend`));
    expect(output).toContain(`run refresh again with --api-url "${other.url}"`);
    expect(output).toMatch(/restore mesibo\.json from git/);
    expect(other.bodies).toEqual([]);
  });

  it('is used when --api-url names it again in this run', async () => {
    other = await otherServer();
    const project = projectPointingAt(other.url);
    const { result, output } = await refresh(project, ['--api-url', other.url]);
    expect(result.exitCode, output).toBe(0);
    expect(other.bodies.length).toBeGreaterThan(0);
    expect(other.bodies.every((b) => JSON.parse(b).token === TEST_APP_TOKEN)).toBe(true);
  });

  it('plain http to another machine, recorded: exit 2 without --allow-http, before anything is sent', async () => {
    const project = projectPointingAt('http://backend.invalid/backend/');
    await expectRefusal(project, [], 2, /The endpoint in mesibo\.json, "http:\/\/backend\.invalid\/backend\/" uses plain http to backend\.invalid.*--allow-http/s);
  });

  describe('in a terminal', () => {
    const tools = assertToolsOrSkip(['python3']);
    const ptyRun = path.join(import.meta.dirname, 'support', 'pty-run.py');
    const run = (project: string, steps: string[][]) =>
      execa('python3', [ptyRun, JSON.stringify(steps), 'node', CLI, 'refresh'], {
        cwd: project,
        env: cliEnv({ TERM: 'xterm' }),
        extendEnv: false,
        reject: false,
        timeout: 40_000,
      });

    it.skipIf(tools.skip)('asks before the App Token is asked for; no sends nothing, exit 2', async () => {
      other = await otherServer();
      const project = projectPointingAt(other.url);
      const result = await run(project, [['Send your App Token there?', 'n\r']]);
      const transcript = String(result.stdout);
      expect(result.exitCode, transcript).toBe(2);
      expect(transcript).toContain(`mesibo.json names ${other.url} as this project's backend (not mesibo's)`);
      expect(transcript).not.toContain('mesibo App Token ('); // the App Token question never came
      expect(transcript).toMatch(/Nothing was sent to/);
      expect(other.bodies).toEqual([]);
    });

    it.skipIf(tools.skip)('yes, then the App Token: the tokens come from there', async () => {
      other = await otherServer();
      const project = projectPointingAt(other.url);
      const result = await run(project, [
        ['Send your App Token there?', 'y\r'],
        ['mesibo App Token (', `${TEST_APP_TOKEN}\r`],
      ]);
      const transcript = String(result.stdout);
      expect(result.exitCode, transcript).toBe(0);
      expect(transcript).not.toContain(TEST_APP_TOKEN);
      expect(other.bodies.length).toBeGreaterThan(0);
      expect(filesHolding(project, TEST_APP_TOKEN)).toEqual([]);
    });
  });
});
