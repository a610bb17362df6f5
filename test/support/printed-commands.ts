/**
 * Finding the commands a text tells its reader to type, with the folder each one runs in, for
 * test/printed-commands.test.ts. Nothing here knows which commands the tool prints today: a command is a
 * line (or a backticked span) whose first word is one a reader would type, found in
 * - console output: indented lines and backticked spans; a `cd` moves the lines after it, and a line that
 *   says "each from <folder>" starts again from that folder;
 * - Markdown: each fenced block's lines (from the file's folder, `cd` moving the rest of the block) and
 *   inline code spans;
 * - HTML: the text of each <pre> and <code>, from the file's folder.
 */
import path from 'node:path';

export interface Printed {
  /** The command as printed, its trailing `# comment` removed. */
  readonly text: string;
  /** The folder it runs in, as the text around it says. */
  readonly cwd: string;
  /** Where it was printed: a file, or the command line whose output it was. */
  readonly source: string;
}

/** First words that make a line a command: the tool's own forms, the shell, and the tools the starters use. */
const FIRST_WORDS = /^(?:node|npx|pnpm|yarn|bunx?|npm|cd|create-mesibo-app|python3?|py|cmake|pod|open|git|\.|\.\/\S+|[A-Z_]+=\S*)$/;

/** A comment (`   # Windows: …`) after a command, and a leading prompt, dropped. */
function clean(line: string): string {
  return line.replace(/\s+#\s.*$/, '').replace(/^\$\s+/, '').trim();
}

export function looksLikeCommand(text: string): boolean {
  const first = text.split(/\s+/)[0] ?? '';
  if (!FIRST_WORDS.test(first)) return false;
  // `.` alone is a sentence's end, not `source`; `cd` needs a folder.
  if (first === '.' || first === 'cd') return text.split(/\s+/).length === 2;
  // A tool's bare name in prose (`npm`, `create-mesibo-app`) names it; a command has arguments.
  return /\s/.test(text) || !/^(?:node|npx|pnpm|yarn|bunx?|npm|python3?|py|cmake|pod|open|git|create-mesibo-app)$/.test(first);
}

/**
 * Placeholders a reader fills in (`<folder>`, `[dir]`, `...`, `…`): such a line shows a command's shape (a
 * usage line), not a command to run.
 */
export function hasPlaceholder(text: string): boolean {
  return /<[a-z][^>]*>|\[[a-z][a-z -]*\]|\.\.\.|…/.test(text);
}

/** A sentence that says where its command runs: in the project (not where the error was printed). */
const IN_PROJECT = /in the project's folder|inside a project|inside it\b|from inside/;

function spans(line: string): string[] {
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());
}

function resolveCd(cwd: string, text: string): string {
  const target = text.slice(3).trim().replace(/^(['"])(.*)\1$/, '$2');
  return path.resolve(cwd, target);
}

/**
 * Commands in a run's console output, which was printed in `base`; `project` is the project a sentence
 * means by "in the project's folder".
 */
export function fromConsole(output: string, base: string, source: string, project: string): Printed[] {
  const found: Printed[] = [];
  let anchor = base; // where the steps start: the folder of the first `cd`
  let each: string | undefined; // "each from <folder> in a terminal of its own": every group starts there
  let cwd = base;
  for (const raw of output.split('\n')) {
    const from = /each from (\S+?)[,:]? in a terminal/.exec(raw);
    if (from) each = from[1] === 'this' ? anchor : path.resolve(base, from[1]!);
    if (/^\s*\d+\.\s/.test(raw)) cwd = anchor; // a numbered step starts where the steps start
    const line = clean(raw);
    const inline = /^\s{2,}/.test(raw) && looksLikeCommand(line) ? [line] : [];
    if (inline.length === 0 && each !== undefined) cwd = each; // a label: the next group, in a terminal of its own
    for (const text of [...inline, ...spans(raw).map(clean).filter(looksLikeCommand)]) {
      found.push({ text, cwd: inline.length === 0 && IN_PROJECT.test(raw) ? project : cwd, source });
      if (text.startsWith('cd ')) {
        cwd = resolveCd(cwd, text);
        if (anchor === base) anchor = cwd;
      }
    }
  }
  return found;
}

/** Commands in a Markdown file: fenced blocks run from the file's folder, and inline spans. */
export function fromMarkdown(text: string, file: string): Printed[] {
  const base = path.dirname(file);
  const found: Printed[] = [];
  let block: string | undefined;
  let cwd = base;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^>\s?/, ''); // a quoted block too
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      block = block === undefined ? fence[1] : undefined;
      cwd = base;
      continue;
    }
    if (block !== undefined) {
      // PowerShell blocks run elsewhere; every other block is for sh.
      if (/^(?:powershell|ps1|pwsh|cmd|text|json|kotlin|swift|js|javascript|python|cpp|ini|properties)$/.test(block)) continue;
      const command = clean(line);
      if (command === '' || command.startsWith('#') || !looksLikeCommand(command)) continue;
      found.push({ text: command, cwd, source: file });
      if (command.startsWith('cd ')) cwd = resolveCd(cwd, command);
      continue;
    }
    for (const span of spans(line).map(clean).filter(looksLikeCommand)) found.push({ text: span, cwd: base, source: file });
  }
  return found;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/**
 * Commands in an HTML file's <pre> and <code> elements, from the file's folder, or, on a handout's card that
 * names "Your folder", from that folder.
 */
export function fromHtml(html: string, file: string): Printed[] {
  const found: Printed[] = [];
  for (const card of html.split(/<article\b/)) {
    const folder = /folder\s*<\/dt>\s*<dd>\s*<code>([^<]+)<\/code>/.exec(card)?.[1];
    found.push(...codeIn(card, folder ? path.resolve(path.dirname(file), decode(folder)) : path.dirname(file), file));
  }
  return found;
}

const decode = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!);

function codeIn(html: string, base: string, file: string): Printed[] {
  const found: Printed[] = [];
  for (const m of html.matchAll(/<(pre|code)[^>]*>([\s\S]*?)<\/\1>/g)) {
    const body = decode(m[2]!);
    let cwd = base;
    for (const raw of body.split('\n')) {
      const command = clean(raw);
      if (!looksLikeCommand(command)) continue;
      found.push({ text: command, cwd, source: file });
      if (command.startsWith('cd ')) cwd = resolveCd(cwd, command);
    }
  }
  return found;
}
