/**
 * refresh takes the appid from the build files: a platform whose build now uses another appid is
 * re-issued for it, mesibo.json records it, and the other platforms keep theirs. Never silently: the
 * change is printed, then asked at a terminal, or taken with --yes only; otherwise nothing is sent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBackend, TEST_APP_TOKEN, type FakeBackend } from './support/fake-backend';
import { fakeToken } from './support/render';
import { snapshot, expectUnchanged } from './support/refresh';
import { APP_ID, copyProject, createProject, doctorJson, exposeOffLoopback, removeDir, run, tempDir, USERS, type RunOptions } from './support/doctor';

let work = '';
let template = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };
let copies = 0;

beforeAll(async () => {
  work = tempDir('cma-doctor-refresh-');
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  template = await createProject(work, 'template', remote.url);
});
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});

/** A copy whose Android build and web config now use other appids than mesibo.json records. */
function renamedProject(): string {
  const project = copyProject(template, path.join(work, `p-${++copies}`));
  const gradle = path.join(project, 'android/app/build.gradle.kts');
  writeFileSync(gradle, readFileSync(gradle, 'utf8').replace(`applicationId = "${APP_ID}"`, 'applicationId = "com.example.renamed"'));
  const web = path.join(project, 'web/config.js');
  writeFileSync(web, readFileSync(web, 'utf8').replace(`appId: "${APP_ID}"`, 'appId: "web-renamed"'));
  return project;
}

const manifest = (project: string) => JSON.parse(readFileSync(path.join(project, 'mesibo.json'), 'utf8'));
const read = (project: string, rel: string) => readFileSync(path.join(project, rel), 'utf8');
const refresh = (project: string, extra: string[], options: Partial<RunOptions> = {}) =>
  run(['refresh', '--api-url', remote.url, '--allow-http', ...extra], { cwd: project, env: { MESIBO_APP_TOKEN: TEST_APP_TOKEN }, ...options });

describe('refresh with a build appid that changed', () => {
  it('with --yes: shows each change, issues for the new appids, records them, keeps the other platforms', async () => {
    const project = renamedProject();
    const asked = fake.requests.length;
    const { code, output } = await refresh(project, ['--yes']);
    expect(code, output).toBe(0);
    expect(output).toContain('android: com.example.chat → com.example.renamed (android/app/build.gradle.kts)');
    expect(output).toContain('web: com.example.chat → web-renamed (web/config.js)');

    // The backend got useradd for the new appids, and for the unchanged one of ios, cpp, python.
    const appIds = fake.requests.slice(asked).map((r) => `${r.user.token.appid} ${r.user.address}`).sort();
    expect(appIds).toEqual(['com.example.chat', 'com.example.renamed', 'web-renamed'].flatMap((a) => USERS.map((u) => `${a} ${u}`)).sort());

    const platforms = Object.fromEntries(manifest(project).platforms.map((p: { id: string; appId: string }) => [p.id, p.appId]));
    expect(platforms).toEqual({ android: 'com.example.renamed', ios: APP_ID, web: 'web-renamed', cpp: APP_ID, python: APP_ID });
    for (const u of USERS) {
      expect(read(project, 'android/mesibo.properties')).toContain(fakeToken(`fake:${u}`, 'com.example.renamed'));
      expect(read(project, 'web/config.js')).toContain(fakeToken(`fake:${u}`, 'web-renamed'));
      expect(read(project, 'cpp/mesibo.conf')).toContain(fakeToken(`fake:${u}`, APP_ID));
    }
    expect(read(project, 'web/config.js')).toContain('appId: "web-renamed"');
    expect(read(project, 'cpp/mesibo.conf')).toContain(`appid ${APP_ID}`);

    // The renamed platforms' committed twins follow (they name the appid); the others' are as they were.
    expect(output).toContain('Also rewriting android/mesibo.properties.example, web/config.js.example for the new appid');
    expect(read(project, 'web/config.js.example')).toContain('appId: "web-renamed"');
    expect(read(project, 'cpp/mesibo.conf.example')).toBe(read(template, 'cpp/mesibo.conf.example'));
    expect(output).not.toMatch(/differs? from what this create-mesibo-app writes/);

    // And doctor finds the project healthy again.
    const { code: doctorCode, report } = await doctorJson(project);
    expect(report).toEqual({ ok: true, findings: [] });
    expect(doctorCode).toBe(0);
  });

  it('without a terminal and without --yes: exit 2 naming the change; nothing sent, nothing changed', async () => {
    const project = renamedProject();
    const before = snapshot(project);
    const asked = fake.requests.length;
    const { code, output } = await refresh(project, []);
    expect(code).toBe(2);
    expect(output).toContain('android: com.example.chat → com.example.renamed');
    expect(output).toMatch(/run refresh again with --yes to accept, or change the build back/);
    expect(fake.requests.length).toBe(asked);
    expectUnchanged(before, snapshot(project));
  });

  it('at a terminal: asks, and a no stops with nothing sent; a yes goes on', async () => {
    const project = renamedProject();
    const before = snapshot(project);
    const asked = fake.requests.length;
    const questions: string[] = [];
    const no = await refresh(project, [], {
      prompt: async (qs) => {
        questions.push(...qs.map((q) => String(q.message)));
        return { follow: false };
      },
    });
    expect(questions).toEqual(['Issue android, web tokens for the new appid and record it in mesibo.json?']);
    expect(no.code).toBe(2);
    expect(no.output).toMatch(/Nothing was sent or changed/);
    expect(fake.requests.length).toBe(asked);
    expectUnchanged(before, snapshot(project));

    const yes = await refresh(project, [], { prompt: async () => ({ follow: true }) });
    expect(yes.code, yes.output).toBe(0);
    expect(manifest(project).platforms[0]).toMatchObject({ id: 'android', appId: 'com.example.renamed' });
  });

  it('an appid the build uses that mesibo would refuse is exit 2, before anything is sent', async () => {
    const project = copyProject(template, path.join(work, `p-${++copies}`));
    const gradle = path.join(project, 'android/app/build.gradle.kts');
    writeFileSync(gradle, readFileSync(gradle, 'utf8').replace(`applicationId = "${APP_ID}"`, 'applicationId = "1bad..id"'));
    const asked = fake.requests.length;
    const { code, output } = await refresh(project, ['--yes']);
    expect(code).toBe(2);
    expect(output).toMatch(/android\/app\/build\.gradle\.kts builds android as "1bad\.\.id", which is not valid as the Android application id/);
    expect(fake.requests.length).toBe(asked);
  });

  it('an unchanged project is refreshed as before, without a question', async () => {
    const project = copyProject(template, path.join(work, `p-${++copies}`));
    const { code, output } = await refresh(project, [], { prompt: async () => expect.fail('nothing should be asked') });
    expect(code, output).toBe(0);
    expect(output).not.toMatch(/→/);
    expect(manifest(project).platforms.every((p: { appId: string }) => p.appId === APP_ID)).toBe(true);
  });
});
