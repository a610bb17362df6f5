/**
 * What may reach the terminal. The printer passes every line through `stripControls` (anything from a
 * backend, a file name or a URL may carry terminal escape sequences) and then `Redactor.redact`, the
 * last line of defence for secrets: any run of 8 or more characters taken from the App Token or a user
 * token is masked, so an excerpt that cuts a token mid-way, or an echo that quotes part of one, prints
 * none of it.
 */

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

export class Redactor {
  /** Every 8-character window of every registered secret (and of the forms it takes when printed). */
  private readonly windows = new Set<string>();
  /** Secrets of 4 to 7 characters, masked whole (only the App Token can be that short). */
  private readonly short = new Set<string>();

  add(secret: string): void {
    const forms = new Set([secret, stripControls(secret)]);
    for (const form of [...forms]) forms.add(jsonText(form).slice(1, -1));
    for (const form of forms) {
      if (form.length < FRAGMENT) {
        if (form.length >= 4) this.short.add(form);
        continue;
      }
      const end = Math.min(form.length, MAX_INDEXED);
      for (let i = 0; i + FRAGMENT <= end; i++) this.windows.add(form.slice(i, i + FRAGMENT));
    }
  }

  /**
   * Whether `text` holds a secret the run knows (8 characters of one, or a short one whole): a value
   * from outside that does is refused, never written or sent (a backend uid that is the App Token, a
   * --users value that is a token).
   */
  holdsSecret(text: string): boolean {
    return this.redact(text) !== text;
  }

  /** One pass over the text: O(length) set lookups, whatever the number of secrets. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.short) out = out.split(secret).join(MASK);
    if (this.windows.size === 0 || out.length < FRAGMENT) return out;
    let result = '';
    let copied = 0; // out[copied..] is not yet in result
    let runStart = -1;
    let runEnd = -1;
    for (let i = 0; i + FRAGMENT <= out.length; i++) {
      if (!this.windows.has(out.slice(i, i + FRAGMENT))) continue;
      if (i > runEnd) {
        // A new masked run: flush the previous one.
        if (runStart >= 0) {
          result += out.slice(copied, runStart) + MASK;
          copied = runEnd;
        }
        runStart = i;
      }
      runEnd = i + FRAGMENT;
    }
    if (runStart < 0) return out;
    return result + out.slice(copied, runStart) + MASK + out.slice(runEnd);
  }
}
