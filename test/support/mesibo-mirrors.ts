/**
 * mesibo's public repositories as bare git mirrors (`<root>/mesibo+<name>/repo`), read at test time to audit
 * the test doubles against mesibo's own code. Nothing of them is stored in this project: mesibo's code is not
 * openly licensed, and no package registry serves it, so `.ci/run` cannot install it. The audits therefore run
 * where a mirror exists ($MESIBO_MIRRORS, else /work/.mirror, else beside the checkout: a developer's research
 * machine, and CI on that machine) and are skipped, with the reason, elsewhere, CI included. The checks that
 * need no mirror (every name cited, the starter using only the double's names) run everywhere.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const MIRROR_ROOTS: readonly string[] = [
  process.env.MESIBO_MIRRORS,
  '/work/.mirror',
  path.resolve(import.meta.dirname, '../../../.mirror'),
].filter((r): r is string => !!r);

/** The git directory of mesibo's repository `name` (e.g. 'samples'), or undefined when no mirror has it. */
export function mesiboMirror(name: string): string | undefined {
  return MIRROR_ROOTS.map((r) => path.join(r, `mesibo+${name}`, 'repo')).find((d) => existsSync(d));
}
