/**
 * Step 4 of create, and refresh's render: a plan and its issued tokens become files in memory. Pure:
 * nothing here touches the network or the user's disk (the templates were loaded beforehand), and the
 * result is frozen. Writing is the next step (src/write/).
 */
import { hasAppId, type PlatformId } from '../platforms';
import { buildManifest, manifestText, MANIFEST_FILE, type Manifest } from '../plan/manifest';
import type { Issued, Plan } from '../plan/plan';
import { platformData, templateData, templatePlatform, tokenConfigData, type TemplateData, type ToolHints } from './template-data';
import { platformTemplateFiles, projectTemplateFiles, tokenConfigTemplate, type TemplateFile } from './template-files';
import type { Templates } from './templates';
import { SANDBOX_FILE, SANDBOX_FILE_MODE, sandboxKeyText } from '../sandbox/key-file';

export interface RenderedFile {
  /** Relative to the project root, with forward slashes. */
  readonly path: string;
  readonly contents: string | Uint8Array;
  /** 0o600 for token config files (private from the first byte), else 0o644 or 0o755. */
  readonly mode: number;
}

export interface RenderedProject {
  readonly files: readonly RenderedFile[];
  /** mesibo.json as written, for the summary and the JSON output. */
  readonly manifest: Manifest;
}

/** A platform's token config: the git-ignored file with the tokens and its committed `.example` twin. */
export interface TokenConfig {
  readonly platform: PlatformId;
  /** Relative to the project root, as in mesibo.json. */
  readonly path: string;
  readonly contents: string;
  readonly example: string;
}

export const TOKEN_CONFIG_MODE = 0o600;

/** The templates a create renders for these platforms: what loadTemplates() should load. */
export function projectTemplates(platforms: Plan['platforms']): TemplateFile[] {
  return [
    ...projectTemplateFiles(),
    ...platforms.flatMap((p) => [...platformTemplateFiles(p.id, p.appId), tokenConfigTemplate(p.id)]),
  ];
}

/** Every file of a new project, in a stable order: project files, mesibo.json, then each platform's. */
export function renderProject(plan: Plan, issued: Issued, templates: Templates, tool?: ToolHints): RenderedProject {
  const data = templateData(plan, issued, tool);
  const manifest = buildManifest(plan, issued);
  const files: RenderedFile[] = projectTemplateFiles().map((file) => renderFile(file, data, templates));
  files.push({ path: MANIFEST_FILE, contents: manifestText(manifest), mode: 0o644 });
  // The sandbox's key (git-ignored, private from the first byte): later `sandbox` runs check the tokens with it.
  if (issued.sandbox) files.push({ path: SANDBOX_FILE, contents: sandboxKeyText(issued.sandbox), mode: SANDBOX_FILE_MODE });
  for (const p of plan.platforms) {
    const platform = templatePlatform(p.id, p.appId);
    for (const file of platformTemplateFiles(p.id, p.appId)) files.push(renderFile(file, platformData(data, platform), templates));
    const config = renderTokenConfig(data, p.id, p.appId, issued, templates);
    files.push({ path: config.path, contents: config.contents, mode: TOKEN_CONFIG_MODE });
    files.push({ path: `${config.path}.example`, contents: config.example, mode: 0o644 });
  }
  return Object.freeze({ files: Object.freeze(files.map((f) => Object.freeze(f))), manifest });
}

/**
 * Every platform's token config for a plan and fresh tokens (refresh), in plan order, and the manifest.
 * The token server's passcode is not a token: refresh leaves it (and every server file) alone.
 */
export function renderTokenConfigs(plan: Plan, issued: Issued, templates: Templates): { configs: readonly TokenConfig[]; manifest: Manifest } {
  const data = templateData(plan, issued);
  const configs = plan.platforms.filter((p) => hasAppId(p.id)).map((p) => Object.freeze(renderTokenConfig(data, p.id, p.appId, issued, templates)));
  return Object.freeze({ configs: Object.freeze(configs), manifest: buildManifest(plan, issued) });
}

/** The templates refresh renders: each platform's token config. */
export function tokenConfigTemplates(platforms: Plan['platforms']): TemplateFile[] {
  return platforms.filter((p) => hasAppId(p.id)).map((p) => tokenConfigTemplate(p.id));
}

/** One template, twice: with the tokens, and with placeholders for the committed twin. */
function renderTokenConfig(data: TemplateData, id: PlatformId, appId: string, issued: Issued, templates: Templates): TokenConfig {
  const file = tokenConfigTemplate(id);
  const platform = templatePlatform(id, appId);
  const template = loaded(templates, file);
  const text = (placeholder: boolean) => String(template.render(tokenConfigData(data, platform, issued, placeholder)));
  return { platform: id, path: file.dest, contents: text(false), example: text(true) };
}

function renderFile(file: TemplateFile, data: TemplateData, templates: Templates): RenderedFile {
  const template = loaded(templates, file);
  return { path: file.dest, contents: template.render(data), mode: template.executable ? 0o755 : 0o644 };
}

function loaded(templates: Templates, file: TemplateFile) {
  const template = templates.get(file.rel);
  if (!template) throw new Error(`internal: template ${file.rel} was not loaded`);
  return template;
}
