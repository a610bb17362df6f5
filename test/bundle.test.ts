/**
 * The bundle loads only what a command needs: `--help` and `--version` evaluate the launcher, the main
 * chunk and no dependency; writing a project loads the generator (node-plop, handlebars) and the backend
 * client (undici) but not the prompt library (inquirer); nothing is ever loaded from outside dist/.
 *
 * The CLI is built here into a temp folder by scripts/build.mjs's own buildCli(), so esbuild's metafile
 * names, for every output file, the packages whose code it holds. Static checks walk the import graph in
 * the metafile (the ES module step; the CommonJS step keeps static imports static and dynamic ones lazy);
 * runtime checks run that build with a trace of every file the launcher reads and every require().
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { Metafile } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../scripts/build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Packages that must stay out of `--help` / `--version`. */
const HEAVY = ['node-plop', 'inquirer', 'handlebars', 'undici', 'execa', 'rxjs'];
const PLATFORMS = ['android', 'ios', 'web', 'cpp', 'python'];

let tmp: string;
let dist: string;
let metafile: Metafile;
/** The CLI's own entry; dist/index.js is the launcher that loads it. */
let mainChunk: string;

/** Output file (absolute) -> package names whose code it contains. */
let packagesOf: Map<string, Set<string>>;

function packageName(input: string): string | undefined {
  const all = [...input.matchAll(/node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/g)];
  return all.length ? all[all.length - 1]![1]!.replace(/\\/g, '/') : undefined;
}

/** Every output reachable from `file` through static imports only. */
function staticClosure(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const imp of metafile.outputs[rel(f)]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) visit(path.resolve(ROOT, imp.path));
    }
  };
  visit(file);
  return [...seen];
}

const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');
const packagesIn = (files: string[]) => new Set(files.flatMap((f) => [...(packagesOf.get(f) ?? [])]));
const outputHolding = (pkg: string) => [...packagesOf].filter(([, pkgs]) => pkgs.has(pkg)).map(([f]) => f);

