/** Which backend refresh uses: --api-url, else --sandbox, else the manifest's, else mesibo's for a sandbox project. */
import { describe, expect, it } from 'vitest';
import { checkRefreshFlags, describeBackend as describeTarget, resolveBackend as resolveTarget } from '../src/plan/refresh-plan';
import type { RefreshArgs } from '../src/cli/args';
import type { ProjectManifest } from '../src/plan/manifest';
import { DEFAULT_API_URL } from '../src/defaults';
import { UsageError } from '../src/errors';

const args = (over: Partial<RefreshArgs> = {}): RefreshArgs => ({ command: 'refresh', allowHttp: false, sandbox: false, json: false, yes: true, verbose: false, ...over });
const manifest = (over: Partial<ProjectManifest> = {}): ProjectManifest => ({
  raw: {},
  name: 'Demo',
  endpoint: null,
  sandbox: true,
  tokenExpiryMinutes: 525600,
  platforms: [{ id: 'web', appId: 'demo' }],
  users: [],
  ...over,
});
const onPrem = manifest({ sandbox: false, endpoint: 'http://onprem.local/backend' });

describe('resolveTarget', () => {
  it.each([
    ['--api-url wins over the manifest', args({ apiUrl: 'https://x.example/backend' }), onPrem, { sandbox: false, endpoint: 'https://x.example/backend', source: 'api-url' }],
    ['--sandbox wins over the manifest', args({ sandbox: true }), onPrem, { sandbox: true, source: 'sandbox' }],
    ['the recorded endpoint', args(), onPrem, { sandbox: false, endpoint: 'http://onprem.local/backend', source: 'manifest' }],
    ["a sandbox project goes to mesibo's servers", args(), manifest(), { sandbox: false, endpoint: DEFAULT_API_URL, source: 'default' }],
  ] as const)('%s', (_what, a, m, expected) => {
    expect(resolveTarget(checkRefreshFlags(a), m)).toMatchObject(expected);
  });

  it('takes the expiry from --token-expiry, else from the manifest', () => {
    expect(resolveTarget(checkRefreshFlags(args({ tokenExpiry: '60' })), onPrem).tokenExpiryMinutes).toBe(60);
    expect(resolveTarget(checkRefreshFlags(args()), onPrem).tokenExpiryMinutes).toBe(525600);
  });

  it('refuses --sandbox with --api-url, a bad URL and a bad expiry', () => {
    expect(() => checkRefreshFlags(args({ sandbox: true, apiUrl: 'http://x/' }))).toThrow(/cannot be used together/);
    expect(() => checkRefreshFlags(args({ apiUrl: 'api.mesibo.com' }))).toThrow(UsageError);
    expect(() => checkRefreshFlags(args({ tokenExpiry: '0' }))).toThrow(/--token-expiry "0" must be at least 1 minute/);
  });

  it('names the endpoint and where it came from', () => {
    expect(describeTarget(resolveTarget(checkRefreshFlags(args()), manifest()))).toContain(`mesibo's servers, ${DEFAULT_API_URL}`);
    expect(describeTarget(resolveTarget(checkRefreshFlags(args()), onPrem))).toContain('http://onprem.local/backend (recorded in mesibo.json');
  });
});
