/**
 * doctor on projects nobody should trust: symbolic links out of the project, huge files, broken JSON,
 * binary junk, missing folders, a FIFO, terminal escapes in an appid. Each gets findings and exit 1,
 * never a crash, never "This is a bug" (run() checks), and nothing outside the project is read: the
 * outside files hold values that would show up in the findings if doctor had followed a link.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from './support/fake-backend';
import { commitAll, copyProject, createProject, doctorJson, expectNoTokenIn, exposeOffLoopback, git, kinds, removeDir, tempDir, tokensOf, REFRESH } from './support/doctor';

let work = '';
let healthy = '';
let outside = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };
let copies = 0;
const fresh = () => copyProject(healthy, path.join(work, `copy-${++copies}`));
/** What the outside files say; a finding that quotes any of it read outside the project. */
const OUTSIDE = /com\.outside|OUTSIDE-MARK/;

beforeAll(async () => {
  work = tempDir('cma-doctor-hostile-');
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  healthy = await createProject(work, 'healthy', remote.url);
  await commitAll(healthy);
  // Someone else's files, outside the project, each with a different appid than the project's.
  outside = path.join(work, 'outside');
  mkdirSync(path.join(outside, 'web'), { recursive: true });
  writeFileSync(path.join(outside, 'config.js'), 'window.MESIBO_CONFIG = { appId: "com.outside.web", users: [] }; // OUTSIDE-MARK\n');
  writeFileSync(path.join(outside, 'build.gradle.kts'), 'android { defaultConfig { applicationId = "com.outside.gradle" } }\n');
  writeFileSync(path.join(outside, 'web', 'config.js'), readFileSync(path.join(healthy, 'web/config.js'), 'utf8').replace('com.example.chat', 'com.outside.folder'));
  writeFileSync(path.join(outside, 'mesibo.json'), readFileSync(path.join(healthy, 'mesibo.json'), 'utf8').replace(/"name": "[^"]*"/, '"name": "OUTSIDE-MARK"'));
});
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});

const replaceWithLink = (project: string, rel: string, target: string) => {
  rmSync(path.join(project, rel), { recursive: true, force: true });
  symlinkSync(target, path.join(project, rel));
};

const cases: Array<[string, (p: string) => void | Promise<void>, string[]]> = [
  ['web/ linked to a folder outside', (p) => replaceWithLink(p, 'web', path.join(outside, 'web')), ['web folder']],
  ['the Android build file linked outside', (p) => replaceWithLink(p, 'android/app/build.gradle.kts', path.join(outside, 'build.gradle.kts')), ['android appid']],
  ['web/config.js linked outside', (p) => replaceWithLink(p, 'web/config.js', path.join(outside, 'config.js')), ['web token-config']],
  ['ios/Config linked outside', (p) => replaceWithLink(p, 'ios/Config', outside), ['ios example', 'ios token-config']],
  ['mesibo.json linked outside', (p) => replaceWithLink(p, 'mesibo.json', path.join(outside, 'mesibo.json')), ['project manifest']],
  ['mesibo.json of broken JSON', (p) => writeFileSync(path.join(p, 'mesibo.json'), '{"manifestVersion": 1, "name": '), ['project manifest']],
  ['mesibo.json of 9 MiB', (p) => writeFileSync(path.join(p, 'mesibo.json'), ' '.repeat(9 << 20)), ['project manifest']],
  ['mesibo.json of binary junk', (p) => writeFileSync(path.join(p, 'mesibo.json'), Buffer.from([0xff, 0x00, 0xfe, 0x01, 0x80])), ['project manifest']],
  ['python/config.json of binary junk', (p) => writeFileSync(path.join(p, 'python/config.json'), Buffer.from([0x7b, 0x00, 0xc3, 0x28]), { mode: 0o600 }), ['python token-config']],
  ['python/config.json of broken JSON', (p) => writeFileSync(path.join(p, 'python/config.json'), '{"appId": "x", "users": [', { mode: 0o600 }), ['python token-config']],
  ['web/config.js of 2 MiB', (p) => writeFileSync(path.join(p, 'web/config.js'), `// ${'x'.repeat(2 << 20)}\n`, { mode: 0o600 }), ['web token-config']],
  ['web/config.js a folder', (p) => (rmSync(path.join(p, 'web/config.js')), mkdirSync(path.join(p, 'web/config.js'))), ['web token-config']],
  ['cpp/mesibo.conf a FIFO', (p) => (rmSync(path.join(p, 'cpp/mesibo.conf')), execFileSync('mkfifo', [path.join(p, 'cpp/mesibo.conf')])), ['cpp token-config']],
  ['the cpp folder missing', (p) => rmSync(path.join(p, 'cpp'), { recursive: true }), ['cpp folder']],
  ['an Xcode project nested 100 000 deep', (p) => writeFileSync(path.join(p, 'ios/MesiboStarter.xcodeproj/project.pbxproj'), '('.repeat(100_000)), ['ios appid']],
  ['an applicationId that is an expression', (p) => edit(p, 'android/app/build.gradle.kts', 'applicationId = "com.example.chat"', 'applicationId = System.getenv("APP_ID")'), ['android appid']],
  ['a .example twin linked outside', (p) => replaceWithLink(p, 'cpp/mesibo.conf.example', path.join(outside, 'config.js')), ['cpp example']],
  ['a broken .git', (p) => writeFileSync(path.join(p, '.git/HEAD'), 'junk\n'), []],
];

