/**
 * The templates precompiled at build time. In the sources this is empty, and src/render/templates.ts
 * compiles each template when it loads it; scripts/build.mjs replaces this one module with every text
 * template under templates/, precompiled by Handlebars.precompile, so the bundle renders with
 * handlebars/runtime alone.
 */

/** Path under templates/ -> [fingerprint of the text it was made from, the template spec]. */
export const PRECOMPILED: Readonly<Record<string, readonly [string, TemplateSpecification]>> = {};
