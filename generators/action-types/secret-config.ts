/**
 * `secret-config` action: renders a platform's token config twice, once with the real tokens into the
 * git-ignored file (mode 0600) and once with placeholders into the committed `.example` twin.
 */
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { CustomActionFunction } from 'node-plop';
import { renderSecretPair, type SecretSpec } from '../render-secrets';

export interface SecretConfigAction extends SecretSpec {
  type: 'secret-config';
}

export const secretConfig: CustomActionFunction = async (_answers, config, plop) => {
  const cfg = config as unknown as SecretConfigAction;
  const { secret, example } = await renderSecretPair((t, d) => plop.renderString(t, d), cfg);
  const dest = path.resolve(plop.getDestBasePath(), cfg.path);
  await mkdir(path.dirname(dest), { recursive: true });
  await writeNew(dest, secret, 0o600);
  await writeNew(`${dest}.example`, example, 0o644);
  return cfg.path;
};

/** Creates the file with its final mode from the first byte (no window where it is world-readable). */
async function writeNew(file: string, content: string, mode: number): Promise<void> {
  const handle = await open(file, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode); // the umask may have narrowed or the platform widened the mode
  } finally {
    await handle.close();
  }
}
