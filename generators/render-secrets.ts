/**
 * A platform's token config, rendered in memory: the git-ignored file with the real tokens and its
 * committed `.example` twin with placeholders. Create writes both (the `secret-config` action); refresh
 * rewrites only the real one. Both go through this module, so the two can never render differently.
 */
import { readFileSync } from 'node:fs';
import type { PlatformId } from '../src/platforms';
import type { Plan, Provisioned } from '../src/plan';
import {
  buildContext,
  contextPlatform,
  secretContext,
  type ContextPlatform,
  type SecretContext,
  type TemplateContext,
} from '../src/render/context';
import { secretTemplateFile } from '../src/render/file-list';

/** Where a platform's token config goes, its template, and the data for the real file and its twin. */
export interface SecretSpec {
  /** Destination, relative to the project root. */
  path: string;
  templateFile: string;
  secretData: SecretContext;
  exampleData: SecretContext;
}

/** Renders a template with the generator's helpers (node-plop's `renderString`). */
export type RenderString = (template: string, data: object) => string;

export interface RenderedFile {
  /** Relative to the project root, with forward slashes. */
  path: string;
  content: string;
  /** The committed `.example` twin's content (placeholders instead of tokens). */
  example: string;
}

export function secretSpec(base: TemplateContext, platform: ContextPlatform, provisioned: Provisioned): SecretSpec {
  const secret = secretTemplateFile(platform.id);
  return {
    path: secret.dest,
    templateFile: secret.source,
    secretData: secretContext(base, platform, provisioned, false),
    exampleData: secretContext(base, platform, provisioned, true),
  };
}

export function renderSecretPair(
  render: RenderString,
  spec: Pick<SecretSpec, 'templateFile' | 'secretData' | 'exampleData'>,
): { secret: string; example: string } {
  const template = readFileSync(spec.templateFile, 'utf8');
  return { secret: render(template, spec.secretData), example: render(template, spec.exampleData) };
}

/** Every platform's token config (and its twin) for a plan and fresh tokens, in plan order; writes nothing. */
export function renderSecretFilesWith(
  render: RenderString,
  plan: Plan,
  provisioned: Provisioned,
  now: Date,
): Array<RenderedFile & { platform: PlatformId }> {
  const base = buildContext(plan, provisioned, now);
  return plan.platforms.map((p) => {
    const spec = secretSpec(base, contextPlatform(p.id, p.appId), provisioned);
    const { secret, example } = renderSecretPair(render, spec);
    return { platform: p.id, path: spec.path, content: secret, example };
  });
}
