/**
 * The C++ starter on mesibo's real libmesibo.so (the one bundled in the PyPI mesibo wheel, pinned in
 * src/sdk-versions.json), compiled with the project's own header (test/doubles/cpp/include/mesibo.h) and
 * always run without network (unshare -rn).
 *
 * libmesibo.so exports C entry points only (MesiboInstance, MesiboInterfaceVersion, ...); everything else
 * is a pure virtual interface, so every call below lands on a vtable slot of the real library: a header
 * with a slot out of place would return garbage or crash here.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { renderFixture } from './support/render';
import { pythonSdk } from './support/sdks';
import { assertToolsOrSkip } from './support/tools';
import { DOUBLES_DIR, tempDir } from './support/starter-common';
import { offlineGate } from './support/python-real';
import { cmakeBuild, mesiboRootWith, runStarter, startStarter, starterLines } from './support/cpp-starter';

const APP_ID = 'demo.cpp-app';
const tools = assertToolsOrSkip(['g++', 'cmake']);
const sdk = await pythonSdk();
const offline = offlineGate();
const skip = tools.skip || sdk.skip || offline.skip;
const AUTHFAIL_WORDS = 'Connection: AUTHFAIL: the token or appid does not match (tokens only work with the appid they were issued for)';
const REFUSES_AFTER = SDK_VERSIONS.cpp.refusesAfter;

describe.skipIf(skip)(`C++ starter on mesibo's real libmesibo.so ${tools.reason} ${sdk.reason} ${offline.reason}`, () => {
  let scratch: ReturnType<typeof tempDir>;
  let project: string;
  let cppDir: string;
  let realRoot: string;
  let runs = 0;
  const log = () => path.join(scratch.dir, `calls-${++runs}.jsonl`);

  beforeAll(async () => {
    scratch = tempDir('cma-cpp-real-');
    project = (await renderFixture({ platforms: [{ id: 'cpp', appId: APP_ID }], users: ['123', '456'] })).dir;
    cppDir = path.join(project, 'cpp');
    // The fixture's mixed-case tokens can crash libmesibo 2.7.1's setAccessToken (see lowercaseTokens).
    const conf = path.join(cppDir, 'mesibo.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^(user .* )(\S+)$/gm, (_m, head: string, token: string) => head + token.toLowerCase()));
    realRoot = mesiboRootWith(path.join(scratch.dir, 'real-mesibo'), sdk.sdk!.libmesibo);
    await cmakeBuild(cppDir, realRoot, 'build-real');
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    scratch?.cleanup();
  });

  it('links against the real library through the imported target', async () => {
    const { stdout } = await execa('readelf', ['-d', path.join(cppDir, 'build-real', 'mesibo-starter')]);
    // The wheel's libmesibo.so has no SONAME, so the linker records the path CMake gave it.
    expect(stdout).toContain(`Shared library: [${realRoot}/lib/libmesibo.so]`);
  });

  it(`at today's date (after ${REFUSES_AFTER}) says that mesibo refuses to start and a newer build is needed, and exits 1`, async () => {
    expect(new Date().toISOString().slice(0, 10) > REFUSES_AFTER).toBe(true);
    // The input stays open: the starter ends by itself, it does not wait for the terminal or for mesibo.
    const run = await startStarter(cppDir, log(), ['--user', '123'], undefined, { build: 'build-real', offline: true });
    const stdout = String(run.stdout);
    expect(run.exitCode).toBe(1);
    // mesibo's own log: the token, the appid and start() reached the real library, which refused.
    expect(stdout).toContain('bad access token');
    expect(stdout).toContain(`app: ${APP_ID}`);
    expect(stdout).toContain('mesibo API version used in this App is too old, update to continue using it');
    expect(starterLines(stdout)).toEqual(['Demo Chat: logging in as 123...']);
    const paragraph = String(run.stderr).trim();
    expect(paragraph.split('\n')).toHaveLength(1);
    expect(paragraph).toContain(`libmesibo ${SDK_VERSIONS.cpp.mesibo}, the build this starter was checked with, refuses to start after ${REFUSES_AFTER}`);
    expect(paragraph).toMatch(/a newer mesibo build is needed/i);
  });

  it('ends at the end of piped input while the real library stays silent (it used to wait for online)', async () => {
    const run = await runStarter(cppDir, log(), ['--user', '123'], 'typed before the end\n', {}, { build: 'build-real', offline: true });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('mesibo reported no connection state within 5 seconds');
  });

  const faketime = assertToolsOrSkip(['faketime']);
  it.skipIf(faketime.skip)(`shows AUTHFAIL in words when the real library reports it, and exits 1 ${faketime.reason}`, async () => {
    // Before 2026-11-21 libmesibo 2.7.1 still starts; it rejects the fixture's token at once.
    const run = await runStarter(cppDir, log(), ['--user', '123'], 'x\n', {}, {
      build: 'build-real',
      offline: true,
      wrapper: ['faketime', '2026-11-01 12:00:00'],
    });
    expect(run.exitCode).toBe(1);
    expect(starterLines(run.stdout)).toEqual(['Demo Chat: logging in as 123...', AUTHFAIL_WORDS]);
    expect(run.stderr).toContain('Could not log in as "123".');
    // Before the refusal date libmesibo runs: no refusal in its log, none in the starter's words.
    expect(run.stdout).not.toContain('too old');
    expect(run.stderr).not.toContain('no connection state');
  });

  it("shows received rich and plain messages that the real library hands to the starter's listener", async () => {
    const program = path.join(scratch.dir, 'real_receive');
    await execa('g++', [
      '-std=c++17', '-Wall', '-Wextra', '-Werror', '-isystem', path.join(realRoot, 'include'), '-I', cppDir,
      path.join(DOUBLES_DIR, 'cpp', 'real_receive.cpp'), '-pthread', path.join(realRoot, 'lib', 'libmesibo.so'), '-o', program,
    ]);
    const run = await execa('unshare', ['-rn', '--', program, 'a'.repeat(64), APP_ID], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(starterLines(run.stdout)).toEqual([
      'interface version: 4',
      'handed over: rich=1 message=rich text ü data=',
      '456: rich text ü',
      // Text alone goes out as a plain message: getMessage() is NULL and the text is in getData().
      'handed over: rich=0 message=(null) data=plain text ü',
      '456: plain text ü',
      'connection status: 0',
    ]);
  });

  it("stops CMake when the library is mesibo's build for another CPU or OS (the wheel's own)", async () => {
    const clib = path.resolve(path.dirname(sdk.sdk!.libmesibo), '..', '..');
    const host = process.arch === 'arm64' ? 'arm64' : 'x86_64';
    const cases = [
      [path.join(clib, 'linux', host === 'arm64' ? 'x86_64' : 'aarch64', 'libmesibo.so'), `Linux (ELF) ${host === 'arm64' ? 'x86_64' : 'arm64'}`],
      [path.join(clib, 'macos', 'arm64', 'libmesibo.so'), 'macOS (Mach-O) arm64'],
    ] as const;
    for (const [library, what] of cases) {
      const root = mesiboRootWith(path.join(scratch.dir, `other-${runs++}`), library);
      const run = await execa('cmake', ['-S', '.', '-B', path.join(scratch.dir, `build-other-${runs}`), `-DMESIBO_ROOT=${root}`], { cwd: cppDir, reject: false });
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr.replace(/\s+/g, ' ')).toContain(
        `${root}/lib/libmesibo.so is mesibo's library for ${what}, but this build is for Linux (ELF) ${host}: it cannot be linked.`,
      );
    }
  });
});
