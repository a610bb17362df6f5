// Bundles the CLI into dist/ with esbuild: zero runtime dependencies, heavy parts split into lazily loaded
// chunks so that `--help` and `--version` evaluate only small files.
//
//   dist/index.js                 the bin (shebang, mode 755): src/boot/launcher.ts, which loads the chunks
//                                 through a V8 code cache (Node 20 has no module.enableCompileCache)
//   dist/chunks/main.js           the CLI's entry (src/index.ts): argument parsing, help dispatch, printer
//   dist/chunks/*.js              loaded on first require: create, sandbox, refresh, the generator
//                                 (node-plop + handlebars), the backend client (undici), prompts (inquirer)
//   dist/package.json             {"type": "commonjs"}: every file in dist/ is CommonJS
//   dist/THIRD-PARTY-LICENSES.md  name, version and licence text of every bundled package (one file)
//
// Two steps. esbuild bundles and splits as ES modules (splitting exists only for ESM), in memory; then each
// output file is turned into CommonJS, because V8's code cache is reachable from Node 20 only through
// vm.Script, which runs scripts, not modules. Static imports become require() at the top of a chunk and
// dynamic import() a require() when reached, so the loading order and laziness are those of the ESM build.
//
// `node scripts/build.mjs` builds; `buildCli()` is also imported by test/bundle.test.ts to inspect the
// metafile (which chunk pulls in which package).
import { build, transform } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  ADD_MANY_GLOB_IMPORT,
  LAZY_HANDLEBARS,
  LAZY_FS_PROMISES,
  LAZY_INQUIRER,
  NO_EXTERNAL_EDITOR,
  NO_GLOB,
  NO_HTTP2,
  NO_RESOLVE,
  RENDER_CALL,
  SLIM_UNDICI,
  UNDICI_ASSERT,
  UNDICI_ASSERT_IMPORT,
  precompiledTemplatesModule,
} from './bundle-shims.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const inside = (pkg, file) => new RegExp(`[\\\\/]node_modules[\\\\/]${pkg}[\\\\/]`).test(file);

/**
 * The stand-ins above, wired in: lazy inquirer and handlebars' compiler, slim undici without HTTP/2 or
 * node:assert, precompiled templates and lazy fs.promises for node-plop; no source-map, external-editor,
 * resolve or addMany's globbing (tinyglobby, and with it fdir and picomatch). Each patch of an upstream
 * file checks the file still has the shape it expects and fails the build otherwise. test/bundle.test.ts
 * checks the result.
 */
const trimDependencies = {
  name: 'trim-dependencies',
  setup(b) {
    b.onResolve({ filter: /^inquirer$/ }, (args) =>
      inside('node-plop', args.importer) ? { path: 'lazy-inquirer', namespace: 'cma', pluginData: args.resolveDir } : undefined,
    );
    b.onResolve({ filter: /^handlebars$/ }, (args) => (args.namespace === 'file' ? { path: 'lazy-handlebars', namespace: 'cma' } : undefined));
    b.onResolve({ filter: /^resolve$/ }, (args) =>
      inside('node-plop', args.importer) ? { path: 'no-resolve', namespace: 'cma' } : undefined,
    );
    b.onResolve({ filter: /^tinyglobby$/ }, (args) =>
      inside('node-plop', args.importer) ? { path: 'no-glob', namespace: 'cma' } : undefined,
    );
    b.onResolve({ filter: /^undici$/ }, (args) =>
      args.namespace === 'file' ? { path: 'slim-undici', namespace: 'cma' } : undefined,
    );
    b.onResolve({ filter: /^node:assert$/ }, (args) => {
      if (!inside('undici', args.importer)) return undefined;
      const source = readFileSync(args.importer, 'utf8');
      if (!source.includes(UNDICI_ASSERT_IMPORT) || /\bassert\.\w/.test(source)) {
        throw new Error(`${args.importer} uses node:assert beyond assert(value); update UNDICI_ASSERT in scripts/bundle-shims.mjs`);
      }
      return { path: 'undici-assert', namespace: 'cma' };
    });
    // handlebars' code generator uses source-map only for precompiled source maps; without it, it uses
    // its own small SourceNode (see handlebars/dist/cjs/handlebars/compiler/code-gen.js).
    b.onResolve({ filter: /^source-map$/ }, (args) =>
      inside('handlebars', args.importer) ? { path: 'no-source-map', namespace: 'cma' } : undefined,
    );
    // inquirer's "editor" prompt (which our questions never use) is the only user of external-editor and,
    // through it, iconv-lite and chardet: ~530 KB, most of the tarball.
    b.onResolve({ filter: /^@inquirer\/external-editor$/ }, (args) =>
      inside('inquirer', args.importer) ? { path: 'no-external-editor', namespace: 'cma' } : undefined,
    );
    b.onResolve({ filter: /^cma:precompiled-templates$/ }, () => ({ path: 'precompiled-templates', namespace: 'cma' }));
    b.onLoad({ filter: /[\\/]node_modules[\\/]node-plop[\\/]src[\\/]node-plop\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(RENDER_CALL)) {
        throw new Error(`node-plop's renderString changed (no "${RENDER_CALL}"); update the precompile step in scripts/build.mjs`);
      }
      return {
        contents:
          "import __cmaTemplate from 'cma:precompiled-templates';\n" +
          source.replace(RENDER_CALL, 'return __cmaTemplate(handlebars, template)(data);'),
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]node-plop[\\/]src[\\/](fs-promise-proxy|actions[\\/]_common-action-add-file)\.js$/ }, (args) => {
      const file = args.path.split(/[\\/]node-plop[\\/]src[\\/]/).pop().replace(/\\/g, '/');
      let source = readFileSync(args.path, 'utf8');
      for (const [from, to] of LAZY_FS_PROMISES[file]) {
        if (!source.includes(from)) throw new Error(`node-plop's ${file} no longer has "${from}"; update LAZY_FS_PROMISES in scripts/bundle-shims.mjs`);
        source = source.replace(from, to);
      }
      return { contents: source, loader: 'js', resolveDir: path.dirname(args.path) };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]node-plop[\\/]src[\\/]actions[\\/]addMany\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(ADD_MANY_GLOB_IMPORT)) {
        throw new Error(`node-plop's addMany no longer has "${ADD_MANY_GLOB_IMPORT}"; update the tinyglobby step in scripts/build.mjs`);
      }
      return { contents: source, loader: 'js', resolveDir: path.dirname(args.path) };
    });
    b.onLoad({ filter: /[\\/]node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/ }, () => ({
      contents: NO_HTTP2,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'cma' }, (args) => {
      switch (args.path) {
        case 'lazy-inquirer':
          return { contents: LAZY_INQUIRER, loader: 'js', resolveDir: args.pluginData };
        case 'slim-undici':
          return { contents: SLIM_UNDICI, loader: 'js', resolveDir: path.join(ROOT, 'node_modules', 'undici') };
        case 'lazy-handlebars':
          return { contents: LAZY_HANDLEBARS, loader: 'js', resolveDir: path.join(ROOT, 'node_modules', 'handlebars') };
        case 'no-resolve':
          return { contents: NO_RESOLVE, loader: 'js' };
        case 'no-glob':
          return { contents: NO_GLOB, loader: 'js' };
        case 'no-external-editor':
          return { contents: NO_EXTERNAL_EDITOR, loader: 'js' };
        case 'precompiled-templates':
          return { contents: precompiledTemplatesModule(), loader: 'js', resolveDir: ROOT };
        case 'undici-assert':
          return { contents: UNDICI_ASSERT, loader: 'js' };
        case 'no-source-map':
          return { contents: 'module.exports = {};', loader: 'js' };
      }
    });
  },
};

