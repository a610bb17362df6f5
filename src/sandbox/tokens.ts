/**
 * Sandbox access tokens that any later sandbox run of the same project can check, and no other project.
 *
 * Shape: 64 characters of [0-9a-z], like mesibo's tokens (64 of [0-9A-Za-z]) but lower case and digits only:
 * mesibo's real library crashes in setAccessToken() on many upper-case tokens it did not issue (see
 * server.ts). Layout, each part base 36:
 *   tag (6)     HMAC(key, address), cut: finds the user without trying every address
 *   expiry (7)  seconds since 1970 when the token stops working
 *   nonce (12)  random: two tokens for the same user differ
 *   mac (39)    HMAC-SHA256(key, appid, address, expiry, nonce), ~200 bits
 * A token used with another appid, or made with another project's key, fails the mac: AUTHFAIL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomWord, type SandboxKey } from './key-file';

const TAG = 6;
const EXPIRY = 7;
const NONCE = 12;
const MAC = 39;

function base36(hex: string, length: number): string {
  // The low digits: the top digit of a 256-bit number in base 36 is not uniform.
  return BigInt(`0x${hex}`).toString(36).padStart(length, '0').slice(-length);
}

function hmac(key: SandboxKey, ...parts: string[]): string {
  return createHmac('sha256', Buffer.from(key.key, 'hex')).update(parts.join('\0')).digest('hex');
}

export function addressTag(key: SandboxKey, address: string): string {
  return base36(hmac(key, 'address', address), TAG);
}

function mac(key: SandboxKey, appId: string, address: string, expiry: string, nonce: string): string {
  return base36(hmac(key, 'token', appId, address, expiry, nonce), MAC);
}

/** A token for `address` with `appId`, valid until `expiresAt`. */
export function issueToken(key: SandboxKey, appId: string, address: string, expiresAt: Date): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000).toString(36).padStart(EXPIRY, '0').slice(-EXPIRY);
  const nonce = randomWord(NONCE);
  return addressTag(key, address) + expiry + nonce + mac(key, appId, address, expiry, nonce);
}

export type TokenCheck = { ok: true; address: string } | { ok: false; reason: 'shape' | 'unknown' | 'expired' };

/**
 * Whose token this is, if this project's key made it for `appId` and it has not expired. `tags` maps each
 * known user's tag to its addresses (see tagIndex); a user the key file does not list is refused.
 */
export function checkToken(key: SandboxKey, tags: ReadonlyMap<string, readonly string[]>, appId: string, token: string, now = new Date()): TokenCheck {
  if (!/^[0-9a-z]{64}$/.test(token)) return { ok: false, reason: 'shape' };
  const tag = token.slice(0, TAG);
  const expiry = token.slice(TAG, TAG + EXPIRY);
  const nonce = token.slice(TAG + EXPIRY, TAG + EXPIRY + NONCE);
  const given = Buffer.from(token.slice(TAG + EXPIRY + NONCE));
  for (const address of tags.get(tag) ?? []) {
    if (!timingSafeEqual(Buffer.from(mac(key, appId, address, expiry, nonce)), given)) continue;
    if (parseInt(expiry, 36) * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, address };
  }
  return { ok: false, reason: 'unknown' };
}

/** Tag → addresses, for checkToken; rebuilt when users are added. */
export function tagIndex(key: SandboxKey): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const address of key.users.keys()) {
    const tag = addressTag(key, address);
    index.set(tag, [...(index.get(tag) ?? []), address]);
  }
  return index;
}
