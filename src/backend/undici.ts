/**
 * undici, loaded through the smaller of the two entry points the package publishes at its top level:
 * `undici/index-fetch.js` (the entry Node.js builds its own fetch from) instead of `index.js`. It holds
 * the dispatchers and their public `dispatcher.request()` (undici docs/api/Dispatcher.md) without
 * index.js's mock agents, caches, interceptors and pools this CLI never uses: 37 KB less in the gzipped
 * tarball and about 55 ms less CPU per create or refresh (docs/performance.md). Only documented API is
 * used: `EnvHttpProxyAgent` with explicit `httpProxy`/`httpsProxy`/`noProxy` (docs/api/EnvHttpProxyAgent.md)
 * and `Dispatcher.request({ origin, path, ... })`, which is what undici's own `request(url, options)` does.
 */
import type * as Undici from 'undici';
import { EnvHttpProxyAgent } from 'undici/index-fetch.js';

export { EnvHttpProxyAgent };
export type { Dispatcher } from 'undici';

/**
 * A direct keep-alive agent: an EnvHttpProxyAgent told that there is no proxy, so it dispatches through the
 * plain undici Agent it holds (and never reads process.env: src/backend/proxy.ts decides about proxies).
 */
export class Agent extends EnvHttpProxyAgent {
  constructor(options: Undici.Agent.Options) {
    super({ ...options, httpProxy: '', httpsProxy: '', noProxy: '' });
  }
}

export declare namespace Agent {
  type Options = Undici.Agent.Options;
}

export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Undici.Dispatcher };

/** undici's `request(url, options)` with a dispatcher, as undici itself builds it: origin and path from the URL. */
export function request(url: string, { dispatcher, ...options }: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const { origin, pathname, search } = new URL(url);
  return dispatcher.request({ ...options, origin, path: `${pathname}${search}` });
}
