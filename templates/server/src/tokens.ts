/**
 * Minted tokens, cached per (address, appid) until close to expiry, so a page reload does not call
 * useradd again; and concurrent requests for the same pair share the one backend call in flight.
 */
import type { Backend, Issued } from './mesibo.ts';

export interface Minted extends Issued {
  address: string;
  appid: string;
  /** ISO date. */
  expiresAt: string;
}

/** Bounded, so a caller cycling through addresses cannot grow memory without end. */
const MAX_ENTRIES = 10_000;

export function tokenCache(backend: Pick<Backend, 'useradd'>, expiryMinutes: number, now: () => number = Date.now) {
  const cached = new Map<string, { minted: Minted; renewAt: number }>();
  const inFlight = new Map<string, Promise<Minted>>();
  // Renewed once 90% of its life has passed: a client never receives a token about to expire.
  const lifetimeMs = expiryMinutes * 60_000;
  const renewAfterMs = lifetimeMs * 0.9;

  async function mint(address: string, appid: string): Promise<Minted> {
    const key = JSON.stringify([address, appid]);
    const hit = cached.get(key);
    if (hit && now() < hit.renewAt) return hit.minted;
    const pending = inFlight.get(key);
    if (pending) return pending;
    const call = (async () => {
      const issuedAt = now();
      const issued = await backend.useradd(address, appid, expiryMinutes);
      const minted = { address, appid, ...issued, expiresAt: new Date(issuedAt + lifetimeMs).toISOString() };
      cached.delete(key);
      if (cached.size >= MAX_ENTRIES) cached.delete(cached.keys().next().value!);
      cached.set(key, { minted, renewAt: issuedAt + renewAfterMs });
      return minted;
    })();
    inFlight.set(key, call);
    try {
      return await call;
    } finally {
      inFlight.delete(key);
    }
  }

  return { mint };
}
