/** "Did you mean …?" for a mistyped flag or command: the closest known name, if it is close enough. */

/** Edit distance (insert, delete, substitute, swap of neighbours), so `--plaform` is one edit from `--platform`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The one known name that starts with what was typed (`--plat` -> `--platforms`), else the closest one
 * within a third of its length (at least 2 edits); undefined when nothing is near.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  const prefixed = known.filter((name) => t.replace(/^-+/, '').length >= 3 && name.toLowerCase().startsWith(t));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(t, name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(t.length / 3)) ? best : undefined;
}

/**
 * The command a first word was meant to be, if it is one or two typos away (`refesh`, `doctr`, `workshp`,
 * `Sandbox`, or `doctor` itself after a flag): at most one edit, two from seven letters on. Looser than `closest`, which would take `docs`
 * for `doctor`: a folder name must stay usable. `announce` means `workshop announce`.
 */
export function nearCommand(word: string, commands: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  if (!/^[a-z][a-z-]*$/.test(typed)) return undefined;
  const names = commands.filter((c) => !c.includes(' '));
  const limit = typed.length >= 7 ? 2 : 1;
  // Not `help`: four letters leave too many folder names one edit away (held, helm).
  for (const name of names) {
    // `workshops`, `refresher`, `sandboxes`: a word built on a command, a name rather than a typo.
    if (typed.startsWith(name) && typed !== name) continue;
    if (editDistance(typed, name) <= limit) return name;
  }
  if (editDistance(typed, 'announce') <= limit) return commands.find((c) => c.endsWith(' announce'));
  return undefined;
}