const TARGET = 'node20.18';

/** What the chunks' build and the launcher's have in common. */
const BUNDLE = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: TARGET,
  minify: true,
  // Licence texts go into one THIRD-PARTY-LICENSES.md (below), not comments in every chunk.
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
};

/** The ES module build's options; `outdir` is dist/ unless a test builds elsewhere. */
export function cliBuildOptions(outdir = path.join(ROOT, 'dist'), entryPoints = { 'chunks/main': 'src/index.ts' }) {
  return {
    ...BUNDLE,
    entryPoints,
    outdir,
    splitting: true,
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [trimDependencies],
  };
}

/** One ES module chunk as CommonJS for src/boot/chunk-loader.ts, which supplies `__cmaImportMetaUrl`. */
async function toCommonJs(code) {
  const result = await transform(code, {
    format: 'cjs',
    platform: 'node',
    target: TARGET,
    minify: true,
    legalComments: 'none',
    define: { 'import.meta.url': '__cmaImportMetaUrl' },
    supported: { 'dynamic-import': false },
  });
  if (result.code.includes('import.meta')) throw new Error('a chunk still uses import.meta after the CommonJS step');
  return result.code;
}

/**
 * Builds into `outdir` (emptied first) and returns esbuild's metafile: the chunks' and the launcher's.
 * `entry` replaces src/index.ts as the main chunk, resolving packages also from `nodePaths`
 * (test/bundle.test.ts builds a probe that way).
 */
export async function buildCli(outdir = path.join(ROOT, 'dist'), { entry = 'src/index.ts', nodePaths = [] } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const chunks = await build({ ...cliBuildOptions(outdir, { 'chunks/main': entry }), nodePaths, write: false });
  for (const file of chunks.outputFiles) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.path.endsWith('.js') ? await toCommonJs(file.text) : file.contents);
  }
  writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
  const launcher = await build({
    ...BUNDLE,
    entryPoints: ['src/boot/launcher.ts'],
    outfile: path.join(outdir, 'index.js'),
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  });
  chmodSync(path.join(outdir, 'index.js'), 0o755);
  const metafile = {
    inputs: { ...chunks.metafile.inputs, ...launcher.metafile.inputs },
    outputs: { ...chunks.metafile.outputs, ...launcher.metafile.outputs },
  };
  writeFileSync(path.join(outdir, 'THIRD-PARTY-LICENSES.md'), thirdPartyLicenses(metafile));
  return metafile;
}

/** The packages whose code ended up in the bundle, from the metafile's inputs that made it into output. */
export function bundledPackages(metafile) {
  const dirs = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      const m = /^(?:.*[\\/])?node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input);
      if (m) dirs.add(input.slice(0, m.index + m[0].length));
    }
  }
  return [...dirs].sort();
}

function thirdPartyLicenses(metafile) {
  const sections = bundledPackages(metafile).map((dir) => {
    const abs = path.resolve(ROOT, dir);
    const pkg = JSON.parse(readFileSync(path.join(abs, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = licenseFile ? readFileSync(path.join(abs, licenseFile), 'utf8').trim() : `License: ${pkg.license ?? 'see package'}`;
    return `## ${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})\n\n\`\`\`\n${text}\n\`\`\``;
  });
  return (
    '# Third-party software bundled in create-mesibo-app\n\n' +
    'dist/ contains code from the packages below, under their own licences.\n\n' +
    sections.join('\n\n') +
    '\n'
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
}

