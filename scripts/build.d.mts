// Types for scripts/build.mjs, which test/bundle.test.ts imports.
import type { BuildOptions, Metafile } from 'esbuild';

/** esbuild options of the bundle, writing into `outdir` (dist/ by default). */
export function cliBuildOptions(outdir?: string): BuildOptions & { metafile: true };
/** Builds the CLI into `outdir` (emptied first): the bin, its chunks, the licence file. */
export function buildCli(outdir?: string): Promise<Metafile>;
/** Package folders (as in the metafile's input paths) whose code is in the bundle. */
export function bundledPackages(metafile: Metafile): string[];
/** The source of the module that replaces src/render/precompiled-templates.ts in the bundle. */
export function precompiledTemplatesModule(): string;
