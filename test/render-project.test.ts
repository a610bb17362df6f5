/**
 * The render step is pure: a plan and its issued tokens become files in memory, frozen, the same every
 * time, with nothing written; the plan it reads is frozen too. Tokens go only into the token configs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectPlan } from '../src/plan/create-plan';
import type { Issued } from '../src/plan/plan';
import { PLATFORMS } from '../src/platforms';
import { projectTemplates, renderProject, TOKEN_CONFIG_MODE } from '../src/render/project';
import { PLACEHOLDER_TOKEN } from '../src/render/template-data';
import { plannedFiles } from '../src/render/template-files';
import { loadTemplates } from '../src/render/templates';
import { fakeToken } from './support/render';
import { removeDir, tempDir } from './support/cli';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function fixture() {
  const cwd = tempDir('cma-render-pure-');
  dirs.push(cwd);
  const plan = await collectPlan(
    { command: 'create', dir: 'chat', users: 'ann,ben,cy', platformAppIds: { web: 'chat-web' }, sandbox: false, force: false, git: false, json: false, yes: true, verbose: false },
    { cwd, interactive: false, prompt: async () => ({}) },
  );
  const tokens = new Map(
    [...new Set(plan.platforms.map((p) => p.appId))].map((appId) => [
      appId,
      new Map(plan.users.map((u, i) => [u.address, { uid: String(100 + i), token: fakeToken(u.address, appId) }])),
    ]),
  );
  const issued: Issued = Object.freeze({ endpoint: 'https://api.mesibo.com/backend/', tokens, at: new Date('2026-12-01T00:00:00Z') });
  return { cwd, plan, issued, templates: await loadTemplates(projectTemplates(plan.platforms)) };
}

describe('renderProject', () => {
  it('returns every planned file, frozen, writes nothing, and renders the same twice', async () => {
    const { plan, issued, templates } = await fixture();
    const first = renderProject(plan, issued, templates);
    expect(first.files.map((f) => f.path).sort()).toEqual(plannedFiles(plan.platforms));
    expect(existsSync(plan.targetPath)).toBe(false);
    expect(Object.isFrozen(first) && Object.isFrozen(first.files) && first.files.every(Object.isFrozen)).toBe(true);
    expect(Object.isFrozen(first.manifest)).toBe(true);
    expect(renderProject(plan, issued, templates)).toEqual(first);
  });

  it('puts each appid\'s tokens only into its platforms\' token configs (0600), placeholders into the twins', async () => {
    const { plan, issued, templates } = await fixture();
    const { files, manifest } = renderProject(plan, issued, templates);
    const configs = plan.platforms.map((p) => `${PLATFORMS[p.id].dir}/${PLATFORMS[p.id].secretFile}`);
    for (const p of plan.platforms) {
      const config = files.find((f) => f.path === `${PLATFORMS[p.id].dir}/${PLATFORMS[p.id].secretFile}`)!;
      expect(config.mode).toBe(TOKEN_CONFIG_MODE);
      for (const u of plan.users) expect(String(config.contents)).toContain(fakeToken(u.address, p.appId));
      const twin = files.find((f) => f.path === `${config.path}.example`)!;
      expect(String(twin.contents)).toContain(PLACEHOLDER_TOKEN);
    }
    const everyToken = [...issued.tokens.values()].flatMap((m) => [...m.values()].map((t) => t.token));
    for (const f of files.filter((x) => !configs.includes(x.path))) {
      for (const token of everyToken) expect(String(f.contents).includes(token), `a token in ${f.path}`).toBe(false);
      expect(f.mode & 0o077, f.path).not.toBe(0);
    }
    expect(manifest).toMatchObject({ endpoint: 'https://api.mesibo.com/backend/', sandbox: false, tokensExpireAt: '2027-12-01T00:00:00.000Z' });
    expect(manifest.users.map((u) => u.uid)).toEqual(['100', '101', '102']);
  });
});

describe('the plan', () => {
  it('is frozen, lists included: nothing can change it mid-run', async () => {
    const { plan } = await fixture();
    expect(Object.isFrozen(plan) && Object.isFrozen(plan.platforms) && Object.isFrozen(plan.users)).toBe(true);
    expect(() => {
      (plan as { endpoint: string }).endpoint = 'http://elsewhere/';
    }).toThrow(TypeError);
    expect(path.basename(plan.targetPath)).toBe('chat');
  });
});
