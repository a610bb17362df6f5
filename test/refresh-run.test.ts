/**
 * runRefresh in-process (sandbox backend, no network): a failure in the middle of the swap puts every
 * token file back and says so with exit code 1; the JSON summary names the files and holds no token.
 */
import { mkdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runRefresh } from '../src/commands/refresh';
import type { AppContext } from '../src/app-context';
import type { InterruptGuard } from '../src/interrupt';
import { Redactor } from '../src/output/redact';
import { tuningFromEnv } from '../src/tuning';
import { RunError } from '../src/errors';
import { renderFixture } from './support/render';
import { snapshot, tokensIn } from './support/refresh';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function context(cwd: string, guard: InterruptGuard) {
  const lines: string[] = [];
  const json: unknown[] = [];
  const ctx: AppContext = {
    cwd,
    env: {},
    interactive: false,
    prompt: async () => ({}),
    printer: {
      info: (t) => lines.push(t),
      success: (t) => lines.push(t),
      warn: (t) => lines.push(t),
      error: (t) => lines.push(t),
      progress: () => {},
      json: (v) => json.push(v),
    },
    redactor: new Redactor(),
    interrupts: guard,
    tuning: tuningFromEnv({}),
    verbose: false,
    now: () => new Date('2026-06-01T00:00:00Z'),
  };
  return { ctx, lines, json };
}

const args = { command: 'refresh' as const, sandbox: true, json: true, yes: true, verbose: false };

describe('runRefresh', () => {
  it('prints a JSON summary with the files it rewrote and no token', async () => {
    const { dir } = await renderFixture();
    dirs.push(dir);
    const { ctx, json } = context(dir, { onInterrupt: () => () => {}, dispose() {} });
    expect(await runRefresh(args, ctx)).toBe(0);
    expect(json).toHaveLength(1);
    const summary = json[0] as Record<string, any>;
    expect(summary).toMatchObject({ ok: true, sandbox: true, endpoint: null, tokensExpireAt: '2027-06-01T00:00:00.000Z' });
    expect(summary.files).toEqual(['android/mesibo.properties', 'ios/Config/Secrets.xcconfig', 'web/config.js', 'cpp/mesibo.conf', 'python/config.json']);
    expect(tokensIn(JSON.stringify(summary))).toEqual([]);
  });

  it('puts every token file and mesibo.json back when a swap fails midway, and exits 1', async () => {
    const { dir } = await renderFixture();
    dirs.push(dir);
    const before = snapshot(dir);
    const secret = path.join(dir, 'python/config.json');
    let registrations = 0;
    const guard: InterruptGuard = {
      onInterrupt: () => {
        // The second cleanup registered is the swap's (the first is the backend's): sabotage the last
        // token file now, after the tokens are issued and before any file is replaced.
        if (++registrations === 2) {
          unlinkSync(secret);
          mkdirSync(secret);
        }
        return () => {};
      },
      dispose() {},
    };
    const { ctx } = context(dir, guard);
    const error = await runRefresh(args, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).exitCode).toBe(1);
    expect((error as Error).message).toMatch(/Every file was put back as it was/);
    expect((error as Error).message).toMatch(/EISDIR/); // failed in the swap itself, after earlier files were swapped
    rmSync(secret, { recursive: true });
    const after = snapshot(dir);
    before.delete('python/config.json');
    expect(after).toEqual(before);
    expect(readFileSync(path.join(dir, 'mesibo.json'), 'utf8')).toContain('"tokensExpireAt": "2027-01-01T00:00:00.000Z"');
  });
});
