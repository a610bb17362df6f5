// Types for scripts/build.mjs, which test/bundle.test.ts imports.
import type { BuildOptions, Metafile } from 'esbuild';

/** esbuild options of the ES module step, writing into `outdir` (dist/ by default). */
export function cliBuildOptions(outdir?: string, entryPoints?: Record<string, string>): BuildOptions & { metafile: true };
/**
 * Builds the CLI into `outdir` (emptied first): CommonJS chunks, the launcher as an executable bin, the
 * licence file. `entry` replaces src/index.ts as the main chunk; `nodePaths` adds package folders.
 */
export function buildCli(outdir?: string, options?: { entry?: string; nodePaths?: string[] }): Promise<Metafile>;
/** Package folders (as in the metafile's input paths) whose code is in the bundle. */
export function bundledPackages(metafile: Metafile): string[];
