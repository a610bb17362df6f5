/**
 * Everything the server is told, read once at start: config.json (committed, no secrets), the appids the
 * project's mesibo.json lists, the App Token (environment only, never a file in the project) and the
 * environment's overrides. A problem is one clear sentence, and the server does not start.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ServerConfig {
  /** mesibo's backend API: https, unless it is this machine (a local sandbox). */
  apiUrl: string;
  /** The appids a token may be minted for: those of the project's starters, from mesibo.json. */
  appIds: readonly string[];
  /** Lifetime of each minted token; bounded by MAX_EXPIRY_MINUTES. */
  tokenExpiryMinutes: number;
  /** Browser origins allowed to call the server (the web starter's by default). */
  allowedOrigins: readonly string[];
  /** Requests per caller per window; the window in seconds. */
  rateLimit: { requests: number; windowSeconds: number };
  /** One backend call in all, retries included, must finish within this. */
  backendDeadlineMs: number;
  host: string;
  port: number;
  /** From MESIBO_APP_TOKEN or the file MESIBO_APP_TOKEN_FILE names; undefined: /v1/token answers 503. */
  appToken?: string;
  /** The development passcode file (see src/authorize.ts). */
  passcodeFile: string;
}

/** A year: mesibo's tokens can live longer, but a server handing out year-long tokens on request should not. */
export const MAX_EXPIRY_MINUTES = 525_600;

export class ConfigError extends Error {}

/** Where the server's own files are: the folder above src/. */
export const SERVER_DIR = path.resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, dir = SERVER_DIR): ServerConfig {
  const configFile = path.resolve(dir, env.MESIBO_SERVER_CONFIG ?? 'config.json');
  const file = readJson(configFile) as Record<string, unknown>;
  const manifest = path.resolve(path.dirname(configFile), env.MESIBO_MANIFEST ?? String(file.manifest ?? '../mesibo.json'));
  const apiUrl = checkApiUrl(env.MESIBO_API_URL ?? String(file.apiUrl ?? ''));
  const appToken = readAppToken(env, dir);
  const rate = (file.rateLimit ?? {}) as Record<string, unknown>;
  return {
    apiUrl,
    appIds: manifestAppIds(manifest),
    tokenExpiryMinutes: whole(file.tokenExpiryMinutes, 'tokenExpiryMinutes', 1, MAX_EXPIRY_MINUTES),
    allowedOrigins: origins(file.allowedOrigins),
    rateLimit: { requests: whole(rate.requests, 'rateLimit.requests', 1, 1e6), windowSeconds: whole(rate.windowSeconds, 'rateLimit.windowSeconds', 1, 86_400) },
    backendDeadlineMs: whole(file.backendDeadlineMs, 'backendDeadlineMs', 100, 120_000),
    // Loopback unless HOST says otherwise: nothing else on the network can reach a development server.
    host: env.HOST || '127.0.0.1',
    port: env.PORT ? whole(Number(env.PORT), 'PORT', 0, 65_535) : whole(file.port, 'port', 0, 65_535),
    ...(appToken === undefined ? {} : { appToken }),
    passcodeFile: path.resolve(dir, env.MESIBO_SERVER_PASSCODE_FILE ?? '.passcode'),
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Could not read ${file}: ${(error as Error).message}`);
  }
}

/** The App Token is a secret of the host (its environment or secret store), never a file of the project. */
function readAppToken(env: NodeJS.ProcessEnv, dir: string): string | undefined {
  if (env.MESIBO_APP_TOKEN) return env.MESIBO_APP_TOKEN.trim();
  const named = env.MESIBO_APP_TOKEN_FILE;
  if (!named) return undefined;
  const file = path.resolve(named);
  const project = path.resolve(dir, '..');
  if (file === project || file.startsWith(project + path.sep)) {
    throw new ConfigError(
      `MESIBO_APP_TOKEN_FILE names ${file}, inside the project: the App Token must not live in the project, where it could be committed. ` +
        "Keep it in the host's secret store (or a file outside the project) and point MESIBO_APP_TOKEN_FILE there.",
    );
  }
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(`Could not read the App Token file that MESIBO_APP_TOKEN_FILE names (${file}): ${(error as Error).message}.`);
  }
  if (text === '') throw new ConfigError(`The App Token file that MESIBO_APP_TOKEN_FILE names (${file}) is empty.`);
  return text;
}

/** The App Token crosses the network only encrypted: plain http is for this machine (a local sandbox) alone. */
export function checkApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`The backend URL ${JSON.stringify(value)} (apiUrl in config.json, or MESIBO_API_URL) is not a URL; mesibo's is https://api.mesibo.com/backend/.`);
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return url.href;
  throw new ConfigError(
    `The backend URL ${url.origin} is not https: the App Token would cross the network unencrypted. Use https (mesibo's is https://api.mesibo.com/backend/); plain http is accepted only for this machine.`,
  );
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The appids of the project's starters (the token server's own entry has none). */
function manifestAppIds(file: string): string[] {
  const manifest = readJson(file) as { platforms?: Array<{ appId?: unknown }> };
  const appIds = (manifest.platforms ?? []).map((p) => p.appId).filter((a): a is string => typeof a === 'string' && a !== '');
  if (appIds.length === 0) throw new ConfigError(`${file} lists no platform with an appid, so there is nothing this server may mint tokens for.`);
  return [...new Set(appIds)];
}

function whole(value: unknown, name: string, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new ConfigError(`${name} in config.json is ${JSON.stringify(value)}; it must be a whole number from ${min} to ${max}.`);
}

function origins(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((o) => typeof o === 'string' && /^https?:\/\/[^/]+$/.test(o))) {
    throw new ConfigError('allowedOrigins in config.json must be a list of origins like "http://localhost:8080" (scheme, host and port; no path).');
  }
  return value;
}