/** Runs the temp build under a loader trace; returns the files it loaded (ESM imports, require()s, chunks). */
async function traced(args: string[], cwd = tmp, env: Record<string, string> = {}) {
  const traceFile = path.join(tmp, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const result = await execa('node', ['--import', pathToFileURL(path.join(tmp, 'trace.mjs')).href, path.join(dist, 'index.js'), ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    env: { CMA_TRACE: traceFile, NO_COLOR: '1', CREATE_MESIBO_APP_CODE_CACHE: 'off', ...env },
  });
  const lines = existsSync(traceFile) ? [...new Set(readFileSync(traceFile, 'utf8').split('\n').filter(Boolean))] : [];
  const loaded = lines.filter((l) => !l.startsWith('builtin:'));
  const builtins = lines.filter((l) => l.startsWith('builtin:')).map((l) => l.slice('builtin:'.length));
  return { result, loaded, builtins };
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'cma-bundle-'));
  dist = path.join(tmp, 'dist');
  metafile = await buildCli(dist);
  mainChunk = path.join(dist, 'chunks', 'main.js');
  // The CLI finds its templates next to dist/, as in the published package.
  symlinkSync(path.join(ROOT, 'templates'), path.join(tmp, 'templates'), 'dir');
  packagesOf = new Map();
  for (const [out, info] of Object.entries(metafile.outputs)) {
    const pkgs = new Set<string>();
    for (const [input, { bytesInOutput }] of Object.entries(info.inputs)) {
      const name = packageName(input);
      if (name && bytesInOutput > 0) pkgs.add(name);
    }
    packagesOf.set(path.resolve(ROOT, out), pkgs);
  }
  // A loader trace: every file: URL imported, every file require()d, and every script file read (the
  // launcher reads chunks with fs.readFileSync and runs them with vm; templates are read by descriptor).
  writeFileSync(
    path.join(tmp, 'trace-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.CMA_TRACE, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(
    path.join(tmp, 'trace.mjs'),
    `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
register('./trace-hooks.mjs', import.meta.url);
const Module = createRequire(import.meta.url)('node:module');
const fs = createRequire(import.meta.url)('node:fs');
const read = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  if (typeof file === 'string' && /\\.[cm]?js$/.test(file)) appendFileSync(process.env.CMA_TRACE, pathToFileURL(file).href + '\\n');
  return read.call(this, file, ...rest);
};
// Node's own modules loaded after this preload (which itself needs worker_threads for the hooks above),
// as the process ends: what each command costs in built-ins.
const preloaded = process.moduleLoadList.length;
process.on('exit', () => {
  for (const m of process.moduleLoadList.slice(preloaded)) if (m.startsWith('NativeModule ')) appendFileSync(process.env.CMA_TRACE, 'builtin:' + m.slice(13) + '\\n');
});
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (!Module.isBuiltin(request)) {
    try { appendFileSync(process.env.CMA_TRACE, pathToFileURL(Module._resolveFilename(request, parent, isMain)).href + '\\n'); } catch {}
  }
  return load.apply(this, arguments);
};
`,
  );
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the bundle (metafile)', () => {
  it('contains every heavy dependency, each in a chunk of its own away from the entry', () => {
    for (const pkg of ['node-plop', 'inquirer', 'handlebars', 'undici']) {
      expect(outputHolding(pkg), `${pkg} bundled`).not.toEqual([]);
      expect(outputHolding(pkg)).not.toContain(path.join(dist, 'index.js'));
      expect(outputHolding(pkg)).not.toContain(mainChunk);
    }
  });

  it("keeps the main chunk's static imports free of node-plop, inquirer, handlebars, undici, execa", () => {
    const closure = staticClosure(mainChunk);
    const pkgs = packagesIn(closure);
    for (const pkg of HEAVY) expect(pkgs.has(pkg), `${pkg} is loaded by every command, even --help`).toBe(false);
  });

  it('loads inquirer only through a dynamic import (when a question is asked)', () => {
    const [generator] = outputHolding('node-plop');
    expect(generator).toBeDefined();
    expect(packagesIn(staticClosure(generator!)).has('inquirer')).toBe(false);
    for (const file of outputHolding('inquirer')) {
      const importers = Object.entries(metafile.outputs).filter(([, o]) => o.imports.some((i) => path.resolve(ROOT, i.path) === file));
      expect(importers.length).toBeGreaterThan(0);
      for (const [, o] of importers) {
        for (const i of o.imports.filter((imp) => path.resolve(ROOT, imp.path) === file)) expect(i.kind).toBe('dynamic-import');
      }
    }
  });

  it('bundles no source maps and no dependency that the code only needs optionally', () => {
    const all = packagesIn([...packagesOf.keys()]);
    for (const pkg of ['source-map', 'iconv-lite', 'chardet', '@inquirer/external-editor']) expect(all.has(pkg), pkg).toBe(false);
    // node-plop's addMany action (globbing), which the generator does not use
    for (const pkg of ['tinyglobby', 'fdir', 'picomatch']) expect(all.has(pkg), pkg).toBe(false);
    expect(Object.keys(metafile.outputs).some((o) => o.endsWith('.map'))).toBe(false);
  });

  it('writes an executable CommonJS bin with a shebang, holding the launcher only, and one licence file', () => {
    const bin = path.join(dist, 'index.js');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    if (process.platform !== 'win32') expect(statSync(bin).mode & 0o111).toBe(0o111);
    expect([...packagesOf.get(bin)!]).toEqual([]);
    expect(Object.keys(metafile.outputs[rel(bin)]!.inputs).filter((i) => !i.startsWith('src/boot/'))).toEqual(['package.json', 'src/version.ts']);
    // The root package is "type": "module"; dist/ says its files are CommonJS, so Node runs the bin as such.
    expect(JSON.parse(readFileSync(path.join(dist, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    // Every chunk compiles as a function body, as the launcher runs it: no import/export, no import.meta.
    for (const chunk of readdirSync(path.join(dist, 'chunks'))) {
      const code = readFileSync(path.join(dist, 'chunks', chunk), 'utf8');
      expect(() => new vm.Script(`(function () {${code}\n})`, { filename: chunk }), chunk).not.toThrow();
    }
    const licences = readFileSync(path.join(dist, 'THIRD-PARTY-LICENSES.md'), 'utf8');
    for (const pkg of ['node-plop', 'inquirer', 'handlebars', 'undici']) expect(licences).toContain(`## ${pkg}@`);
  });
});

describe('the bundle (loaded files)', () => {
  for (const args of [['--help'], ['--version'], ['sandbox', '--help']]) {
    it(`${args.join(' ')} loads the entry and small chunks only`, async () => {
      const { result, loaded, builtins } = await traced(args);
      expect(result.exitCode, result.stderr).toBe(0);
      const files = loaded.map((u) => fileURLToPath(u));
      expect(files).toContain(path.join(dist, 'index.js'));
      expect(files).toContain(mainChunk);
      for (const f of files) expect(f.startsWith(dist + path.sep) || f.startsWith(tmp + path.sep + 'trace'), f).toBe(true);
      const pkgs = packagesIn(files);
      for (const pkg of HEAVY) expect(pkgs.has(pkg), `${args.join(' ')} loaded ${pkg}`).toBe(false);
      for (const builtin of ['http', 'crypto', 'fs/promises', 'readline', 'worker_threads']) {
        expect(builtins, `${args.join(' ')} loaded node:${builtin}`).not.toContain(builtin);
      }
    });
  }

  it('writing a project loads the generator and undici but not inquirer, and nothing outside the package', async () => {
    const { result, loaded, builtins } = await traced(['app', '--sandbox', '--yes', '--no-git']);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const p of PLATFORMS) expect(existsSync(path.join(tmp, 'app', p))).toBe(true);
    const files = loaded.map((u) => fileURLToPath(u));
    const outside = files.filter((f) => !f.startsWith(dist + path.sep) && !f.startsWith(tmp + path.sep + 'trace'));
    expect(outside).toEqual([]);
    const pkgs = packagesIn(files);
    for (const pkg of ['node-plop', 'handlebars', 'undici']) expect(pkgs.has(pkg), `${pkg} loaded`).toBe(true);
    expect(pkgs.has('inquirer'), 'inquirer loaded without a question').toBe(false);
    // Built-ins that cost milliseconds and that a sandbox create does not need (docs/performance.md).
    expect(builtins).toContain('http');
    for (const builtin of ['crypto', 'fs/promises', 'readline', 'worker_threads', 'zlib', 'assert']) {
      expect(builtins, `create loaded node:${builtin}`).not.toContain(builtin);
    }
  });
});

describe("the bundle's stand-ins inside node-plop", () => {
  it('loads the real inquirer on the first question and answers it, refuses addMany, and still compiles templates unknown at build time', async () => {
    // A probe built as the CLI is, in its place as the main chunk: node-plop asks one question, answered on stdin.
    const probeDir = path.join(tmp, 'probe');
    mkdirSync(probeDir);
    const entry = path.join(probeDir, 'probe.mjs');
    writeFileSync(
      entry,
      `import nodePlop from 'node-plop';
(async () => {
const plop = await nodePlop('');
const generator = plop.setGenerator('probe', { prompts: [{ type: 'input', name: 'answer', message: 'Answer?' }], actions: [] });
process.stdout.write('\\nANSWERS ' + JSON.stringify(await generator.runPrompts()) + '\\n');
plop.setHelper('shout', (s) => String(s).toUpperCase());
const many = plop.setGenerator('many', { prompts: [], actions: [{ type: 'addMany', destination: 'out', templateFiles: '*.hbs' }] });
process.stdout.write('ADDMANY ' + JSON.stringify((await many.runActions({})).failures.map((f) => f.error)) + '\\n');
process.stdout.write('RENDERED ' + JSON.stringify([plop.renderString('Hi {{shout name}}{{#if x}}!{{/if}} <{{name}}>', { name: 'a&b', x: 1 }), plop.renderString('no {mustache} here', {})]) + '\\n');
})();
`,
    );
    const out = path.join(probeDir, 'out');
    const probe = await buildCli(out, { entry, nodePaths: [path.join(ROOT, 'node_modules')] });
    const outputs = Object.entries(probe.outputs);
    const probeOut = path.relative(ROOT, path.join(out, 'chunks', 'main.js')).split(path.sep).join('/');
    const inquirerChunk = outputs.find(([, o]) => Object.keys(o.inputs).some((i) => packageName(i) === 'inquirer'))![0];
    expect(probe.outputs[probeOut]!.imports.find((i) => i.path === inquirerChunk)?.kind ?? 'dynamic-import').toBe('dynamic-import');
    const run = await execa('node', [path.join(out, 'index.js')], {
      input: 'forty-two\n',
      reject: false,
      env: { NO_COLOR: '1', CREATE_MESIBO_APP_CODE_CACHE: 'off' },
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('ANSWERS {"answer":"forty-two"}');
    // addMany's globbing is left out of the bundle: using it fails loudly instead of writing nothing.
    expect(run.stdout).toContain("ADDMANY [\"node-plop's addMany action is not included in the create-mesibo-app bundle");
    // Not among the precompiled templates: compiled on the spot, with helpers and HTML escaping as usual.
    expect(run.stdout).toContain('RENDERED ["Hi A&amp;B! <a&amp;b>","no {mustache} here"]');
  });
});
