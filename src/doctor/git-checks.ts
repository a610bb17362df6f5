/**
 * The checks that ask git: each token config is git-ignored, no token now in a config was ever committed
 * (any ref's history), and no tracked file holds a token-shaped string. Without git, or outside a
 * repository, the project's .gitignore files are read instead and the history checks do not apply.
 */
import path from 'node:path';
import { PLATFORMS, PLATFORM_IDS, type PlatformId } from '../platforms';
import { failed, passed, skipped, type Fixes, type Outcome, type Scope } from './findings';
import { Git, GitTimeout } from './git';
import { ignoredByGitignoreFiles } from './gitignore';
import { secretPath } from './platform-checks';
import { entryInside, readInside } from './safe-read';

/** mesibo's tokens: 64 of [0-9A-Za-z], not inside a longer run. */
const TOKEN_SHAPED = /(?<![0-9A-Za-z])[0-9A-Za-z]{64}(?![0-9A-Za-z])/g;
/** A SHA-256 in hex (Gradle's wrapper checksum, lock files) has the shape but is no token. */
const HEX_DIGEST = /^(?:[0-9a-f]{64}|[0-9A-F]{64})$/;
const MAX_TRACKED_FILES = 5000;
const MAX_TRACKED_BYTES = 1 << 20;

export interface GitCheckInput {
  readonly root: string;
  readonly platforms: readonly PlatformId[];
  /** Every token now in the token configs. */
  readonly tokens: ReadonlySet<string>;
  readonly fixes: Fixes;
  /** Registers a secret with the redactor before anything is printed. */
  readonly secret: (token: string) => void;
}

export async function gitChecks(input: GitCheckInput): Promise<Outcome[]> {
  const git = await Git.open(input.root);
  if (typeof git === 'string') {
    const why = git === 'git-missing' ? 'git is not installed' : 'not a git repository';
    return [...(await gitignoreOutcomes(input, `per .gitignore; ${why}`)), skipped('project', 'committed', why)];
  }
  try {
    // git refuses a path beyond a symbolic link (and doctor does not follow one): those are not asked.
    const asked = input.platforms.filter((id) => entryInside(input.root, secretPath(id)).kind !== 'link');
    const ignored = await git.ignored(asked.map(secretPath));
    const outcomes = input.platforms.map((id) =>
      asked.includes(id) ? ignoreOutcome(input, id, ignored.has(secretPath(id))) : skipped(id, 'gitignore', 'its path goes through a symbolic link'),
    );
    const top = await git.top();
    const tracked = await git.tracked();
    const history = await historyOutcomes(input, git, top, new Set(tracked));
    return [...outcomes, ...history.outcomes, ...trackedOutcomes(input, tracked, history.reported)];
  } catch (error) {
    const why = error instanceof GitTimeout ? error.message : `git failed (${(error as Error).message.split('\n')[0]})`;
    return [
      failed('project', 'committed', {
        severity: 'hint',
        message: `the git checks did not finish: ${why}.`,
        fix: 'run doctor again; on a very large repository, search its history for the tokens with your secret scanner',
      }),
    ];
  }
}

/** Without git: doctor's own reading of the .gitignore files, and what in them git can match nothing with. */
async function gitignoreOutcomes(input: GitCheckInput, how: string): Promise<Outcome[]> {
  const answer = await ignoredByGitignoreFiles(input.root, input.platforms.map(secretPath));
  const outcomes = input.platforms.map((id) => {
    const ignored = answer.ignored.get(secretPath(id));
    if (ignored !== undefined) return ignoreOutcome(input, id, ignored, how);
    return failed(id, 'gitignore', {
      severity: 'hint',
      message: `doctor gave up reading the .gitignore files on the way to ${secretPath(id)}: they hold more rules than it reads in its time budget.`,
      fix: `check that ${input.fixes.path(`${PLATFORMS[id].dir}/.gitignore`)} lists /${PLATFORMS[id].secretFile}`,
    });
  });
  if (answer.broken.length > 0) {
    const more = answer.broken.length > 3 ? ` (and ${answer.broken.length - 3} more)` : '';
    outcomes.push(
      failed('project', 'gitignore', {
        severity: 'hint',
        message: `a .gitignore rule git can match nothing with: ${answer.broken.slice(0, 3).join('; ')}${more}.`,
        fix: 'correct or remove that line',
      }),
    );
  }
  return outcomes;
}

function ignoreOutcome(input: GitCheckInput, id: PlatformId, ignored: boolean, how?: string): Outcome {
  const rel = secretPath(id);
  if (ignored) return passed(id, 'gitignore', `${rel} is git-ignored${how ? ` (${how})` : ''}`);
  const dir = PLATFORMS[id].dir;
  const rule = `/${PLATFORMS[id].secretFile}`;
  return failed(id, 'gitignore', {
    severity: 'problem',
    message: `${rel} is not git-ignored: a \`git add .\` would commit its access tokens.`,
    fix: `echo '${rule}' >> ${input.fixes.path(`${dir}/.gitignore`)}`,
  });
}

