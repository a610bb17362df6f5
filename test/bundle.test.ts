/**
 * The bundle: one ES module bin with zero runtime dependencies, whose heavy packages load only on the
 * paths that use them, and whose precompiled templates never render stale text. node-plop (and inquirer,
 * which it imports) loads on a create, which runs the mesibo-app generator, and on any question; never on
 * --help, --version, `sandbox` or a `refresh` that asks nothing.
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
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCli, precompiledTemplatesModule } from '../scripts/build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Packages that --help and --version must not load. */
const HEAVY = ['node-plop', 'inquirer', 'handlebars', 'undici', 'execa', 'rxjs', 'ws'];
/**
 * The published tarball's ceiling, gzipped as npm packs it: a guard against growth, at today's size plus a
 * little. Issue 24's goal is 350 KiB and is NOT met: node-plop 0.32.3 imports inquirer whole (about 310 KiB
 * gzipped with its dependencies), and undici adds 134 KiB (docs/performance.md has the breakdown).
 */
const TARBALL_BUDGET = 768 * 1024;
/** The generator and the prompt library: only a create or a question loads them. */
const PROMPTS = ['node-plop', 'inquirer'];
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

/** Runs a long-lived command of the temp build under the trace until its output matches, then stops it. */
async function tracedUntil(args: string[], ready: RegExp) {
  const traceFile = path.join(tmp, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const child = execa('node', ['--import', pathToFileURL(path.join(tmp, 'trace.mjs')).href, bin, ...args], {
    cwd: tmp, reject: false, stdin: 'ignore', extendEnv: false, env: { PATH: process.env.PATH, CMA_TRACE: traceFile, NO_COLOR: '1' },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${ready} in: ${output}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.kill('SIGTERM');
  await child;
  const files = [...new Set(readFileSync(traceFile, 'utf8').split('\n').filter(Boolean))].map((u) => fileURLToPath(u));
  return { output, files: files.filter((f) => !f.startsWith(path.join(tmp, 'trace'))) };
}

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

  it(`packs into a tarball of at most ${TARBALL_BUDGET / 1024} KiB`, async () => {
    // The package as npm publishes it, with this build: package.json, README, LICENSE, dist/, templates/.
    const staged = path.join(tmp, 'package');
    for (const f of ['package.json', 'README.md', 'LICENSE']) cpSync(path.join(ROOT, f), path.join(staged, f));
    cpSync(dist, path.join(staged, 'dist'), { recursive: true });
    cpSync(path.join(ROOT, 'templates'), path.join(staged, 'templates'), { recursive: true });
    const pack = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: staged,
      extendEnv: false,
      env: { PATH: process.env.PATH, HOME: tmp, npm_config_cache: path.join(tmp, 'npm-cache'), npm_config_update_notifier: 'false' },
    });
    const { size, files } = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0] as { size: number; files: Array<{ path: string; size: number }> };
    const largest = [...files].sort((a, b) => b.size - a.size).slice(0, 5).map((f) => `${f.path} ${(f.size / 1024).toFixed(0)} KiB`);
    expect(size, `tarball ${(size / 1024).toFixed(1)} KiB; largest files unpacked: ${largest.join(', ')}`).toBeLessThanOrEqual(TARBALL_BUDGET);
  }, 60_000);

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

  it('renders with handlebars/runtime: the compiler, the generator and the prompt library sit in chunks only a dynamic import reaches', () => {
    const create = [...inputsOf].find(([, inputs]) => inputs.includes('src/commands/create.ts'))![0];
    const closure = staticClosure(create);
    const entries = closure.flatMap((f) => inputsOf.get(f) ?? []);
    expect(entries).toContain(HANDLEBARS_RUNTIME);
    expect(entries, "handlebars' main entry (with the compiler)").not.toContain(HANDLEBARS_MAIN);
    expect(entries).not.toContain('generators/mesibo-app.ts'); // loaded while the backend answers
    for (const pkg of [...PROMPTS, 'execa']) expect(packagesIn(closure).has(pkg), pkg).toBe(false);
  });

  it('loads undici through its smaller published entry, index-fetch.js, never its main index.js', () => {
    const inputs = [...inputsOf.values()].flat();
    expect(inputs).toContain('node_modules/undici/index-fetch.js');
    expect(inputs, "undici's main entry: mock agents, caches and interceptors the CLI never uses").not.toContain('node_modules/undici/index.js');
  });

  it('keeps ws (the relay) out of what create and refresh load: their sandbox never upgrades a socket', () => {
    for (const command of ['create', 'refresh']) {
      const chunk = [...inputsOf].find(([, inputs]) => inputs.includes(`src/commands/${command}.ts`))![0];
      expect(packagesIn(staticClosure(chunk)).has('ws'), `${command} loads ws`).toBe(false);
    }
  });

  it('keeps the generator and the prompt library out of what sandbox and refresh load before a question', () => {
    for (const command of ['sandbox', 'refresh']) {
      const chunk = [...inputsOf].find(([, inputs]) => inputs.includes(`src/commands/${command}.ts`))![0];
      const pkgs = packagesIn(staticClosure(chunk));
      for (const pkg of PROMPTS) expect(pkgs.has(pkg), `${command} loads ${pkg}`).toBe(false);
    }
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

  it('a create without questions runs the generator (node-plop) on the template runtime and undici, not git, and loads nothing outside the package', async () => {
    const { result, files } = await traced(['app', '--sandbox', '--yes', '--no-git'], tmp);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const p of PLATFORMS) expect(existsSync(path.join(tmp, 'app', p))).toBe(true);
    expect(files.filter((f) => !f.startsWith(dist + path.sep))).toEqual([]);
    const pkgs = packagesIn(files);
    // node-plop imports inquirer and Handlebars' main entry itself; the render uses neither (below).
    for (const pkg of ['handlebars', 'undici', 'node-plop']) expect(pkgs.has(pkg), `${pkg} loaded`).toBe(true);
    expect(pkgs.has('execa'), 'execa loaded without git').toBe(false);
    const loadedInputs = files.flatMap((f) => inputsOf.get(f) ?? []);
    expect(loadedInputs).toContain(HANDLEBARS_RUNTIME);
    expect(loadedInputs).toContain('generators/mesibo-app.ts');
  });

  it('a refresh that asks nothing, and the standalone sandbox, load neither node-plop nor inquirer', async () => {
    const made = await execa(bin, ['fresh', '--sandbox', '--yes', '--no-git', '--platforms', 'web'], { cwd: tmp, reject: false, env: { NO_COLOR: '1' } });
    expect(made.exitCode, made.stderr).toBe(0);
    const refresh = await traced(['refresh', 'fresh', '--sandbox', '--yes'], tmp);
    expect(refresh.result.exitCode, refresh.result.stderr).toBe(0);
    expect(packagesIn(refresh.files).has('undici')).toBe(true); // it did issue tokens
    for (const pkg of PROMPTS) expect(packagesIn(refresh.files).has(pkg), `refresh loaded ${pkg}`).toBe(false);

    const sandbox = await tracedUntil(['sandbox', 'fresh', '--port', '0'], /http:\/\/127\.0\.0\.1:\d+/);
    expect(sandbox.output).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    for (const pkg of [...PROMPTS, 'handlebars']) expect(packagesIn(sandbox.files).has(pkg), `sandbox loaded ${pkg}`).toBe(false);
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

describe('the precompiled templates', () => {
  it('cover every text template, so a create renders on handlebars/runtime and never needs the compiler', async () => {
    // The build's own module of specs, as the bundle holds it.
    const specs = path.join(tmp, 'precompiled.mjs');
    writeFileSync(specs, precompiledTemplatesModule());
    const { PRECOMPILED } = await import(pathToFileURL(specs).href);
    vi.resetModules();
    vi.doMock('../src/render/precompiled-templates', () => ({ PRECOMPILED }));
    vi.doMock('handlebars', () => {
      throw new Error("Handlebars' compiler was loaded");
    });
    try {
      const { loadTemplates } = await import('../src/render/templates');
      const { projectTemplates } = await import('../src/render/project');
      const platforms = PLATFORMS.map((id) => ({ id, appId: 'com.example.chat' })) as Parameters<typeof projectTemplates>[0];
      const templates = await loadTemplates(projectTemplates(platforms));
      expect(templates.size).toBeGreaterThan(40);
    } finally {
      vi.doUnmock('handlebars');
      vi.doUnmock('../src/render/precompiled-templates');
      vi.resetModules();
    }
  });
});
