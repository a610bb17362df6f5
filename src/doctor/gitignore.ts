/**
 * Whether .gitignore files would keep a file out of git, for a project that is not (yet) a git
 * repository or a machine without git (where git itself answers, src/doctor/git.ts asks it instead).
 * The rules of gitignore(5) that the starters' own files use and their usual edits: comments, `!`,
 * anchoring by a slash, `*`, `?`, `[…]`, `**`, and a trailing `/` for folders; a file inside an ignored
 * folder is ignored. Only the project's .gitignore files on the way to the file are read.
 */
import { readInside } from './safe-read';

interface Rule {
  readonly negate: boolean;
  readonly dirOnly: boolean;
  /** Matched against the path relative to the .gitignore's folder (anchored) or against a name. */
  readonly anchored: boolean;
  readonly pattern: RegExp;
}

const MAX_GITIGNORE_BYTES = 1 << 20;

/** `rel`: project-relative, forward slashes. */
export function ignoredByGitignoreFiles(root: string, rel: string): boolean {
  const parts = rel.split('/');
  // .gitignore files from the root down to the file's folder, each with the folder it sits in.
  const files: Array<{ base: string; rules: Rule[] }> = [];
  for (let depth = 0; depth < parts.length; depth++) {
    const base = parts.slice(0, depth).join('/');
    const read = readInside(root, base === '' ? '.gitignore' : `${base}/.gitignore`, MAX_GITIGNORE_BYTES);
    if (read.kind === 'text') files.push({ base, rules: parseRules(read.text) });
  }
  // Each folder on the way, then the file: once a folder is ignored, nothing inside can be re-included.
  for (let depth = 1; depth <= parts.length; depth++) {
    const target = parts.slice(0, depth).join('/');
    const isDir = depth < parts.length;
    let ignored = false;
    for (const { base, rules } of files) {
      if (base !== '' && !target.startsWith(`${base}/`)) continue;
      const local = base === '' ? target : target.slice(base.length + 1);
      for (const rule of rules) {
        if (rule.dirOnly && !isDir) continue;
        const subject = rule.anchored ? local : local.slice(local.lastIndexOf('/') + 1);
        if (rule.pattern.test(subject)) ignored = !rule.negate;
      }
    }
    if (ignored) return true;
  }
  return false;
}

export function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1);
    line = line.replace(/^\\([#!])/, '$1');
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    line = line.replace(/^\//, '');
    if (line === '') continue;
    rules.push({ negate, dirOnly, anchored, pattern: globToRegExp(line) });
  }
  return rules;
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (glob.startsWith('**/', i)) {
      out += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      out += '/.*';
      i += 2;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < glob.length) out += escape(glob[++i]!);
    else out += escape(ch);
  }
  return new RegExp(`^${out}$`);
}

function escape(ch: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
