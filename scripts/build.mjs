// Bundles the CLI into dist/ with esbuild: one ES module bundle with zero runtime dependencies, the heavy
// parts split into chunks that load only on the paths that use them (dynamic import()).
//
//   dist/index.js                 the bin (src/index.ts: shebang, mode 755)
//   dist/chunks/*.js              loaded on first import(): the commands, the template runtime and the
//                                 precompiled templates (handlebars/runtime), the backend client (undici),
//                                 git (execa), the generator and its prompts (node-plop, inquirer)
//   dist/THIRD-PARTY-LICENSES.md  name, version and licence text of every bundled package (one file)
//
// Templates are precompiled here with Handlebars' own precompiler (src/render/precompiled-templates.ts
// explains how), so the bundle renders with handlebars/runtime and never compiles a template.
//
// `node scripts/build.mjs` builds; `buildCli()` is also imported by test/bundle.test.ts to inspect the
// metafile (which chunk holds which package).
import { build } from 'esbuild';
import { chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * The one module of our own that the build replaces: in the sources it compiles templates on first use;
 * in the bundle it is every text template under templates/, precompiled (same interface).
 */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]render[\\/]precompiled-templates\.ts$/ }, () => ({
      contents: precompiledTemplatesModule(),
      loader: 'js',
      resolveDir: path.join(ROOT, 'src', 'render'),
    }));
  },
};

/**
 * The sandbox's browser script (src/sandbox/mesibo.js) is an asset, like a template: in the sources
 * src/sandbox/browser-script.ts reads it from disk; in the bundle that module holds its text (same interface).
 */
const sandboxBrowserScript = {
  name: 'sandbox-browser-script',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]sandbox[\\/]browser-script\.ts$/ }, () => {
      const source = readFileSync(path.join(ROOT, 'src', 'sandbox', 'mesibo.js'), 'utf8');
      const placeholder = "'ws://127.0.0.1:8092/relay'";
      if (!source.includes(placeholder)) throw new Error('src/sandbox/mesibo.js lost its relay placeholder');
      return {
        contents:
          `export const RELAY_PLACEHOLDER = ${JSON.stringify(placeholder)};\n` +
          `const SOURCE = ${JSON.stringify(source)};\n` +
          'export function browserScript(relayUrl) { return SOURCE.replace(RELAY_PLACEHOLDER, () => JSON.stringify(relayUrl)); }\n',
        loader: 'js',
      };
    });
  },
};

/**
 * `PRECOMPILED = { [path under templates/]: [fingerprint of its text, its template spec] }`, every spec
 * made by Handlebars.precompile. Files without `{{` and binary files are not templates: the render step
 * passes them through as they are.
 */
export function precompiledTemplatesModule() {
  const Handlebars = require('handlebars');
  const dir = path.join(ROOT, 'templates');
  const entries = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    if (bytes.includes(0) || !text.includes('{{')) continue;
    const rel = path.relative(dir, file).split(path.sep).join('/');
    entries.push(`  ${JSON.stringify(rel)}: [${fingerprint(text)}, ${Handlebars.precompile(text)}]`);
  }
  return `export const PRECOMPILED = {\n${entries.join(',\n')}\n};\n`;
}

/**
 * The same function as fingerprint() in src/render/templates.ts, which checks that a template's text is
 * still the one precompiled (test/bundle.test.ts fails if the two ever disagree): FNV-1a over the UTF-16
 * code units, and the length.
 */
function fingerprint(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `"${text.length.toString(36)}-${hash.toString(36)}"`;
}

/** esbuild options; `outdir` is dist/ unless a test builds elsewhere. */
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
    // Bundled CommonJS packages (undici, handlebars) require Node's built-ins: give every chunk a require.
    banner: { js: "import { createRequire as __cmaCreateRequire } from 'node:module'; const require = __cmaCreateRequire(import.meta.url);" },
    // Licence texts go into one THIRD-PARTY-LICENSES.md (below), not comments in every chunk.
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    plugins: [precompiledTemplates, sandboxBrowserScript],
  };
}

/** Builds into `outdir` (emptied first) and returns esbuild's metafile. */
export async function buildCli(outdir = path.join(ROOT, 'dist')) {
  rmSync(outdir, { recursive: true, force: true });
  const { metafile } = await build(cliBuildOptions(outdir));
  chmodSync(path.join(outdir, 'index.js'), 0o755);
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
