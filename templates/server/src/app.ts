/**
 * The HTTP server: POST /v1/token and GET /healthz, as openapi.json documents them (the request body is
 * validated with the schema in that very file). Every error is { error, explanation }: never a stack
 * trace, never the App Token or a token.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { authorize, type AuthorizeContext } from './authorize.ts';
import { SERVER_DIR, type ServerConfig } from './config.ts';
import { BackendTimeout, mesiboBackend, type Backend } from './mesibo.ts';
import { rateLimiter } from './rate-limit.ts';
import { redactor } from './redact.ts';
import { tokenCache } from './tokens.ts';

const OPENAPI = JSON.parse(readFileSync(path.join(SERVER_DIR, 'openapi.json'), 'utf8'));
const TOKEN_REQUEST = OPENAPI.components.schemas.TokenRequest;

export interface AppOptions {
  config: ServerConfig;
  auth: AuthorizeContext;
  /** A stand-in for mesibo's backend (tests); default: the one config.apiUrl names. */
  backend?: Pick<Backend, 'useradd'> & { close?: () => Promise<void> };
  /** Where log lines go (each one redacted); default: stdout. */
  log?: (line: string) => void;
  /** The clock of the cache and the rate limit (tests move it instead of waiting). */
  now?: () => number;
}

type ErrorCode = string;

/** One error answer; `extra` headers such as Retry-After. */
function fail(reply: FastifyReply, status: number, error: ErrorCode, explanation: string, extra: Record<string, string> = {}) {
  return reply.code(status).headers({ 'cache-control': 'no-store', ...extra }).send({ error, explanation });
}

export function buildApp(options: AppOptions) {
  const { config, auth } = options;
  const redact = redactor([config.appToken]);
  const write = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (line: string) => write(redact(line));
  const backend =
    options.backend ??
    (config.appToken === undefined ? undefined : mesiboBackend({ apiUrl: config.apiUrl, appToken: config.appToken, deadlineMs: config.backendDeadlineMs }));
  const tokens = backend && tokenCache(backend, config.tokenExpiryMinutes, options.now);
  const limiter = rateLimiter(config.rateLimit, options.now);

  // Fastify's own logger is off: our one line per request goes through the redactor.
  // The schema is applied as written: unknown fields are refused (not dropped) and nothing is coerced.
  const app = Fastify({
    logger: false,
    bodyLimit: 4 * 1024,
    // Behind your HTTPS proxy or load balancer, set trustProxy to its address, so that request.ip (the rate
    // limit's key for callers not signed in) is the caller's, not the proxy's.
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  });

  // JSON only: Fastify would also take text/plain, which no client of this API sends.
  app.removeContentTypeParser('text/plain');

  app.addHook('onResponse', async (request, reply) => {
    // A route's own pattern; an unknown path as sent, cut short and without control characters (no forged lines).
    const route = request.routeOptions.url ?? request.url.split('?')[0]!.slice(0, 100).replace(/\p{Cc}/gu, '?');
    log(`${new Date().toISOString()} ${request.method} ${route} ${reply.statusCode}`);
  });

  // CORS: only the listed origins, and a request from any other origin is refused outright.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!config.allowedOrigins.includes(origin)) {
      return fail(reply, 403, 'forbidden-origin', `Requests from ${JSON.stringify(origin.slice(0, 100))} are not allowed. Add the origin to allowedOrigins in config.json.`);
    }
    reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      return reply
        .code(204)
        .headers({
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'content-type, x-passcode, authorization',
          'access-control-max-age': '600',
        })
        .send();
    }
  });

  app.get('/healthz', async () => ({ ok: true, canMint: backend !== undefined }));

  app.post('/v1/token', { schema: { body: TOKEN_REQUEST } }, async (request: FastifyRequest<{ Body: { appid: string; address?: string } }>, reply) => {
    const caller = await authorize(request, auth);
    // Counted per caller: a signed-in user by address, anyone else (refused or the developer) by IP address.
    const retry = limiter.take(caller?.kind === 'user' ? `user:${caller.address}` : `ip:${request.ip}`);
    if (retry !== undefined) {
      return fail(reply, 429, 'rate-limited', `Too many requests; try again in ${retry} s.`, { 'retry-after': String(retry) });
    }
    if (!caller) {
      return fail(reply, 401, 'unauthorized', 'Not authorized. In development, send the passcode from server/.passcode in the X-Passcode header; in production, sign in to the app.');
    }
    const { appid } = request.body;
    if (!config.appIds.includes(appid)) {
      return fail(reply, 403, 'forbidden-appid', `This server mints tokens only for the appids in mesibo.json (${config.appIds.join(', ')}).`);
    }
    let address = request.body.address;
    if (caller.kind === 'user') {
      if (address !== undefined && address !== caller.address) return fail(reply, 403, 'forbidden-address', 'A signed-in user may have a token for their own address only.');
      address = caller.address;
    }
    if (address === undefined) return fail(reply, 400, 'bad-request', 'Name the user: { "appid": "…", "address": "…" }.');
    if (!tokens) {
      return fail(reply, 503, 'not-configured', "No App Token is set, so no token can be minted. Set MESIBO_APP_TOKEN (or MESIBO_APP_TOKEN_FILE) in the server's environment and restart it.");
    }
    try {
      const minted = await tokens.mint(address, appid);
      return reply.code(201).header('cache-control', 'no-store').send(minted);
    } catch (error) {
      log(`${new Date().toISOString()} backend: ${(error as Error).message}`);
      if (error instanceof BackendTimeout) return fail(reply, 504, 'backend-timeout', `mesibo's backend did not answer within ${config.backendDeadlineMs} ms. Try again later.`);
      return fail(reply, 502, 'backend-failed', "mesibo's backend could not issue the token. The server's log says why; try again later.");
    }
  });

  app.setNotFoundHandler((request, reply) => fail(reply, 404, 'not-found', 'There is nothing here: POST /v1/token, or GET /healthz.'));

  // Fastify's errors (validation, body parsing, size) become ours; anything else is an internal error whose
  // details go to the log only.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) return fail(reply, 400, 'bad-request', `The request's ${error.message}; see openapi.json.`.slice(0, 300));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(reply, 413, 'too-large', 'The body is larger than 4 KB.');
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fail(reply, 415, 'unsupported-media-type', 'Send the body as application/json.');
    if (error.statusCode === 400) return fail(reply, 400, 'bad-request', 'The body is not valid JSON.');
    log(`${new Date().toISOString()} internal error: ${error.message}`);
    return fail(reply, 500, 'internal', 'Something went wrong in the server; its log says what.');
  });

  app.addHook('onClose', async () => {
    limiter.close();
    await backend?.close?.();
  });
  return app;
}
