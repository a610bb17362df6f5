/**
 * A strict reader for `project.pbxproj`: the old-style (OpenStep) property list Xcode writes, as Xcode 16 and
 * 26 write it for objectVersion 77 (synchronized folders). Stricter than Xcode on purpose: every dictionary
 * entry ends in `;`, every array item in `,`, no key repeats, and only the bare characters Xcode leaves
 * unquoted appear unquoted. A syntax error names its line and column.
 */

export type PbxValue = string | PbxValue[] | { [key: string]: PbxValue };
export type PbxDict = { [key: string]: PbxValue };

/** The characters Xcode writes without quotes (anything else it quotes). */
const BARE = /[A-Za-z0-9_$/:.]/;

class Reader {
  private i = 0;
  /** `/* … *\/` comments after each object id, by id: Xcode's annotations (it ignores them on reading). */
  readonly comments = new Map<string, Set<string>>();
  private lastString = '';

  constructor(private readonly text: string) {}

  fail(message: string): never {
    const before = this.text.slice(0, this.i);
    const line = before.split('\n').length + 1; // + the `// !$*UTF8*$!` line
    const column = this.i - before.lastIndexOf('\n');
    throw new Error(`project.pbxproj ${line}:${column}: ${message}`);
  }

  /** Skips whitespace and comments; a comment right after a string is recorded as that string's annotation. */
  private skip(annotate: boolean): void {
    for (;;) {
      const ws = /^[ \t\r\n]+/.exec(this.text.slice(this.i));
      if (ws) this.i += ws[0].length;
      if (this.text.startsWith('/*', this.i)) {
        const end = this.text.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('unterminated comment');
        const comment = this.text.slice(this.i + 2, end).trim();
        if (annotate && /^[0-9A-F]{24}$/.test(this.lastString)) {
          const set = this.comments.get(this.lastString) ?? new Set<string>();
          set.add(comment);
          this.comments.set(this.lastString, set);
        }
        this.i = end + 2;
        annotate = false;
        continue;
      }
      return;
    }
  }

  private peek(): string {
    this.skip(false);
    return this.text[this.i] ?? '';
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected "${ch}", found ${JSON.stringify(this.text[this.i] ?? 'end of file')}`);
    this.i++;
  }

  value(): PbxValue {
    const ch = this.peek();
    if (ch === '{') return this.dict();
    if (ch === '(') return this.array();
    return this.string();
  }

  private string(): string {
    let out = '';
    if (this.text[this.i] === '"') {
      this.i++;
      for (;;) {
        const ch = this.text[this.i++];
        if (ch === undefined) this.fail('unterminated string');
        if (ch === '"') break;
        if (ch !== '\\') {
          out += ch;
          continue;
        }
        const esc = this.text[this.i++];
        if (esc === 'n') out += '\n';
        else if (esc === 't') out += '\t';
        else if (esc === '"' || esc === '\\') out += esc;
        else if (esc === 'U' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i, this.i + 4))) {
          out += String.fromCharCode(parseInt(this.text.slice(this.i, this.i + 4), 16));
          this.i += 4;
        } else this.fail(`unknown escape \\${esc}`);
      }
    } else {
      while (this.i < this.text.length && BARE.test(this.text[this.i]!)) out += this.text[this.i++];
      if (out === '') this.fail(`unexpected ${JSON.stringify(this.text[this.i] ?? 'end of file')}`);
    }
    this.lastString = out;
    this.skip(true);
    return out;
  }

  private dict(): PbxDict {
    this.expect('{');
    const out: PbxDict = {};
    while (this.peek() !== '}') {
      const key = this.string();
      if (Object.hasOwn(out, key)) this.fail(`key "${key}" repeats`);
      this.expect('=');
      out[key] = this.value();
      this.expect(';');
    }
    this.expect('}');
    return out;
  }

  private array(): PbxValue[] {
    this.expect('(');
    const out: PbxValue[] = [];
    while (this.peek() !== ')') {
      out.push(this.value());
      this.expect(',');
    }
    this.expect(')');
    return out;
  }

  end(): void {
    if (this.peek() !== '') this.fail('text after the top-level dictionary');
  }
}

export interface PbxDocument {
  root: PbxDict;
  /** The annotation comments Xcode wrote after each object id (all occurrences, deduplicated). */
  comments: Map<string, Set<string>>;
}

export function parsePbxproj(text: string): PbxDocument {
  if (!text.startsWith('// !$*UTF8*$!\n')) throw new Error('project.pbxproj must start with the `// !$*UTF8*$!` line Xcode writes');
  const reader = new Reader(text.slice('// !$*UTF8*$!\n'.length));
  const root = reader.value();
  reader.end();
  if (typeof root !== 'object' || Array.isArray(root)) throw new Error('project.pbxproj is not a dictionary');
  return { root, comments: reader.comments };
}
