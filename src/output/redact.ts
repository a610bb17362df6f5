/**
 * What may reach the terminal. The printer passes every line through `stripControls` (anything from a
 * backend, a file name or a URL may carry terminal escape sequences) and then `Redactor.redact`, the
 * last line of defence for secrets: any run of 8 or more characters taken from the App Token or a user
 * token is masked, so an excerpt that cuts a token mid-way, or an echo that quotes part of one, prints
 * none of it.
 */
import { UsageError } from '../errors';

/** The shortest fragment of a secret that is masked. Shorter runs are too common to mean anything. */
export const FRAGMENT = 8;
const MASK = '[redacted]';
/** Secrets are indexed up to this length: mesibo's tokens are 64 characters, anything longer is junk. */
const MAX_INDEXED = 16 * 1024;

// Escape sequences first (CSI, OSC/DCS/APC strings up to BEL or ST, two-character escapes, 8-bit CSI),
// then what is left of C0 (but tab and newline), DEL and C1, then the bidirectional controls that can
// make a line read differently from what it holds (Trojan Source).
const ESCAPE_SEQUENCES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|\u001b[ -~]?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify leaves raw but a terminal acts on: C1, bidirectional controls, line separators.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Text safe to print: no escape sequence, no control character but tab and newline, no bidi control. */
export function stripControls(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(CONTROL_CHARS, '');
}

/** JSON text that is inert on a terminal: characters a terminal would act on are written as \u escapes. */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A value from outside (a backend string, a path, a URL) as it may appear inside an error message:
 * cleaned, at most `max` characters, quoted. Long values are cut with an ellipsis, so one odd answer
 * cannot flood the terminal.
 */
export function echo(value: string, max = 60): string {
  const clean = stripControls(value).replace(/[\t\n]/g, ' ');
  return JSON.stringify(clean.length > max ? `${clean.slice(0, max - 1)}…` : clean);
}

/**
 * Letters and digits of the App Token matched across separators and invisible characters: runs of this
 * many. Longer than FRAGMENT because dropping the spaces of ordinary text joins words: 8 would match an
 * App Token that happens to hold "AppToken" in every "App Token" of a message.
 */
const LOOSE = 12;
/** Only letters and digits: what is left of a secret, or of a text, once separators and invisible characters are dropped. */
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

