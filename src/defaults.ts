/** Defaults in one place: help text, prompts and the plan all read them from here. */
export const DEFAULT_API_URL = 'https://api.mesibo.com/backend/';
export const DEFAULT_USERS = ['123', '456'];
export const DEFAULT_DIR = 'mesibo-app';
/** Sent as the App Token to the in-process sandbox, which accepts any. */
export const SANDBOX_APP_TOKEN = 'sandbox';
