/**
 * What git knows about the project, asked through git's plumbing commands only: whether it is a
 * repository, which token configs its ignore rules cover, which files it tracks, and which file
 * versions in its history hold a given secret. The project may come from anyone, and its .git/config
 * can name programs (gpg.program through log.showSignature, core.sshCommand through a partial clone's
 * lazy fetch, core.fsmonitor, diff drivers, ...): git runs through a configuration doctor controls
 * (git-environment.ts), so nothing of the project is executed, nothing is fetched, and no variable of
 * the user's environment (the App Token, proxy credentials) reaches git or anything it starts. A file
 * version a partial clone does not have is counted, not fetched. Every call is bounded in time and
 * output. Secrets never go on a command line (other users can read those): history is read as blobs,
 * deduplicated by git, and searched here.
 */
import { execa } from 'execa';
import { GIT_OVERRIDES, gitEnvironment } from './git-environment';

/** Every git call of one doctor run shares this budget. */
const BUDGET_MS = 60_000;
const MAX_OUTPUT = 64 << 20;
/** File versions larger than this are not searched (no token config is anywhere near it). */
const MAX_BLOB_BYTES = 1 << 20;
/** Bytes of file versions searched at most, and per cat-file call. */
const MAX_SCANNED_BYTES = 256 << 20;
const BATCH_BYTES = 16 << 20;

export class Git {
  private readonly deadline = Date.now() + BUDGET_MS;
  private constructor(readonly root: string) {}

  /** A Git for `root` when git is installed and `root` is inside a work tree; else why not. */
  static async open(root: string): Promise<Git | 'not-a-repository' | 'git-missing'> {
    const git = new Git(root);
    try {
      const inside = await git.run(['rev-parse', '--is-inside-work-tree']);
      return inside.exitCode === 0 && String(inside.stdout).trim() === 'true' ? git : 'not-a-repository';
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return 'git-missing';
      return 'not-a-repository';
    }
  }

  private run(args: string[], input?: string | Buffer, binary = false) {
    const left = this.deadline - Date.now();
    if (left <= 0) throw new GitTimeout();
    return execa('git', [...GIT_OVERRIDES, ...args], {
      cwd: this.root,
      reject: false,
      input,
      stdin: input === undefined ? 'ignore' : undefined,
      timeout: left,
      maxBuffer: MAX_OUTPUT,
      encoding: binary ? 'buffer' : 'utf8',
      stripFinalNewline: false,
      env: gitEnvironment(),
      extendEnv: false,
    }).then((result) => {
      if (result.timedOut) throw new GitTimeout();
      return result;
    });
  }

  /** Of these project-relative paths, those git's ignore rules cover (whether tracked or not). */
  async ignored(paths: readonly string[]): Promise<Set<string>> {
    const result = await this.run(['check-ignore', '--no-index', '--stdin', '-z'], paths.map((p) => `${p}\0`).join(''));
    if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`git check-ignore failed: ${String(result.stderr).trim()}`);
    return new Set(String(result.stdout).split('\0').filter(Boolean));
  }

  /** Files git tracks below the project, project-relative. */
  async tracked(): Promise<string[]> {
    const result = await this.run(['ls-files', '-z', '--', '.']);
    if (result.exitCode !== 0) throw new Error(`git ls-files failed: ${String(result.stderr).trim()}`);
    return String(result.stdout).split('\0').filter(Boolean);
  }

  /**
   * Every file version reachable from any ref (branches, tags, stash) in which `find` finds something,
   * with the path it was committed at (relative to the repository's top) and the commits that added it.
   */
  async searchHistory(find: (text: string) => boolean): Promise<HistoryScan> {
    // --missing=print: an object a partial clone lacks is listed as `?<oid>`, never fetched.
    const listed = await this.run(['rev-list', '--all', '--objects', '--missing=print']);
    if (listed.exitCode !== 0) return { hits: [], skipped: 0, missing: 0, versions: 0, commits: 0 }; // no commit yet
    const all = String(listed.stdout).split('\n').filter(Boolean);
    const missing = all.filter((l) => l.startsWith('?')).length;
    const lines = all.filter((l) => !l.startsWith('?'));
    const commits = lines.filter((l) => !l.includes(' ')).length;
    const check = await this.run(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize) %(rest)'], lines.filter((l) => l.includes(' ')).join('\n') + '\n');
    const blobs: Array<{ oid: string; size: number; path: string }> = [];
    let skipped = 0;
    let absent = 0;
    let total = 0;
    for (const line of String(check.stdout).split('\n')) {
      if (/^[0-9a-f]{40,64} missing$/.test(line)) absent++;
      const m = /^([0-9a-f]{40,64}) blob (\d+) (.*)$/.exec(line);
      if (!m) continue;
      const size = Number(m[2]);
      if (size > MAX_BLOB_BYTES || total + size > MAX_SCANNED_BYTES) {
        skipped++;
        continue;
      }
      total += size;
      blobs.push({ oid: m[1]!, size, path: m[3]! });
    }
    const found: Array<{ oid: string; path: string }> = [];
    for (let start = 0; start < blobs.length; ) {
      let bytes = 0;
      let end = start;
      while (end < blobs.length && (end === start || bytes + blobs[end]!.size <= BATCH_BYTES)) bytes += blobs[end++]!.size;
      const batch = blobs.slice(start, end);
      const raw = (await this.run(['cat-file', '--batch'], batch.map((b) => b.oid).join('\n') + '\n', true)).stdout as unknown as Uint8Array;
      const out = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      let at = 0;
      for (const blob of batch) {
        const header = out.indexOf(0x0a, at);
        if (header < 0) break;
        const content = out.subarray(header + 1, header + 1 + blob.size);
        at = header + 1 + blob.size + 1;
        if (!content.subarray(0, 8000).includes(0) && find(content.toString('latin1'))) found.push(blob);
      }
      start = end;
    }
    const hits: HistoryHit[] = [];
    for (const blob of found) {
      // --no-renames: rename detection would read (and in a partial clone, fetch) other file versions.
      const log = await this.run(['log', '--all', '--format=%h', '--no-show-signature', '--no-textconv', '--no-ext-diff', '--no-renames', `--find-object=${blob.oid}`]);
      const added = String(log.stdout).split('\n').filter(Boolean).reverse();
      hits.push({ path: blob.path, commits: added });
    }
    return { hits, skipped, missing: missing + absent, versions: blobs.length, commits };
  }

  /** The repository's top folder (absolute). */
  async top(): Promise<string> {
    return String((await this.run(['rev-parse', '--show-toplevel'])).stdout).trim();
  }
}

export interface HistoryHit {
  /** Where the version was committed, relative to the repository's top. */
  readonly path: string;
  /** Short hashes of the commits that added or removed this version, oldest first. */
  readonly commits: readonly string[];
}

export interface HistoryScan {
  readonly hits: readonly HistoryHit[];
  /** File versions too large, or beyond the byte budget, that were not searched. */
  readonly skipped: number;
  /** Objects the history names that this clone does not have (a partial clone's), not fetched, not searched. */
  readonly missing: number;
  readonly versions: number;
  readonly commits: number;
}

export class GitTimeout extends Error {
  constructor() {
    super(`git took longer than ${BUDGET_MS / 1000} s`);
  }
}
