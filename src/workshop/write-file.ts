/**
 * The workshop's own files (ledger, kept tokens, zips, handout) are replaced atomically: written to a
 * temp file beside the target with its final mode from the first byte ('wx': a link or an old temp in
 * the way is an error, never followed), flushed to disk, then renamed over the target, which replaces
 * the name itself (a link there is replaced, not written through). A reader sees the old file or the
 * new one, never half of one, whatever stops the run.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

let temps = 0;

export function replaceFileBytes(file: string, content: string | Uint8Array, mode: number): void {
  const unique = `${process.pid}-${++temps}-${Math.random().toString(36).slice(2, 8)}`;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${unique}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      if ((mode & 0o077) === 0) fchmodSync(fd, mode); // private whatever the umask
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