/** The forms of the App Token a backend (or a log) might echo: reversed, and base64 at each of the three alignments. */
function transforms(secret: string): string[] {
  const reversed = [...secret].reverse().join('');
  const out = [reversed];
  for (const form of [secret, reversed]) {
    for (let k = 0; k < 3 && k < form.length; k++) {
      const b64 = Buffer.from(form.slice(k), 'utf8').toString('base64');
      out.push(b64.replace(/=+$/, ''), b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
    }
  }
  return out;
}

/** A command-line argument, as an error may name it without showing it. */
interface Input {
  readonly value: string;
  readonly name: string;
}

/** How each argument is named: the flag it is the value of, or its position. */
function namedInputs(argv: readonly string[]): Input[] {
  return argv.map((value, i) => {
    const flag = /^(--[A-Za-z][\w-]*)=/.exec(value)?.[1];
    if (flag) return { value, name: `the value of ${flag}` };
    const previous = argv[i - 1];
    if (previous?.startsWith('--') && !previous.includes('=') && !value.startsWith('-')) return { value, name: `the value of ${previous}` };
    return { value, name: `command-line argument ${i + 1}` };
  });
}

export class Redactor {
  /** Every 8-character window of every registered secret (and of the forms it takes when printed). */
  private readonly windows = new Set<string>();
  /** LOOSE-character windows of the App Token's letters and digits alone: it spaced out, or with invisible characters between. */
  private readonly loose = new Set<string>();
  /** Secrets of 4 to 7 characters, masked whole (only the App Token can be that short). */
  private readonly short = new Set<string>();
  private inputs: readonly Input[] = [];

  /** The run's command line: a secret registered with addKnown must not be in it (see there). */
  watchInputs(argv: readonly string[]): void {
    this.inputs = namedInputs(argv);
  }

  add(secret: string): void {
    const forms = new Set([secret, stripControls(secret)]);
    for (const form of [...forms]) forms.add(jsonText(form).slice(1, -1));
    for (const form of forms) this.index(form);
  }

  /**
   * A secret the run read or was given (the App Token; a token read from a project, the ledger or a
   * config): masked like any other, the App Token also in its simple transforms (reversed, base64, with
   * separators or invisible characters between its characters); and refused when the command line
   * holds it (`--users "$MESIBO_APP_TOKEN"`, a pasted positional argument, `--app-token-file ./<token>.txt`):
   * a command line is seen by every user of the machine (ps) and kept in shell history, and a value
   * taken from it may be written to files. The error names the argument, never its value.
   */
  addKnown(secret: string, kind: 'app-token' | 'token'): void {
    this.add(secret);
    if (kind === 'app-token') {
      for (const form of transforms(secret)) this.index(form);
      const letters = secret.replace(NOT_LETTER_OR_DIGIT, '');
      for (const form of [letters, [...letters].reverse().join('')]) {
        for (let i = 0; i + LOOSE <= Math.min(form.length, MAX_INDEXED); i++) this.loose.add(form.slice(i, i + LOOSE));
      }
    }
    const check = new Redactor();
    check.add(secret);
    const found = this.inputs.find((input) => check.holdsSecret(input.value));
    if (found) {
      const what = kind === 'app-token' ? 'your App Token' : 'a user access token this run read';
      throw new UsageError(
        `${found.name[0]!.toUpperCase()}${found.name.slice(1)} holds ${what} (not shown). A command line is seen by every user of ` +
          'this machine and kept in shell history, so it is refused: give the App Token only through MESIBO_APP_TOKEN, ' +
          '--app-token-file <path to a file holding it> or the prompt, and never as a user, a folder or a file name. ' +
          'If it was shared, create a new App Token in the mesibo console. Nothing was done.',
      );
    }
  }

  private index(form: string): void {
    if (form.length < FRAGMENT) {
      if (form.length >= 4) this.short.add(form);
      return;
    }
    const end = Math.min(form.length, MAX_INDEXED);
    for (let i = 0; i + FRAGMENT <= end; i++) this.windows.add(form.slice(i, i + FRAGMENT));
  }

  /**
   * Whether `text` holds a secret the run knows (8 characters of one, or a short one whole): a value
   * from outside that does is refused, never written or sent (a backend uid that is the App Token, a
   * --users value that is a token).
   */
  holdsSecret(text: string): boolean {
    return this.redact(text) !== text;
  }

  /** One pass over the text (two with the App Token's loose form): O(length) set lookups, whatever the number of secrets. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.short) out = out.split(secret).join(MASK);
    if (this.windows.size > 0 && out.length >= FRAGMENT) {
      const plain = out;
      out = maskRuns(plain, (i) => (this.windows.has(plain.slice(i, i + FRAGMENT)) ? i + FRAGMENT : -1));
    }
    if (this.loose.size > 0) out = this.maskLoose(out);
    return out;
  }

  /** The App Token with anything between its characters: matched on the letters and digits alone, masked over the span they cover. */
  private maskLoose(text: string): string {
    const kept: number[] = []; // positions in `text` of its letters and digits
    const letters: string[] = []; // those letters and digits (one code point each)
    for (const m of text.matchAll(/[\p{L}\p{N}]/gu)) {
      kept.push(m.index!);
      letters.push(m[0]);
    }
    if (letters.length < LOOSE) return text;
    const spans: Array<[number, number]> = [];
    for (let i = 0; i + LOOSE <= letters.length; i++) {
      if (!this.loose.has(letters.slice(i, i + LOOSE).join(''))) continue;
      const start = kept[i]!;
      const end = kept[i + LOOSE - 1]! + letters[i + LOOSE - 1]!.length;
      const last = spans.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else spans.push([start, end]);
    }
    let out = '';
    let copied = 0;
    for (const [start, end] of spans) {
      out += text.slice(copied, start) + MASK;
      copied = end;
    }
    return out + text.slice(copied);
  }
}

/** Masks every run of overlapping matches: `match(i)` gives the end of a match starting at i, or -1. */
function maskRuns(out: string, match: (i: number) => number): string {
  let result = '';
  let copied = 0; // out[copied..] is not yet in result
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i + FRAGMENT <= out.length; i++) {
    const end = match(i);
    if (end < 0) continue;
    if (i > runEnd) {
      // A new masked run: flush the previous one.
      if (runStart >= 0) {
        result += out.slice(copied, runStart) + MASK;
        copied = runEnd;
      }
      runStart = i;
    }
    runEnd = end;
  }
  if (runStart < 0) return out;
  return result + out.slice(copied, runStart) + MASK + out.slice(runEnd);
}
