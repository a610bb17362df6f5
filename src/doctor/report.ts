/**
 * doctor's output: for people, grouped per platform with one ✔/✖ line per check and each fix under its
 * problem, runnable as printed; for scripts (--json), `{ ok, findings }`. Both go through the printer,
 * so terminal controls are stripped and every token read is redacted.
 */
import type { Printer } from '../output/printer';
import type { CheckId, Finding, Outcome, Scope } from './findings';
import { isHealthy } from './examine';

const LABELS: Record<CheckId, string> = {
  manifest: 'mesibo.json',
  folder: 'folder',
  sandbox: 'backend',
  expiry: 'expiry',
  appid: 'appid',
  'token-config': 'token config',
  permissions: 'private',
  gitignore: 'git-ignored',
  committed: 'git history',
  'tracked-secrets': 'tracked files',
  example: '.example twin',
  'app-token': 'App Token',
  sdk: 'mesibo SDK',
};

export interface DoctorSummary {
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

export function doctorSummary(outcomes: readonly Outcome[]): DoctorSummary {
  return { ok: isHealthy(outcomes), findings: outcomes.flatMap((o) => o.findings) };
}

export function printDoctor(printer: Printer, shown: string, outcomes: readonly Outcome[]): void {
  printer.info(`Checked ${shown}: read only, no network, no App Token`);
  const scopes = [...new Set<Scope>(outcomes.map((o) => o.platform))];
  for (const scope of scopes) {
    printer.info('');
    printer.info(scope, 'heading');
    for (const o of outcomes.filter((x) => x.platform === scope)) {
      const label = LABELS[o.check];
      if (o.passed !== undefined) printer.info(`  ✔ ${label}: ${o.passed}`);
      else if (o.skipped !== undefined) printer.info(`  – ${label}: not checked (${o.skipped})`);
      for (const f of o.findings) {
        printer.info(`  ${f.severity === 'problem' ? '✖' : '!'} ${label}: ${f.message}`);
        printer.info(`      fix: ${f.fix}`, 'command'); // never wrapped: it is copied as it is
      }
    }
  }
  const findings = outcomes.flatMap((o) => o.findings);
  const problems = findings.filter((f) => f.severity === 'problem').length;
  const hints = findings.length - problems;
  const hintText = hints === 0 ? '' : ` (${hints} ${hints === 1 ? 'hint' : 'hints'} above, not failures)`;
  printer.info('');
  if (problems === 0) printer.success(`No problems found${hintText}.`);
  else printer.info(`✖ ${problems} ${problems === 1 ? 'problem' : 'problems'} found${hintText}. Run the fixes shown, then doctor again.`);
}
