/**
 * The workshop's own files (ledger, kept tokens, zips, handout) are replaced atomically: written to a
 * temp file beside the target, named for its owner (src/write/owner.ts, so a killed run's temp, which
 * may hold tokens, is removed by the next run), with its final mode from the first byte; flushed to
 * disk, then renamed over the target, which replaces the name itself (a link there is replaced, not
 * written through). The way from the workshop folder to the file is checked component by component
 * (src/write/inside.ts): a `seats` that became a link to elsewhere is refused, never written through.
 * A reader sees the old file or the new one, never half of one, whatever stops the run.
 */
import { renameSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { assertInside, createFileInside } from '../write/inside';
import { tempFileName } from '../write/owner';

/** Replaces `root/rel` (forward slashes) with `content`, mode `mode`. `where` names the root in errors. */
export function replaceFileBytes(root: string, rel: string, content: string | Uint8Array, mode: number, where: string): void {
  const outcome = 'Nothing was written there.';
  const parts = rel.split('/');
  const tempRel = [...parts.slice(0, -1), tempFileName(parts.at(-1)!, randomBytes(4).toString('hex'))].join('/');
  const temp = path.join(root, ...tempRel.split('/'));
  let created = false;
  try {
    createFileInside(root, tempRel, content, mode, where, outcome, true);
    created = true;
    assertInside(root, [rel], where, outcome, 'any');
    renameSync(temp, path.join(root, ...parts));
  } catch (error) {
    if (created) rmSync(temp, { force: true });
    throw error;
  }
}
