/**
 * The web starter's configuration is what tells the sandbox from mesibo: a sandbox create points config.js
 * at the sandbox's script and says how to start the sandbox; `refresh` with an App Token rewrites it for
 * mesibo's CDN and drops the sandbox, while app.js, index.html and the rest stay byte for byte the same.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from './support/fake-backend';
import { createSandboxProject, fakeTokensFor, manifestOf, refresh, snapshot, tokensIn } from './support/refresh';
import { CLI, removeDir, tempDir } from './support/cli';
import { MESIBO_CDN } from './support/web-starter';

const USERS = ['123', '456'];

describe('web config: the sandbox, then mesibo after refresh', () => {
  let work: string;
  let project: string;
  let fake: FakeBackend;
  const config = () => readFileSync(path.join(project, 'web', 'config.js'), 'utf8');

  beforeAll(async () => {
    work = tempDir('cma-web-refresh-');
    project = await createSandboxProject(work, 'chat', ['--platforms', 'web', '--users', USERS.join(',')]);
    fake = await startFakeBackend([{ kind: 'ok' }]);
  });
  afterAll(async () => {
    await fake?.close();
    removeDir(work);
  });

  it('a sandbox create loads the sandbox\'s script and names the command that starts it, for this run\'s tool', () => {
    const port = JSON.parse(readFileSync(path.join(project, '.mesibo-sandbox.json'), 'utf8')).port;
    expect(config()).toContain(`  sdk: "http://127.0.0.1:${port}/mesibo.js",\n`);
    // The tests run the tool from this checkout: the command is that one, which runs as printed (the published
    // `npx create-mesibo-app@<version>` would not, before it is published).
    expect(config()).toContain(`  sandbox: { start: ${JSON.stringify(`node ${CLI} sandbox`)} },\n`);
    // The committed twin has mesibo's shape, without tokens, and nothing of this machine (no sandbox, no path).
    const twin = readFileSync(path.join(project, 'web', 'config.js.example'), 'utf8');
    expect(twin).toContain(`  sdk: "${MESIBO_CDN}",\n`);
    expect(twin).not.toMatch(/sandbox: |127\.0\.0\.1|dist\/index\.js/);
  });

  it('the web README leads from the sandbox create to a chat in two commands and the links npm start prints', () => {
    const readme = readFileSync(path.join(project, 'web', 'README.md'), 'utf8');
    const tryIt = readme.slice(readme.indexOf('## Try it now, with no account'), readme.indexOf('**To stop**'));
    const commands = [...tryIt.matchAll(/```sh\n([^]*?)```/g)].map((m) => m[1]!.trim());
    expect(commands).toEqual([`node ${CLI} sandbox`, 'npm start']);
    expect(tryIt).toContain('`npm start` prints one link per user. Open the two demo users\' links (`123` and\n`456`)');
    expect(readme).toContain('**To stop**, press Ctrl-C in each terminal.');
    expect(readme).toMatch(/\*\*To move to mesibo's servers\*\*[^]*```sh\n.+ refresh\n```/);
    expect(readme).toContain('| Groups, calls, files, presence, typing, profiles | no: the call throws an error that names it | yes |');
  });

  it('refresh with an App Token rewrites config.js for mesibo\'s CDN and leaves the page\'s code as it was', async () => {
    const before = snapshot(path.join(project, 'web'));
    const { result, output } = await refresh(project, ['--api-url', fake.url, '--yes']);
    expect(result.exitCode, output).toBe(0);
    expect(output).not.toContain('differs from what this create-mesibo-app writes'); // the twin is this version's
    expect(config()).toContain(`  sdk: "${MESIBO_CDN}",\n`);
    expect(config()).not.toMatch(/sandbox|127\.0\.0\.1/);
    expect(tokensIn(config())).toEqual(fakeTokensFor(USERS, manifestOf(project).platforms[0].appId));
    const after = snapshot(path.join(project, 'web'));
    const changed = [...after.keys()].filter((f) => after.get(f)!.sha256 !== before.get(f)?.sha256).sort();
    // Only the git-ignored token file: refresh never rewrites a committed one (config.js.example keeps its shape).
    expect(changed).toEqual(['config.js']);
  });
});
