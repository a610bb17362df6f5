/**
 * The token server's own checks (issue 22: templates/server). Its secret file is a development passcode,
 * not user tokens: whoever has it may ask the server for any user's token, so it must be there, long,
 * private (0600, the common permissions check) and git-ignored (the common gitignore check), and its
 * committed `.example` twin must hold only the placeholder. The App Token reaches the server from its
 * environment (MESIBO_APP_TOKEN) and is never written in server/: a file there that holds an App
 * Token-shaped string is a problem. doctor has no App Token, so it looks for the shape (64 letters and
 * digits, as the mesibo console shows App Tokens); what it finds is registered with the redactor first.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PLATFORMS } from '../platforms';
import { PLACEHOLDER_PASSCODE } from '../render/template-data';
import { MAX_SOURCE_BYTES } from './build-appids';
import { failed, passed, type Fixes, type Outcome } from './findings';
import { entryInside, isFolderInside, readInside, unreadableWhy, type Read } from './safe-read';

const DIR = PLATFORMS.server.dir;
const PASSCODE = `${DIR}/${PLATFORMS.server.secretFile}`;
/** Shorter than this, a passcode can be guessed by a local process that tries. */
const MIN_PASSCODE_LENGTH = 16;
/** An App Token as the console shows it: 64 letters and digits, not inside a longer run. */
const APP_TOKEN_SHAPED = /(?<![0-9A-Za-z])[0-9A-Za-z]{64}(?![0-9A-Za-z])/g;
/** A SHA-256 in hex has the shape but is no token. */
const HEX_DIGEST = /^(?:[0-9a-f]{64}|[0-9A-F]{64})$/;
/** Not the server's own: installed packages and npm's lock file (its integrity hashes are base64). */
const NOT_SEARCHED = new Set(['node_modules', '.git', 'package-lock.json']);
const MAX_FILES = 2000;
const MAX_DEPTH = 16;

/** server/.passcode: there, and a passcode (not empty, not the placeholder, not short). */
export function passcodeCheck(root: string, fixes: Fixes, secret: (value: string) => void): { outcome: Outcome; read: Read } {
  const read = readInside(root, PASSCODE, MAX_SOURCE_BYTES);
  const make = `openssl rand -hex 32 > ${fixes.path(PASSCODE)} && chmod 600 ${fixes.path(PASSCODE)}`;
  const problem = (message: string) => ({ outcome: failed('server', 'token-config', { severity: 'problem', message, fix: make }), read });
  if (read.kind !== 'text') {
    const why = read.kind === 'missing' ? `${PASSCODE} is missing (it is git-ignored, so a clone has none): the token server refuses to start without it` : unreadableWhy(read, PASSCODE);
    return problem(`${why}.`);
  }
  const passcode = read.text.trim();
  if (passcode !== '') secret(passcode);
  if (passcode === '' || passcode === PLACEHOLDER_PASSCODE) return problem(`${PASSCODE} holds no passcode${passcode === '' ? '' : ' (only the .example placeholder)'}: no client can ask the token server for a token.`);
  if (passcode.length < MIN_PASSCODE_LENGTH) {
    return problem(`${PASSCODE} holds a passcode of ${passcode.length} characters: a local process could guess it and get any user's token (use ${MIN_PASSCODE_LENGTH} or more).`);
  }
  return { outcome: passed('server', 'token-config', `${PASSCODE} holds the token server's passcode (${passcode.length} characters)`), read };
}

/** server/.passcode.example is committed: it must hold the placeholder, never a passcode. */
export function passcodeExampleCheck(root: string, fixes: Fixes): Outcome {
  const rel = `${PASSCODE}.example`;
  const read = readInside(root, rel, MAX_SOURCE_BYTES);
  if (read.kind === 'missing') return failed('server', 'example', { severity: 'hint', message: `${rel}, the committed twin that shows the passcode file's format, is missing.`, fix: `git checkout -- ${fixes.path(rel)}` });
  if (read.kind === 'text' && read.text.trim() === PLACEHOLDER_PASSCODE) return passed('server', 'example', `${rel} holds the placeholder only`);
  return failed('server', 'example', {
    severity: 'problem',
    message: `${read.kind === 'text' ? `${rel} holds something other than the placeholder` : unreadableWhy(read, rel)}: the twin is committed, so a passcode written there is shared with the repository.`,
    fix: `echo ${PLACEHOLDER_PASSCODE} > ${fixes.path(rel)}   # and, if it held the real passcode, a new one: openssl rand -hex 32 > ${fixes.path(PASSCODE)}`,
  });
}

/** No file of server/ (its own, not node_modules) holds an App Token-shaped string. */
export function appTokenInServerCheck(root: string, secret: (value: string) => void): Outcome {
  const holding: string[] = [];
  let read = 0;
  const visit = (rel: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(path.join(root, ...rel.split('/'))).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (NOT_SEARCHED.has(name) || read >= MAX_FILES) continue;
      const child = `${rel}/${name}`;
      if (isFolderInside(root, child)) {
        if (depth < MAX_DEPTH) visit(child, depth + 1);
      } else if (entryInside(root, child).kind === 'file') {
        read++;
        const file = readInside(root, child, MAX_SOURCE_BYTES);
        if (file.kind !== 'text') continue;
        const shaped = [...file.text.matchAll(APP_TOKEN_SHAPED)].map((m) => m[0]).filter((s) => !HEX_DIGEST.test(s));
        for (const s of shaped) secret(s);
        if (shaped.length > 0) holding.push(child);
      }
    }
  };
  if (isFolderInside(root, DIR)) visit(DIR, 0);
  if (holding.length === 0) return passed('server', 'app-token', `no file in ${DIR}/ holds an App Token (it comes from MESIBO_APP_TOKEN)`);
  return failed(
    'server',
    'app-token',
    ...holding.map((rel) => ({
      severity: 'problem' as const,
      message:
        `${rel} holds what looks like an App Token: the token server reads it from MESIBO_APP_TOKEN only, and a file in ${DIR}/ ` +
        'can be copied, packed into an image or committed. Anyone with the App Token can create users and tokens for your app.',
      fix: `remove it from ${rel} and give it as MESIBO_APP_TOKEN when you start the server (${DIR}/README.md); if it was ever shared, create a new App Token in the mesibo console`,
    })),
  );
}
