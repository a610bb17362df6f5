/**
 * Refresh's plan: the project's own (read from its mesibo.json), with the backend and the tokens' lifetime
 * from the flags or the manifest. Flags win over the manifest; a sandbox project without flags goes to
 * mesibo's real backend, because "get real tokens" is what its README (and create's sandbox notice)
 * sends people to refresh for.
 */
import path from 'node:path';
import { UsageError } from '../errors';
import { DEFAULT_API_URL } from '../defaults';
import { fromFlag, parseExpiry } from '../validators';
import { checkEndpoint } from '../backend/endpoint-policy';
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
}

/** Checks the flags alone, so a typo fails before the project is even read. */
export function checkRefreshFlags(args: RefreshArgs): { apiUrl?: string; tokenExpiry?: number; sandbox: boolean } {
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
  };
}

export function resolveBackend(flags: ReturnType<typeof checkRefreshFlags>, manifest: ProjectManifest): RefreshBackend {
  const tokenExpiryMinutes = flags.tokenExpiry ?? manifest.tokenExpiryMinutes;
  if (flags.apiUrl !== undefined) return { sandbox: false, endpoint: flags.apiUrl, source: 'api-url', tokenExpiryMinutes };
  if (flags.sandbox) return { sandbox: true, endpoint: '', source: 'sandbox', tokenExpiryMinutes };
  if (!manifest.sandbox && manifest.endpoint !== null) {
    return { sandbox: false, endpoint: manifest.endpoint, source: 'manifest', tokenExpiryMinutes };
  }
  return { sandbox: false, endpoint: DEFAULT_API_URL, source: 'default', tokenExpiryMinutes };
}

/** One line saying where tokens come from and why, printed before the App Token is asked for. */
export function describeBackend(target: RefreshBackend): string {
  switch (target.source) {
    case 'api-url':
      return `Backend: ${target.endpoint} (from --api-url)`;
    case 'sandbox':
      return 'Backend: the built-in sandbox (from --sandbox); its tokens work only with the sandbox';
    case 'manifest':
      return `Backend: ${target.endpoint} (recorded in mesibo.json; use --api-url to change it)`;
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
