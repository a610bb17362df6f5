/**
 * Every check of a project, in the order they are reported: the project as a whole, then each platform
 * of mesibo.json. Reads only, inside the project; no network, no App Token. Each token read is handed
 * to `secret` (the redactor) as soon as it is read, before anything is printed.
 */
import { hasAppId, type PlatformId } from '../platforms';
import type { ProjectManifest } from '../plan/manifest';
import { exampleChecks } from './example-check';
import type { Fixes, Outcome } from './findings';
import { gitChecks } from './git-checks';
import { appIdCheck, folderCheck, permissionsCheck, tokenConfigCheck } from './platform-checks';
import { expiryCheck, readProjectManifest, sandboxCheck } from './project-checks';
import { sdkCheck } from './sdk-check';
import { appTokenInServerCheck, passcodeCheck, passcodeExampleCheck } from './server-checks';

export interface Examination {
  readonly manifest?: ProjectManifest;
  readonly outcomes: readonly Outcome[];
}

export interface ExamineOptions {
  readonly now: Date;
  readonly fixes: Fixes;
  readonly secret: (token: string) => void;
}

export async function examine(root: string, options: ExamineOptions): Promise<Examination> {
  const { fixes, secret } = options;
  const { manifest, outcome } = readProjectManifest(root, fixes);
  if (!manifest) return { outcomes: [outcome] };
  const outcomes: Outcome[] = [outcome, sandboxCheck(manifest, fixes), expiryCheck(manifest, options.now, fixes)];

  const present: PlatformId[] = [];
  const tokens = new Set<string>();
  const perPlatform = new Map<PlatformId, Outcome[]>();
  for (const { id, appId } of manifest.platforms) {
    const missing = folderCheck(root, id, fixes);
    if (missing) {
      perPlatform.set(id, [missing]);
      continue;
    }
    present.push(id);
    if (!hasAppId(id)) {
      // The token server: a passcode instead of tokens, and no App Token in its folder.
      const passcode = passcodeCheck(root, fixes, secret);
      const permissions = permissionsCheck(id, { read: passcode.read, tokens: new Map() }, fixes);
      perPlatform.set(id, [passcode.outcome, permissions, passcodeExampleCheck(root, fixes), appTokenInServerCheck(root, secret)]);
      continue;
    }
    const config = tokenConfigCheck(root, id, manifest, fixes, (token) => {
      secret(token);
      tokens.add(token);
    });
    const checks = [appIdCheck(root, id, appId, fixes), config.outcome, permissionsCheck(id, config.state, fixes)];
    const sdk = sdkCheck(root, id, options.now, fixes);
    perPlatform.set(id, sdk ? [...checks, sdk] : checks);
  }
  const later = [
    ...(await exampleChecks(root, manifest, manifest.platforms.filter((p) => present.includes(p.id)), fixes)),
    ...(await gitChecks({ root, platforms: present, tokens, fixes, secret })),
  ];
  for (const o of later) {
    if (o.platform === 'project') outcomes.push(o);
    else perPlatform.set(o.platform, [...(perPlatform.get(o.platform) ?? []), o]);
  }
  const order = ['folder', 'appid', 'token-config', 'permissions', 'gitignore', 'committed', 'tracked-secrets', 'example', 'app-token', 'sdk'];
  for (const list of perPlatform.values()) list.sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check));
  return { manifest, outcomes: [...outcomes, ...[...perPlatform.values()].flat()] };
}

/** Healthy: no finding of severity "problem" (hints do not count). */
export function isHealthy(outcomes: readonly Outcome[]): boolean {
  return outcomes.every((o) => o.findings.every((f) => f.severity !== 'problem'));
}
