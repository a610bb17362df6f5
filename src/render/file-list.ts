/**
 * Which template files make up a platform folder and where each lands. The generator's actions and the
 * collision check before any backend call both use this, so they cannot disagree.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PLATFORMS, type PlatformId } from '../platforms';
import { TEMPLATES_DIR } from '../paths';
import { pkgPathOf } from './path-names';

export interface TemplateFile {
  /** Absolute path of the template. */
  source: string;
  /** Destination relative to the project root, with forward slashes. */
  dest: string;
}

const DOTFILES: Record<string, string> = { gitignore: '.gitignore' };

/** The destination name of a template file: `.hbs` stripped, shipped dotfiles restored, `__appPath__` filled. */
export function destName(relative: string, appId: string): string {
  const parts = relative.split(/[\\/]/).map((part) => part.replace(/__appPath__/g, pkgPathOf(appId)));
  const last = parts.pop()!.replace(/\.hbs$/, '');
  parts.push(DOTFILES[last] ?? last);
  return parts.join('/');
}

const walked = new Map<string, string[]>();

/**
 * The files below a template folder, as sorted paths relative to it with forward slashes. Read once per
 * run (the collision check and the generator both ask), building each path by concatenation: path.join
 * and path.relative over every file were most of the time spent here.
 */
function walk(root: string): string[] {
  let files = walked.get(root);
  if (!files) {
    const found: string[] = [];
    const visit = (dir: string, rel: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) visit(`${dir}${path.sep}${entry.name}`, child);
        else if (entry.isFile()) found.push(child);
      }
    };
    visit(root, '');
    files = found.sort();
    walked.set(root, files);
  }
  return files;
}

const sourceOf = (root: string, rel: string) => root + path.sep + (path.sep === '/' ? rel : rel.replaceAll('/', path.sep));

/** Ordinary (non-secret) template files of a platform folder. */
export function platformTemplateFiles(id: PlatformId, appId: string): TemplateFile[] {
  const root = path.join(TEMPLATES_DIR, PLATFORMS[id].dir);
  const secretTemplate = `${PLATFORMS[id].secretFile}.hbs`;
  return walk(root)
    .filter((rel) => rel !== secretTemplate)
    .map((rel) => ({ source: sourceOf(root, rel), dest: `${PLATFORMS[id].dir}/${destName(rel, appId)}` }));
}

export function secretTemplateFile(id: PlatformId): TemplateFile {
  const p = PLATFORMS[id];
  return { source: path.join(TEMPLATES_DIR, p.dir, `${p.secretFile}.hbs`), dest: `${p.dir}/${p.secretFile}` };
}

export function projectTemplateFiles(): TemplateFile[] {
  const root = path.join(TEMPLATES_DIR, 'project');
  return walk(root).map((rel) => ({ source: sourceOf(root, rel), dest: destName(rel, '') }));
}

export const MANIFEST_FILE = 'mesibo.json';

/** Every file a run writes, relative to the project root. */
export function plannedFiles(platforms: Array<{ id: PlatformId; appId: string }>): string[] {
  const files = [...projectTemplateFiles().map((f) => f.dest), MANIFEST_FILE];
  for (const { id, appId } of platforms) {
    files.push(...platformTemplateFiles(id, appId).map((f) => f.dest));
    const secret = secretTemplateFile(id).dest;
    files.push(secret, `${secret}.example`);
  }
  return files.sort();
}
