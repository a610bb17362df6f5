import { lstatSync } from 'node:fs';

/** True when anything (file, folder, link, even a dangling one) is at `p`. */
export function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
