/**
 * Where output goes. Human text goes to stdout (stderr under --json, whose stdout carries only the JSON
 * summary); errors to stderr. Every text is cleaned of terminal controls and then redacted before our own
 * decoration (colour, wrapping, line rewrites) is added: whatever a backend, a path or a URL carried, the
 * terminal only ever receives the escape sequences this file writes.
 *
 * On a terminal: colour (unless NO_COLOR; FORCE_COLOR forces it anywhere), prose wrapped to the width at
 * spaces only (a command, a URL or a `backticked` span is never broken), and one live progress line with
 * a spinner and the elapsed time, cleared before anything else is written. Without a terminal, or under
 * --json: plain lines, and progress only at its start, quarters and end.
 */
import { jsonText, stripControls, type Redactor } from './redact';

/** How an info line is shown: a heading, a command to type (never wrapped), a dim aside, or --verbose only. */
export type LineStyle = 'heading' | 'command' | 'dim' | 'detail';

export interface Printer {
  info(text: string, style?: LineStyle): void;
  success(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  progress(label: string, done: number, total: number): void;
  /** The --json summary: the only thing written to stdout under --json. */
  json(value: unknown): void;
}

export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface PrinterOptions {
  stdout: Stream;
  stderr: Stream;
  json: boolean;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
  /** --verbose: `detail` lines are shown. */
  verbose?: boolean;
  /** The spinner's clock, for tests. */
  now?: () => number;
}

/** Node's rule for FORCE_COLOR ('', 1, 2, 3, true force colour; anything else turns it off), then NO_COLOR. */
export function colourFor(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  if (env.NO_COLOR) return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** Long lines are hard to read even on a wide terminal. */
const MAX_WIDTH = 100;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 80;

/**
 * `text` broken at spaces into lines of at most `width` characters, continuation lines indented like the
 * first line's own indentation (and past a list mark such as `1. `). A word longer than the width (a URL, a
 * path) stays whole, and so does a `backticked` span (a command).
 */
export function wrap(text: string, width: number): string[] {
  const indent = /^ */.exec(text)![0];
  const hang = /^(?:\d+\.|[-•]) /.exec(text.slice(indent.length))?.[0].length ?? 0;
  // A span may follow a bracket or a word, as in (`npx … refresh`): it still stays whole.
  const words = text.slice(indent.length).match(/\S*`[^`]*`\S*|\S+/g) ?? [];
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.trim() === '') line = indent + word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = indent + ' '.repeat(hang) + word;
    }
  }
  lines.push(line);
  return lines;
}

export function createPrinter(options: PrinterOptions): Printer & { close(): void } {
  const { stdout, stderr, json, env, redactor } = options;
  const now = options.now ?? Date.now;
  const human = json ? stderr : stdout;
  const paintFor = (stream: Stream) => {
    const on = colourFor(stream, env);
    return (open: number, close: number) => (s: string) => (on && s !== '' ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  };
  const [humanPaint, errPaint] = [paintFor(human), paintFor(stderr)];
  const styles = {
    green: humanPaint(32, 39),
    yellow: errPaint(33, 39),
    red: errPaint(31, 39),
    bold: humanPaint(1, 22),
    cyan: humanPaint(36, 39),
    dim: humanPaint(2, 22),
  };
  // Rewriting lines and wrapping need a terminal; under --json nothing but plain lines.
  const live = (stream: Stream) => Boolean(stream.isTTY) && !json;
  const widthOf = (stream: Stream) => Math.min(MAX_WIDTH, (stream.columns || 80) - 1);

  let open: { label: string; done: number; total: number; started: number; frame: number } | undefined;
  let drawn = false;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let lastMilestone = -1;

  const clean = (text: string) => redactor.redact(stripControls(text));
  const progressText = () => `${open!.label} ${open!.done} of ${open!.total}`;
  const draw = () => {
    if (!open) return;
    const seconds = ((now() - open.started) / 1000).toFixed(1);
    const spinner = SPINNER[open.frame++ % SPINNER.length]!;
    // No colour on this line: the only control sequence in it is the rewrite that starts it.
    human.write(`\r\u001b[2K${spinner} ${clean(progressText())} ${seconds} s`);
    drawn = true;
  };
  const erase = () => {
    if (drawn) human.write('\r\u001b[2K');
    drawn = false;
  };
  const stop = () => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
    erase();
    open = undefined;
  };

  /** `mark` is ours (a coloured symbol and its space, `markWidth` wide); `text` may hold anything and is cleaned. */
  const write = (stream: Stream, mark: string, markWidth: number, text: string, paint: (s: string) => string = (s) => s, breakable = true) => {
    const sameLine = stream === human || Boolean(stream.isTTY && human.isTTY);
    if (sameLine) erase();
    const cleaned = clean(text);
    const lines = cleaned.split('\n').flatMap((l) => (breakable && live(stream) ? wrap(l, widthOf(stream) - markWidth) : [l]));
    const body = lines.map((l, i) => (i === 0 ? l : ' '.repeat(markWidth) + l));
    stream.write(`${mark}${body.map((l) => (l.trim() === '' ? l : paintLine(l, paint))).join('\n')}\n`);
    if (sameLine && open) draw();
  };
  // The colour starts after the indentation, so copying a command never copies an escape sequence into it.
  const paintLine = (line: string, paint: (s: string) => string) => {
    const indent = /^ */.exec(line)![0];
    return indent + paint(line.slice(indent.length));
  };

  return {
    info(text, style) {
      if (style === 'detail' && !options.verbose) return;
      const paint = style === 'heading' ? styles.bold : style === 'command' ? styles.cyan : style === 'dim' ? styles.dim : undefined;
      write(human, '', 0, text, paint, style !== 'command');
    },
    success: (text) => write(human, `${styles.green('✔')} `, 2, text),
    warn: (text) => write(stderr, `${styles.yellow('!')} `, 2, text),
    error(text) {
      stop(); // an error ends whatever was in progress
      write(stderr, `${styles.red('✖')} `, 2, text);
    },
    progress(label, done, total) {
      if (live(human)) {
        if (!open || open.label !== label) open = { label, done, total, started: now(), frame: 0 };
        Object.assign(open, { done, total });
        if (done >= total) {
          erase();
          human.write(`${clean(progressText())}\n`);
          stop();
          return;
        }
        draw();
        ticker ??= setInterval(draw, TICK_MS);
        ticker.unref?.();
        return;
      }
      // Plain output: the start, every quarter, and the end, so logs stay short for 1000 users.
      const milestone = total === 0 ? 4 : Math.floor((done / total) * 4);
      if (done === 0 || milestone > lastMilestone) {
        lastMilestone = milestone;
        write(human, '', 0, `${label} ${done} of ${total}`);
      }
      if (done === total) lastMilestone = -1;
    },
    json: (value) => stdout.write(`${redactor.redact(jsonText(value, 2))}\n`),
    close: stop,
  };
}
