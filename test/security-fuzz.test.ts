/**
 * Issue 12's property test over backend responses: random shapes, lengths and characters (control
 * characters, escape sequences, huge strings, wrong types, tokens and pieces of tokens echoed in error
 * text) from a fake backend on 127.0.0.1, answering the real CLI (`main()` in process, the real HTTP
 * client, printer and renderer). For every run:
 * - no crash is reported as a bug, and the exit code is 0 or 1;
 * - no fragment of 8 or more characters of the App Token or of any token the backend handed out
 *   appears in stdout or stderr (human, --json or --verbose);
 * - no file is written with a value that failed validation, and a failed run leaves nothing behind.
 * Reproducible: FUZZ_SEED=<seed> replays a run (the seed is printed on failure); FUZZ_RUNS sets how many.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendIdProblem, TOKEN_PATTERN, UID_PATTERN } from '../src/backend/answer';
import { PLATFORMS } from '../src/platforms';
import { Redactor } from '../src/output/redact';
import { filesBelow, removeScratch, runInProcess, scratchDir } from './support/security-run';
import { leakedFragment, startScriptedBackend, type ScriptedBackend } from './support/security-backend';
import { alnum, answer, int, pick, prng, secretId, text, type Random, type Secrets } from './support/security-fuzz';

/** The git-ignored 0600 token config file of every platform: the only files a user token may be in. */
const TOKEN_FILES = new Set(Object.values(PLATFORMS).map((p) => `${p.dir}/${p.secretFile}`));

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

let work: string;
let backend: ScriptedBackend;
// The backend of the run in progress: its PRNG and what it has handed out.
let current: { r: Random; secrets: Secrets; uids: unknown[] };
beforeAll(async () => {
  work = scratchDir('cma-fuzz-');
  backend = await startScriptedBackend((request) => {
    const reply = answer(current.r, current.secrets, request);
    const user = (reply.body as { user?: { uid?: unknown } } | undefined)?.user;
    if (user && typeof user === 'object') current.uids.push(user.uid);
    return reply;
  });
});
afterAll(async () => {
  await backend.close();
  removeScratch(work);
});

describe('fuzzed backend answers', () => {
  it(`never crash, never leak a secret, never write an invalid value (seed ${SEED}, ${RUNS} runs)`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const r = prng(SEED + run);
      const appToken = alnum(r, int(r, 16, 100));
      current = { r, secrets: { appToken, issued: [] }, uids: [] };
      const dir = `app${run}`;
      const platforms = pick(r, ['cpp', 'python', 'web', 'cpp,python', 'android,ios,web,cpp,python']);
      const args = [dir, '--yes', '--no-git', '--api-url', backend.url, '--platforms', platforms, '--users', pick(r, ['1,2', 'ann,bob,cy', '1,2,3,4,5'])];
      if (r() < 0.4) args.push('--json');
      if (r() < 0.4) args.push('--verbose');
      const env = {
        MESIBO_APP_TOKEN: appToken,
        CREATE_MESIBO_APP_TIMEOUT_MS: '300',
        CREATE_MESIBO_APP_MAX_ATTEMPTS: String(int(r, 1, 3)),
        CREATE_MESIBO_APP_CONCURRENCY: String(int(r, 1, 3)),
      };
      const before = readdirSync(work).sort();
      const result = await runInProcess(args, { cwd: work, env });
      const replay = `seed ${SEED + run} (FUZZ_SEED=${SEED + run} FUZZ_RUNS=1), run ${run}: ${args.join(' ')}\n${result.output.slice(0, 3000)}`;

      expect([0, 1], replay).toContain(result.code);
      expect(result.output, replay).not.toMatch(/This is a bug|Unexpected error/);
      const secrets = [appToken, ...current.secrets.issued];
      expect(leakedFragment(result.output, secrets), replay).toBeUndefined();

      if (result.code !== 0) {
        expect(readdirSync(work).sort(), replay).toEqual(before); // no project, no staging folder
        continue;
      }
      // A complete run: only values that passed validation reached the files. No file holds 8 characters of
      // the App Token; user tokens only the token config files (issue 19: a uid that is a token is refused).
      const files = filesBelow(path.join(work, dir));
      const all = files.map((f) => f.content).join('\n');
      expect(leakedFragment(all, [appToken]), `${replay}\nApp Token fragment in a file`).toBeUndefined();
      const others = files.filter((f) => !TOKEN_FILES.has(f.file.split(path.sep).join('/'))).map((f) => `${f.file}\n${f.content}`).join('\n');
      expect(leakedFragment(others, current.secrets.issued.filter((t) => t.length >= 8)), `${replay}\ntoken fragment outside the token files`).toBeUndefined();
      for (const token of current.secrets.issued.filter((t) => !TOKEN_PATTERN.test(t) && t.length >= 8)) {
        expect(all.includes(token), `${replay}\ninvalid token written: ${JSON.stringify(token.slice(0, 80))}`).toBe(false);
      }
      for (const uid of current.uids.filter((u) => typeof u === 'string' && !UID_PATTERN.test(u) && u.length >= 4)) {
        expect(all.includes(uid as string), `${replay}\ninvalid uid written`).toBe(false);
      }
      removeScratch(path.join(work, dir));
    }
  }, 240_000);

  it(`ids from a backend (uid, mid) that hold a secret are refused; plain ids pass (seed ${SEED}, 2000 values)`, () => {
    const r = prng(SEED);
    const secrets: Secrets = { appToken: alnum(r, int(r, 16, 100)), issued: Array.from({ length: 5 }, () => alnum(r, 64)) };
    const known = new Redactor();
    known.addKnown(secrets.appToken, 'app-token');
    for (const t of secrets.issued) known.add(t);
    for (let i = 0; i < 2000; i++) {
      const field = pick(r, ['user.uid', 'mid']);
      const roll = r();
      const value = roll < 0.4 ? secretId(r, secrets) : roll < 0.7 ? int(r, 0, 2 ** 40) : roll < 0.85 ? alnum(r, int(r, 1, 7)) : text(r, secrets, int(r, 0, 80));
      const problem = backendIdProblem(value, field, known);
      const replay = `seed ${SEED}, value ${i}: ${JSON.stringify(value).slice(0, 100)}`;
      if (typeof value === 'string' && leakedFragment(value, [secrets.appToken, ...secrets.issued]) !== undefined) {
        expect(problem, replay).toMatch(new RegExp(`has a ${field.replace('.', '\\.')} that holds a secret this run knows`));
      }
      if (problem) expect(leakedFragment(problem, [secrets.appToken, ...secrets.issued]), replay).toBeUndefined();
      else expect(typeof value === 'number' || UID_PATTERN.test(String(value)), replay).toBe(true);
    }
  });
});
