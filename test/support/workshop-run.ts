/**
 * Running `workshop` in this process (src/main.ts with injected streams, the real HTTP client and
 * printer) or as the built CLI, and reading back what it left: the ledger, the kept tokens, and the
 * tokens each seat's starters carry (python/config.json, web/config.js).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runInProcess } from './security-run';
import { WORKSHOP_APP_TOKEN } from './workshop-backend';

export { scratchDir, removeScratch, filesBelow } from './security-run';

export const APP_TOKEN_ENV = { MESIBO_APP_TOKEN: WORKSHOP_APP_TOKEN };

export function workshop(argv: string[], cwd: string, env: NodeJS.ProcessEnv = APP_TOKEN_ENV) {
  return runInProcess(['workshop', ...argv], { cwd, env });
}

export function announce(argv: string[], cwd: string, env: NodeJS.ProcessEnv = APP_TOKEN_ENV) {
  return runInProcess(['workshop', 'announce', ...argv], { cwd, env });
}

export function ledger(root: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(root, 'workshop.json'), 'utf8'));
}

export function keptTokens(root: string): Record<string, Record<string, string>> {
  return JSON.parse(readFileSync(path.join(root, '.workshop-tokens.json'), 'utf8')).tokens;
}

/** The users and tokens of a seat's Python starter: [{address, token}], in order. */
export function pythonUsers(seatDir: string): { appId: string; users: Array<{ address: string; token: string }> } {
  return JSON.parse(readFileSync(path.join(seatDir, 'python', 'config.json'), 'utf8'));
}

/** The users and tokens of a seat's web starter, read from its config.js (one `{ address, token }` a line). */
export function webUsers(seatDir: string): { appId: string; users: Array<{ address: string; token: string }> } {
  const text = readFileSync(path.join(seatDir, 'web', 'config.js'), 'utf8');
  const appId = JSON.parse(/appId: ("[^"]*")/.exec(text)![1]!);
  const users = [...text.matchAll(/\{ address: ("[^"]*"), token: ("[^"]*") \}/g)].map((m) => ({ address: JSON.parse(m[1]!), token: JSON.parse(m[2]!) }));
  return { appId, users };
}

/** Seat folder names under seats/ (zips and hidden files left out), sorted. */
export function seatFolders(root: string): string[] {
  const dir = path.join(root, 'seats');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}
