// Types for scripts/build.mjs, which test/bundle.test.ts imports.
import type { BuildOptions, Metafile } from 'esbuild';

/** esbuild options of the CLI bundle, writing into `outdir` (dist/ by default). */
export function cliBuildOptions(outdir?: string): BuildOptions & { metafile: true };
/** Builds the CLI into `outdir` (emptied first), marks the bin executable, writes the licence file. */
export function buildCli(outdir?: string): Promise<Metafile>;
/** Package folders (as in the metafile's input paths) whose code is in the bundle. */
export function bundledPackages(metafile: Metafile): string[];
