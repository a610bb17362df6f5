/**
 * How long a workshop's tokens live. By default until the end of the next day in this machine's local
 * time (a workshop happens where its organiser is: a session that runs late, or a second day, still
 * works; by the day after, the tokens are dead). `--token-expiry <minutes>` sets a lifetime instead.
 * Either way the workshop records one instant, `until`, and every token (a rerun's included) is issued
 * to end there, so a workshop's tokens all stop together.
 */
import { UsageError } from '../errors';

export interface TokenLifetime {
  /** When every token of the workshop ends. */
  readonly until: Date;
  /** --token-expiry as given, or null for the default (end of the next day). */
  readonly requestedMinutes: number | null;
}

/** Midnight at the end of the day after `now`, in local time (DST-safe: built from the calendar date). */
export function endOfNextDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 2, 0, 0, 0, 0);
}

export function lifetimeFor(now: Date, requestedMinutes: number | undefined): TokenLifetime {
  if (requestedMinutes !== undefined) return { until: new Date(now.getTime() + requestedMinutes * 60_000), requestedMinutes };
  return { until: endOfNextDay(now), requestedMinutes: null };
}

/** The `expiry` (minutes) of a useradd sent at `now` so that its token ends at `until` (rounded up). */
export function minutesUntil(until: Date, now: Date): number {
  return Math.ceil((until.getTime() - now.getTime()) / 60_000);
}

/** The lifetime as people read it: the local date (and time), this machine's zone, and the instant in UTC. */
export function describeLifetime(lifetime: TokenLifetime, now: Date): string {
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zone = !name ? 'local time' : name === 'UTC' ? 'UTC' : `${name} time`;
  const utc = lifetime.until.toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
  const left = `${minutesUntil(lifetime.until, now)} minutes from now`;
  if (lifetime.requestedMinutes === null) {
    const day = new Date(lifetime.until.getTime() - 1).toLocaleDateString('en-GB', { dateStyle: 'full' });
    return (
      `The workshop's tokens last until the end of ${day} (midnight, ${zone}; ${utc}), ${left}: the default, ` +
      'the end of the next day. --token-expiry <minutes> sets another lifetime.'
    );
  }
  const at = lifetime.until.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'short' });
  return `The workshop's tokens last ${lifetime.requestedMinutes} minutes (--token-expiry), until ${at}, ${zone} (${utc}), ${left}.`;
}

/** A rerun issues the missing tokens to end with the rest; once that moment has passed, there is no point. */
export function remainingMinutes(lifetime: TokenLifetime, now: Date, ledgerShown: string): number {
  const left = minutesUntil(lifetime.until, now);
  if (left >= 1) return left;
  throw new UsageError(
    `This workshop's tokens ended at ${lifetime.until.toISOString()} (recorded in ${ledgerShown}), so the seats still ` +
      'missing would get tokens that are already dead. Start a new workshop in another folder.',
  );
}
