/**
 * Whether .gitignore files would keep a file out of git, for a project that is not (yet) a git
 * repository or a machine without git (where git itself answers, src/doctor/git.ts asks it instead).
 * The rules of gitignore(5): comments, `!`, anchoring by a slash, trailing spaces, `*`, `?`, `[…]`, `**`,
 * and a trailing `/` for folders; a file inside an ignored folder is ignored. Only the project's
 * .gitignore files on the way to the file are read.
 *
 * The files are the project's, so anyone's: patterns are matched by wildmatch.ts (linear, no regular
 * expression built from them), the work is counted against a budget, and the reader hands the event
 * loop back regularly, so Ctrl-C and SIGTERM stop doctor at once even on a megabyte of rules. A pattern
 * git can match nothing with is reported, never a crash.
 */
import { compileGlob, matchGlob, type Glob } from './wildmatch';
import { readInside } from './safe-read';

interface Rule {
  readonly negate: boolean;
  readonly dirOnly: boolean;
  /** Matched against the path relative to the .gitignore's folder (anchored) or against a name. */
  readonly anchored: boolean;
  readonly glob: Glob;
}

const MAX_GITIGNORE_BYTES = 1 << 20;
/** Matching steps (pattern steps × path positions) before the event loop gets its turn. */
const SLICE = 200_000;

export interface GitignoreBudget {
  /** Matching steps allowed in all (far beyond a megabyte of rules per path asked about). */
  readonly work: number;
  /** And wall-clock time, in case a machine is very slow. */
  readonly ms: number;
}

export const DEFAULT_BUDGET: GitignoreBudget = { work: 2_000_000_000, ms: 20_000 };

export interface GitignoreAnswer {
  /** Per path asked about: ignored or not; absent when the budget ran out first. */
  readonly ignored: ReadonlyMap<string, boolean>;
  /** Patterns git can match nothing with, as `<file> line <n>: <why>`. */
  readonly broken: readonly string[];
  /** The matching steps it took (tests hold this linear in the input). */
  readonly work: number;
}

/** `rels`: project-relative, forward slashes. */
export async function ignoredByGitignoreFiles(root: string, rels: readonly string[], budget: GitignoreBudget = DEFAULT_BUDGET): Promise<GitignoreAnswer> {
  const deadline = Date.now() + budget.ms;
  const parsed = new Map<string, { rules: Rule[] } | undefined>();
  const broken = new Set<string>();
  const ignored = new Map<string, boolean>();
  let work = 0;
  let sinceYield = 0;
  const spend = async (steps: number): Promise<boolean> => {
    work += steps;
    sinceYield += steps;
    if (sinceYield >= SLICE) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return work <= budget.work && Date.now() <= deadline;
  };
  /** The rules of one .gitignore (undefined: there is none); 'spent' once the budget is. */
  const rulesOf = async (file: string) => {
    if (!parsed.has(file)) {
      const read = readInside(root, file, MAX_GITIGNORE_BYTES);
      const rules = read.kind === 'text' ? parseRules(read.text, (line, why) => broken.add(`${file} line ${line}: ${why}`)) : undefined;
      parsed.set(file, rules && { rules });
      if (!(await spend(read.kind === 'text' ? read.text.length : 1))) return 'spent';
    }
    return parsed.get(file);
  };

  paths: for (const rel of rels) {
    const parts = rel.split('/');
    // .gitignore files from the root down to the file's folder, each with the folder it sits in.
    const files: Array<{ base: string; rules: Rule[] }> = [];
    for (let depth = 0; depth < parts.length; depth++) {
      const base = parts.slice(0, depth).join('/');
      const found = await rulesOf(base === '' ? '.gitignore' : `${base}/.gitignore`);
      if (found === 'spent') break paths;
      if (found) files.push({ base, rules: found.rules });
    }
    // Each folder on the way, then the file: once a folder is ignored, nothing inside can be re-included.
    for (let depth = 1; depth <= parts.length; depth++) {
      const target = parts.slice(0, depth).join('/');
      const isDir = depth < parts.length;
      let verdict = false;
      for (const { base, rules } of files) {
        if (base !== '' && !target.startsWith(`${base}/`)) continue;
        const local = base === '' ? target : target.slice(base.length + 1);
        const name = local.slice(local.lastIndexOf('/') + 1);
        for (const rule of rules) {
          if (rule.dirOnly && !isDir) continue;
          const result = matchGlob(rule.glob, rule.anchored ? local : name);
          if (result.matched) verdict = !rule.negate;
          if (!(await spend(result.work))) break paths;
        }
      }
      if (verdict || depth === parts.length) {
        ignored.set(rel, verdict);
        break;
      }
    }
  }
  return { ignored, broken: [...broken], work };
}

/** The rules of one .gitignore; `broken(line, why)` hears of each pattern git can match nothing with. */
export function parseRules(text: string, broken: (line: number, why: string) => void = () => {}): Rule[] {
  const rules: Rule[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = trimTrailingSpaces(lines[n]!.endsWith('\r') ? lines[n]!.slice(0, -1) : lines[n]!);
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    const dirOnly = line.endsWith('/') && !line.endsWith('\\/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    const glob = compileGlob(line, anchored);
    if (glob.broken !== undefined) broken(n + 1, `${JSON.stringify(shorten(lines[n]!))} matches nothing: ${glob.broken}`);
    rules.push({ negate, dirOnly, anchored, glob });
  }
  return rules;
}

/** git's trim_trailing_spaces (dir.c): trailing spaces go, unless the first of them is escaped. */
function trimTrailingSpaces(line: string): string {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === ' ') {
      if (lastSpace < 0) lastSpace = i;
    } else {
      if (ch === '\\') i++;
      lastSpace = -1;
    }
  }
  return lastSpace < 0 ? line : line.slice(0, lastSpace);
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
