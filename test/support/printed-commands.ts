/**
 * Finding the commands a text tells its reader to type, with the folder each one runs in, for
 * test/printed-commands.test.ts. Nothing here knows which commands the tool prints today: a command is a
 * line (or a backticked span) whose first word is one a reader would type, found in
 * - console output: indented lines and backticked spans; a `cd` moves the lines after it, a line at the
 *   margin starts again from where the output was printed (so does "in this same folder", a second
 *   terminal's), and a line that says "each from <folder>" starts each group again from that folder;
 * - Markdown: each fenced block's lines (from the file's folder, `cd` moving the rest of the block) and
 *   inline code spans;
 * - HTML: the text of each <pre> and <code>, from the file's folder.
 */
import path from 'node:path';
import { execa } from 'execa';
import { cliEnv } from './cli';

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
    // A line at the margin (a heading, a paragraph) starts a new part: its steps start where it was printed.
    if (/^\S/.test(raw)) {
      cwd = anchor = base;
      each = undefined;
    }
    const from = /each from (\S+?)[,:]? in a terminal/.exec(raw);
    if (from) each = from[1] === 'this' ? anchor : path.resolve(base, from[1]!);
    if (/^\s*\d+\.\s/.test(raw)) cwd = anchor; // a numbered step starts where the steps start
    if (/in this same folder/.test(raw)) cwd = base; // another terminal, opened where this was printed
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

/** A long-running printed command (the sandbox, npm start), started as a terminal would run it. */
export interface Started {
  /** Where it said it listens: the sandbox's origin, or npm start's `http://localhost:<port>/`. */
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /** The links with this run's key it printed so far (npm start). */
  links(): string[];
  /** Resolves once it printed `count` keyed links (rejects if it exits first). */
  printedLinks(count: number): Promise<string[]>;
  /** Ctrl-C, as a terminal sends it to the whole foreground group; resolves with the exit code once it exited. */
  stop(): Promise<number | undefined>;
}

const KEYED_LINK = /http:\/\/localhost:\d+\/\?\S*key=[\w-]+/g;
const SANDBOX_LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
const WEB_SERVING = /Serving .* at (http:\/\/localhost:\d+\/)/;

/**
 * Runs `lines` (printed commands, one per line; `cd` lines included) in sh from `cwd`, the last one with
 * `exec`, in a process group of its own, and resolves once it says where it serves: the sandbox's
 * "listening on" line, or npm start's first keyed link. Rejects with what it printed if it exits first.
 */
export async function startPrinted(lines: string, cwd: string, kind: 'sandbox' | 'npm start', env: Record<string, string> = {}): Promise<Started> {
  const script = lines.trim().split('\n');
  script[script.length - 1] = `exec ${script[script.length - 1]}`;
  const child = execa('sh', ['-c', script.join('\n')], {
    cwd,
    env: cliEnv(env),
    extendEnv: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    detached: true,
  });
  let out = '';
  let exited = false;
  const waiters: Array<() => void> = [];
  const seen = (chunk: Buffer) => {
    out += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout!.on('data', seen);
  child.stderr!.on('data', seen);
  const done = child.then((result) => {
    exited = true;
    for (const wake of waiters.splice(0)) wake();
    return result.exitCode;
  });
  /** Resolves with `test()`'s value once it has one; rejects if the process exits without. */
  const until = <T>(test: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const value = test();
        if (value !== undefined) return resolve(value);
        if (exited) return reject(new Error(`${kind} (${lines.replace(/\n/g, '; ')}) exited: ${out}`));
        waiters.push(check);
      };
      check();
    });
  const links = () => out.match(KEYED_LINK) ?? [];
  const url = await until(() =>
    kind === 'sandbox' ? SANDBOX_LISTENING.exec(out)?.[1] : links().length > 0 ? WEB_SERVING.exec(out)?.[1] : undefined,
  );
  return {
    url,
    output: () => out,
    links,
    printedLinks: (count) => until(() => (links().length >= count ? links() : undefined)),
    stop: async () => {
      if (!exited) process.kill(-child.pid!, 'SIGINT');
      return done;
    },
  };
}

/** What npm start's page gets from /config.json (no token is ever printed from it). */
export interface PageConfig {
  appId: string;
  sdk: string;
  sandbox?: { start: string };
  users: Array<{ address: string; token: string }>;
}

/**
 * Opens a printed keyed link as a browser does (its key becomes the run's cookie, and the browser is sent on
 * to the page), then asks for the page's config as the page's own script does (templates/web/app.js).
 */
export async function fetchPageConfig(link: string): Promise<PageConfig> {
  const opened = await fetch(link, { redirect: 'manual' });
  if (opened.status !== 303) throw new Error(`${link} answered ${opened.status}, not the redirect that sets the run's cookie`);
  const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
  const page = await fetch(new URL(opened.headers.get('location')!, link), { headers: { Cookie: cookie } });
  if (page.status !== 200 || !(await page.text()).includes('<script')) throw new Error(`the page did not load (${page.status})`);
  const config = await fetch(new URL('/config.json', link), { headers: { Cookie: cookie, 'Mesibo-Starter': 'config' } });
  if (config.status !== 200) throw new Error(`/config.json answered ${config.status}: ${await config.text()}`);
  return (await config.json()) as PageConfig;
}
