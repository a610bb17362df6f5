/**
 * `create-mesibo-app doctor` on a healthy project (made by the CLI against the fake backend as a real
 * endpoint, committed to git) and on each way one can break: every broken variant yields exactly its own
 * finding and exit 1, with a fix that names the right command or file; no token is ever printed.
 */
import { appendFileSync, chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from './support/fake-backend';
import { commitAll, copyProject, createProject, doctorJson, exposeOffLoopback, expectNoTokenIn, git, kinds, removeDir, run, SDK_STILL_STARTS, tempDir, tokensOf, USERS, REFRESH } from './support/doctor';

let work = '';
let healthy = '';
let sandbox = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };
let copies = 0;
const fresh = () => copyProject(healthy, path.join(work, `copy-${++copies}`));
const edit = (project: string, rel: string, from: string | RegExp, to: string) => {
  const file = path.join(project, rel);
  const before = readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  expect(after, `${rel} was not changed`).not.toBe(before);
  writeFileSync(file, after);
};

beforeAll(async () => {
  work = tempDir();
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  healthy = await createProject(work, 'healthy', remote.url);
  await commitAll(healthy);
  sandbox = path.join(work, 'sandboxed');
  const made = await run(['./sandboxed', '--yes', '--no-git', '--sandbox', '--users', USERS.join(',')], { cwd: work });
  expect(made.code, made.output).toBe(0);
  await commitAll(sandbox);
});
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});

describe('doctor on a healthy project', () => {
  it('passes every check: exit 0, no finding, a ✔ line per check grouped per platform', async () => {
    const { code, report } = await doctorJson(healthy);
    expect(report).toEqual({ ok: true, findings: [] });
    expect(code).toBe(0);
    const human = await run(['doctor'], { cwd: healthy, now: SDK_STILL_STARTS });
    expect(human.code).toBe(0);
    for (const platform of ['project', 'android', 'ios', 'web', 'cpp', 'python']) expect(human.stdout).toMatch(new RegExp(`^${platform}$`, 'm'));
    expect(human.stdout).toMatch(/✔ appid: builds as com\.example\.chat/);
    expect(human.stdout).toMatch(/✔ git history: no current token in git history \(1 commit, \d+ file versions\)/);
    expect(human.stdout).toMatch(/✔ No problems found\./);
    expect(human.stdout).not.toMatch(/✖/);
    expectNoTokenIn(human.output, tokensOf(healthy));
  });

  it('finds the project from a folder inside it, and its fixes are paths from there', async () => {
    const project = fresh();
    chmodSync(path.join(project, 'cpp/mesibo.conf'), 0o644);
    const { code, report } = await doctorJson(path.join(project, 'android', 'app'));
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ platform: 'cpp', check: 'permissions', fix: 'chmod 600 ../../cpp/mesibo.conf' })]);
  });
});

