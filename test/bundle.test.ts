/**
 * The bundle: one ES module bin with zero runtime dependencies, whose heavy packages load only on the
 * paths that use them, and whose precompiled templates never render stale text.
 *
 * The CLI is built here into a temp folder by scripts/build.mjs's own buildCli(), so esbuild's metafile
 * names, for every output file, the packages whose code it holds. Static checks walk the import graph in
 * the metafile; runtime checks run that build with Node's module loader hooks (module.register), which see
 * every file the bin imports.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../scripts/build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Packages that --help and --version must not load. */
const HEAVY = ['node-plop', 'inquirer', 'handlebars', 'undici', 'execa', 'rxjs'];
const PLATFORMS = ['android', 'ios', 'web', 'cpp', 'python'];
/** Handlebars' two public entry points, as the metafile names them: the whole library (with the compiler), and the runtime. */
const HANDLEBARS_MAIN = `node_modules/handlebars/${path.posix.normalize(JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'handlebars', 'package.json'), 'utf8')).main)}`;
const HANDLEBARS_RUNTIME = 'node_modules/handlebars/runtime.js';

let tmp: string;
let dist: string;
let bin: string;
let metafile: Metafile;
/** Output file (absolute) -> names of the packages whose code it holds. */
let packagesOf: Map<string, Set<string>>;
/** Output file (absolute) -> the package entry points it holds (e.g. handlebars/runtime.js). */
let inputsOf: Map<string, string[]>;

function packageName(input: string): string | undefined {
  const all = [...input.matchAll(/node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/g)];
  return all.length ? all[all.length - 1]![1]!.replace(/\\/g, '/') : undefined;
}

const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

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

const packagesIn = (files: string[]) => new Set(files.flatMap((f) => [...(packagesOf.get(f) ?? [])]));

/** Runs the temp build with a loader hook that records every file: URL it loads; returns those files. */
async function traced(args: string[], cwd: string) {
  const traceFile = path.join(tmp, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const result = await execa('node', ['--import', pathToFileURL(path.join(tmp, 'trace.mjs')).href, bin, ...args], {
    cwd,
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env: { PATH: process.env.PATH, CMA_TRACE: traceFile, NO_COLOR: '1' },
  });
  const urls = existsSync(traceFile) ? [...new Set(readFileSync(traceFile, 'utf8').split('\n').filter(Boolean))] : [];
  const files = urls.map((u) => fileURLToPath(u)).filter((f) => !f.startsWith(path.join(tmp, 'trace')));
  return { result, files };
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'cma-bundle-'));
  dist = path.join(tmp, 'dist');
  bin = path.join(dist, 'index.js');
  metafile = await buildCli(dist);
  // The CLI finds its templates next to dist/, as in the published package: a copy, which one test edits.
  cpSync(path.join(ROOT, 'templates'), path.join(tmp, 'templates'), { recursive: true });
  packagesOf = new Map();
  inputsOf = new Map();
  for (const [out, info] of Object.entries(metafile.outputs)) {
    const inputs = Object.entries(info.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0).map(([input]) => input);
    packagesOf.set(path.resolve(ROOT, out), new Set(inputs.map(packageName).filter((p): p is string => p !== undefined)));
    inputsOf.set(path.resolve(ROOT, out), inputs);
  }
  writeFileSync(
    path.join(tmp, 'trace-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.CMA_TRACE, url + '\\n');
  return next(url, context);
}
`,
  );
  writeFileSync(path.join(tmp, 'trace.mjs'), `import { register } from 'node:module';\nregister('./trace-hooks.mjs', import.meta.url);\n`);
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the bin', () => {
  it('is an executable ES module with a shebang, and the package has no runtime dependencies', async () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    if (process.platform !== 'win32') expect(statSync(bin).mode & 0o111).toBe(0o111);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies ?? {}).toEqual({});
    const version = await execa(bin, ['--version'], { reject: false });
    expect(version.exitCode, version.stderr).toBe(0);
    expect(version.stdout).toBe(pkg.version);
  });

  it('ships one licence file naming every bundled package', () => {
    const licences = readFileSync(path.join(dist, 'THIRD-PARTY-LICENSES.md'), 'utf8');
    for (const pkg of ['node-plop', 'inquirer', 'handlebars', 'undici', 'execa']) expect(licences).toContain(`## ${pkg}@`);
  });
});

