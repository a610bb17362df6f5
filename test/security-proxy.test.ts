/**
 * Issue 12, case 9: HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and their lower-case forms) are honoured
 * through undici's EnvHttpProxyAgent, against a real CONNECT proxy started here on 127.0.0.1. The
 * endpoint, http://backend.test/, resolves nowhere: only a request that went through the proxy can be
 * answered. A dead or refusing proxy is named as such, and its credentials are never printed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBackendClient, type BackendClientOptions } from '../src/backend/client';
import { DEFAULT_RETRY } from '../src/backend/retry';
import { proxyFor } from '../src/backend/proxy';
import { Redactor } from '../src/output/redact';
import {
  deadPort,
  SECURITY_APP_TOKEN,
  startProxy,
  startScriptedBackend,
  userToken,
  type ScriptedBackend,
  type TestProxy,
} from './support/security-backend';

let backend: ScriptedBackend | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await backend?.close();
  proxy = backend = undefined;
});

const user = { address: '123', name: 'User 123', appId: 'com.example.chat', expiryMinutes: 60 };
const ok = { op: 'useradd', result: true, user: { uid: 5001, token: userToken('123') } };

async function useradd(endpoint: string, env: NodeJS.ProcessEnv, extra: Partial<BackendClientOptions> = {}) {
  const client = createBackendClient({
    endpoint,
    appToken: SECURITY_APP_TOKEN,
    env,
    timeoutMs: 2000,
    retry: { ...DEFAULT_RETRY, maxAttempts: 2 },
    sleep: async () => {},
    ...extra,
  });
  try {
    return await client.useradd(user);
  } catch (error) {
    return error as Error;
  } finally {
    await client.close();
  }
}

describe('proxies from the environment', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s: the request goes through the proxy, with its credentials', async (name) => {
    backend = await startScriptedBackend(() => ({ body: ok }));
    proxy = await startProxy(backend.port);
    const issued = await useradd('http://backend.test/backend/', { [name]: `http://ann:pr0xy-s3cret-pw@127.0.0.1:${proxy.port}` });
    expect(issued).toEqual({ uid: '5001', token: ok.user.token });
    expect(proxy.tunnels).toEqual([{ target: 'backend.test:80', authorization: `Basic ${Buffer.from('ann:pr0xy-s3cret-pw').toString('base64')}` }]);
    expect(backend.requests[0]).toMatchObject({ op: 'useradd', token: SECURITY_APP_TOKEN });
  });

  it('HTTPS_PROXY carries https endpoints (a CONNECT to port 443)', async () => {
    proxy = await startProxy(await deadPort(), { refuse: 502 });
    const error = await useradd('https://api.mesibo.example/backend/', { HTTPS_PROXY: `127.0.0.1:${proxy.port}`, HTTP_PROXY: 'http://127.0.0.1:9' });
    expect(proxy.tunnels.map((t) => t.target)).toEqual(['api.mesibo.example:443']);
    expect((error as Error).message).toMatch(
      /^The proxy http:\/\/127\.0\.0\.1:\d+\/ \(from HTTPS_PROXY\) refused to connect to api\.mesibo\.example \(HTTP 502\)\. If api\.mesibo\.example should be reached directly, add it to NO_PROXY/,
    );
  });

  it('a proxy that wants credentials says so', async () => {
    proxy = await startProxy(await deadPort(), { refuse: 407 });
    const error = await useradd('https://api.mesibo.example/backend/', { https_proxy: `http://127.0.0.1:${proxy.port}` });
    expect((error as Error).message).toMatch(/\(HTTP 407; it wants credentials, given as http:\/\/user:password@host:port in https_proxy\)/);
  });

  it('a dead proxy is named, with the variable and how to bypass it, and never its password', async () => {
    const port = await deadPort();
    const redactor = new Redactor();
    const error = await useradd('http://backend.test/backend/', { HTTP_PROXY: `http://ann:pr0xy-s3cret-pw@127.0.0.1:${port}` }, { redactor });
    const message = (error as Error).message;
    expect(message).toMatch(/kept failing .*ECONNREFUSED.*\(2 attempts\)/);
    expect(message).toContain(`Requests go through the proxy http://***@127.0.0.1:${port}/ (from HTTP_PROXY).`);
    expect(message).toContain('add it to NO_PROXY (NO_PROXY=backend.test); if the proxy is wrong, fix or unset HTTP_PROXY.');
    expect(message).not.toContain('pr0xy-s3cret-pw');
    expect(redactor.redact('auth pr0xy-s3cret-pw')).toBe('auth [redacted]'); // even an unexpected echo is masked
  });

  it('NO_PROXY (a suffix, any case) and a loopback endpoint bypass the proxy', async () => {
    backend = await startScriptedBackend(() => ({ body: ok }));
    proxy = await startProxy(backend.port);
    const env = { HTTP_PROXY: proxy.url, no_proxy: 'example.org, .Backend.Test' };
    const direct = await useradd('http://api.backend.test/backend/', env);
    expect((direct as Error).message).not.toMatch(/proxy/i); // went straight to DNS, which knows no backend.test
    expect(await useradd(backend.url, env)).toEqual({ uid: '5001', token: ok.user.token });
    expect(proxy.tunnels).toEqual([]);
  });

  it('reads undici\'s rules: lower case wins, https falls back to the http proxy, "*" bypasses all', () => {
    const at = (url: string, env: NodeJS.ProcessEnv) => proxyFor(new URL(url), env)?.variable;
    expect(at('https://a.example/', { https_proxy: 'http://p:1', HTTPS_PROXY: 'http://q:1' })).toBe('https_proxy');
    expect(at('https://a.example/', { HTTP_PROXY: 'http://p:1' })).toBe('HTTP_PROXY');
    expect(at('http://a.example/', { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
    expect(at('https://a.example/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' })).toBeUndefined();
    expect(at('https://a.example:8443/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'a.example:443' })).toBe('HTTPS_PROXY');
    expect(at('http://localhost:9/', { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(at('http://[::1]:9/', { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(() => proxyFor(new URL('https://a.example/'), { HTTPS_PROXY: 'ftp://ann:pw12345678@p' })).toThrow(
      /^HTTPS_PROXY="ftp:\/\/\*\*\*@p\/" is not a proxy URL\. Set it like HTTPS_PROXY=http:\/\/proxy\.example\.com:3128/,
    );
  });
});
