/**
 * What doctor reports: per platform (or the project as a whole), one outcome per check, and for each
 * problem one finding with one line saying what is wrong and the exact fix. `--json` prints the findings
 * as they are; the human report prints every outcome. No finding ever holds a token.
 */
import path from 'node:path';
import type { PlatformId } from '../platforms';
import { commandWord, PACKAGE_NAME } from '../report/invocation';
import { VERSION } from '../version';

/** "problem": something that breaks a login or leaks a token (exit 1). "hint": worth knowing, not a failure. */
export type Severity = 'problem' | 'hint';

export type CheckId =
  | 'manifest'
  | 'folder'
  | 'sandbox'
  | 'expiry'
  | 'appid'
  | 'token-config'
  | 'permissions'
  | 'gitignore'
  | 'committed'
  | 'tracked-secrets'
  | 'example'
  | 'app-token'
  | 'sdk';

export type Scope = PlatformId | 'project';

export interface Finding {
  readonly platform: Scope;
  readonly check: CheckId;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
}

/** A check's result: passed (with what it saw), not applicable (with why), or its findings. */
export interface Outcome {
  readonly platform: Scope;
  readonly check: CheckId;
  readonly passed?: string;
  readonly skipped?: string;
  readonly findings: readonly Finding[];
}

export function passed(platform: Scope, check: CheckId, text: string): Outcome {
  return { platform, check, passed: text, findings: [] };
}

export function skipped(platform: Scope, check: CheckId, why: string): Outcome {
  return { platform, check, skipped: why, findings: [] };
}

export function failed(platform: Scope, check: CheckId, ...findings: Array<Omit<Finding, 'platform' | 'check'>>): Outcome {
  return { platform, check, findings: findings.map((f) => ({ platform, check, ...f })) };
}

/**
 * The commands a fix names, runnable as printed from the folder doctor ran in: paths relative to it
 * (one word in sh, PowerShell and cmd alike), and the tool invoked as it was run this time.
 */
export interface Fixes {
  /** e.g. `npx create-mesibo-app@<version> refresh [dir]`. */
  readonly refresh: string;
  /** A project-relative path as a shell word relative to the current folder. */
  path(rel: string): string;
}

export function fixesFor(root: string, cwd: string, invocation = `npx ${PACKAGE_NAME}@${VERSION}`): Fixes {
  const fromCwd = (rel: string) => {
    const relative = path.relative(cwd, path.join(root, ...rel.split('/')));
    return commandWord((relative === '' ? '.' : relative).split(path.sep).join('/'));
  };
  const dir = path.relative(cwd, root);
  return { refresh: `${invocation} refresh${dir === '' ? '' : ` ${fromCwd('')}`}`, path: fromCwd };
}
