/**
 * Hints that run the tool again use the invocation that ran it (issue 23 item 3): a checkout's
 * `node <path>/dist/index.js`, not the bare `create-mesibo-app`, which is no command on a machine that never
 * installed it. The workshop's announce step carries the --api-url it needs, and runs as printed; the
 * Android Gradle hint names the form that made the project first and the published one second.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceCommand } from '../src/workshop/summary';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';
import { startWorkshopBackend, WORKSHOP_APP_TOKEN, type WorkshopBackend } from './support/workshop-backend';
import { frozenPlan } from '../src/plan/plan';
import { projectTemplates, renderProject } from '../src/render/project';
import { loadTemplates } from '../src/render/templates';
import { PUBLISHED_HINTS, type ToolHints } from '../src/render/template-data';
import { fakeToken } from './support/render';

const PROGRAM = `node ${CLI}`;

describe('"not inside a project"', () => {
  let empty: string;
  beforeAll(() => {
    empty = tempDir('cma-nowhere-');
  });
  afterAll(() => removeDir(empty));

  it('refresh names itself as it was run', async () => {
    const result = await runCli(['refresh', '--yes'], { cwd: empty });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Run \`${PROGRAM} refresh\` in the project's folder`);
    expect(result.stderr).toContain(`to make a new project: \`${PROGRAM} my-chat\``);
    expect(result.stderr).not.toMatch(/\(create-mesibo-app refresh|run create-mesibo-app to/);
  });

  it("refresh of a project whose mesibo.json is broken says how to make a new one, as this tool was run", async () => {
    const broken = path.join(empty, 'broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'mesibo.json'), '{');
    const result = await runCli(['refresh', 'broken', '--yes'], { cwd: empty });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`or run \`${PROGRAM} my-chat\` to make a new project`);
    expect(result.stderr).not.toMatch(/run create-mesibo-app /);
  });

  it('announce outside a workshop folder says how to set one up, as this tool was run', async () => {
    const result = await runCli(['workshop', 'announce', '--text', 'Welcome!'], { cwd: empty });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Set one up first: ${PROGRAM} workshop <dir> --seats <n>.`);
    expect(result.stderr).not.toMatch(/(^|\s)create-mesibo-app workshop/);
  });

  it('doctor names itself as it was run', async () => {
    const result = await runCli(['doctor'], { cwd: empty });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`Run \`${PROGRAM} doctor\` inside a project (or give its folder: \`${PROGRAM} doctor <folder>\`)`);
    expect(result.stderr).not.toContain('create-mesibo-app doctor');
  });
});

describe("the workshop's announce step", () => {
  let backend: WorkshopBackend;
  let work: string;
  beforeAll(async () => {
    backend = await startWorkshopBackend();
    work = tempDir('cma-announce-');
  });
  afterAll(async () => {
    await backend.close();
    removeDir(work);
  });

  it('runs as printed: the invocation, the folder and the --api-url the workshop was made on', async () => {
    const env = cliEnv({ MESIBO_APP_TOKEN: WORKSHOP_APP_TOKEN });
    const made = await runCli(['workshop', 'room-1', '--seats', '2', '--platforms', 'web', '--api-url', backend.url], { cwd: work, env });
    expect(made.exitCode, made.stderr).toBe(0);
    const line = made.stdout.split('\n').map((l) => l.trim()).find((l) => l.includes(' workshop announce '));
    expect(line).toBe(`${PROGRAM} workshop announce room-1 --api-url ${backend.url} --text "Welcome!"`);
    const sent = await execa('sh', ['-c', line!], { cwd: work, env, extendEnv: false, reject: false });
    expect(sent.exitCode, sent.stderr).toBe(0);
    expect(backend.messages.map((m) => m.message)).toContain('Welcome!');
  });

  it("announce in a --sandbox workshop names a project's sandbox to set one up against, as this tool was run", async () => {
    const made = await runCli(['workshop', 'room-s', '--seats', '2', '--platforms', 'web', '--sandbox', '--yes'], { cwd: work });
    expect(made.exitCode, made.stderr).toBe(0);
    const result = await runCli(['workshop', 'announce', 'room-s', '--text', 'Welcome!'], { cwd: work });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`(or a project's local sandbox, ${PROGRAM} sandbox <project>, with --api-url)`);
    expect(result.stderr).not.toMatch(/(^|\s)create-mesibo-app sandbox/);
  });

  it('adds --allow-http where the endpoint needs it, and nothing for mesibo\'s own', () => {
    const again = (endpoint: string) => announceCommand('room 1', { program: 'npx create-mesibo-app@0.1.0', endpoint });
    expect(again('https://api.mesibo.com/backend/')).toBe(`npx create-mesibo-app@0.1.0 workshop announce 'room 1' --text "Welcome!"`);
    expect(again('http://10.0.0.5/api/')).toBe(`npx create-mesibo-app@0.1.0 workshop announce 'room 1' --api-url http://10.0.0.5/api/ --allow-http --text "Welcome!"`);
    expect(again('https://chat.example.com/backend/')).toContain('--api-url https://chat.example.com/backend/ --text');
  });
});

describe('the Android Gradle hint for a missing mesibo.properties', () => {
  /** The hint in android/app/build.gradle.kts of a project rendered with these tool hints. */
  async function hint(tool: ToolHints): Promise<string> {
    const platforms = [{ id: 'android' as const, appId: 'com.example.demo' }];
    const users = ['123', '456'];
    const plan = frozenPlan({
      name: 'Demo', targetDir: 'demo', targetPath: '/nonexistent/demo', platforms,
      users: users.map((address) => ({ address, name: `User ${address}` })),
      tokenExpiryMinutes: 60, endpoint: 'https://api.mesibo.com/backend/', sandbox: false, force: false, git: false, json: false,
    });
    const tokens = new Map([['com.example.demo', new Map(users.map((a, i) => [a, { uid: String(i + 1), token: fakeToken(a, 'com.example.demo') }]))]]);
    const rendered = renderProject(plan, { endpoint: plan.endpoint, tokens, at: new Date() }, await loadTemplates(projectTemplates(plan.platforms)), tool);
    const text = String(rendered.files.find((f) => f.path === 'android/app/build.gradle.kts')!.contents);
    return text.slice(text.indexOf('is missing.'), text.indexOf('val mesiboProperties = '));
  }

  it('names the checkout that made the project first, the published form second', async () => {
    const text = await hint({
      refresh: 'npx create-mesibo-app@0.1.0 refresh',
      thisRun: 'node /opt/cma/dist/index.js refresh',
      published: 'npx create-mesibo-app@0.1.0',
      thisRunProgram: 'node /opt/cma/dist/index.js',
    });
    expect(text).toContain('node /opt/cma/dist/index.js refresh');
    expect(text).toContain('npx create-mesibo-app@0.1.0 refresh');
    expect(text.indexOf('node /opt/cma')).toBeLessThan(text.indexOf('npx create-mesibo-app@0.1.0'));
  });

  it('names the published form alone for a project made from npm', async () => {
    const text = await hint(PUBLISHED_HINTS);
    expect(text).toContain('npx create-mesibo-app@0.1.0 refresh');
    expect(text).not.toContain('node ');
  });
});
