/**
 * Sandbox tokens against mesibo's real library: a starter given sandbox tokens must report AUTHFAIL, never
 * crash. libmesibo 2.7 segfaults in setAccessToken() on many 64-character tokens with upper-case letters
 * (seen: 8 of 40 all-upper-case, 5 of 30 mixed-case), and on none of lower case and digits.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sandboxToken } from '../src/sandbox/server';
import { pythonSdk } from './support/sdks';
import { tempDir } from './support/starter-common';
import { assertToolsOrSkip } from './support/tools';

const sdk = await pythonSdk();
const tools = assertToolsOrSkip(['unshare']);

// One child process per token (os.fork), so a crash is counted instead of ending the check.
const PROBE = `
import os, sys
import mesibo
crashed = []
for token in sys.stdin.read().split():
    pid = os.fork()
    if pid == 0:
        mesibo.getInstance().setAccessToken(token)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        crashed.append(token[:4])
print(f"crashed={len(crashed)}", flush=True)
`;

describe.skipIf(sdk.skip || tools.skip)(`sandbox tokens on mesibo's real library ${sdk.reason}${tools.reason}`, () => {
  it('never crash setAccessToken(), across 60 fresh tokens', async () => {
    const { dir, cleanup } = tempDir('cma-sandbox-tokens-');
    try {
      const probe = path.join(dir, 'probe.py');
      writeFileSync(probe, PROBE);
      const tokens = Array.from({ length: 60 }, () => sandboxToken());
      for (const t of tokens) expect(t).toMatch(/^[0-9a-z]{64}$/);
      // No network namespace: nothing can reach mesibo's servers from here.
      const run = await execa('unshare', ['-rn', sdk.sdk!.python, probe], { input: tokens.join('\n'), reject: false, timeout: 120_000 });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(/^crashed=(\d+)$/m.exec(run.stdout)?.[1], run.stdout).toBe('0');
    } finally {
      cleanup();
    }
  });
});
