/**
 * Which template files make up the project and each platform folder, and where each lands. The render
 * step and the collision check before any backend call both use this, so they cannot disagree.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PLATFORMS, type PlatformId } from '../platforms';
import { TEMPLATES_DIR } from '../paths';
import { MANIFEST_FILE } from '../plan/manifest';
import { SANDBOX_FILE } from '../sandbox/key-file';

export interface TemplateFile {
  /** Path under templates/, with forward slashes: the key of its precompiled template. */
  readonly rel: string;
  /** Destination relative to the project root, with forward slashes. */
  readonly dest: string;
}

const DOTFILES: Record<string, string> = { gitignore: '.gitignore' };

/** The destination name of a template file: `.hbs` stripped, shipped dotfiles restored, `__appPath__` filled. */
export function destName(relative: string, appId: string): string {
  const appPath = appId.replace(/\./g, '/'); // com.example.chat -> com/example/chat (appids are validated first)
  const parts = relative.split(/[\\/]/).map((part) => part.replace(/__appPath__/g, appPath));
  const last = parts.pop()!.replace(/\.hbs$/, '');
  parts.push(DOTFILES[last] ?? last);
  return parts.join('/');
}

const walked = new Map<string, readonly string[]>();

/**
 * The files below a template folder, as sorted paths relative to it with forward slashes, read once per
 * run (the collision check and the render step both ask).
 */
function walk(folder: string): readonly string[] {
  let files = walked.get(folder);
  if (!files) {
    const found: string[] = [];
    const visit = (dir: string, rel: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) visit(path.join(dir, entry.name), child);
        else if (entry.isFile()) found.push(child);
      }
    };
    visit(path.join(TEMPLATES_DIR, folder), '');
    files = Object.freeze(found.sort());
    walked.set(folder, files);
  }
  return files;
}

/** The template of a platform's git-ignored token config file: `<secretFile>.hbs` in its folder. */
export function tokenConfigTemplate(id: PlatformId): TemplateFile {
  const { dir, secretFile } = PLATFORMS[id];
  return { rel: `${dir}/${secretFile}.hbs`, dest: `${dir}/${secretFile}` };
}

/** Ordinary (non-secret) template files of a platform folder. */
export function platformTemplateFiles(id: PlatformId, appId: string): TemplateFile[] {
  const { dir } = PLATFORMS[id];
  const secret = tokenConfigTemplate(id).rel;
  return walk(dir)
    .map((rel) => ({ rel: `${dir}/${rel}`, dest: `${dir}/${destName(rel, appId)}` }))
    .filter((file) => file.rel !== secret);
}

export function projectTemplateFiles(): TemplateFile[] {
  return walk('project').map((rel) => ({ rel: `project/${rel}`, dest: destName(rel, '') }));
}

/** Every file a create writes, relative to the project root, sorted; a sandbox create also writes its key file. */
export function plannedFiles(platforms: ReadonlyArray<{ id: PlatformId; appId: string }>, options: { sandbox?: boolean } = {}): string[] {
  const files = [...projectTemplateFiles().map((f) => f.dest), MANIFEST_FILE, ...(options.sandbox ? [SANDBOX_FILE] : [])];
  for (const { id, appId } of platforms) {
    files.push(...platformTemplateFiles(id, appId).map((f) => f.dest));
    const secret = tokenConfigTemplate(id).dest;
    files.push(secret, `${secret}.example`);
  }
  return files.sort();
}
