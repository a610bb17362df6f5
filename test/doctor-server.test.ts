/**
 * doctor on a project with the token server (issue 22, templates/server): its secret file is a
 * development passcode (0600, git-ignored, a placeholder in its committed twin), the App Token is never
 * written in server/, and the starters that ask the server for their tokens (web, Python) hold none,
 * which is right for them. Each way to break it is its own finding, and a healthy one has none.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { commitAll, copyProject, createProject, doctorJson, exposeOffLoopback, kinds, removeDir, run, SDK_STILL_STARTS, tempDir } from './support/doctor';

let work = '';
let healthy = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };
let copies = 0;
const fresh = () => copyProject(healthy, path.join(work, `copy-${++copies}`));

beforeAll(async () => {
  work = tempDir('cma-doctor-server-');
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  healthy = await createProject(work, 'chat', remote.url, ['--platforms', 'web,python,android,server']);
  await commitAll(healthy);
});
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});

describe('doctor and the token server', () => {
  it('a fresh project with the server is healthy: passcode private and git-ignored, no App Token in server/, web and python ask the server', async () => {
    const { code, report } = await doctorJson(healthy);
    expect(report).toEqual({ ok: true, findings: [] });
    expect(code).toBe(0);
    const human = await run(['doctor'], { cwd: healthy, now: SDK_STILL_STARTS });
    expect(human.stdout).toMatch(/^server\n {2}✔ token config: server\/\.passcode holds the token server's passcode \(\d+ characters\)$/m);
    expect(human.stdout).toMatch(/^ {2}✔ private: server\/\.passcode is private \(0600\)$/m);
    expect(human.stdout).toMatch(/^ {2}✔ git-ignored: server\/\.passcode is git-ignored$/m);
    expect(human.stdout).toMatch(/^ {2}✔ App Token: no file in server\/ holds an App Token \(it comes from MESIBO_APP_TOKEN\)$/m);
    expect(human.stdout).toMatch(/^ {2}✔ token config: web\/config\.js holds no token: the starter asks the project's token server \(http:\/\/127\.0\.0\.1:\d+\)$/m);
    const passcode = readFileSync(path.join(healthy, 'server/.passcode'), 'utf8').trim();
    expect(human.output).not.toContain(passcode);
  });

  const cases: Array<[string, (p: string) => void, string[]]> = [
    ['the passcode readable by others (0644)', (p) => chmodSync(path.join(p, 'server/.passcode'), 0o644), ['server permissions']],
    ['the passcode not git-ignored', (p) => writeFileSync(path.join(p, 'server/.gitignore'), 'node_modules/\n'), ['server gitignore']],
    ['the passcode missing', (p) => writeFileSync(path.join(p, 'server/.passcode'), '', { mode: 0o600 }), ['server token-config']],
    ['a short passcode', (p) => writeFileSync(path.join(p, 'server/.passcode'), 'abc123\n', { mode: 0o600 }), ['server token-config']],
    ['the App Token in a .env of server/', (p) => writeFileSync(path.join(p, 'server/.env'), `MESIBO_APP_TOKEN=${TEST_APP_TOKEN}\n`), ['server app-token']],
    [
      'the App Token written into the server source',
      (p) => {
        mkdirSync(path.join(p, 'server/src/extra'), { recursive: true });
        writeFileSync(path.join(p, 'server/src/extra/token.ts'), `export const APP_TOKEN = '${TEST_APP_TOKEN}';\n`);
      },
      ['server app-token'],
    ],
    ['the real passcode in the committed twin', (p) => writeFileSync(path.join(p, 'server/.passcode.example'), readFileSync(path.join(p, 'server/.passcode'))), ['server example']],
  ];

  it.each(cases)('%s: its own finding, exit 1, nothing secret printed', async (_, breakIt, expected) => {
    const project = fresh();
    breakIt(project);
    const { code, report, run: result } = await doctorJson(project);
    expect(kinds(report)).toEqual(expected);
    expect(report.findings.every((f) => f.severity === 'problem')).toBe(true);
    expect(code).toBe(1);
    const passcode = readFileSync(path.join(project, 'server/.passcode'), 'utf8').trim();
    if (passcode.length >= 8) expect(result.output).not.toContain(passcode);
    expect(result.output).not.toContain(TEST_APP_TOKEN.slice(0, 16));
  });
});
