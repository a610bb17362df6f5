/**
 * Loads the templates of a run: reads each file once from the package's templates/ folder and makes it a
 * render function. Text templates run on handlebars/runtime with the literal helpers, from the spec
 * precompiled at build time; a template whose text is not the one precompiled (the sources in tests, or
 * a template edited after the build) is precompiled here, with Handlebars' compiler loaded only then.
 * Files without `{{` and binary files pass through as they are.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as HandlebarsRuntime from 'handlebars/runtime';
import type HandlebarsApi from 'handlebars';
import { TEMPLATES_DIR } from '../paths';
import { LITERAL_HELPERS } from './helpers';
import { PRECOMPILED } from './precompiled-templates';
import type { TemplateFile } from './template-files';

export interface LoadedTemplate {
  /** Executable bits of the template file, kept in the output. */
  readonly executable: boolean;
  render(data: object): string | Uint8Array;
}

/** Template path under templates/ -> its loaded template. */
export type Templates = ReadonlyMap<string, LoadedTemplate>;

// handlebars/runtime's typings declare no exports; it is the same API as handlebars, without the compiler.
const runtime = ((HandlebarsRuntime as { default?: unknown }).default ?? HandlebarsRuntime) as typeof HandlebarsApi;
// An environment of our own: nothing registered on, or by anyone else through, the global instance.
const handlebars = runtime.create();
for (const [name, helper] of Object.entries(LITERAL_HELPERS)) {
  handlebars.registerHelper(name, (value: unknown) => new handlebars.SafeString(helper(value)));
}

/** Same as fingerprint() in scripts/build.mjs: FNV-1a over the UTF-16 code units, and the length. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${text.length.toString(36)}-${hash.toString(36)}`;
}

function readTemplate(rel: string): { bytes: Buffer; mode: number } {
  const fd = openSync(path.join(TEMPLATES_DIR, ...rel.split('/')), 'r');
  try {
    return { mode: fstatSync(fd).mode, bytes: readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
}

/** Loads every template of `files` (deduplicated by path). */
export async function loadTemplates(files: Iterable<TemplateFile>): Promise<Templates> {
  const loaded = new Map<string, LoadedTemplate>();
  const toCompile: Array<{ rel: string; text: string; executable: boolean }> = [];
  for (const { rel } of files) {
    if (loaded.has(rel)) continue;
    const { bytes, mode } = readTemplate(rel);
    const executable = (mode & 0o111) !== 0;
    const text = bytes.toString('utf8');
    if (bytes.includes(0) || !text.includes('{{')) {
      const contents = bytes.includes(0) ? new Uint8Array(bytes) : text;
      loaded.set(rel, { executable, render: () => contents });
      continue;
    }
    const [built, spec] = PRECOMPILED[rel] ?? [];
    if (spec && built === fingerprint(text)) loaded.set(rel, { executable, render: templateOf(spec) });
    else toCompile.push({ rel, text, executable });
  }
  if (toCompile.length > 0) {
    const { default: compiler } = await import('handlebars');
    for (const { rel, text, executable } of toCompile) {
      // precompile() returns the spec as JavaScript source, as the build embeds it.
      const spec = new Function(`return ${compiler.precompile(text)};`)() as TemplateSpecification;
      loaded.set(rel, { executable, render: templateOf(spec) });
    }
  }
  return loaded;
}

function templateOf(spec: TemplateSpecification): (data: object) => string {
  const template = handlebars.template(spec);
  return (data) => template(data);
}
