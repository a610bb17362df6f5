/**
 * Who may ask for a token. Nobody, by default.
 *
 * PRODUCTION: replace authorize() below with your app's own check. Read the caller's session (a cookie,
 * or the Authorization header your login issues), verify it, and return { address } with the mesibo
 * address of that signed-in user, so each user can get a token for themselves only. Return undefined to
 * refuse (401). Do not ship the development passcode: with NODE_ENV=production it is switched off and,
 * until you replace this function, every request is refused.
 *
 * DEVELOPMENT: whoever sends the passcode from the git-ignored, owner-only file .passcode (made by
 * create-mesibo-app, or by the first `npm start` of a fresh clone) in the X-Passcode header may ask for a
 * token for any address they name.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';

/** A signed-in user, who may have a token for their own address only; or the developer, for any address. */
export type Caller = { kind: 'user'; address: string } | { kind: 'developer' };

export const PASSCODE_HEADER = 'x-passcode';

export interface AuthorizeContext {
  /** The development passcode, or undefined when there is none (or in production). */
  passcode?: string;
}

export async function authorize(request: FastifyRequest, context: AuthorizeContext): Promise<Caller | undefined> {
  const sent = request.headers[PASSCODE_HEADER];
  if (context.passcode === undefined || typeof sent !== 'string') return undefined;
  return sameSecret(sent, context.passcode) ? { kind: 'developer' } : undefined;
}

/**
 * Constant time whatever the input: both sides are hashed first, so timingSafeEqual compares two
 * equal-length digests and neither the passcode's length nor its first differing byte shows in the timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The development passcode from its file, made (owner-only) when a fresh clone has none; undefined
 * (everybody refused) in production, or when the file is unusable: readable by other users of this machine,
 * too short, or the example's placeholder.
 */
export function readPasscode(file: string, env: NodeJS.ProcessEnv, warn: (line: string) => void): string | undefined {
  if (env.NODE_ENV === 'production') return undefined;
  let text: string;
  try {
    // 'wx': only when there is none, never through a link someone left in its place.
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
    warn(`Made a development passcode in ${file} (git-ignored, readable by you only): the starters read it from there.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      warn(`No passcode in ${file}, and none could be made there (${(error as NodeJS.ErrnoException).code}): every token request is refused.`);
      return undefined;
    }
  }
  try {
    const stat = statSync(file);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      warn(`${file} can be read by other users of this machine, so it is not used: run chmod 600 on it. Every token request is refused meanwhile.`);
      return undefined;
    }
    text = readFileSync(file, 'utf8').trim();
  } catch {
    warn(`The passcode file ${file} could not be read: every token request is refused. See README.md, "Who may ask for a token".`);
    return undefined;
  }
  // The committed .passcode.example's placeholder, copied as it is, is no secret.
  if (text.length < 16 || text.startsWith('PASTE_')) {
    warn(`The passcode in ${file} is shorter than 16 characters or the example's placeholder, so it is not used: every token request is refused.`);
    return undefined;
  }
  return text;
}
