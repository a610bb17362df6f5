/**
 * The Python starter and its double against mesibo's real package (PyPI mesibo, pinned in
 * src/sdk-versions.json), always without network (unshare -rn: nothing can reach mesibo's servers).
 *
 * What the real package does here: setAccessToken accepts the fixture's tokens but logs "bad access
 * token"; since 2026-11-21 start() logs "mesibo API version used in this App is too old" and reports no
 * connection state at all, which the starter names in one paragraph before it exits 1. With the clock set
 * before that date (faketime), it reports AUTHFAIL for them.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SDK_VERSIONS from '../src/sdk-versions.json';
import { renderFixture } from './support/render';
import { pythonSdk } from './support/sdks';
import { assertToolsOrSkip } from './support/tools';
import { tempDir } from './support/starter-common';
import { PYTHON_DOUBLE_DIR, runPythonCode, runStarter, startStarter, starterLines } from './support/python-starter';
import { NAME_CHECK, RECEIVE_PATH, lowercaseTokens, offlineGate } from './support/python-real';

const APP_ID = 'demo.python-app';
const REFUSES_AFTER = SDK_VERSIONS.python.refusesAfter;
const sdk = await pythonSdk();
const offline = offlineGate();
const skip = sdk.skip || offline.skip;

describe.skipIf(skip)(`python starter on mesibo's real package ${sdk.reason} ${offline.reason}`, () => {
  let scratch: ReturnType<typeof tempDir>;
  let project: string;
  let dir: string;
  const real = () => ({ python: sdk.sdk!.python, dir, pycache: scratch.dir, offline: true });
  const noTraceback = (stderr: string) => expect(stderr).not.toMatch(/Traceback|Error:/);

  beforeAll(async () => {
    scratch = tempDir('cma-python-real-');
    project = (await renderFixture({ platforms: [{ id: 'python', appId: APP_ID }], users: ['123', '456'] })).dir;
    dir = path.join(project, 'python');
    lowercaseTokens(path.join(dir, 'config.json'));
  });
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    scratch?.cleanup();
  });

  it('every name the double defines exists in the real package, constants with the same value', async () => {
    const result = await runPythonCode(real(), NAME_CHECK, [path.join(PYTHON_DOUBLE_DIR, 'mesibo.py')]);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(starterLines(result.stdout).at(-1)!) as { checked: string[]; missing: string[] };
    expect(report.missing).toEqual([]);
    for (const name of ['getInstance', 'Mesibo.newMessage', 'Mesibo.setAppId', 'MesiboMessage.data', 'MesiboMessage.isRichMessage']) {
      expect(report.checked).toContain(name);
    }
  });

  it('the name check fails for a name the real package lacks (getProfile) or a wrong constant', async () => {
    const broken = path.join(scratch.dir, 'mesibo-broken.py');
    const source = readFileSync(path.join(PYTHON_DOUBLE_DIR, 'mesibo.py'), 'utf8');
    const withProfile = source.replace('    def newMessage(self, peer):', '    def getProfile(self, peer):\n        return None\n\n    def newMessage(self, peer):');
    writeFileSync(broken, withProfile.replace('MESIBO_STATUS_SUSPEND = 10', 'MESIBO_STATUS_SUSPEND = 10\nMESIBO_STATUS_SUSPENDED = 10'));
    const result = await runPythonCode(real(), NAME_CHECK, [broken]);
    const report = JSON.parse(starterLines(result.stdout).at(-1)!) as { missing: string[] };
    expect(report.missing).toEqual(['MESIBO_STATUS_SUSPENDED', 'Mesibo.getProfile']);
  });

  it(`at today's date (after ${REFUSES_AFTER}) says that mesibo refuses to start and a newer build is needed, and exits 1`, async () => {
    expect(new Date().toISOString().slice(0, 10) > REFUSES_AFTER).toBe(true);
    // The input stays open: the starter ends by itself, it does not wait for the terminal.
    const result = await runStarter({ ...real(), args: ['--user', '123'] });
    noTraceback(result.stderr);
    expect(result.exitCode).toBe(1);
    // mesibo's own log lines: the token, the appid and start() reached the real library, which refused.
    expect(result.stdout).toContain('bad access token');
    expect(result.stdout).toContain(`app: ${APP_ID}`);
    expect(result.stdout).toContain('mesibo API version used in this App is too old, update to continue using it');
    expect(starterLines(result.stdout)).toEqual([
      'Demo Chat: logging in as 123. Type a message for 456 and press Enter; end of input or Ctrl-C quits.',
    ]);
    const paragraph = result.stderr.trim();
    expect(paragraph.split('\n')).toHaveLength(1);
    expect(paragraph).toContain(`mesibo ${SDK_VERSIONS.python.mesibo} refuses to start after ${REFUSES_AFTER}`);
    expect(paragraph).toContain('A newer mesibo build is needed');
  });

  it('exits 0 without a traceback on Ctrl-C (SIGINT)', async () => {
    const child = startStarter({ ...real(), args: ['--user', '456'] });
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('starting mesibo')) resolve();
      });
      child.catch(reject);
      setTimeout(() => reject(new Error(`mesibo did not start within 15 s:\n${seen}`)), 15_000);
    });
    child.kill('SIGINT');
    const result = await child;
    noTraceback(String(result.stderr));
    expect(result.exitCode).toBe(0);
  });

  const faketime = assertToolsOrSkip(['faketime']);
  it.skipIf(faketime.skip)(`shows AUTHFAIL in words when the real library reports it, and exits 1 ${faketime.reason}`, async () => {
    // Before 2026-11-21 mesibo 2.7.1 still starts; it rejects the fixture's token at once.
    const result = await runStarter({ ...real(), args: ['--user', '123'], stdin: 'x\n', wrapper: ['faketime', '2026-11-01 12:00:00'] });
    noTraceback(result.stderr);
    expect(result.exitCode).toBe(1);
    expect(starterLines(result.stdout)).toContain(
      'Connection: AUTHFAIL: the token or appid does not match (tokens only work with the appid they were issued for)',
    );
    expect(result.stderr).toContain("Could not log in as '123'.");
    expect(result.stderr).toMatch(/npx create-mesibo-app@\d+\.\d+\.\d+ refresh/);
    // Before the refusal date mesibo runs: no refusal in its log, none in the starter's words.
    expect(result.stdout).not.toContain('too old');
    expect(result.stderr).not.toContain('no connection state');
  });

  it("shows received rich and plain messages that the real package hands to the starter's listener", async () => {
    const token = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).users[0].token as string;
    const result = await runPythonCode(real(), RECEIVE_PATH, [dir, token, APP_ID]);
    noTraceback(result.stderr);
    expect(result.exitCode).toBe(0);
    expect(starterLines(result.stdout)).toEqual([
      'real listener: True',
      "handed over: rich=1 message='rich text ü' data=b''",
      '456: rich text ü',
      // Text alone goes out as a plain message: mesibo moves it to `data`.
      "handed over: rich=0 message=None data='plain text ü'",
      '456: plain text ü',
    ]);
  });
});
