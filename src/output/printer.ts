/**
 * Where output goes. Human text goes to stdout (stderr under --json, whose stdout carries only the JSON
 * summary); errors to stderr. Colour only on a terminal without NO_COLOR; progress rewrites one line on
 * a terminal and prints a few plain lines otherwise. Every text is cleaned of terminal controls and then
 * redacted before our own decoration (colour, line rewrites) is added: whatever a backend, a path or
 * a URL carried, the terminal only ever receives the escape sequences this file writes.
 */
import { jsonText, stripControls, type Redactor } from './redact';

export interface Printer {
  info(text: string): void;
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
}

export interface PrinterOptions {
  stdout: Stream;
  stderr: Stream;
  json: boolean;
  env: NodeJS.ProcessEnv;
  redactor: Redactor;
}

const paint = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[39m`;

export function createPrinter(options: PrinterOptions): Printer {
  const { stdout, stderr, json, env, redactor } = options;
  const human = json ? stderr : stdout;
  const color = Boolean(human.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  const [green, yellow, red] = color ? [paint(32), paint(33), paint(31)] : [(s: string) => s, (s: string) => s, (s: string) => s];
  let openProgress = false;
  let lastMilestone = -1;

  const clean = (text: string) => redactor.redact(stripControls(text));
  /** `prefix` is ours (a coloured mark); `text` may hold anything and is cleaned. */
  const write = (stream: Stream, prefix: string, text: string) => {
    if (openProgress && stream.isTTY) {
      stream.write('\r\u001b[2K');
      openProgress = false;
    }
    stream.write(`${prefix}${clean(text)}\n`);
  };

  return {
    info: (text) => write(human, '', text),
    success: (text) => write(human, `${green('✔')} `, text),
    warn: (text) => write(stderr, `${yellow('!')} `, text),
    error: (text) => write(stderr, `${red('✖')} `, text),
    progress(label, done, total) {
      if (human.isTTY) {
        human.write(`\r\u001b[2K${clean(`${label} ${done} of ${total}`)}`);
        openProgress = done < total;
        if (done === total) human.write('\n');
        return;
      }
      // Plain output: the start, every quarter, and the end, so logs stay short for 1000 users.
      const milestone = total === 0 ? 4 : Math.floor((done / total) * 4);
      if (done === 0 || milestone > lastMilestone) {
        lastMilestone = milestone;
        write(human, '', `${label} ${done} of ${total}`);
      }
      if (done === total) lastMilestone = -1;
    },
    json: (value) => stdout.write(`${redactor.redact(jsonText(value, 2))}\n`),
  };
}
