/**
 * `render-folder` action: renders a set of templates with one data object and writes them into the
 * staging folder. One action per folder rather than node-plop's `add` per file: each folder is created
 * once and the files are written concurrently, which matters on slow disks (a project is ~50 files).
 * Binary files are copied as they are; a template's executable bits are kept.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CustomActionFunction } from 'node-plop';
import type { TemplateFile } from '../../src/render/file-list';

export interface RenderFolderAction {
  type: 'render-folder';
  files: TemplateFile[];
  data: object;
}

function readTemplate(source: string): { bytes: Buffer; mode: number } {
  const fd = openSync(source, 'r');
  try {
    return { mode: fstatSync(fd).mode, bytes: readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
}

export const renderFolder: CustomActionFunction = async (_answers, config, plop) => {
  const cfg = config as unknown as RenderFolderAction;
  const root = plop.getDestBasePath();
  const outputs = cfg.files.map((file) => {
    const { bytes, mode } = readTemplate(file.source);
    const content = bytes.includes(0) ? bytes : plop.renderString(bytes.toString('utf8'), cfg.data);
    return { dest: path.resolve(root, file.dest), content, mode: 0o644 | (mode & 0o111) };
  });
  for (const dir of [...new Set(outputs.map((o) => path.dirname(o.dest)))].sort()) {
    await mkdir(dir, { recursive: true });
  }
  // 'wx': the staging folder is new, so an existing file means two templates claim one path.
  await Promise.all(outputs.map((o) => writeFile(o.dest, o.content, { flag: 'wx', mode: o.mode })));
  return `${outputs.length} files`;
};
