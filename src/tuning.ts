/**
 * Advanced knobs from the environment (documented in the README): request timeout, retry pacing and
 * concurrency. Tests use them to exercise timeouts and retries in seconds rather than minutes.
 */
import { UsageError } from './errors';
import { DEFAULT_RETRY } from './backend/retry';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS } from './defaults';
import type { Tuning } from './app-context';

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new UsageError(`${name}=${JSON.stringify(raw)} must be a whole number from 1 to ${max}. Unset it to use the default (${fallback}).`);
  }
  return Number(raw);
}

export function tuningFromEnv(env: NodeJS.ProcessEnv): Tuning {
  return {
    timeoutMs: positive(env, 'CREATE_MESIBO_APP_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 600_000),
    retry: {
      ...DEFAULT_RETRY,
      maxAttempts: positive(env, 'CREATE_MESIBO_APP_MAX_ATTEMPTS', DEFAULT_RETRY.maxAttempts, 20),
      baseDelayMs: positive(env, 'CREATE_MESIBO_APP_RETRY_BASE_MS', DEFAULT_RETRY.baseDelayMs, 60_000),
    },
    concurrency: positive(env, 'CREATE_MESIBO_APP_CONCURRENCY', DEFAULT_CONCURRENCY, 64),
  };
}
