/**
 * Renders a project straight through the render and write steps (no CLI, no backend) for template tests.
 * Tokens are fake but shaped like mesibo's: 64 characters of [0-9A-Za-z], distinct per (user, appid).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { frozenPlan, type Plan, type Provisioned } from '../../src/plan/plan';
import type { PlatformId } from '../../src/platforms';
import { projectTemplates, renderProject } from '../../src/render/project';
import { loadTemplates } from '../../src/render/templates';
import { writeFiles } from '../../src/write/project-folder';
import type { ToolHints } from '../../src/render/template-data';

export interface FixtureOptions {
  name?: string;
  platforms?: Array<{ id: PlatformId; appId: string }>;
  users?: string[];
  sandbox?: boolean;
  /** How generated files name the tool (default: the published form only). */
  tool?: ToolHints;
}

export function fakeToken(address: string, appId: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const bytes = createHash('sha512').update(`${address}\u0000${appId}`).digest();
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export const DEFAULT_APP_ID = 'com.example.demo';

export async function renderFixture(options: FixtureOptions = {}): Promise<{ dir: string; plan: Plan; provisioned: Provisioned }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cma-render-'));
  const platforms =
    options.platforms ??
    (['android', 'ios', 'web', 'cpp', 'python'] as const).map((id) => ({ id, appId: DEFAULT_APP_ID }));
  const users = options.users ?? ['123', '456'];
  const plan = frozenPlan({
    name: options.name ?? 'Demo Chat',
    targetDir: 'demo',
    targetPath: dir,
    platforms,
    users: users.map((address) => ({ address, name: `User ${address}` })),
    tokenExpiryMinutes: 525600,
    endpoint: 'http://127.0.0.1:9/backend/',
    sandbox: options.sandbox ?? true,
    force: false,
    git: false,
    json: false,
  });
  const provisioned: Provisioned = new Map();
  for (const appId of new Set(platforms.map((p) => p.appId))) {
    provisioned.set(appId, new Map(users.map((a, i) => [a, { uid: String(1000 + i), token: fakeToken(a, appId) }])));
  }
  const issued = { endpoint: plan.endpoint, tokens: provisioned, at: new Date('2026-01-01T00:00:00Z') };
  const rendered = renderProject(plan, issued, await loadTemplates(projectTemplates(plan.platforms)), options.tool);
  writeFiles(dir, rendered.files);
  return { dir, plan, provisioned };
}
