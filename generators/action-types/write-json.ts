/** `write-json` action: writes data as JSON without passing it through Handlebars. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CustomActionFunction } from 'node-plop';

export interface WriteJsonAction {
  type: 'write-json';
  path: string;
  value: unknown;
}

export const writeJson: CustomActionFunction = async (_answers, config, plop) => {
  const cfg = config as unknown as WriteJsonAction;
  const dest = path.resolve(plop.getDestBasePath(), cfg.path);
  mkdirSync(path.dirname(dest), { recursive: true });
  writeFileSync(dest, `${JSON.stringify(cfg.value, null, 2)}\n`, { flag: 'wx' });
  return cfg.path;
};