function edit(project: string, rel: string, from: string, to: string): void {
  const file = path.join(project, rel);
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
}

describe('doctor on hostile projects', () => {
  it.each(cases)('%s: its own findings, no crash, nothing read outside', async (_, breakIt, expected) => {
    const project = fresh();
    await breakIt(project);
    const { code, report, run } = await doctorJson(project);
    expect(kinds(report)).toEqual(expected);
    expect(code).toBe(expected.length > 0 && report.findings.some((f) => f.severity === 'problem') ? 1 : 0);
    expect(run.output).not.toMatch(OUTSIDE);
    for (const f of report.findings) expect(f.message).not.toMatch(/\n/);
  });

  it('names the link, and says it is not followed', async () => {
    const project = fresh();
    replaceWithLink(project, 'web/config.js', path.join(outside, 'config.js'));
    const { report } = await doctorJson(project);
    expect(report.findings[0]!.message).toMatch(/^web\/config\.js is a symbolic link, which doctor does not follow/);
    expect(report.findings[0]!.fix).toBe(`rm web/config.js && ${REFRESH}`);
  });

  it('an appid with terminal escapes is shown inert', async () => {
    const project = fresh();
    edit(project, 'web/config.js', 'appId: "com.example.chat"', 'appId: "\\u001b[2J\\u001b]0;pwned\\u0007evil"');
    const { report, run } = await doctorJson(project);
    expect(kinds(report)).toEqual(['web appid']);
    expect(run.output).not.toMatch(/\u001b|\u0007/);
  });

  it('a token that lands in a message (pasted as the appid) is redacted: every token read is registered', async () => {
    const project = fresh();
    const token = tokensOf(project)[0]!;
    const config = path.join(project, 'web/config.js');
    const text = readFileSync(config, 'utf8');
    writeFileSync(config, text.replace('appId: "com.example.chat"', `appId: "${text.match(/token: "([0-9A-Za-z]{64})"/)![1]}"`));
    const { report, run } = await doctorJson(project);
    expect(kinds(report)).toEqual(['web appid']);
    expect(run.output).toContain('[redacted]');
    expectNoTokenIn(run.output, [token, ...tokensOf(project)]);
  });

  it('a committed file version too large to search is a hint', async () => {
    const project = fresh();
    writeFileSync(path.join(project, 'big.bin.txt'), 'y'.repeat(2 << 20));
    await git(project, 'add', 'big.bin.txt');
    await git(project, 'commit', '--quiet', '-m', 'big');
    const { code, report } = await doctorJson(project);
    expect(report.findings).toEqual([expect.objectContaining({ platform: 'project', check: 'committed', severity: 'hint' })]);
    expect(code).toBe(0);
  });
});
