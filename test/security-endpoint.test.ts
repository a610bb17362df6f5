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
    ['https://admin:hunter2-secret@api.example/backend/', 'https://***@api.example/backend/'],
    ['http://admin:hunter2-secret@127.0.0.1:9/', 'http://***@127.0.0.1:9/'],
    ['https://hunter2-secret@api.example/', 'https://***@api.example/'],
    // Issue 19 bug 7: a password holding #, ? or / parses as another host, or not at all.
    ['https://admin:hun#ter2-secret@api.example/backend/', 'https://***@api.example/backend/'],
    ['https://admin:hun?ter2-secret@api.example/', 'https://***@api.example/'],
    ['https://admin:hun/ter2-secret@api.example/', 'https://***@api.example/'],
    ['https://ad?min:hunter2-secret@api.example/', 'https://***@api.example/'],
    ['https://ad#min:hunter2-secret@api.example/', 'https://***@api.example/'],
  ])('refuses credentials in %s without echoing them', (url, shown) => {
    const error = refusal(url, true);
    expect(error.message).toBe(
      `--api-url ${JSON.stringify(shown)} carries a user name or password (not shown here). Remove the "user:password@" part: ` +
        "mesibo's backend API is authorised by the App Token alone, and credentials in the URL would be stored in mesibo.json.",
    );
    expect(error.message).not.toMatch(/hunter2|admin|hun|ter2|ad\?min|ad#min/);
  });

  it('never echoes credentials even in a value that does not parse, and shortens long values', () => {
    expect(refusal('ht!tp://admin:hunter2-secret@host/').message).not.toContain('hunter2');
    expect(displayUrl('nonsense://admin:hunter2@host/x')).toBe('nonsense://***@host/x');
    expect(displayUrl('admin:hun#ter2@proxy.example:3128')).toBe('***@proxy.example:3128');
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

describe('issue 19, bug 7: credentials in any URL are shown as ***, never echoed (end to end)', () => {
  const SECRET = /hun.?ter2|admin/;
  const run = async (argv: string[], env: NodeJS.ProcessEnv) => {
    const { runInProcess, scratchDir, removeScratch } = await import('./support/security-run');
    const cwd = scratchDir('cma-cred-');
    try {
      return { ...(await runInProcess(argv, { cwd, env: { MESIBO_APP_TOKEN: 'Tk9AppTokenSecretValue0123456789abcdef', ...env } })), cwd };
    } finally {
      removeScratch(cwd);
    }
  };

  it.each(['https://admin:hun#ter2@api.example/backend/', 'https://admin:hun?ter2@api.example/', 'https://admin:hun/ter2@api.example/', 'https://ad?min:hunter2@api.example/'])(
    'create --api-url %s: exit 2, shown as https://***@api.example/…',
    async (url) => {
      const result = await run(['app', '--yes', '--no-git', '--platforms', 'web', '--users', '1,2', '--api-url', url], {});
      expect(result.code, result.output).toBe(2);
      expect(result.stderr).toMatch(/--api-url "https:\/\/\*\*\*@api\.example\/[^"]*" carries a user name or password \(not shown here\)/);
      expect(result.output).not.toMatch(SECRET);
    },
  );

  it.each(['http://admin:hun#ter2@proxy.example:3128', 'http://admin:hun?ter2@proxy.example:3128', 'http://ad?min:hunter2@proxy.example:3128', 'admin:hun/ter2@proxy.example:3128'])(
    'a malformed HTTPS_PROXY with credentials (%s): exit 2, never echoed',
    async (proxy) => {
      const result = await run(['app', '--yes', '--no-git', '--platforms', 'web', '--users', '1,2', '--api-url', 'https://api.example.test/backend/'], { HTTPS_PROXY: proxy });
      expect(result.code, result.output).toBe(2);
      expect(result.stderr).toMatch(/HTTPS_PROXY="(http:\/\/)?\*\*\*@proxy\.example:3128\/?" is not a proxy URL/);
      expect(result.output).not.toMatch(SECRET);
    },
  );

  it('a tampered mesibo.json endpoint with credentials: refresh refuses it (exit 2), shown as ***', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { runInProcess, scratchDir, removeScratch } = await import('./support/security-run');
    const cwd = scratchDir('cma-cred-');
    try {
      const made = await runInProcess(['app', '--sandbox', '--yes', '--no-git', '--platforms', 'web', '--users', '1,2'], { cwd });
      expect(made.code, made.output).toBe(0);
      const file = path.join(cwd, 'app', 'mesibo.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      for (const endpoint of ['https://admin:hun#ter2@api.example/backend/', 'https://admin:hunter2@api.example/backend/']) {
        writeFileSync(file, JSON.stringify({ ...manifest, sandbox: false, endpoint }, null, 2));
        const result = await runInProcess(['refresh', 'app', '--yes'], { cwd, env: { MESIBO_APP_TOKEN: 'Tk9AppTokenSecretValue0123456789abcdef' } });
        expect(result.code, result.output).toBe(2);
        expect(result.stderr).toMatch(/"endpoint" "https:\/\/\*\*\*@api\.example\/backend\/" must not carry a user name or password/);
        expect(result.output).not.toMatch(SECRET);
      }
    } finally {
      removeScratch(cwd);
    }
  });
});
