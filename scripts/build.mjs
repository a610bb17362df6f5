// Bundles the CLI into dist/ with esbuild: no runtime dependencies, heavy parts split into lazily loaded chunks.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  legalComments: 'linked',
  banner: {
    // Bundled CommonJS dependencies (handlebars, inquirer's helpers) call require().
    js: "#!/usr/bin/env node\nimport { createRequire as __cmaCreateRequire } from 'node:module'; const require = __cmaCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
