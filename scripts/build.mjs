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
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

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
// undici parses HTTP with llhttp compiled to WebAssembly. By default V8 also compiles that module with
// its optimizing compiler on a background thread: ~130 ms of CPU, a fifth of a whole create run, for
// parsing a few hundred small answers. The baseline compiler alone is plenty; the flag only affects
// WebAssembly compiled from now on in this process, and the CLI compiles no other.
try { require('node:v8').setFlagsFromString('--liftoff-only') } catch {}
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

/**
 * node-plop renders every file and every destination path with `handlebars.compile(template)(data)`.
 * Compiling is most of the time a run spends writing (Handlebars' parser and code generator run cold,
 * once per template), so the build precompiles every text file under templates/ and node-plop's
 * renderString looks the template up by content hash: text without `{{` is returned as is (what
 * Handlebars does with it), a known template uses its precompiled spec, anything else (a template edited
 * after the build) is compiled as before. Same Handlebars instance, same helpers, same output.
 */
const RENDER_CALL = 'return handlebars.compile(template)(data);';

function precompiledTemplatesModule() {
  const require = createRequire(import.meta.url);
  const Handlebars = require('handlebars');
  const dir = path.join(ROOT, 'templates');
  const specs = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = readFileSync(path.join(entry.parentPath, entry.name));
    const text = bytes.toString('utf8');
    if (!text.includes('{{') || bytes.includes(0) || !Buffer.from(text, 'utf8').equals(bytes)) continue;
    specs.push(`${JSON.stringify(templateKey(text))}: ${Handlebars.precompile(text)}`);
  }
  return `import { createHash } from 'node:crypto';
const SPECS = {
${specs.join(',\n')}
};
const cache = new Map();
export default function template(handlebars, source) {
  if (typeof source !== 'string') return handlebars.compile(source);
  let render = cache.get(source);
  if (render === undefined) {
    if (!source.includes('{{')) render = () => source;
    else {
      const spec = SPECS[createHash('sha256').update(source).digest('base64')];
      render = spec ? handlebars.template(spec) : handlebars.compile(source);
    }
    cache.set(source, render);
  }
  return render;
}
`;
}

function templateKey(text) {
  return createHash('sha256').update(text).digest('base64');
}

/**
 * fdir (under node-plop's addMany, via tinyglobby) looks for an optional picomatch with its own
 * createRequire(import.meta.url). Bundled, that resolves from dist/chunks/ at run time: it would load
 * picomatch from the file system (or from whatever project the CLI is installed in). tinyglobby brings
 * its own matcher, so the optional lookup is dropped.
 */
const FDIR_OPTIONAL_PICOMATCH = /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;

/**
 * undici's HTTP/2 client requires node:http2 when it loads (~20 ms of CPU, more wall time: nghttp2 is
 * initialized), but it only runs for connections that negotiated h2, which needs the `allowH2` option
 * the backend client never sets (ALPN then offers http/1.1 only). This stand-in fails loudly if that
 * ever changes.
 */
const NO_HTTP2 = `'use strict'
module.exports = function connectH2 () {
  throw new Error('HTTP/2 (allowH2) is not included in the create-mesibo-app bundle; see scripts/build.mjs')
}
`;

/**
 * Handlebars' main module builds the compiler (parser tables, code generator) when it loads: ~15 ms of a
 * run that, with every template precompiled, never compiles. This entry is handlebars/dist/cjs/
 * handlebars.js with the compiler parts required on first use instead. (lib/index.js adds only
 * `print`/`PrintVisitor` and a require.extensions hook for .hbs files, which nothing here uses.)
 */
const LAZY_HANDLEBARS = `'use strict'
// Babel's interop, as in handlebars.js: these modules end with module.exports = exports['default'].
function def (m) { return m && m.__esModule ? m['default'] : m }
var runtime = def(require('./dist/cjs/handlebars.runtime'))
var noConflict = def(require('./dist/cjs/handlebars/no-conflict'))
var parts
function compiler () {
  return (parts = parts || {
    AST: def(require('./dist/cjs/handlebars/compiler/ast')),
    base: require('./dist/cjs/handlebars/compiler/base'),
    compiler: require('./dist/cjs/handlebars/compiler/compiler'),
    JavaScriptCompiler: def(require('./dist/cjs/handlebars/compiler/javascript-compiler')),
    Visitor: def(require('./dist/cjs/handlebars/compiler/visitor'))
  })
}
function lazy (object, name, get) {
  Object.defineProperty(object, name, { get: get, set: function (v) { Object.defineProperty(object, name, { value: v, writable: true, configurable: true, enumerable: true }) }, configurable: true, enumerable: true })
}
var _create = runtime.create
function create () {
  var hb = _create()
  hb.compile = function (input, options) { return compiler().compiler.compile(input, options, hb) }
  hb.precompile = function (input, options) { return compiler().compiler.precompile(input, options, hb) }
  lazy(hb, 'AST', function () { return compiler().AST })
  lazy(hb, 'Compiler', function () { return compiler().compiler.Compiler })
  lazy(hb, 'JavaScriptCompiler', function () { return compiler().JavaScriptCompiler })
  lazy(hb, 'Parser', function () { return compiler().base.parser })
  lazy(hb, 'parse', function () { return compiler().base.parse })
  lazy(hb, 'parseWithoutProcessing', function () { return compiler().base.parseWithoutProcessing })
  return hb
}
var inst = create()
inst.create = create
noConflict(inst)
lazy(inst, 'Visitor', function () { return compiler().Visitor })
inst['default'] = inst
module.exports = inst
`;

/** node-plop's `load()` (plop packs from npm) resolves packages with `resolve`; the generator never calls it. */
const NO_RESOLVE = `module.exports = { sync () { throw new Error('plop.load() is not included in the create-mesibo-app bundle') } }`;

const inside = (pkg, file) => new RegExp(`[\\\\/]node_modules[\\\\/]${pkg}[\\\\/]`).test(file);

/**
 * The stand-ins above, wired in: lazy inquirer and handlebars' compiler, slim undici without HTTP/2,
 * precompiled templates for node-plop; no source-map, external-editor,
 * resolve or fdir's optional picomatch. Each patch of an upstream file checks the file still has the
 * shape it expects and fails the build otherwise. test/bundle.test.ts checks the result.
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
    b.onLoad({ filter: /[\\/]node_modules[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!FDIR_OPTIONAL_PICOMATCH.test(source)) {
        throw new Error("fdir's optional picomatch lookup changed; update scripts/build.mjs");
      }
      return { contents: source.replace(FDIR_OPTIONAL_PICOMATCH, ''), loader: 'js', resolveDir: path.dirname(args.path) };
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
        case 'no-external-editor':
          return { contents: NO_EXTERNAL_EDITOR, loader: 'js' };
        case 'precompiled-templates':
          return { contents: precompiledTemplatesModule(), loader: 'js', resolveDir: ROOT };
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

