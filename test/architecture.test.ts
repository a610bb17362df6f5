/**
 * One direction through the code. Every module of src/ belongs to one layer; a module imports only from
 * its own layer and the layers below it, and no two folders import each other, directly or around a
 * loop. The layers, top to bottom, follow a run:
 *
 *   entry      src/index.ts (the bin), src/main.ts (parse, dispatch, errors -> exit codes)
 *   cli        src/cli/       argv -> typed flags; help text
 *   commands   src/commands/  one spine per command: create, refresh, sandbox, doctor
 *   doctor     src/doctor/    doctor's checks: reads a project (bounded, inside it), never writes; refresh
 *                             reads the build appids with it, so it sits below the commands
 *   workshop   src/workshop/  the workshop command's steps: roster, seats and buddies, its ledger (workshop.json,
 *                             written as it goes, like its zips and handout), each seat through render and write
 *   generators generators/    the node-plop generator of a create: its prompts and its action types
 *   report     src/report/    what a run tells people and scripts at its end
 *   write      src/write/     the only code that changes the user's disk: staging -> rename, atomic swap, git
 *   render     src/render/    pure: plan + issued tokens -> files in memory (templates, literals)
 *   provision  src/provision.ts, src/app-token.ts: users and tokens for a plan
 *   plan       src/plan/      pure, validated data: flags and answers -> Plan; mesibo.json; refresh's plan
 *   backend    src/backend/, src/sandbox/, src/tuning.ts: the HTTP client, its policies, the sandbox server
 *   core       everything else in src/: errors, defaults, validators, the platform registry, the printer
 *
 * A new folder (a `doctor` or `workshop` command's) goes into this table, which the first test enforces.
 * Type-only imports count too: a reader follows them as much as any other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Top to bottom; each entry: layer name and the src/-relative paths (files, or folders ending in /) it holds. */
export const LAYERS: Array<[string, string[]]> = [
  ['entry', ['index.ts', 'main.ts']],
  ['cli', ['cli/']],
  ['commands', ['commands/']],
  ['doctor', ['doctor/']],
  ['workshop', ['workshop/']],
  ['generators', ['../generators/']],
  ['report', ['report/']],
  ['write', ['write/']],
  ['render', ['render/']],
  ['provision', ['provision.ts', 'app-token.ts']],
  ['plan', ['plan/']],
  ['backend', ['backend/', 'sandbox/', 'tuning.ts']],
  ['core', ['app-context.ts', 'defaults.ts', 'errors.ts', 'interrupt.ts', 'paths.ts', 'platforms.ts', 'validators.ts', 'version.ts', 'sdk-versions.json', 'output/']],
];

export interface Edge {
  from: string;
  to: string;
}

/** Relative specifiers in `import … from`, `export … from`, `import '…'` and `import('…')`, comments ignored. */
export function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]!);
  return found.filter((s) => s.startsWith('.'));
}

/** Every .ts and .json file under src/ and generators/, relative to src/ with forward slashes. */
function sourceFiles(): string[] {
  const entries = (dir: string) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true }) as Array<{ name: string; parentPath: string; isFile(): boolean }>;
  return [...entries('src'), ...entries('generators')]
    .filter((e) => e.isFile() && /\.(ts|json)$/.test(e.name))
    .map((e) => path.relative(path.join(ROOT, 'src'), path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The file an import resolves to, relative to src/ (undefined when it leaves src/ and generators/). */
function resolve(from: string, specifier: string, files: Set<string>): string | undefined {
  // From generators/, src/x is `../src/x`: relative to src/, `x`.
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)).replace(/^\.\.\/src\//, '');
  for (const candidate of [target, `${target}.ts`, `${target}/index.ts`]) if (files.has(candidate)) return candidate;
  if (target.startsWith('..')) return undefined;
  throw new Error(`src/${from} imports ${specifier}, which resolves to no file`);
}

export function importGraph(read: (file: string) => string = (f) => readFileSync(path.join(ROOT, 'src', f), 'utf8')): { files: string[]; edges: Edge[] } {
  const files = sourceFiles();
  const known = new Set(files);
  const edges: Edge[] = [];
  for (const from of files.filter((f) => f.endsWith('.ts'))) {
    for (const specifier of importSpecifiers(read(from))) {
      const to = resolve(from, specifier, known);
      if (to !== undefined && to !== from) edges.push({ from, to });
    }
  }
  return { files, edges };
}

export function layerOf(file: string): number {
  const index = LAYERS.findIndex(([, members]) => members.some((m) => (m.endsWith('/') ? file.startsWith(m) : file === m)));
  return index;
}

/** Imports that run from a lower layer to a higher one. */
export function upwardImports(edges: Edge[]): string[] {
  return edges
    .filter((e) => layerOf(e.from) > layerOf(e.to))
    .map((e) => `src/${e.from} (${LAYERS[layerOf(e.from)]![0]}) imports src/${e.to} (${LAYERS[layerOf(e.to)]![0]})`);
}

/** A folder is a directory under src/; each file directly in src/ is a node of its own. */
const nodeOf = (file: string) => (file.includes('/') ? `${path.posix.dirname(file)}/` : file);

/** Cycles between folders (strongly connected groups of two or more nodes), each as a sorted list. */
export function folderCycles(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [nodeOf(from), nodeOf(to)];
    if (a === b) continue;
    if (!next.has(a)) next.set(a, new Set());
    next.get(a)!.add(b);
  }
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return groups;
}

describe('the import graph of src/', () => {
  const { files, edges } = importGraph();

  it('places every module in a layer', () => {
    expect(files.filter((f) => layerOf(f) < 0).map((f) => `src/${f} is in no layer: add it to LAYERS in test/architecture.test.ts`)).toEqual([]);
  });

  it('has no import from a lower layer to a higher one', () => {
    expect(edges.length).toBeGreaterThan(50); // the scan found the imports
    expect(upwardImports(edges)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(folderCycles(edges)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('read every form of import, and ignore imports in comments', () => {
    const source = `import a from './a';
import type { B } from "../b";
export { c } from './c';
import './d';
const e = await import('./e');
import {
  f,
} from './f';
// import g from './g';
/* import h from './h'; */
import node from 'node:fs';`;
    expect(importSpecifiers(source)).toEqual(['./a', '../b', './c', './f', './d', './e']);
  });

  it('catch an upward import and a cycle between folders', () => {
    const upward = [{ from: 'defaults.ts', to: 'commands/create.ts' }];
    expect(upwardImports(upward)).toEqual(['src/defaults.ts (core) imports src/commands/create.ts (commands)']);
    const cycle = [
      { from: 'render/a.ts', to: 'write/b.ts' },
      { from: 'write/b.ts', to: 'report/c.ts' },
      { from: 'report/c.ts', to: 'render/d.ts' },
    ];
    expect(folderCycles(cycle)).toEqual([['render/', 'report/', 'write/']]);
  });
});
