/**
 * Where output goes. Human text goes to stdout (stderr under --json, whose stdout carries only the JSON
 * summary); errors to stderr. Colour only on a terminal without NO_COLOR; progress rewrites one line on
 * a terminal and prints a few plain lines otherwise.
 */
import type { Redactor } from './redact';

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

  const write = (stream: Stream, text: string) => {
    if (openProgress && stream.isTTY) {
      stream.write('\r\u001b[2K');
      openProgress = false;
    }
    stream.write(redactor.redact(text));
  };

  return {
    info: (text) => write(human, `${text}\n`),
    success: (text) => write(human, `${green('✔')} ${text}\n`),
    warn: (text) => write(stderr, `${yellow('!')} ${text}\n`),
    error: (text) => write(stderr, `${red('✖')} ${text}\n`),
    progress(label, done, total) {
      if (human.isTTY) {
        human.write(redactor.redact(`\r\u001b[2K${label} ${done} of ${total}`));
        openProgress = done < total;
        if (done === total) human.write('\n');
        return;
      }
      // Plain output: the start, every quarter, and the end, so logs stay short for 1000 users.
      const milestone = total === 0 ? 4 : Math.floor((done / total) * 4);
      if (done === 0 || milestone > lastMilestone) {
        lastMilestone = milestone;
        write(human, `${label} ${done} of ${total}\n`);
      }
      if (done === total) lastMilestone = -1;
    },
    json: (value) => stdout.write(`${redactor.redact(JSON.stringify(value, null, 2))}\n`),
  };
}