/** One finding per file that was committed holding a current token, under the platform whose folder holds it. */
async function historyOutcomes(input: GitCheckInput, git: Git, top: string, tracked: ReadonlySet<string>): Promise<{ outcomes: Outcome[]; reported: Set<string> }> {
  const scan = await git.searchHistory((text) => holdsToken(text, input.tokens));
  const reported = new Set<string>();
  const byScope = new Map<Scope, Outcome['findings'][number][]>();
  for (const hit of scan.hits) {
    const rel = path.relative(input.root, path.join(top, ...hit.path.split('/'))).split(path.sep).join('/');
    const inside = !rel.startsWith('..');
    const shown = inside ? rel : hit.path;
    if (reported.has(shown)) continue;
    reported.add(shown);
    const scope = inside ? scopeOf(rel) : 'project';
    const more = hit.commits.length > 1 ? ` (and ${hit.commits.length - 1} later ${hit.commits.length === 2 ? 'commit' : 'commits'})` : '';
    const untrack = inside && tracked.has(rel) ? `git rm --cached ${input.fixes.path(rel)} && ` : '';
    const finding = {
      platform: scope,
      check: 'committed' as const,
      severity: 'problem' as const,
      message:
        `${shown} was committed with current access tokens in ${hit.commits[0] ?? 'a commit'}${more}: anyone with a copy of the ` +
        'repository can log in as those users. Rotate the tokens with refresh (that matters more than rewriting history).',
      fix: `${untrack}${input.fixes.refresh}`,
    };
    byScope.set(scope, [...(byScope.get(scope) ?? []), finding]);
  }
  const outcomes: Outcome[] = [...byScope].map(([scope, findings]) => ({ platform: scope, check: 'committed', findings }));
  if (scan.skipped > 0) {
    outcomes.push(
      failed('project', 'committed', {
        severity: 'hint',
        message: `${scan.skipped} file versions in git history were too large to search for tokens.`,
        fix: 'search the history with your secret scanner (for example trufflehog or gitleaks)',
      }),
    );
  }
  if (scan.missing > 0) {
    // A partial clone: doctor fetches nothing (no network), so these versions could hold a token unseen.
    outcomes.push(
      failed('project', 'committed', {
        severity: 'hint',
        message: `${count(scan.missing, 'object')} of the git history ${scan.missing === 1 ? 'is' : 'are'} not in this clone (a partial clone); doctor fetches nothing, so ${scan.missing === 1 ? 'it was' : 'they were'} not searched for tokens.`,
        fix: 'run doctor again in a full clone of the repository (git clone without --filter), or search the history with your secret scanner',
      }),
    );
  }
  if (byScope.size === 0) outcomes.push(passed('project', 'committed', `no current token in git history (${count(scan.commits, 'commit')}, ${count(scan.versions, 'file version')})`));
  return { outcomes, reported };
}

/** Token-shaped strings in tracked files (not `.example` twins), other than files already reported. */
function trackedOutcomes(input: GitCheckInput, tracked: readonly string[], reported: ReadonlySet<string>): Outcome[] {
  const byScope = new Map<Scope, Outcome['findings'][number][]>();
  let read = 0;
  for (const rel of tracked) {
    if (rel.endsWith('.example') || reported.has(rel)) continue;
    if (++read > MAX_TRACKED_FILES) break;
    const file = readInside(input.root, rel, MAX_TRACKED_BYTES);
    if (file.kind !== 'text') continue;
    const shaped = [...file.text.matchAll(TOKEN_SHAPED)].map((m) => m[0]).filter((s) => !HEX_DIGEST.test(s));
    if (shaped.length === 0 && !holdsToken(file.text, input.tokens)) continue;
    for (const s of shaped) input.secret(s);
    const scope = scopeOf(rel);
    byScope.set(scope, [
      ...(byScope.get(scope) ?? []),
      {
        platform: scope,
        check: 'tracked-secrets',
        severity: 'problem',
        message: `${rel} is tracked by git and holds what looks like an access token: it will be committed and shared with the repository.`,
        fix: `move the token into the git-ignored token config, then ${input.fixes.refresh} to rotate it`,
      },
    ]);
  }
  if (byScope.size === 0) return [passed('project', 'tracked-secrets', 'no token-shaped text in tracked files')];
  return [...byScope].map(([scope, findings]) => ({ platform: scope, check: 'tracked-secrets', findings }));
}

/** Whether any current token appears in `text` as a whole word of token characters. */
export function holdsToken(text: string, tokens: ReadonlySet<string>): boolean {
  if (tokens.size === 0) return false;
  for (const m of text.matchAll(/[0-9A-Za-z._-]{16,}/g)) {
    if (tokens.has(m[0])) return true;
    for (const part of m[0].split(/[._-]/)) if (part.length >= 16 && tokens.has(part)) return true;
  }
  return false;
}

function scopeOf(rel: string): Scope {
  const first = rel.split('/')[0]!;
  return (PLATFORM_IDS as readonly string[]).includes(first) ? (first as PlatformId) : 'project';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