describe('each broken variant yields exactly its own finding and exit 1', () => {
  const variants: Array<[string, (project: string) => Promise<void> | void, string, RegExp, RegExp | string]> = [
    [
      'a changed applicationId',
      (p) => edit(p, 'android/app/build.gradle.kts', 'applicationId = "com.example.chat"', 'applicationId = "com.example.renamed"'),
      'android appid',
      /^android builds as com\.example\.renamed \(android\/app\/build\.gradle\.kts\), but its tokens were issued for com\.example\.chat: mesibo will answer AUTHFAIL\. Run refresh, which re-reads the appid, or change applicationId back to com\.example\.chat\.$/,
      REFRESH,
    ],
    [
      'a changed bundle id',
      (p) => edit(p, 'ios/MesiboStarter.xcodeproj/project.pbxproj', /PRODUCT_BUNDLE_IDENTIFIER = com\.example\.chat;/g, 'PRODUCT_BUNDLE_IDENTIFIER = "com.example.ios-app";'),
      'ios appid',
      /^ios builds as com\.example\.ios-app \(ios\/MesiboStarter\.xcodeproj\/project\.pbxproj \(Debug, Release\)\), but its tokens were issued for com\.example\.chat/,
      REFRESH,
    ],
    ['an edited web appid', (p) => edit(p, 'web/config.js', 'appId: "com.example.chat"', 'appId: "my-web-app"'), 'web appid', /^web builds as my-web-app \(web\/config\.js\)/, REFRESH],
    ['a token file made 0644', (p) => chmodSync(path.join(p, 'cpp/mesibo.conf'), 0o644), 'cpp permissions', /other users .*mode 0644/, /^chmod 600 cpp\/mesibo\.conf$/],
    ['the ignore line removed', (p) => edit(p, 'python/.gitignore', /^\/config\.json\n/m, ''), 'python gitignore', /python\/config\.json is not git-ignored/, /^echo '\/config\.json' >> python\/\.gitignore$/],
    [
      'a config committed',
      async (p) => {
        await git(p, 'add', '-f', 'web/config.js');
        await git(p, 'commit', '--quiet', '-m', 'oops');
      },
      'web committed',
      /^web\/config\.js was committed with current access tokens in [0-9a-f]{7,}: .*Rotate the tokens with refresh/,
      `git rm --cached web/config.js && ${REFRESH}`,
    ],
    ['an issue time past expiry', (p) => edit(p, 'mesibo.json', /"tokensExpireAt": "[^"]+"/, '"tokensExpireAt": "2026-11-01T00:00:00.000Z"'), 'project expiry', /expired on 2026-11-01 \(\d+ days ago\)/, REFRESH],
    ['tokens no longer in the config', (p) => rmSync(path.join(p, 'python/config.json')), 'python token-config', /python\/config\.json is missing/, REFRESH],
    ['a user without a token', (p) => edit(p, 'cpp/mesibo.conf', /^user 789 .*\n/m, ''), 'cpp token-config', /has no token for user 789/, REFRESH],
    ['an edited .example twin', (p) => appendFileSync(path.join(p, 'web/config.js.example'), '// mine\n'), 'web example', /web\/config\.js\.example differs/, /^git checkout -- web\/config\.js\.example  .*another version/],
    [
      'a token-shaped string in a tracked file',
      async (p) => {
        writeFileSync(path.join(p, 'NOTES.md'), `login with ${'Ab3'.repeat(21)}x\n`);
        await git(p, 'add', 'NOTES.md');
      },
      'project tracked-secrets',
      /NOTES\.md is tracked by git and holds what looks like an access token/,
      /refresh/,
    ],
  ];
  it.each(variants)('%s', async (_, breakIt, expected, message, fix) => {
    const project = fresh();
    await breakIt(project);
    const { code, report, run: result } = await doctorJson(project);
    expect(kinds(report)).toEqual([expected]);
    expect(report.ok).toBe(false);
    expect(code).toBe(1);
    expect(report.findings[0]!.severity).toBe('problem');
    expect(report.findings[0]!.message).toMatch(message);
    if (typeof fix === 'string') expect(report.findings[0]!.fix).toBe(fix);
    else expect(report.findings[0]!.fix).toMatch(fix);
    expectNoTokenIn(result.output, tokensOf(project));
    const human = await run(['doctor'], { cwd: project, now: SDK_STILL_STARTS });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/✖ 1 problem found/);
    expect(human.stdout).toContain(`      fix: ${report.findings[0]!.fix}`);
  });

  it('sandbox tokens', async () => {
    const { code, report } = await doctorJson(sandbox);
    expect(kinds(report)).toEqual(['project sandbox']);
    expect(code).toBe(1);
    expect(report.findings[0]!.message).toMatch(/sandbox tokens: they work only with this project's local sandbox \(the web starter chats through it while it runs\), and every starter gets AUTHFAIL from mesibo's servers/);
    expect(report.findings[0]!.fix).toBe(REFRESH);
  });

  it('tokens expiring within 7 days, by the injected clock', async () => {
    const expires = Date.parse(JSON.parse(readFileSync(path.join(healthy, 'mesibo.json'), 'utf8')).tokensExpireAt);
    // Months ahead, so mesibo 2.7.1 (python, cpp) refuses to start by then: those findings are doctor-sdk-refusal's.
    const { code, report } = await doctorJson(healthy, [], { now: () => new Date(expires - 3 * 86_400_000 - 60_000) });
    const notSdk = (r: typeof report) => kinds(r).filter((k) => !k.endsWith(' sdk'));
    expect(notSdk(report)).toEqual(['project expiry']);
    expect(report.findings.find((f) => f.check === 'expiry')!.message).toMatch(/expire on \d{4}-\d\d-\d\d \(in 3 days\)/);
    expect(code).toBe(1);
    expect(notSdk((await doctorJson(healthy, [], { now: () => new Date(expires - 8 * 86_400_000) })).report)).toEqual([]);
  });

  it('expiry from tokensIssuedAt and the lifetime when tokensExpireAt is gone; an old manifest without tokensIssuedAt reads as before', async () => {
    const project = fresh();
    const file = path.join(project, 'mesibo.json');
    const original = JSON.parse(readFileSync(file, 'utf8'));
    const { tokensExpireAt: _expires, ...issuedOnly } = { ...original, tokensIssuedAt: '2025-06-01T00:00:00.000Z', tokenExpiryMinutes: 525600 };
    writeFileSync(file, JSON.stringify(issuedOnly));
    const fromIssued = await doctorJson(project);
    expect(kinds(fromIssued.report)).toEqual(['project expiry']);
    expect(fromIssued.report.findings[0]!.message).toMatch(/expired on 2026-06-01/);
    const { tokensIssuedAt: _issued, ...older } = original;
    writeFileSync(file, JSON.stringify(older));
    expect(await doctorJson(project)).toMatchObject({ code: 0, report: { ok: true, findings: [] } });
  });

  it('an older pinned mesibo SDK is a hint, not a failure', async () => {
    const project = fresh();
    edit(project, 'android/gradle/libs.versions.toml', /^mesibo = "[^"]+"/m, 'mesibo = "2.7.10"');
    const { code, report } = await doctorJson(project);
    expect(report.findings).toEqual([expect.objectContaining({ platform: 'android', check: 'sdk', severity: 'hint' })]);
    expect(report.findings[0]!.message).toMatch(/pins mesibo 2\.7\.10; this create-mesibo-app pins \d/);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });
});

