/**
 * A sandbox project's key material: `<project>/.mesibo-sandbox.json`, written (0600, git-ignored) by
 * `create --sandbox` as one more file of the rendered project, read by every later `sandbox` run. It holds
 * the HMAC key that signs and checks this project's tokens (so they outlive the run that issued them, and
 * no other project's key accepts them), the App Token of the sandbox's backend API (the per-project secret
 * of issue 19: only who can read this file can have tokens minted), the users it knows, and the ports.
 */
import { randomBytes } from 'node:crypto';

export const SANDBOX_FILE = '.mesibo-sandbox.json';
/** The sandbox's default port, recorded at create time; `sandbox --port` overrides it. */
export const SANDBOX_PORT = 8092;
/** The web starter's default port (templates/web/serve.mjs): the relay accepts only its origins. */
export const WEB_PORT = 8080;
export const SANDBOX_FILE_MODE = 0o600;
const FORMAT = 1;
/** Bigger than any real key file (200 users of 64-character addresses is ~20 KB). */
export const MAX_SANDBOX_FILE_BYTES = 256 * 1024;

export interface SandboxKey {
  readonly port: number;
  readonly webPort: number;
  /** 64 hex digits: the HMAC-SHA256 key of this project's tokens. */
  readonly key: string;
  /** 64 of [0-9a-z]: the App Token the backend API accepts. A secret, never printed. */
  readonly appToken: string;
  /** Every user this project's sandbox created, by address. Grows as the backend API adds users. */
  readonly users: Map<string, { uid: string }>;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `length` characters of [0-9a-z], uniform (rejection sampling, no modulo bias). */
export function randomWord(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 252 && out.length < length) out += ALPHABET[byte % 36];
    }
  }
  return out;
}

export function newSandboxKey(ports: { port?: number; webPort?: number } = {}): SandboxKey {
  return {
    port: ports.port ?? SANDBOX_PORT,
    webPort: ports.webPort ?? WEB_PORT,
    key: randomBytes(32).toString('hex'),
    appToken: randomWord(64),
    users: new Map(),
  };
}

/** The file's text: what create writes and the sandbox rewrites when its backend API adds a user. */
export function sandboxKeyText(key: SandboxKey): string {
  const users = Object.fromEntries([...key.users].map(([address, { uid }]) => [address, { uid }]));
  const data = {
    about:
      "create-mesibo-app's local sandbox: the key that checks this project's sandbox tokens, and the App Token of " +
      'its backend API. Private (0600) and git-ignored: anyone who reads it can issue tokens for this project.',
    format: FORMAT,
    port: key.port,
    webPort: key.webPort,
    key: key.key,
    appToken: key.appToken,
    users,
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

export class SandboxFileError extends Error {}

/** Parses the file's text; every problem names the field (never a value: they are secrets). */
export function parseSandboxKey(text: string): SandboxKey {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new SandboxFileError('it is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new SandboxFileError('it is not a JSON object');
  const bad = (field: string, rule: string) => new SandboxFileError(`its "${field}" ${rule}`);
  if (data.format !== FORMAT) throw bad('format', `must be ${FORMAT}`);
  const port = (field: string) => {
    const value = data[field];
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535) throw bad(field, 'must be a port number (1 to 65535)');
    return value as number;
  };
  if (typeof data.key !== 'string' || !/^[0-9a-f]{64}$/.test(data.key)) throw bad('key', 'must be 64 hexadecimal digits');
  if (typeof data.appToken !== 'string' || !/^[0-9a-z]{64}$/.test(data.appToken)) throw bad('appToken', 'must be 64 characters of 0-9 and a-z');
  const users = new Map<string, { uid: string }>();
  if (typeof data.users !== 'object' || data.users === null || Array.isArray(data.users)) throw bad('users', 'must be an object');
  for (const [address, user] of Object.entries(data.users as Record<string, unknown>)) {
    const uid = (user as { uid?: unknown } | null)?.uid;
    if (typeof uid !== 'string' || !/^\d{1,12}$/.test(uid)) throw bad(`users.${address}.uid`, 'must be a number in quotes');
    users.set(address, { uid });
  }
  return { port: port('port'), webPort: port('webPort'), key: data.key, appToken: data.appToken, users };
}
