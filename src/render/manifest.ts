/** mesibo.json: what the project is made of. Never any token; `refresh` reads it back. */
import type { Plan } from '../plan';
import type { TemplateContext } from './context';

export const MANIFEST_VERSION = 1;

export interface Manifest {
  manifestVersion: number;
  name: string;
  /** null for a sandbox project: the in-process sandbox's address means nothing after the run. */
  endpoint: string | null;
  sandbox: boolean;
  tokenExpiryMinutes: number;
  tokensExpireAt: string;
  platforms: Array<{ id: string; appId: string; dir: string; secretFile: string }>;
  users: Array<{ address: string; name: string; uid: string }>;
}

export function buildManifest(plan: Plan, ctx: TemplateContext): Manifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    name: plan.name,
    endpoint: plan.sandbox ? null : plan.endpoint,
    sandbox: plan.sandbox,
    tokenExpiryMinutes: plan.tokenExpiryMinutes,
    tokensExpireAt: ctx.tokenExpiresAt,
    platforms: ctx.platforms.map((p) => ({ id: p.id, appId: p.appId, dir: p.dir, secretFile: `${p.dir}/${p.secretFile}` })),
    users: ctx.users.map((u) => ({ address: u.address, name: u.name, uid: u.uid })),
  };
}
