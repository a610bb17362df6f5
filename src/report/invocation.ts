/**
 * How to run this create-mesibo-app again, for every hint that does (`refresh`, `help`) and for the
 * generated READMEs. The bare `npx create-mesibo-app` fails with a 404 for anyone who ran the tool from a
 * checkout or a tarball (or when a newer, incompatible version is published), so a hint repeats what
 * worked this time:
 * - from the npm registry (npm/pnpm/yarn/bun create, npx, dlx): the name at this exact version, through
 *   the package manager that ran it (`npm_config_user_agent`, which all four set);
 * - from a tarball (`npx ./create-mesibo-app-<v>.tgz`): that tarball, by its absolute path (`npx file:<path>`),
 *   while it exists;
 * - from a checkout, an unpacked tarball or an unknown install: `node <absolute path of the bin>`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths';
import { VERSION } from '../version';
import type { ToolHints } from '../render/template-data';

export const PACKAGE_NAME = 'create-mesibo-app';

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export interface Agent {
  readonly name: PackageManager;
  /** Major version, 0 when unknown (yarn 1 has no `dlx`). */
  readonly major: number;
}

export type Source = 'registry' | 'tarball' | 'checkout';

export interface Invocation {
  readonly source: Source;
  /** What runs this tool now, e.g. `npx create-mesibo-app@0.1.0` or `node /home/me/cma/dist/index.js`. */
  readonly command: string;
  /** The registry form, for files that outlive the run: `npx create-mesibo-app@<version>`. */
  readonly published: string;
  readonly agent: Agent;
}

/** The package manager that started this process, from the `npm_config_user_agent` it sets; npm if none. */
export function packageManager(env: NodeJS.ProcessEnv): Agent {
  const match = /^(npm|pnpm|yarn|bun)\/(\d+)/.exec(env.npm_config_user_agent ?? '');
  return match ? { name: match[1] as PackageManager, major: Number(match[2]) } : { name: 'npm', major: 0 };
}

/** `npm start`, `pnpm start`, `yarn start`, `bun run start` (bun's own `start` is not the script). */
export function runScript(agent: Agent, script: string): string {
  if (agent.name === 'bun' || (agent.name === 'npm' && script !== 'start' && script !== 'test')) return `${agent.name} run ${script}`;
  return `${agent.name} ${script}`;
}

/** A published package at an exact version, run once without installing it. */
function execCommand(agent: Agent, spec: string): string {
  switch (agent.name) {
    case 'pnpm':
      return `pnpm dlx ${spec}`;
    case 'yarn':
      return agent.major >= 2 ? `yarn dlx ${spec}` : `npx ${spec}`;
    case 'bun':
      return `bunx ${spec}`;
    default:
      return `npx ${spec}`;
  }
}

export function detectInvocation(env: NodeJS.ProcessEnv, packageRoot: string = PACKAGE_ROOT, version: string = VERSION): Invocation {
  const agent = packageManager(env);
  const spec = `${PACKAGE_NAME}@${version}`;
  const published = `npx ${spec}`;
  const found = sourceOf(packageRoot);
  const command =
    found.source === 'registry'
      ? execCommand(agent, spec)
      : found.tarball
        ? `npx ${commandWord(`file:${found.tarball}`)}` // a bare absolute path would be run as a program
        : `node ${commandWord(path.join(packageRoot, 'dist', 'index.js'))}`;
  return Object.freeze({ source: found.source, command, published, agent });
}

/** Where the running package came from, told by where it lies and what installed it. */
function sourceOf(root: string): { source: Source; tarball?: string } {
  const parts = root.split(/[\\/]/);
  const nm = parts.lastIndexOf('node_modules');
  if (nm < 0) return { source: 'checkout' };
  // pnpm (and pnpm dlx) keep a tarball install under a store name that says so.
  if (/[\\/]\.pnpm[\\/][^\\/]*@file\+/.test(root)) return { source: 'tarball' };
  // npm (and npx, npm create) record what they installed in node_modules/.package-lock.json.
  const base = parts.slice(0, nm).join(path.sep) || path.sep;
  const key = parts.slice(nm).join('/');
  const resolved = readJson(path.join(base, 'node_modules', '.package-lock.json'))?.packages?.[key]?.resolved;
  if (typeof resolved === 'string' && resolved.startsWith('file:')) {
    const file = path.resolve(base, resolved.slice('file:'.length));
    return { source: 'tarball', tarball: /\.(tgz|tar\.gz)$/.test(file) && existsSync(file) ? file : undefined };
  }
  return { source: 'registry' };
}

function readJson(file: string): { packages?: Record<string, { resolved?: unknown }> } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A path as one word that sh, PowerShell and cmd all read the same: bare when plain, else in double
 * quotes (which all three honour); single quotes (sh only) when it holds what double quotes do not protect.
 */
export function commandWord(value: string): string {
  const windows = /^[A-Za-z]:\\/.test(value); // a Windows path is typed into cmd or PowerShell, where \ is plain
  if (/^[A-Za-z0-9_./:@+=,-]+$/.test(windows ? value.replace(/\\/g, '/') : value)) return value;
  if (windows ? !/["%]/.test(value) : !/["$`!\\]/.test(value)) return `"${value}"`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** What generated files say about running the tool again (see ToolHints). */
export function toolHints(invocation: Invocation): ToolHints {
  return Object.freeze({
    refresh: `${invocation.published} refresh`,
    thisRun: invocation.source === 'registry' ? undefined : `${invocation.command} refresh`,
    published: invocation.published,
    thisRunProgram: invocation.source === 'registry' ? undefined : invocation.command,
  });
}
