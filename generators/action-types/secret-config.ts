/**
 * `secret-config` action: renders a platform's token config twice, once with the real tokens into the
 * git-ignored file (mode 0600) and once with placeholders into the committed `.example` twin.
 * Synchronous file work, like `render-folder` (see there for why).
 */
import { closeSync, fchmodSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CustomActionFunction } from 'node-plop';
import { renderSecretPair, type SecretSpec } from '../render-secrets';

export interface SecretConfigAction extends SecretSpec {
  type: 'secret-config';
}

export const secretConfig: CustomActionFunction = async (_answers, config, plop) => {
  const cfg = config as unknown as SecretConfigAction;
  const { secret, example } = renderSecretPair((t, d) => plop.renderString(t, d), cfg);
  const dest = path.resolve(plop.getDestBasePath(), cfg.path);
  mkdirSync(path.dirname(dest), { recursive: true });
  writeNew(dest, secret, 0o600);
  writeNew(`${dest}.example`, example, 0o644);
  return cfg.path;
};

/** Creates the file with its final mode from the first byte (no window where it is world-readable). */
function writeNew(file: string, content: string, mode: number): void {
  const fd = openSync(file, 'wx', mode);
  try {
    writeFileSync(fd, content, 'utf8');
    fchmodSync(fd, mode); // the umask may have narrowed or the platform widened the mode
  } finally {
    closeSync(fd);
  }
}