describe('doctor without git', () => {
  it('reads the .gitignore files itself, and the history checks say they do not apply', async () => {
    const project = fresh();
    rmSync(path.join(project, '.git'), { recursive: true });
    const healthyRun = await doctorJson(project);
    expect(healthyRun.report.findings).toEqual([]);
    const human = await run(['doctor'], { cwd: project, now: SDK_STILL_STARTS });
    expect(human.stdout).toMatch(/✔ git-ignored: web\/config\.js is git-ignored \(per \.gitignore; not a git repository\)/);
    expect(human.stdout).toMatch(/– git history: not checked \(not a git repository\)/);
    edit(project, 'ios/.gitignore', /^\/Config\/Secrets\.xcconfig\n/m, '');
    const { code, report } = await doctorJson(project);
    expect(kinds(report)).toEqual(['ios gitignore']);
    expect(code).toBe(1);
  });
});

describe('usage', () => {
  it('exit 2 outside any project, and for a folder that does not exist', async () => {
    const empty = tempDir();
    try {
      const outside = await run(['doctor'], { cwd: empty });
      expect(outside.code).toBe(2);
      expect(outside.stderr).toMatch(/is not inside a create-mesibo-app project: neither it nor any folder above it has a mesibo\.json/);
      const json = await run(['doctor', '--json'], { cwd: empty });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 2 });
      expect((await run(['doctor', 'nowhere'], { cwd: empty })).code).toBe(2);
      expect((await run(['doctor', 'a', 'b'], { cwd: empty })).code).toBe(2);
      expect((await run(['doctor', '--yes'], { cwd: empty })).code).toBe(2);
    } finally {
      removeDir(empty);
    }
  });

  it('takes the project folder as an argument', async () => {
    const { code, report } = await doctorJson(work, ['healthy']);
    expect(report.ok).toBe(true);
    expect(code).toBe(0);
  });
});