describe('what loads when (metafile)', () => {
  it('keeps what every command loads (the bin, the main chunk and their static imports) free of every heavy package', () => {
    const main = [...inputsOf].find(([, inputs]) => inputs.includes('src/main.ts'))![0];
    expect(metafile.outputs[rel(bin)]!.imports.find((i) => path.resolve(ROOT, i.path) === main)?.kind).toBe('dynamic-import');
    const pkgs = packagesIn([...staticClosure(bin), ...staticClosure(main)]);
    for (const pkg of HEAVY) expect(pkgs.has(pkg), `${pkg} is loaded by every command, even --help`).toBe(false);
  });

  it('renders with handlebars/runtime: the compiler and the prompt library sit in chunks only a dynamic import reaches', () => {
    const create = [...inputsOf].find(([, inputs]) => inputs.includes('src/commands/create.ts'))![0];
    const closure = staticClosure(create);
    const entries = closure.flatMap((f) => inputsOf.get(f) ?? []);
    expect(entries).toContain(HANDLEBARS_RUNTIME);
    expect(entries, "handlebars' main entry (with the compiler)").not.toContain(HANDLEBARS_MAIN);
    for (const pkg of ['node-plop', 'inquirer', 'execa']) expect(packagesIn(closure).has(pkg), pkg).toBe(false);
  });
});

describe('what loads when (runtime)', () => {
  for (const args of [['--help'], ['--version'], ['sandbox', '--help'], ['refresh', '--help']]) {
    it(`${args.join(' ')} loads no heavy package`, async () => {
      const { result, files } = await traced(args, tmp);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(files).toContain(bin);
      for (const f of files) expect(f.startsWith(dist + path.sep), f).toBe(true);
      const pkgs = packagesIn(files);
      for (const pkg of HEAVY) expect(pkgs.has(pkg), `${args.join(' ')} loaded ${pkg}`).toBe(false);
    });
  }

  it('a create without questions loads the template runtime and undici, not the prompts or the compiler, and nothing outside the package', async () => {
    const { result, files } = await traced(['app', '--sandbox', '--yes', '--no-git'], tmp);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const p of PLATFORMS) expect(existsSync(path.join(tmp, 'app', p))).toBe(true);
    expect(files.filter((f) => !f.startsWith(dist + path.sep))).toEqual([]);
    const pkgs = packagesIn(files);
    for (const pkg of ['handlebars', 'undici']) expect(pkgs.has(pkg), `${pkg} loaded`).toBe(true);
    for (const pkg of ['node-plop', 'inquirer', 'execa']) expect(pkgs.has(pkg), `${pkg} loaded without being used`).toBe(false);
    // Every template was precompiled at build time, so Handlebars' compiler never loaded.
    const loadedInputs = files.flatMap((f) => inputsOf.get(f) ?? []);
    expect(loadedInputs).toContain(HANDLEBARS_RUNTIME);
    expect(loadedInputs).not.toContain(HANDLEBARS_MAIN);
  });

  it('a template edited after the build is rendered as it is now, not as it was precompiled', async () => {
    const template = path.join(tmp, 'templates', 'project', 'README.md.hbs');
    writeFileSync(template, `${readFileSync(template, 'utf8')}\nEdited after the build: {{md app.name}}.\n`);
    const result = await execa(bin, ['edited', '--sandbox', '--yes', '--no-git', '--name', 'Late *Edit*', '--platforms', 'web'], {
      cwd: tmp,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(path.join(tmp, 'edited', 'README.md'), 'utf8')).toContain('Edited after the build: Late \\*Edit\\*.');
  });
});
