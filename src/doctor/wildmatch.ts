/**
 * gitignore(5) globs, matched the way git's wildmatch (wildmatch.c) matches them, in time linear in the
 * pattern for a given path: the pattern is compiled to steps, and matching keeps the set of path
 * positions each step can reach (no backtracking, and no regular expression built from a project's
 * text: a line of a thousand `*` costs a thousand steps, not forever).
 *
 * Where git's wildmatch gives up on a pattern (an unclosed `[`, an unknown `[:class:]`, a lone trailing
 * backslash) the pattern matches nothing, as in git, and `broken` says why; a reversed range such as
 * `[z-a]` matches nothing either (git takes it as an empty range), and is reported the same way, since
 * nobody writes one on purpose.
 */

type Step =
  | { readonly kind: 'char'; readonly test: (ch: string) => boolean }
  /** `*`: any run of characters but `/`. */
  | { readonly kind: 'star' }
  /** `**` at the end, after a `/` (or the whole pattern): anything, `/` included. */
  | { readonly kind: 'any' }
  /** `**` followed by `/`: nothing, or anything that ends with `/` (zero or more folders). */
  | { readonly kind: 'folders' };

export interface Glob {
  readonly steps: readonly Step[];
  /** Why git matches nothing with this pattern, when it does not (see above). */
  readonly broken?: string;
}

const POSIX_CLASSES: Record<string, (ch: string) => boolean> = {
  alnum: (c) => /[0-9A-Za-z]/.test(c),
  alpha: (c) => /[A-Za-z]/.test(c),
  blank: (c) => c === ' ' || c === '\t',
  cntrl: (c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127,
  digit: (c) => /[0-9]/.test(c),
  graph: (c) => c.charCodeAt(0) > 32 && c.charCodeAt(0) < 127,
  lower: (c) => /[a-z]/.test(c),
  print: (c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) < 127,
  punct: (c) => /[!-/:-@[-`{-~]/.test(c),
  space: (c) => /[ \t\n\r\f\v]/.test(c),
  upper: (c) => /[A-Z]/.test(c),
  xdigit: (c) => /[0-9A-Fa-f]/.test(c),
};

/** `pathname`: `*`, `?` and `[…]` do not match `/` (git's WM_PATHNAME, used for patterns with a slash). */
export function compileGlob(pattern: string, pathname: boolean): Glob {
  const steps: Step[] = [];
  const notSlash = (test: (ch: string) => boolean) => (pathname ? (ch: string) => ch !== '/' && test(ch) : test);
  let broken: string | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      if (i + 1 === pattern.length) return { steps: [], broken: 'it ends with a lone backslash' };
      const next = pattern[++i]!;
      steps.push({ kind: 'char', test: (c) => c === next });
    } else if (ch === '?') {
      steps.push({ kind: 'char', test: notSlash(() => true) });
    } else if (ch === '*') {
      let end = i;
      while (pattern[end + 1] === '*') end++;
      const double = end > i && (i === 0 || pattern[i - 1] === '/');
      const after = pattern.slice(end + 1, end + 3);
      if (pathname && double && after.startsWith('/')) {
        steps.push({ kind: 'folders' });
        end += 1;
      } else if (pathname && double && after.startsWith('\\/')) {
        steps.push({ kind: 'folders' });
        end += 2;
      } else if (!pathname || (double && end + 1 === pattern.length)) steps.push({ kind: 'any' });
      else steps.push({ kind: 'star' });
      i = end;
    } else if (ch === '[') {
      const parsed = characterClass(pattern, i);
      if ('broken' in parsed) return { steps: [], broken: parsed.broken };
      broken ??= parsed.note;
      steps.push({ kind: 'char', test: notSlash(parsed.test) });
      i = parsed.end;
    } else steps.push({ kind: 'char', test: (c) => c === ch });
  }
  return { steps, broken };
}

/** A `[…]` starting at `start`, read as wildmatch.c reads it; `end`: the index of its closing `]`. */
function characterClass(pattern: string, start: number): { test: (ch: string) => boolean; end: number; note?: string } | { broken: string } {
  let i = start + 1;
  const negated = pattern[i] === '!' || pattern[i] === '^';
  if (negated) i++;
  const singles = new Set<string>();
  const ranges: Array<[string, string]> = [];
  const classes: Array<(ch: string) => boolean> = [];
  let note: string | undefined;
  let previous: string | undefined;
  // The first character is a member even when it is `]` (wildmatch's do … while).
  for (let first = true; first || pattern[i] !== ']'; first = false, i++) {
    if (i >= pattern.length) return { broken: `its "[" at column ${start + 1} is never closed` };
    let ch = pattern[i]!;
    if (ch === '\\') {
      if (++i >= pattern.length) return { broken: `its "[" at column ${start + 1} is never closed` };
      ch = pattern[i]!;
      singles.add(ch);
      previous = ch;
    } else if (ch === '-' && previous !== undefined && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      let high = pattern[++i]!;
      if (high === '\\') {
        if (++i >= pattern.length) return { broken: `its "[" at column ${start + 1} is never closed` };
        high = pattern[i]!;
      }
      if (high < previous) note ??= `its range [${previous}-${high}] is reversed, so it matches nothing`;
      else ranges.push([previous, high]);
      previous = undefined;
    } else if (ch === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) return { broken: `its "[" at column ${start + 1} is never closed` };
      if (pattern[close - 1] !== ':' || close - 1 < i + 2) {
        // No ":]": a plain "[" member, as in wildmatch.c.
        singles.add('[');
        previous = '[';
        continue;
      }
      const name = pattern.slice(i + 2, close - 1);
      const test = Object.hasOwn(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
      if (!test) return { broken: `[:${name}:] is not a character class` };
      classes.push(test);
      i = close;
      previous = undefined;
    } else {
      singles.add(ch);
      previous = ch;
    }
  }
  const member = (c: string) => singles.has(c) || ranges.some(([lo, hi]) => c >= lo && c <= hi) || classes.some((t) => t(c));
  return { test: negated ? (c) => !member(c) : member, end: i, note };
}

/** Whether `glob` matches all of `text`, and how much work that took (steps × positions, for the budget). */
export function matchGlob(glob: Glob, text: string): { matched: boolean; work: number } {
  const size = text.length + 1;
  let work = 1;
  // reach[j]: the steps so far can have matched text[0..j).
  let reach = new Uint8Array(size);
  reach[0] = 1;
  for (const step of glob.steps) {
    work += size;
    const next = new Uint8Array(size);
    let any = false;
    if (step.kind === 'char') {
      for (let j = 0; j < text.length; j++) {
        if (reach[j] && step.test(text[j]!)) {
          next[j + 1] = 1;
          any = true;
        }
      }
    } else if (step.kind === 'star' || step.kind === 'any') {
      let open = false;
      for (let j = 0; j < size; j++) {
        if (reach[j]) open = true;
        if (open) next[j] = 1;
        any ||= open;
        if (step.kind === 'star' && text[j] === '/') open = false;
      }
    } else {
      let seen = false;
      for (let j = 0; j < size; j++) {
        if (reach[j] || (seen && text[j - 1] === '/')) next[j] = 1;
        if (reach[j]) seen = true;
        any ||= next[j] === 1;
      }
    }
    if (!any) return { matched: false, work };
    reach = next;
  }
  return { matched: glob.steps.length > 0 && reach[text.length] === 1, work };
}
