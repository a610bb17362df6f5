// The stand-ins scripts/build.mjs puts in place of parts of bundled packages, each with why. Every
// one keeps the contract of what it replaces for the calls create-mesibo-app makes; build.mjs checks that
// the upstream files it patches still have the shape expected and fails the build otherwise.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * node-plop imports inquirer (and with it rxjs, ora, external-editor, iconv-lite: ~800 KB) at the top of
 * its main module, although it needs it only inside `runPrompts()`. This stand-in gives node-plop the
 * part of inquirer's default export it touches (`prompt`, `prompt.prompts`, `registerPrompt`) and loads
 * the real inquirer with import(), i.e. into a chunk of its own, the first time a question is asked.
 */
export const LAZY_INQUIRER = `
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
export const SLIM_UNDICI = `'use strict'
// (V8's --liftoff-only, which keeps llhttp's WebAssembly off the optimizing compiler, is set by the
// launcher, src/boot/launcher.ts: flags must be fixed before any code is compiled for the code cache.)
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

export const NO_EXTERNAL_EDITOR = `
export function editAsync(text, callback) {
  setImmediate(callback, new Error('The "editor" prompt type is not included in create-mesibo-app.'));
}
`;

/**
 * node-plop renders every file and every destination path with `handlebars.compile(template)(data)`.
 * Compiling is most of the time a run spends writing (Handlebars' parser and code generator run cold,
 * once per template), so the build precompiles every text file under templates/ and node-plop's
 * renderString looks the template up by its exact text: text without `{{` is returned as is (what
 * Handlebars does with it), a known template uses its precompiled spec, anything else (a template edited
 * after the build) is compiled as before. Same Handlebars instance, same helpers, same output.
 * The texts are the keys of a Map, not a digest of them: V8 hashes and compares strings natively, while
 * a digest would need node:crypto, whose loading alone is ~8 ms of a create run.
 */
export const RENDER_CALL = 'return handlebars.compile(template)(data);';

export function precompiledTemplatesModule() {
  const require = createRequire(import.meta.url);
  const Handlebars = require('handlebars');
  const dir = path.join(ROOT, 'templates');
  const specs = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = readFileSync(path.join(entry.parentPath, entry.name));
    const text = bytes.toString('utf8');
    if (!text.includes('{{') || bytes.includes(0) || !Buffer.from(text, 'utf8').equals(bytes)) continue;
    specs.push(`[${JSON.stringify(text)}, ${Handlebars.precompile(text)}]`);
  }
  return `const SPECS = new Map([
${specs.join(',\n')}
]);
const cache = new Map();
export default function template(handlebars, source) {
  if (typeof source !== 'string') return handlebars.compile(source);
  let render = cache.get(source);
  if (render === undefined) {
    if (!source.includes('{{')) render = () => source;
    else {
      const spec = SPECS.get(source);
      render = spec ? handlebars.template(spec) : handlebars.compile(source);
    }
    cache.set(source, render);
  }
  return render;
}
`;
}

/**
 * node-plop's built-in `addMany` action finds its templates with tinyglobby (and, through it, fdir and
 * picomatch: ~37 KB, a sixth of the generator chunk). The generator never uses addMany: every folder is
 * written by the `render-folder` action from the list in src/render/file-list.ts. This stand-in gives
 * addMany the one import it has and fails loudly if it is ever called. Should addMany import anything
 * else from tinyglobby, esbuild stops the build ("No matching export").
 */
export const ADD_MANY_GLOB_IMPORT = 'import { globSync } from "tinyglobby";';
export const NO_GLOB = `export function globSync () {
  throw new Error("node-plop's addMany action is not included in the create-mesibo-app bundle; see scripts/bundle-shims.mjs")
}
`;

/**
 * undici's HTTP/2 client requires node:http2 when it loads (~20 ms of CPU, more wall time: nghttp2 is
 * initialized), but it only runs for connections that negotiated h2, which needs the `allowH2` option
 * the backend client never sets (ALPN then offers http/1.1 only). This stand-in fails loudly if that
 * ever changes.
 */
export const NO_HTTP2 = `'use strict'
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
export const LAZY_HANDLEBARS = `'use strict'
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
export const NO_RESOLVE = `module.exports = { sync () { throw new Error('plop.load() is not included in the create-mesibo-app bundle') } }`;

/**
 * node-plop reads `fs.promises` when its modules load (its own add/modify actions use it), and with it
 * Node loads `fs/promises`, which brings `readline`: ~4 ms of every create run, for actions the generator
 * never uses (it has its own, synchronous ones). These edits make those reads happen on first use. Keyed
 * by file under node_modules/node-plop/src; each `[from, to]` must match exactly, or the build fails.
 */
export const LAZY_FS_PROMISES = {
  'fs-promise-proxy.js': [
    ['export const readdir = fs.promises.readdir;', 'export const readdir = (...args) => fs.promises.readdir(...args);'],
    ['export const stat = fs.promises.stat;', 'export const stat = (...args) => fs.promises.stat(...args);'],
    ['export const chmod = fs.promises.chmod;', 'export const chmod = (...args) => fs.promises.chmod(...args);'],
  ],
  'actions/_common-action-add-file.js': [
    ['import { rm } from "node:fs/promises";', 'import __cmaFs from "node:fs";\nconst rm = (...args) => __cmaFs.promises.rm(...args);'],
  ],
};

/**
 * undici checks its own invariants with `assert(value)` and uses nothing else of node:assert, whose
 * loading (with its error formatting and comparison code) is ~1.5 ms of a create run. Inside undici,
 * `node:assert` is this function: it throws as node:assert does (an Error with code ERR_ASSERTION) when an
 * invariant fails, which would be a bug in undici. build.mjs checks each importing file uses it so.
 */
export const UNDICI_ASSERT_IMPORT = "const assert = require('node:assert')";
export const UNDICI_ASSERT = `'use strict'
module.exports = function assert (value, message) {
  if (!value) {
    const error = new Error(message ?? 'undici: internal assertion failed')
    error.code = 'ERR_ASSERTION'
    throw error
  }
}
`;
