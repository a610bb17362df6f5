/**
 * The project-wide checks: mesibo.json itself (read with the same validation refresh uses), whether its
 * tokens are the sandbox's, and when they expire.
 */
import { UsageError } from '../errors';
import { MANIFEST_FILE, parseManifest, type ProjectManifest } from '../plan/manifest';
import { failed, passed, type Fixes, type Outcome } from './findings';
import { readInside, unreadableWhy } from './safe-read';

const MAX_MANIFEST_BYTES = 8 << 20;
/** Tokens expiring sooner than this are a finding: a week is time enough to refresh before a demo. */
export const EXPIRY_WARNING_DAYS = 7;
const DAY_MS = 86_400_000;

export function readProjectManifest(root: string, fixes: Fixes): { manifest?: ProjectManifest; outcome: Outcome } {
  const read = readInside(root, MANIFEST_FILE, MAX_MANIFEST_BYTES);
  const restore = `git checkout -- ${fixes.path(MANIFEST_FILE)}   # or restore it from a copy`;
  if (read.kind !== 'text') {
    return { outcome: failed('project', 'manifest', { severity: 'problem', message: `${unreadableWhy(read, MANIFEST_FILE)}, so nothing else can be checked.`, fix: restore }) };
  }
  try {
    const manifest = parseManifest(read.text, MANIFEST_FILE);
    const n = manifest.users.length;
    return { manifest, outcome: passed('project', 'manifest', `${manifest.platforms.map((p) => p.id).join(', ')}; ${n} ${n === 1 ? 'user' : 'users'}`) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // parseManifest's own paragraph says what is wrong; its closing advice is refresh's, not ours.
    const message = error.message.replace(/ Nothing was changed\.$/, '').replace(/ Fix (it|that field) by hand.*$/, '.');
    return { outcome: failed('project', 'manifest', { severity: 'problem', message, fix: restore }) };
  }
}

export function sandboxCheck(manifest: ProjectManifest, fixes: Fixes): Outcome {
  if (manifest.sandbox || manifest.endpoint === null) {
    return failed('project', 'sandbox', {
      severity: 'problem',
      message:
        "the tokens are sandbox tokens: they work only with this project's local sandbox (the web starter chats through " +
        "it while it runs), and every starter gets AUTHFAIL from mesibo's servers. refresh replaces them with real ones " +
        '(it asks for your App Token).',
      fix: fixes.refresh,
    });
  }
  return passed('project', 'sandbox', `real tokens from ${manifest.endpoint}`);
}

/**
 * mesibo.json records `tokensExpireAt` (and, from this version on, `tokensIssuedAt`) beside the lifetime
 * `tokenExpiryMinutes`; either date is enough.
 */
export function expiryCheck(manifest: ProjectManifest, now: Date, fixes: Fixes): Outcome {
  const expires = expiryOf(manifest);
  if (!expires) {
    return failed('project', 'expiry', {
      severity: 'hint',
      message: `${MANIFEST_FILE} does not record when the tokens were issued or expire (no valid "tokensExpireAt"), so their expiry cannot be checked.`,
      fix: `${fixes.refresh}   # records it`,
    });
  }
  const left = expires.getTime() - now.getTime();
  const date = expires.toISOString().slice(0, 10);
  const days = Math.floor(Math.abs(left) / DAY_MS);
  if (left <= 0) {
    const ago = days === 0 ? 'today' : `${days} ${days === 1 ? 'day' : 'days'} ago`;
    return failed('project', 'expiry', { severity: 'problem', message: `the tokens expired on ${date} (${ago}): mesibo answers AUTHFAIL.`, fix: fixes.refresh });
  }
  if (left < EXPIRY_WARNING_DAYS * DAY_MS) {
    const within = days === 0 ? 'within a day' : `in ${days} ${days === 1 ? 'day' : 'days'}`;
    return failed('project', 'expiry', {
      severity: 'problem',
      message: `the tokens expire on ${date} (${within}); after that mesibo answers AUTHFAIL.`,
      fix: fixes.refresh,
    });
  }
  return passed('project', 'expiry', `tokens valid until ${date} (${days} days)`);
}

function expiryOf(manifest: ProjectManifest): Date | undefined {
  const at = dateOf(manifest.raw.tokensExpireAt);
  if (at) return at;
  const issued = dateOf(manifest.raw.tokensIssuedAt);
  return issued ? new Date(issued.getTime() + manifest.tokenExpiryMinutes * 60_000) : undefined;
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
