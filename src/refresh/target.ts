/**
 * Which backend refresh asks and for how long the new tokens live. Flags win over the manifest; a
 * sandbox project without flags goes to mesibo's real backend, because "get real tokens" is what its
 * README (and create's sandbox notice) sends people to refresh for.
 */
import type { RefreshArgs } from '../cli/args';
import { UsageError } from '../errors';
import { DEFAULT_API_URL } from '../defaults';
import { checkApiUrl, checkExpiry } from '../create/check-values';
import type { ProjectManifest } from './manifest-read';

export type EndpointSource = 'api-url' | 'sandbox' | 'manifest' | 'default';

export interface RefreshTarget {
  sandbox: boolean;
  /** The backend URL; for the sandbox it is known only once the sandbox listens. */
  endpoint: string;
  source: EndpointSource;
  tokenExpiryMinutes: number;
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
    apiUrl: args.apiUrl === undefined ? undefined : checkApiUrl(args.apiUrl),
    tokenExpiry: args.tokenExpiry === undefined ? undefined : checkExpiry(args.tokenExpiry),
    sandbox: args.sandbox,
  };
}

export function resolveTarget(flags: ReturnType<typeof checkRefreshFlags>, manifest: ProjectManifest): RefreshTarget {
  const tokenExpiryMinutes = flags.tokenExpiry ?? manifest.tokenExpiryMinutes;
  if (flags.apiUrl !== undefined) return { sandbox: false, endpoint: flags.apiUrl, source: 'api-url', tokenExpiryMinutes };
  if (flags.sandbox) return { sandbox: true, endpoint: '', source: 'sandbox', tokenExpiryMinutes };
  if (!manifest.sandbox && manifest.endpoint !== null) {
    return { sandbox: false, endpoint: manifest.endpoint, source: 'manifest', tokenExpiryMinutes };
  }
  return { sandbox: false, endpoint: DEFAULT_API_URL, source: 'default', tokenExpiryMinutes };
}

/** One line saying where tokens come from and why, printed before the App Token is asked for. */
export function describeTarget(target: RefreshTarget): string {
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
