/**
 * Refresh's plan: the project's own (read from its mesibo.json), with the backend and the tokens' lifetime
 * from the flags or the manifest. Flags win over the manifest; a sandbox project without flags goes to
 * mesibo's real backend, because "get real tokens" is what its README (and create's sandbox notice)
 * sends people to refresh for.
 *
 * The App Token goes only to a backend chosen or confirmed in this run: mesibo.json is a committed file
 * anyone with push access can edit, so a recorded endpoint other than mesibo's own must be given again
 * with --api-url, or confirmed at a prompt (src/commands/refresh.ts), and meets the same policy as the flag.
 */
import path from 'node:path';
import { UsageError } from '../errors';
import { DEFAULT_API_URL } from '../defaults';
import { fromFlag, parseExpiry } from '../validators';
import { echo } from '../output/redact';
import { checkEndpoint, displayUrl } from '../backend/endpoint-policy';
import type { ProjectManifest } from './manifest';
import { frozenPlan, type Plan } from './plan';
import type { Project } from './refresh-project';

/** refresh's flags as src/cli/args.ts parsed them. */
export interface RefreshArgs {
  command: 'refresh';
  dir?: string;
  apiUrl?: string;
  /** --allow-http: plain http to a backend that is not this machine (see backend/endpoint-policy.ts). */
  allowHttp?: boolean;
  appTokenFile?: string;
  tokenExpiry?: string;
  sandbox: boolean;
  json: boolean;
  yes: boolean;
  verbose: boolean;
}

export type EndpointSource = 'api-url' | 'sandbox' | 'manifest' | 'default';

/** Which backend refresh asks, why, and for how long the new tokens live. */
export interface RefreshBackend {
  readonly sandbox: boolean;
  /** The backend URL; empty for the sandbox, whose URL is known only once it listens. */
  readonly endpoint: string;
  readonly source: EndpointSource;
  readonly tokenExpiryMinutes: number;
  /** A recorded endpoint that is not mesibo's: the App Token waits for this run's yes. */
  readonly needsConfirmation: boolean;
}

/** Checks the flags alone, so a typo fails before the project is even read. */
export function checkRefreshFlags(args: RefreshArgs): { apiUrl?: string; tokenExpiry?: number; sandbox: boolean; allowHttp: boolean } {
  if (args.sandbox && args.apiUrl !== undefined) {
    throw new UsageError(
      '--sandbox and --api-url cannot be used together: the sandbox is its own local backend. ' +
        'Drop --api-url to issue sandbox tokens, or drop --sandbox to use that endpoint.',
    );
  }
  return {
    apiUrl: args.apiUrl === undefined ? undefined : checkEndpoint(args.apiUrl, { flag: '--api-url', allowHttp: Boolean(args.allowHttp) }),
    tokenExpiry: args.tokenExpiry === undefined ? undefined : fromFlag('--token-expiry', args.tokenExpiry, parseExpiry),
    sandbox: args.sandbox,
    allowHttp: Boolean(args.allowHttp),
  };
}

/** The same backend, however the URL is spelled (case of the host, default port). */
export function sameEndpoint(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

export function resolveBackend(flags: ReturnType<typeof checkRefreshFlags>, manifest: ProjectManifest): RefreshBackend {
  const tokenExpiryMinutes = flags.tokenExpiry ?? manifest.tokenExpiryMinutes;
  const backend = (sandbox: boolean, endpoint: string, source: EndpointSource, needsConfirmation = false): RefreshBackend =>
    Object.freeze({ sandbox, endpoint, source, tokenExpiryMinutes, needsConfirmation });
  if (flags.apiUrl !== undefined) return backend(false, flags.apiUrl, 'api-url');
  if (flags.sandbox) return backend(true, '', 'sandbox');
  if (!manifest.sandbox && manifest.endpoint !== null) {
    // Judged like --api-url: plain http to another machine needs --allow-http here too.
    const endpoint = checkEndpoint(manifest.endpoint, { flag: 'The endpoint in mesibo.json,', allowHttp: flags.allowHttp });
    return backend(false, endpoint, 'manifest', !sameEndpoint(endpoint, DEFAULT_API_URL));
  }
  return backend(false, DEFAULT_API_URL, 'default');
}

/**
 * Exit 2 for a recorded endpoint that nobody confirmed (no terminal to ask at): it names the endpoint, without
 * credentials and shortened, and both ways on.
 */
export function unconfirmedEndpoint(endpoint: string): UsageError {
  const shown = echo(displayUrl(endpoint), 80);
  return new UsageError(
    `mesibo.json names ${shown} as this project's backend, not mesibo's (${DEFAULT_API_URL}). The App Token goes ` +
      `only to a backend chosen in this run: if ${shown} is yours, run refresh again with --api-url ${shown}; if ` +
      'you did not expect it (mesibo.json is a committed file: someone may have changed it), restore mesibo.json ' +
      `from git, or use --api-url ${DEFAULT_API_URL}. Nothing was sent or changed.`,
  );
}

/** One line saying where tokens come from and why, printed before the App Token is asked for. */
export function describeBackend(target: RefreshBackend): string {
  switch (target.source) {
    case 'api-url':
      return `Backend: ${target.endpoint} (from --api-url)`;
    case 'sandbox':
      return 'Backend: the built-in sandbox (from --sandbox); its tokens work only with the sandbox';
    case 'manifest':
      return `Backend: ${displayUrl(target.endpoint)} (recorded in mesibo.json; use --api-url to change it)`;
    case 'default':
      return (
        `Backend: mesibo's servers, ${target.endpoint} (this project has sandbox tokens; refresh replaces them ` +
        'with real ones. Use --api-url for an on-premise backend, or --sandbox to stay on the sandbox)'
      );
  }
}

/** The plan create would have made for this project; refresh feeds it to the same provision and render code. */
export function refreshPlan(project: Project, backend: RefreshBackend, json: boolean): Plan {
  const { manifest } = project;
  return frozenPlan({
    name: manifest.name,
    targetDir: path.basename(project.root),
    targetPath: project.root,
    platforms: manifest.platforms,
    users: manifest.users,
    tokenExpiryMinutes: backend.tokenExpiryMinutes,
    endpoint: backend.endpoint,
    sandbox: backend.sandbox,
    force: false,
    git: false,
    json,
  });
}
