/** The end of a refresh: what changed, for people and (with --json) for scripts. Never a token. */
import { relative } from 'node:path';
import type { Printer } from '../output/printer';
import { displayUrl } from '../backend/endpoint-policy';
import { MANIFEST_FILE, type Manifest } from '../plan/manifest';
import type { RefreshBackend } from '../plan/refresh-plan';
import type { SecretTarget } from '../plan/refresh-project';

export interface RefreshOutcome {
  readonly root: string;
  readonly manifest: Manifest;
  readonly backend: RefreshBackend;
  readonly secrets: readonly SecretTarget[];
  /** Backups that could not be deleted: they hold the old tokens. */
  readonly leftovers: readonly string[];
}

export function printRefreshed(printer: Printer, outcome: RefreshOutcome): void {
  const n = outcome.secrets.length;
  printer.success(`Rewrote ${n} token config ${n === 1 ? 'file' : 'files'} (mode 600, git-ignored):`);
  for (const s of outcome.secrets) printer.info(`    ${s.rel}${s.exists ? '' : ' (was missing; created)'}`);
  printer.success(`Updated ${MANIFEST_FILE} (tokens expire on ${outcome.manifest.tokensExpireAt})`);
  if (outcome.manifest.sandbox && !outcome.backend.sandbox) {
    printer.info(
      `${displayUrl(outcome.backend.endpoint)} is on this machine, so ${MANIFEST_FILE} does not record it as the ` +
        "project's backend (a clone elsewhere could not reach it): it records sandbox tokens, and a plain refresh " +
        "goes to mesibo's servers. Give --api-url again to use this backend.",
    );
  }
  printer.info('No other file was changed.');
  warnLeftovers(printer, outcome);
}

export function warnLeftovers(printer: Printer, outcome: Pick<RefreshOutcome, 'root' | 'leftovers'>): void {
  if (outcome.leftovers.length === 0) return;
  printer.warn(
    `Could not delete ${outcome.leftovers.map((f) => relative(outcome.root, f)).join(', ')}: ` +
      'copies of the old token files that are not git-ignored. Delete them by hand.',
  );
}

export function refreshSummary(outcome: RefreshOutcome): object {
  const { manifest } = outcome;
  return {
    ok: true,
    command: 'refresh',
    path: outcome.root,
    name: manifest.name,
    sandbox: manifest.sandbox,
    endpoint: manifest.endpoint,
    endpointSource: outcome.backend.source,
    tokenExpiryMinutes: manifest.tokenExpiryMinutes,
    tokensExpireAt: manifest.tokensExpireAt,
    platforms: manifest.platforms,
    users: manifest.users,
    files: outcome.secrets.map((s) => s.rel),
    created: outcome.secrets.filter((s) => !s.exists).map((s) => s.rel),
    manifest: MANIFEST_FILE,
    leftovers: outcome.leftovers.map((f) => relative(outcome.root, f)),
  };
}
