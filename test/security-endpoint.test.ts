/**
 * Issue 12, case 4 and the last point of case 11: where the App Token may be sent. Plain http to a host
 * that is not this machine is refused unless --allow-http is given; credentials in the URL are refused
 * without being echoed; only http and https.
 */
import { describe, expect, it } from 'vitest';
import { checkEndpoint, displayUrl, isLoopbackHost, judgeEndpoint } from '../src/backend/endpoint-policy';
import { parseCommandLine } from '../src/cli/args';
import { UsageError } from '../src/errors';

const refusal = (value: string, allowHttp = false): UsageError => {
  try {
    checkEndpoint(value, { flag: '--api-url', allowHttp });
  } catch (error) {
    return error as UsageError;
  }
  throw new Error(`expected ${value} to be refused`);
};

describe('endpoint policy', () => {
  it.each([
    'https://api.mesibo.com/backend/',
    'https://mesibo.corp.example:8443/api',
    'http://127.0.0.1:8080/backend/',
    'http://127.1.2.3/backend/',
    'http://localhost:8080/',
    'http://LOCALHOST/',
    'http://[::1]:9/backend/',
    'http://[::ffff:127.0.0.1]/',
  ])('accepts %s', (url) => {
    expect(checkEndpoint(url, { flag: '--api-url', allowHttp: false })).toBe(url);
  });

  it.each(['http://mesibo.corp.example/backend/', 'http://10.0.0.5/backend', 'http://128.0.0.1/', 'http://localhost.evil.example/', 'http://[::2]/'])(
    'refuses plain http to another machine (%s) with exit 2, naming --allow-http',
    (url) => {
      const error = refusal(url);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/^--api-url "http:\/\/[^"]+" uses plain http to .*, another machine: the App Token would cross the network unencrypted/);
      expect(error.message).toMatch(/add --allow-http\.$/);
      expect(checkEndpoint(url, { flag: '--api-url', allowHttp: true })).toBe(url);
    },
  );

  it('suggests the https form of the same endpoint', () => {
    expect(refusal('http://mesibo.corp.example:8080/backend/').message).toContain('Use https://mesibo.corp.example/backend/ if the backend serves it');
  });

  it.each([
    ['https://admin:hunter2-secret@api.example/backend/', 'https://api.example/backend/'],
    ['http://admin:hunter2-secret@127.0.0.1:9/', 'http://127.0.0.1:9/'],
    ['https://hunter2-secret@api.example/', 'https://api.example/'],
  ])('refuses credentials in %s without echoing them', (url, shown) => {
    const error = refusal(url, true);
    expect(error.message).toBe(
      `--api-url ${JSON.stringify(shown)} carries a user name or password (not shown here). Remove the "user:password@" part: ` +
        "mesibo's backend API is authorised by the App Token alone, and credentials in the URL would be stored in mesibo.json.",
    );
    expect(error.message).not.toMatch(/hunter2|admin/);
  });

  it('never echoes credentials even in a value that does not parse, and shortens long values', () => {
    expect(refusal('ht!tp://admin:hunter2-secret@host/').message).not.toContain('hunter2');
    expect(displayUrl('nonsense://admin:hunter2@host/x')).toBe('nonsense://host/x');
    const long = refusal(`ftp://example.com/${'x'.repeat(500)}`).message;
    expect(long).toMatch(/^--api-url "ftp:\/\/example\.com\/x+…" must start with https:\/\//);
    expect(long.length).toBeLessThan(200);
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url'])('refuses %s', (url) => {
    expect(judgeEndpoint(url, { allowHttp: true }).ok).toBe(false);
  });

  it('knows loopback', () => {
    expect(['127.0.0.1', '127.255.255.254', '[::1]', '::1', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['127.0.0.1.example', '0.0.0.0', '10.0.0.1', 'localhostx', '[::]'].some(isLoopbackHost)).toBe(false);
  });
});

describe('--allow-http', () => {
  it('is a switch of create and refresh', () => {
    expect(parseCommandLine(['my-chat', '--allow-http'])).toMatchObject({ command: 'create', allowHttp: true });
    expect(parseCommandLine(['my-chat'])).toMatchObject({ command: 'create', allowHttp: false });
    expect(parseCommandLine(['refresh', '--allow-http'])).toMatchObject({ command: 'refresh', allowHttp: true });
  });

  it('is in the help of create and refresh', async () => {
    const help = await import('../src/cli/help');
    expect(help.createHelp()).toMatch(/--allow-http +allow plain http to a backend that is not this machine/);
    expect(help.refreshHelp()).toMatch(/--allow-http +allow plain http to a backend that is not this machine/);
  });
});
