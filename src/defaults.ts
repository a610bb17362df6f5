/** Defaults in one place: help text, prompts and the plan all read them from here. */
export const DEFAULT_API_URL = 'https://api.mesibo.com/backend/';
export const DEFAULT_USERS = ['123', '456'];
export const DEFAULT_DIR = 'mesibo-app';
/** Per-request timeout and requests in flight: gentle on a backend with no documented rate limit. */
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONCURRENCY = 8;
/** Sent as the App Token to the in-process sandbox, which accepts any. */
export const SANDBOX_APP_TOKEN = 'sandbox';
