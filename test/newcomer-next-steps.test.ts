/**
 * Issue 14, items 4 and 8: next steps that work for how the tool was run. A real run ends with "Done. Now
 * run:", the web starter's two links and the other starters' commands; the commands use the package manager
 * that ran the tool (npm_config_user_agent); hints that run the tool again name it as it was run this time:
 * the registry name at this exact version through that package manager, a tarball by its path, or the bin's
 * path from a checkout. The generated README keeps the versioned registry form and this run's.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnv, removeDir, runCli, tempDir } from './support/cli';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { exposeOffLoopback } from './support/doctor';
import { commandWord, detectInvocation, packageManager, runScript, toolHints } from '../src/report/invocation';
import { VERSION } from '../src/version';

let work: string;
beforeAll(() => {
  work = tempDir('cma-next-');
});
afterAll(() => removeDir(work));

describe('a real run', () => {
  let fake: FakeBackend;
  let remote: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    fake = await startFakeBackend();
    remote = await exposeOffLoopback(fake.url);
  });
  afterAll(async () => {
    await remote.close();
    await fake.close();
  });

  it('ends with Done. Now run:, the two users\' links and the other starters\' commands', async () => {
    const result = await runCli(['shop', '--yes', '--no-git', '--api-url', remote.url, '--allow-http', '--users', 'alice,bob smith'], {
      cwd: work,
      env: cliEnv({ MESIBO_APP_TOKEN: TEST_APP_TOKEN }),
    });
    const stdout = String(result.stdout);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(stdout).toMatch(/\nDone\. Now run:\n\n {2}cd shop\n {2}cd web\n {2}npm start\n/);
    // npm start prints the links (with its run's key); a keyless link printed here would be refused.
    expect(stdout).toContain('  then open the two links it prints (?user=alice and ?user=bob%20smith; each holds that run\'s key)');
    expect(stdout).not.toContain('http://localhost:8080/?user=');
    expect(stdout).toMatch(/^ {4}cd android$|# Open android in Android Studio/m);
    expect(stdout).toMatch(/^ {4}\.\/build\/mesibo-starter --user alice --to "bob smith"$/m);
    expect(stdout).not.toMatch(/sandbox tokens|AUTHFAIL|Run one starter as/i);
    expect(JSON.parse(readFileSync(path.join(work, 'shop', 'mesibo.json'), 'utf8'))).toMatchObject({ sandbox: false, endpoint: remote.url });
  });
});

describe('the package manager that ran the tool', () => {
  it.each([
    ['npm/11.6.2 node/v20.20.2 linux x64 workspaces/false', 'npm start'],
    ['pnpm/9.12.0 npm/? node/v20.20.2 linux x64', 'pnpm start'],
    ['yarn/1.22.22 npm/? node/v20.20.2 linux x64', 'yarn start'],
    ['bun/1.2.4 npm/? node/v20.20.2 linux x64', 'bun run start'],
  ])('%s: the web starter is started with %s', async (agent, start) => {
    const dir = `pm-${start.split(' ')[0]}`;
    const result = await runCli([dir, '--sandbox', '--yes', '--no-git', '--platforms', 'web,python'], {
      cwd: work,
      env: cliEnv({ npm_config_user_agent: agent }),
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toContain(`       cd ${dir}/web\n       ${start}\n`);
    // Run from this checkout, the sandbox and refresh hints are the bin's own path, whatever the package manager.
    expect(String(result.stdout)).toContain(`       node ${CLI} sandbox ${dir}\n`);
    expect(String(result.stdout)).toContain(`       node ${CLI} refresh ${dir}\n`);
  });
});

describe('the generated README', () => {
  it('carries the versioned registry form and, made from a checkout, the form used this time', async () => {
    const result = await runCli(['readme', '--sandbox', '--yes', '--no-git', '--platforms', 'web'], { cwd: work });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const readme = readFileSync(path.join(work, 'readme', 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`sh\nnpx create-mesibo-app@${VERSION} refresh\n\`\`\``);
    expect(readme).toContain(`\`\`\`sh\nnode ${CLI} refresh\n\`\`\``);
    expect(readme).not.toMatch(/npx create-mesibo-app refresh/);
    const web = readFileSync(path.join(work, 'readme', 'web', 'README.md'), 'utf8');
    expect(web).toContain(`npx create-mesibo-app@${VERSION} refresh`);
    expect(web).toContain(`\`node ${CLI} refresh\``);
  });
});

describe('detectInvocation', () => {
  /** A package installed the way a package manager lays it out, with npm's hidden lockfile. */
  function installed(layout: string, resolved?: string): string {
    const root = path.join(work, layout, 'node_modules', 'create-mesibo-app');
    mkdirSync(path.join(root, 'dist'), { recursive: true });
    if (resolved !== undefined) {
      writeFileSync(
        path.join(work, layout, 'node_modules', '.package-lock.json'),
        JSON.stringify({ packages: { 'node_modules/create-mesibo-app': { version: '0.1.0', resolved } } }),
      );
    }
    return root;
  }

  it.each([
    ['npm/11.6.2 node/v20.20.2', 'npx create-mesibo-app@0.1.0'],
    ['pnpm/9.12.0 npm/? node/v20', 'pnpm dlx create-mesibo-app@0.1.0'],
    ['yarn/4.5.0 npm/? node/v20', 'yarn dlx create-mesibo-app@0.1.0'],
    ['yarn/1.22.22 npm/? node/v20', 'npx create-mesibo-app@0.1.0'], // yarn 1 has no dlx
    ['bun/1.2.4 npm/? node/v20', 'bunx create-mesibo-app@0.1.0'],
    [undefined, 'npx create-mesibo-app@0.1.0'],
  ])('from the registry, run by %s: %s', (agent, command) => {
    const root = installed(`registry-${agent?.split('/')[0] ?? 'none'}`, 'https://registry.npmjs.org/create-mesibo-app/-/create-mesibo-app-0.1.0.tgz');
    const invocation = detectInvocation({ npm_config_user_agent: agent }, root, '0.1.0');
    expect(invocation).toMatchObject({ source: 'registry', command, published: 'npx create-mesibo-app@0.1.0' });
    expect(toolHints(invocation)).toEqual({
      refresh: 'npx create-mesibo-app@0.1.0 refresh',
      thisRun: undefined,
      published: 'npx create-mesibo-app@0.1.0',
      thisRunProgram: undefined,
    });
  });

  it('from a tarball (npx ./create-mesibo-app-<v>.tgz): the tarball by its absolute path, while it exists', () => {
    mkdirSync(path.join(work, 'dl'), { recursive: true });
    writeFileSync(path.join(work, 'dl', 'create-mesibo-app-0.1.0.tgz'), '');
    const root = installed('npx-cache/_npx/abc', 'file:../../../dl/create-mesibo-app-0.1.0.tgz');
    const invocation = detectInvocation({ npm_config_user_agent: 'npm/11.6.2' }, root, '0.1.0');
    expect(invocation).toMatchObject({ source: 'tarball', command: `npx file:${path.join(work, 'dl', 'create-mesibo-app-0.1.0.tgz')}` });
    expect(toolHints(invocation).thisRun).toBe(`${invocation.command} refresh`);
    expect(toolHints(invocation).thisRunProgram).toBe(invocation.command);
    const gone = installed('npx-cache/_npx/def', 'file:../../../dl/removed.tgz');
    expect(detectInvocation({}, gone, '0.1.0')).toMatchObject({ source: 'tarball', command: `node ${path.join(gone, 'dist', 'index.js')}` });
  });

  it("from pnpm's store for a tarball, and from a checkout: the bin's path", () => {
    const pnpm = path.join(work, 'p', 'node_modules', '.pnpm', 'create-mesibo-app@file+..+x.tgz', 'node_modules', 'create-mesibo-app');
    expect(detectInvocation({}, pnpm, '0.1.0')).toMatchObject({ source: 'tarball', command: `node ${path.join(pnpm, 'dist', 'index.js')}` });
    expect(detectInvocation({}, '/home/me/src/create-mesibo-app', '0.1.0')).toMatchObject({
      source: 'checkout',
      command: 'node /home/me/src/create-mesibo-app/dist/index.js',
    });
  });

  it('quotes a path so that sh, PowerShell and cmd read one word', () => {
    expect(commandWord('/home/me/my tools/dist/index.js')).toBe('"/home/me/my tools/dist/index.js"');
    expect(commandWord('C:\\Users\\Me\\cma\\dist\\index.js')).toBe('C:\\Users\\Me\\cma\\dist\\index.js');
    expect(commandWord('C:\\Program Files\\cma\\dist\\index.js')).toBe('"C:\\Program Files\\cma\\dist\\index.js"');
    expect(commandWord("/tmp/it's $HOME/x")).toBe(`'/tmp/it'\\''s $HOME/x'`);
  });

  it('reads the package manager from npm_config_user_agent', () => {
    expect(packageManager({ npm_config_user_agent: 'pnpm/9.1.0 npm/? node/v20' })).toEqual({ name: 'pnpm', major: 9 });
    expect(packageManager({})).toEqual({ name: 'npm', major: 0 });
    expect(runScript({ name: 'bun', major: 1 }, 'start')).toBe('bun run start');
    expect(runScript({ name: 'yarn', major: 1 }, 'start')).toBe('yarn start');
  });
});
