/**
 * `npm start`: reads the configuration, then serves on loopback (or HOST) until stopped. It starts without
 * an App Token too, so /healthz works; /v1/token then answers 503 saying how to set one.
 */
import { buildApp } from './app.ts';
import { readPasscode } from './authorize.ts';
import { ConfigError, loadConfig } from './config.ts';

try {
  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const passcode = readPasscode(config.passcodeFile, process.env, say);
  const app = buildApp({ config, auth: { ...(passcode === undefined ? {} : { passcode }) } });
  const address = await app.listen({ host: config.host, port: config.port });
  say(`mesibo token server listening on ${address} (POST /v1/token, GET /healthz)`);
  say(`Mints for ${config.appIds.join(', ')} through ${new URL(config.apiUrl).origin}; tokens live ${config.tokenExpiryMinutes} minutes.`);
  if (config.appToken === undefined) say('No App Token: set MESIBO_APP_TOKEN (or MESIBO_APP_TOKEN_FILE) and restart; until then /v1/token answers 503.');
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not start: ${(error as Error).message}`}\n`);
  process.exit(1);
}
