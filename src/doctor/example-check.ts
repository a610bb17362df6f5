/**
 * The committed `.example` twins against what this version renders for the project's mesibo.json, with
 * the drift check refresh uses (src/report/format-drift.ts): a twin that differs means the project's code
 * was generated in another token-file format, or its users or appids changed by hand since.
 */
import path from 'node:path';
import { hasAppId } from '../platforms';
import { frozenPlan, type Issued } from '../plan/plan';
import type { ProjectManifest } from '../plan/manifest';
import type { SecretTarget } from '../plan/refresh-project';
import { renderTokenConfigs, tokenConfigTemplates } from '../render/project';
import { PLACEHOLDER_TOKEN } from '../render/template-data';
import { loadTemplates } from '../render/templates';
import { formatDrift } from '../report/format-drift';
import { MAX_SOURCE_BYTES } from './build-appids';
import { failed, passed, type Fixes, type Outcome } from './findings';
import { secretPath } from './platform-checks';
import { entryInside, unreadableWhy } from './safe-read';

export async function exampleChecks(root: string, manifest: ProjectManifest, platforms: readonly ProjectManifest['platforms'][number][], fixes: Fixes): Promise<Outcome[]> {
  if (platforms.length === 0) return [];
  const plan = frozenPlan({
    name: manifest.name,
    targetDir: path.basename(root),
    targetPath: root,
    platforms,
    users: manifest.users,
    tokenExpiryMinutes: manifest.tokenExpiryMinutes,
    endpoint: manifest.endpoint ?? '',
    sandbox: manifest.sandbox,
    force: false,
    git: false,
    json: false,
  });
  // The twins hold placeholders only, so the "issued" tokens are placeholders too.
  const placeholders = new Map(plan.users.map((u) => [u.address, { uid: '', token: PLACEHOLDER_TOKEN }]));
  const issued: Issued = { endpoint: plan.endpoint, tokens: new Map(plan.platforms.map((p) => [p.appId, placeholders])), at: new Date(0) };
  const { configs } = renderTokenConfigs(plan, issued, await loadTemplates(tokenConfigTemplates(plan.platforms)));

  // The token server's twin holds a passcode placeholder, not tokens: server-checks.ts reads it.
  return plan.platforms.filter((p) => hasAppId(p.id)).map((p) => {
    const rel = `${secretPath(p.id)}.example`;
    const entry = entryInside(root, rel);
    if (entry.kind === 'missing') {
      return failed(p.id, 'example', { severity: 'hint', message: `${rel}, the committed twin that shows the token config's format, is missing.`, fix: `git checkout -- ${fixes.path(rel)}` });
    }
    if (entry.kind !== 'file' || entry.size > MAX_SOURCE_BYTES) {
      const why = entry.kind === 'file' ? `${rel} is far larger than a token config` : unreadableWhy(entry, rel);
      return failed(p.id, 'example', { severity: 'problem', message: `${why}.`, fix: `git checkout -- ${fixes.path(rel)}` });
    }
    const secret: SecretTarget = { platform: p.id, rel: secretPath(p.id), abs: path.join(root, ...secretPath(p.id).split('/')), exists: true };
    if (formatDrift([secret], configs).length === 0) return passed(p.id, 'example', `${rel} is in this version's format`);
    return failed(p.id, 'example', {
      severity: 'problem',
      message:
        `${rel} differs from what this create-mesibo-app writes for this mesibo.json: the starter was made by another version ` +
        "(whose token config format may differ from what refresh now writes), or its users or appid were edited by hand.",
      fix: `git checkout -- ${fixes.path(rel)}   # if it was edited; if another version made the project, refresh with that version`,
    });
  });
}
