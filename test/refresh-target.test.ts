/**
 * Which backend refresh uses: --api-url, else --sandbox, else the manifest's, else mesibo's for a sandbox
 * project; and a recorded endpoint other than mesibo's waits for this run's confirmation (issue 12, case 3),
 * judged by the same policy as --api-url.
 */
import { describe, expect, it } from 'vitest';
import { checkRefreshFlags, describeBackend as describeTarget, resolveBackend as resolveTarget, unconfirmedEndpoint } from '../src/plan/refresh-plan';
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
const allowHttp = (over: Partial<RefreshArgs> = {}) => args({ allowHttp: true, ...over });

describe('resolveTarget', () => {
  it.each([
    ['--api-url wins over the manifest', args({ apiUrl: 'https://x.example/backend' }), onPrem, { sandbox: false, endpoint: 'https://x.example/backend', source: 'api-url' }],
    ['--sandbox wins over the manifest', args({ sandbox: true }), onPrem, { sandbox: true, source: 'sandbox' }],
    ['the recorded endpoint, to be confirmed', allowHttp(), onPrem, { sandbox: false, endpoint: 'http://onprem.local/backend', source: 'manifest', needsConfirmation: true }],
    ['a recorded loopback endpoint, to be confirmed', args(), manifest({ sandbox: false, endpoint: 'http://127.0.0.2:9/backend/' }), { source: 'manifest', needsConfirmation: true }],
    ["mesibo's own endpoint recorded: nothing to confirm", args(), manifest({ sandbox: false, endpoint: 'https://API.mesibo.com:443/backend/' }), { source: 'manifest', needsConfirmation: false }],
    ['--api-url: chosen in this run', args({ apiUrl: 'https://x.example/backend' }), onPrem, { needsConfirmation: false }],
    ["a sandbox project goes to mesibo's servers", args(), manifest(), { sandbox: false, endpoint: DEFAULT_API_URL, source: 'default', needsConfirmation: false }],
  ] as const)('%s', (_what, a, m, expected) => {
    expect(resolveTarget(checkRefreshFlags(a), m)).toMatchObject(expected);
  });

  it('takes the expiry from --token-expiry, else from the manifest', () => {
    expect(resolveTarget(checkRefreshFlags(allowHttp({ tokenExpiry: '60' })), onPrem).tokenExpiryMinutes).toBe(60);
    expect(resolveTarget(checkRefreshFlags(allowHttp()), onPrem).tokenExpiryMinutes).toBe(525600);
  });

  it('refuses --sandbox with --api-url, a bad URL and a bad expiry', () => {
    expect(() => checkRefreshFlags(args({ sandbox: true, apiUrl: 'http://x/' }))).toThrow(/cannot be used together/);
    expect(() => checkRefreshFlags(args({ apiUrl: 'api.mesibo.com' }))).toThrow(UsageError);
    expect(() => checkRefreshFlags(args({ tokenExpiry: '0' }))).toThrow(/--token-expiry "0" must be at least 1 minute/);
  });

  it('names the endpoint and where it came from', () => {
    expect(describeTarget(resolveTarget(checkRefreshFlags(args()), manifest()))).toContain(`mesibo's servers, ${DEFAULT_API_URL}`);
    expect(describeTarget(resolveTarget(checkRefreshFlags(allowHttp()), onPrem))).toContain('http://onprem.local/backend (recorded in mesibo.json');
  });

  it('judges a recorded endpoint like --api-url: plain http to another machine needs --allow-http', () => {
    expect(() => resolveTarget(checkRefreshFlags(args()), onPrem)).toThrow(
      /^The endpoint in mesibo.json, "http:\/\/onprem.local\/backend" uses plain http to onprem.local.*add --allow-http\.$/s,
    );
  });

  it('refuses an unconfirmed endpoint naming it shortened, with both ways on', () => {
    const long = `https://evil.example/${'x'.repeat(300)}`;
    const message = unconfirmedEndpoint(long).message;
    expect(unconfirmedEndpoint(long)).toBeInstanceOf(UsageError);
    expect(message).toContain('"https://evil.example/xxx');
    expect(message).not.toContain('x'.repeat(100));
    expect(message).toMatch(/run refresh again with --api-url .*restore mesibo.json from git, or use --api-url https:\/\/api.mesibo.com\/backend\//);
  });
});
