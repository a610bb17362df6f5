import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this module holding `templates/project`. Works from the
 * TypeScript sources (tests), from `dist/` and from bundle chunks alike.
 */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'templates', 'project'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('create-mesibo-app: cannot find its templates/ folder');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
