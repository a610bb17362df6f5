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
import { execaSync } from 'execa';

export const MIRROR_ROOTS: readonly string[] = [
  process.env.MESIBO_MIRRORS,
  '/work/.mirror',
  path.resolve(import.meta.dirname, '../../../.mirror'),
].filter((r): r is string => !!r);

/** The git directory of mesibo's repository `name` (e.g. 'samples'), or undefined when no mirror has it. */
export function mesiboMirror(name: string): string | undefined {
  return MIRROR_ROOTS.map((r) => path.join(r, `mesibo+${name}`, 'repo')).find((d) => existsSync(d));
}

/** mesibo's repositories the web double and the sandbox's browser script cite. */
export const WEB_CITED_REPOS: readonly string[] = ['mesibo/samples', 'mesibo/messenger-javascript', 'mesibo/libmesibo'];

/**
 * For a source that names the commit it read each repository at (`mesibo/samples 4801044`): the repositories
 * with no mirror here, a reason for a skipped audit's title, the commits, and `show(repo, file)` at that commit.
 */
export function citedMirrors(source: string, repos: readonly string[] = WEB_CITED_REPOS) {
  const missing = repos.filter((r) => !mesiboMirror(r.replace('mesibo/', '')));
  const commits = Object.fromEntries(repos.map((r) => [r, new RegExp(`${r} ([0-9a-f]{7,40})\\b`).exec(source)?.[1]]));
  const show = (repo: string, file: string) =>
    execaSync('git', [`--git-dir=${mesiboMirror(repo.replace('mesibo/', ''))!}`, 'show', `${commits[repo]}:${file}`]).stdout;
  const reason = missing.length ? `(no mirror of ${missing.join(', ')} in ${MIRROR_ROOTS.join(', ')})` : '';
  return { missing, commits, show, reason };
}

/** A name an emulation of mesibo's API gives a page, and the lines of its source that define or call it. */
export interface CitedName {
  name: string;
  pattern: RegExp;
}

export interface Citation {
  name: string;
  repo: string;
  file: string;
  line: string;
}

/** A trailing `// mesibo/<repo> <file>` comment: where a line's name comes from. */
const CITATION = /\/\/ (mesibo\/[\w.-]+) ([\w./-]+)$/;

/** Each name with the mesibo file every line of `source` that defines or calls it cites (none: an empty repo). */
export function citationsIn(source: string, names: readonly CitedName[]): Citation[] {
  const lines = source.split('\n');
  return names.flatMap(({ name, pattern }) => {
    const found = lines.filter((line) => pattern.test(line));
    if (found.length === 0) return [{ name, repo: '', file: '', line: '(no line defines it)' }];
    return found.map((line) => {
      const cited = CITATION.exec(line);
      return { name, repo: cited?.[1] ?? '', file: cited?.[2] ?? '', line: line.trim() };
    });
  });
}

/** The citations whose file, at the cited commit, does not use the name (as `name in repo file`). */
export function unfoundedCitations(cited: readonly Citation[], show: (repo: string, file: string) => string): string[] {
  return cited.filter((c) => !new RegExp(`\\b${c.name}\\b`).test(show(c.repo, c.file))).map((c) => `${c.name} in ${c.repo} ${c.file}`);
}
