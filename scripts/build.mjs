// Bundles the CLI into dist/ with esbuild: zero runtime dependencies, heavy parts split into lazily loaded
// chunks so that `--help` and `--version` evaluate only the small entry file.
//
//   dist/index.js                 the bin (shebang, mode 755): argument parsing, help dispatch, printer
//   dist/chunks/*.js              loaded with import() when needed: create, sandbox, refresh, the generator
//                                 (node-plop + handlebars), the backend client (undici), prompts (inquirer)
//   dist/THIRD-PARTY-LICENSES.md  name, version and licence text of every bundled package (one file)
//
// `node scripts/build.mjs` builds; `buildCli()` is also imported by test/bundle.test.ts to inspect the
// metafile (which chunk pulls in which package) without touching dist/.
import { build } from 'esbuild';
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * node-plop imports inquirer (and with it rxjs, ora, external-editor, iconv-lite: ~800 KB) at the top of
 * its main module, although it needs it only inside `runPrompts()`. This stand-in gives node-plop the
 * part of inquirer's default export it touches (`prompt`, `prompt.prompts`, `registerPrompt`) and loads
 * the real inquirer with import(), i.e. into a chunk of its own, the first time a question is asked.
 */
const LAZY_INQUIRER = `
let loading;
const registered = [];
function load() {
  return (loading ??= import('inquirer').then(({ default: inquirer }) => {
    for (const [name, prompt] of registered) inquirer.registerPrompt(name, prompt);
    return inquirer;
  }));
}
function prompt(questions, answers) {
  return load().then((inquirer) => inquirer.prompt(questions, answers));
}
// node-plop's prompt bypass reads custom prompts' bypass functions from here; built-in types need none.
prompt.prompts = {};
function registerPrompt(name, promptType) {
  prompt.prompts[name] = promptType;
  registered.push([name, promptType]);
  if (loading) loading.then((inquirer) => inquirer.registerPrompt(name, promptType));
}
export default { prompt, registerPrompt, createPromptModule: (...a) => { throw new Error('createPromptModule is not available in the bundle'); } };
`;

/**
 * undici's main module builds everything it has (fetch, WebSocket, EventSource, caches, mocks, proxy and
 * SOCKS agents): ~530 KB minified. The backend client imports `Agent`, `request` and types only, so this
 * entry requires just those, and defines `request` exactly as undici's index.js does (makeDispatcher).
 */
const SLIM_UNDICI = `'use strict'
const Dispatcher = require('./lib/dispatcher/dispatcher')
const Agent = require('./lib/dispatcher/agent')
const errors = require('./lib/core/errors')
const util = require('./lib/core/util')
const api = require('./lib/api')
const { getGlobalDispatcher, setGlobalDispatcher } = require('./lib/global')
const { InvalidArgumentError } = errors

Object.assign(Dispatcher.prototype, api)

function makeDispatcher (fn) {
  return (url, opts, handler) => {
    if (typeof opts === 'function') {
      handler = opts
      opts = null
    }
    if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) {
      throw new InvalidArgumentError('invalid url')
    }
    if (opts != null && typeof opts !== 'object') {
      throw new InvalidArgumentError('invalid opts')
    }
    if (opts && opts.path != null) {
      if (typeof opts.path !== 'string') {
        throw new InvalidArgumentError('invalid opts.path')
      }
      let path = opts.path
      if (!opts.path.startsWith('/')) {
        path = '/' + path
      }
      url = new URL(util.parseOrigin(url).origin + path)
    } else {
      if (!opts) {
        opts = typeof url === 'object' ? url : {}
      }
      url = util.parseURL(url)
    }
    const { agent, dispatcher = getGlobalDispatcher() } = opts
    if (agent) {
      throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?')
    }
    return fn.call(dispatcher, {
      ...opts,
      origin: url.origin,
      path: url.search ? url.pathname + url.search : url.pathname,
      method: opts.method || (opts.body ? 'PUT' : 'GET')
    }, handler)
  }
}

module.exports.Dispatcher = Dispatcher
module.exports.Agent = Agent
module.exports.errors = errors
module.exports.setGlobalDispatcher = setGlobalDispatcher
module.exports.getGlobalDispatcher = getGlobalDispatcher
module.exports.request = makeDispatcher(api.request)
`;

const NO_EXTERNAL_EDITOR = `
export function editAsync(text, callback) {
  setImmediate(callback, new Error('The "editor" prompt type is not included in create-mesibo-app.'));
}
`;

const inside = (pkg, file) => new RegExp(`[\\\\/]node_modules[\\\\/]${pkg}[\\\\/]`).test(file);

/** Replaces a few module specifiers with the stand-ins above (and drops handlebars' optional source-map and inquirer's editor). */
const trimDependencies = {
  name: 'trim-dependencies',
  setup(b) {
    b.onResolve({ filter: /^inquirer$/ }, (args) =>
      inside('node-plop', args.importer) ? { path: 'lazy-inquirer', namespace: 'cma', pluginData: args.resolveDir } : undefined,
    );
    b.onResolve({ filter: /^undici$/ }, (args) =>
      args.namespace === 'file' ? { path: 'slim-undici', namespace: 'cma' } : undefined,
    );
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
    b.onLoad({ filter: /.*/, namespace: 'cma' }, (args) => {
      switch (args.path) {
        case 'lazy-inquirer':
          return { contents: LAZY_INQUIRER, loader: 'js', resolveDir: args.pluginData };
        case 'slim-undici':
          return { contents: SLIM_UNDICI, loader: 'js', resolveDir: path.join(ROOT, 'node_modules', 'undici') };
        case 'no-external-editor':
          return { contents: NO_EXTERNAL_EDITOR, loader: 'js' };
        case 'no-source-map':
          return { contents: 'module.exports = {};', loader: 'js' };
      }
    });
  },
};

/** The build options; `outdir` is dist/ unless a test builds elsewhere. */
export function cliBuildOptions(outdir = path.join(ROOT, 'dist')) {
  return {
    absWorkingDir: ROOT,
    entryPoints: { index: 'src/index.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    // Licence texts go into one THIRD-PARTY-LICENSES.md (below), not comments in every chunk.
    legalComments: 'none',
    metafile: true,
    plugins: [trimDependencies],
    banner: {
      // Bundled CommonJS dependencies (handlebars, undici, inquirer's helpers) call require().
      js: "#!/usr/bin/env node\nimport { createRequire as __cmaCreateRequire } from 'node:module'; const require = __cmaCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  };
}

/** Builds into `outdir` (emptied first) and returns esbuild's metafile. */
export async function buildCli(outdir = path.join(ROOT, 'dist')) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build(cliBuildOptions(outdir));
  chmodSync(path.join(outdir, 'index.js'), 0o755);
  writeFileSync(path.join(outdir, 'THIRD-PARTY-LICENSES.md'), thirdPartyLicenses(result.metafile));
  return result.metafile;
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

