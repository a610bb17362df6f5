/**
 * A per-caller rate limit: at most `requests` in any window of `windowSeconds` (a sliding log of recent
 * request times per caller). A refused request is told, in seconds, when the next one will be accepted.
 */
export function rateLimiter(limit: { requests: number; windowSeconds: number }, now: () => number = Date.now) {
  const windowMs = limit.windowSeconds * 1000;
  const recent = new Map<string, number[]>();

  /** Counts this request; undefined when allowed, else the seconds to wait (Retry-After). */
  function take(caller: string): number | undefined {
    const t = now();
    const times = (recent.get(caller) ?? []).filter((at) => at > t - windowMs);
    if (times.length >= limit.requests) {
      recent.set(caller, times);
      return Math.max(1, Math.ceil((times[0]! + windowMs - t) / 1000));
    }
    times.push(t);
    recent.set(caller, times);
    return undefined;
  }

  // Forget callers with nothing recent, so the map stays small.
  const sweep = setInterval(() => {
    const t = now();
    for (const [caller, times] of recent) if (!times.some((at) => at > t - windowMs)) recent.delete(caller);
  }, Math.max(windowMs, 10_000));
  sweep.unref();

  return { take, close: () => clearInterval(sweep) };
}
