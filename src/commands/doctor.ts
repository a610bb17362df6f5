/**
 * `create-mesibo-app doctor [dir]`: finds the AUTHFAIL before the user does. Reads the project that
 * holds `dir` (default: the current folder), runs every check of src/doctor/ and reports each problem
 * with its fix. No network, no App Token, nothing written. Exit 0 healthy, 1 problems found, 2 bad
 * usage or no project.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../app-context';
import { UsageError } from '../errors';
import { MANIFEST_FILE } from '../plan/manifest';
import { findProjectRoot } from '../plan/project-root';
import { examine, isHealthy } from '../doctor/examine';
import { fixesFor } from '../doctor/findings';
import { doctorSummary, printDoctor } from '../doctor/report';
import { detectInvocation } from '../report/invocation';

/** doctor's flags as src/cli/args.ts parsed them. */
export interface DoctorArgs {
  command: 'doctor';
  dir?: string;
  json: boolean;
  verbose: boolean;
}

export async function runDoctor(args: DoctorArgs, ctx: AppContext): Promise<number> {
  const start = path.resolve(ctx.cwd, args.dir ?? '.');
  const shownStart = args.dir === undefined ? `the current folder (${start})` : JSON.stringify(args.dir);
  // Fixes and hints run the tool again the way it ran now (a registry version, a tarball, or this checkout's bin).
  const program = detectInvocation(ctx.env).command;
  if (!isFolder(start)) throw new UsageError(`${shownStart} is not a folder. Give the folder of a project made by create-mesibo-app, or run \`${program} doctor\` inside it.`);
  const found = findProjectRoot(start);
  if (!found) {
    throw new UsageError(
      `${shownStart} is not inside a create-mesibo-app project: neither it nor any folder above it has a ${MANIFEST_FILE}. ` +
        `Run \`${program} doctor\` inside a project (or give its folder: \`${program} doctor <folder>\`).`,
    );
  }
  // Real paths, so that git's answers (which are real paths) compare with ours.
  const root = real(found);
  const fixes = fixesFor(root, real(ctx.cwd), program);
  const { outcomes } = await examine(root, { now: ctx.now(), fixes, secret: (token) => ctx.redactor.add(token) });
  if (args.json) ctx.printer.json(doctorSummary(outcomes));
  else printDoctor(ctx.printer, root, outcomes);
  return isHealthy(outcomes) ? 0 : 1;
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function real(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
