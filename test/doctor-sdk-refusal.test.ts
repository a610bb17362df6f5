/**
 * doctor and a pinned mesibo build that refuses to start after a date (issue 20: mesibo 2.7.1, which the
 * Python package bundles and the C++ starter links, stops on 2026-11-21; src/sdk-versions.json records
 * it). Before the date it is the build this tool pins, with its date said; from the date on it is a
 * problem (exit 1) with what to do, never "✔ as this create-mesibo-app pins". The clock is the run's own,
 * injected on both sides of the date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { startFakeBackend, type FakeBackend } from './support/fake-backend';
import { copyProject, createProject, doctorJson, exposeOffLoopback, kinds, removeDir, run, SDK_STILL_STARTS, tempDir } from './support/doctor';

const REFUSES_AFTER = SDK_VERSIONS.python.refusesAfter;
const REFUSED_ON = () => new Date(`${REFUSES_AFTER}T00:00:00Z`);
const MONTHS_LATER = () => new Date(Date.parse(`${REFUSES_AFTER}T00:00:00Z`) + 90 * 86_400_000);

let work = '';
let project = '';
let fake: FakeBackend;
let remote: { url: string; close(): Promise<void> };
let copies = 0;

beforeAll(async () => {
  work = tempDir('cma-doctor-sdk-');
  fake = await startFakeBackend();
  remote = await exposeOffLoopback(fake.url);
  project = await createProject(work, 'chat', remote.url);
});
afterAll(async () => {
  await remote?.close();
  await fake?.close();
  removeDir(work);
});

describe('a pinned mesibo build that refuses to start after a date', () => {
  it('the registry records it for the Python and C++ builds (2.7.1)', () => {
    expect([SDK_VERSIONS.python.mesibo, SDK_VERSIONS.cpp.mesibo]).toEqual(['2.7.1', '2.7.1']);
    expect(REFUSES_AFTER).toBe('2026-11-21');
    expect(SDK_VERSIONS.cpp.refusesAfter).toBe(REFUSES_AFTER);
  });

  it('before the date: healthy, and the date is said', async () => {
    const { code, report } = await doctorJson(project, [], { now: SDK_STILL_STARTS });
    expect(report).toEqual({ ok: true, findings: [] });
    expect(code).toBe(0);
    const human = await run(['doctor'], { cwd: project, now: SDK_STILL_STARTS });
    expect(human.stdout).toContain(`✔ mesibo SDK: mesibo 2.7.1, as this create-mesibo-app pins; this build refuses to start after ${REFUSES_AFTER}`);
  });

  it.each([
    ['on the date', REFUSED_ON],
    ['months later', MONTHS_LATER],
  ])('%s: a problem for python and cpp, with what to do, exit 1', async (_, now) => {
    const { code, report } = await doctorJson(project, [], { now });
    expect(kinds(report)).toEqual(['cpp sdk', 'python sdk']);
    expect(code).toBe(1);
    const [cpp, python] = report.findings;
    expect(python).toMatchObject({
      severity: 'problem',
      message:
        `python/requirements.txt pins mesibo 2.7.1, a build that refuses to start since ${REFUSES_AFTER}: ${SDK_VERSIONS.python.refusalNote}, ` +
        'so the starter cannot log in.',
      fix: expect.stringMatching(/^pip index versions mesibo {3}# once it lists a newer build .* write mesibo==<that version> in python\/requirements\.txt and pip install -r python\/requirements\.txt; until then use the web, Android or iOS starter$/),
    });
    expect(cpp).toMatchObject({ severity: 'problem', message: expect.stringMatching(/^cpp\/main\.cpp is made for mesibo 2\.7\.1, a build that refuses to start since 2026-11-21: .*too old, update to continue using it/) });
    const human = await run(['doctor'], { cwd: project, now });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^ {2}✖ mesibo SDK: python\/requirements\.txt pins mesibo 2\.7\.1, a build that refuses to start since/m);
    expect(human.stdout).not.toContain('mesibo 2.7.1, as this create-mesibo-app pins');
  });

  it('a newer build pinned by hand is not refused (a hint that it differs, as before)', async () => {
    const copy = copyProject(project, path.join(work, `copy-${++copies}`));
    const file = path.join(copy, 'python/requirements.txt');
    writeFileSync(file, readFileSync(file, 'utf8').replace('mesibo==2.7.1', 'mesibo==2.9.0'));
    const { report } = await doctorJson(copy, [], { now: MONTHS_LATER });
    expect(report.findings.filter((f) => f.platform === 'python')).toEqual([expect.objectContaining({ check: 'sdk', severity: 'hint', message: expect.stringContaining('(yours is newer)') })]);
  });
});
