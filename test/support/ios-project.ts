/**
 * Opens a generated `project.pbxproj` the way Xcode would and refuses what Xcode would trip on: every object
 * reference resolves to an object of the expected kind, every object is reachable from the project, each
 * annotation comment says what Xcode writes there, and every group, file and synchronized folder the
 * project names exists on disk. Returns the parts the tests look at.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parsePbxproj, type PbxDict, type PbxValue } from './ios-pbxproj';

const ID = /^[0-9A-F]{24}$/;
const PHASES = ['PBXSourcesBuildPhase', 'PBXFrameworksBuildPhase', 'PBXResourcesBuildPhase', 'PBXShellScriptBuildPhase'];

/** Fields that hold object references, by isa: field -> the isas it may point to; `[]` marks a list. */
const REFERENCES: Record<string, Record<string, { to: string[]; list?: boolean; optional?: boolean }>> = {
  PBXProject: {
    buildConfigurationList: { to: ['XCConfigurationList'] },
    mainGroup: { to: ['PBXGroup'] },
    productRefGroup: { to: ['PBXGroup'] },
    targets: { to: ['PBXNativeTarget'], list: true },
  },
  PBXNativeTarget: {
    buildConfigurationList: { to: ['XCConfigurationList'] },
    buildPhases: { to: PHASES, list: true },
    buildRules: { to: [], list: true },
    dependencies: { to: [], list: true },
    fileSystemSynchronizedGroups: { to: ['PBXFileSystemSynchronizedRootGroup'], list: true },
    packageProductDependencies: { to: [], list: true },
    productReference: { to: ['PBXFileReference'] },
  },
  PBXGroup: { children: { to: ['PBXGroup', 'PBXFileReference', 'PBXFileSystemSynchronizedRootGroup'], list: true } },
  PBXFileSystemSynchronizedRootGroup: { exceptions: { to: ['PBXFileSystemSynchronizedBuildFileExceptionSet'], list: true, optional: true } },
  PBXFileSystemSynchronizedBuildFileExceptionSet: { target: { to: ['PBXNativeTarget'] } },
  XCConfigurationList: { buildConfigurations: { to: ['XCBuildConfiguration'], list: true } },
  XCBuildConfiguration: { baseConfigurationReference: { to: ['PBXFileReference'], optional: true } },
  PBXFileReference: {},
  ...Object.fromEntries(PHASES.map((p) => [p, { files: { to: [], list: true } }])),
};

export type BuildSettings = Map<string, string | string[]>;

export interface SyncGroup {
  /** Absolute path of the synchronized folder. */
  dir: string;
  /** Paths inside it that the target leaves out (membershipExceptions). */
  excluded: string[];
}

export interface IosTarget {
  name: string;
  productType: string;
  phases: PbxDict[];
  syncGroups: SyncGroup[];
  /** The target's settings over the project's, as Xcode resolves them (xcconfig files not included). */
  settings(configuration: string): BuildSettings;
  /** The project-level configuration's base xcconfig file, absolute. */
  projectBaseConfig(configuration: string): string | undefined;
}

export interface IosProject {
  objectVersion: string;
  project: PbxDict;
  /** Every object, by id. */
  objects: Record<string, PbxDict>;
  targets: IosTarget[];
}

const fail = (message: string): never => {
  throw new Error(`project.pbxproj: ${message}`);
};

const dict = (value: PbxValue | undefined, what: string): PbxDict =>
  typeof value === 'object' && !Array.isArray(value) ? value : fail(`${what} is not a dictionary`);
const str = (value: PbxValue | undefined, what: string): string => (typeof value === 'string' ? value : fail(`${what} is not a string`));
const list = (value: PbxValue | undefined, what: string): PbxValue[] => (Array.isArray(value) ? value : fail(`${what} is not a list`));

export function openIosProject(pbxprojFile: string): IosProject {
  const { root, comments } = parsePbxproj(readFileSync(pbxprojFile, 'utf8'));
  const sourceRoot = path.dirname(path.dirname(pbxprojFile));
  if (str(root.archiveVersion, 'archiveVersion') !== '1') fail('archiveVersion is not 1');
  if (Object.keys(dict(root.classes, 'classes')).length) fail('classes is not empty');
  const objects: Record<string, PbxDict> = {};
  for (const [id, value] of Object.entries(dict(root.objects, 'objects'))) {
    if (!ID.test(id)) fail(`object id ${id} is not 24 hexadecimal digits`);
    objects[id] = dict(value, `object ${id}`);
    const isa = str(objects[id].isa, `isa of ${id}`);
    if (!REFERENCES[isa]) fail(`object ${id} has an isa this starter does not use: ${isa}`);
  }
  const get = (id: string, to: string[], what: string): PbxDict => {
    const object = objects[id] ?? fail(`${what} refers to ${id}, which is not an object`);
    if (to.length && !to.includes(object.isa as string)) fail(`${what} refers to a ${object.isa as string}, expected ${to.join(' or ')}`);
    return object;
  };
  // Every reference field resolves to the right kind of object; any other id-shaped string must resolve too.
  const reached = new Set<string>();
  const visit = (id: string, to: string[], what: string) => {
    const object = get(id, to, what);
    if (reached.has(id)) return;
    reached.add(id);
    for (const [field, ref] of Object.entries(REFERENCES[object.isa as string]!)) {
      const value = object[field];
      if (value === undefined) {
        if (!ref.optional) fail(`${object.isa as string} ${id} has no ${field}`);
        continue;
      }
      for (const target of ref.list ? list(value, field) : [value]) visit(str(target, field), ref.to, `${object.isa as string}.${field}`);
    }
    const others = (value: PbxValue, where: string): void => {
      if (typeof value === 'string') {
        if (ID.test(value)) visit(value, [], where);
      } else if (Array.isArray(value)) value.forEach((v) => others(v, where));
      else for (const [k, v] of Object.entries(value)) {
        if (ID.test(k)) visit(k, [], `${where} key`);
        others(v, `${where}.${k}`);
      }
    };
    for (const [field, value] of Object.entries(object)) if (!(field in REFERENCES[object.isa as string]!)) others(value, `${object.isa as string}.${field}`);
  };
  const rootId = str(root.rootObject, 'rootObject');
  visit(rootId, ['PBXProject'], 'rootObject');
  const orphans = Object.keys(objects).filter((id) => !reached.has(id));
  if (orphans.length) fail(`objects nothing refers to: ${orphans.join(', ')}`);

  const project = objects[rootId]!;
  // Folders of groups and file references, from the main group down (paths relative to their group).
  const dirOf = new Map<string, string>();
  const place = (id: string, parentDir: string) => {
    const object = objects[id]!;
    if (object.sourceTree !== '<group>') fail(`${object.isa as string} ${id} is not relative to its group`);
    const here = typeof object.path === 'string' ? path.join(parentDir, object.path) : parentDir;
    dirOf.set(id, here);
    if (object.isa === 'PBXGroup') for (const child of list(object.children, 'children')) place(child as string, here);
    else if (object.isa === 'PBXFileReference' && !existsSync(here)) fail(`file reference ${id} points at ${here}, which does not exist`);
    else if (object.isa === 'PBXFileSystemSynchronizedRootGroup' && !(existsSync(here) && statSync(here).isDirectory())) fail(`synchronized folder ${here} does not exist`);
  };
  const products = str(project.productRefGroup, 'productRefGroup');
  for (const child of list(objects[str(project.mainGroup, 'mainGroup')]!.children, 'children')) if (child !== products) place(child as string, sourceRoot);

  const expectedComment = (id: string): string | undefined => {
    const o = objects[id]!;
    if (o.isa === 'PBXProject') return 'Project object';
    if (o.isa === 'XCConfigurationList') {
      const owner = Object.values(objects).find((x) => x.buildConfigurationList === id)!;
      const name = owner.isa === 'PBXProject' ? (objects[list(owner.targets, 'targets')[0] as string]!.name as string) : (owner.name as string);
      return `Build configuration list for ${owner.isa as string} "${name}"`;
    }
    if (o.isa === 'PBXFileSystemSynchronizedBuildFileExceptionSet') {
      const group = Object.values(objects).find((x) => Array.isArray(x.exceptions) && x.exceptions.includes(id))!;
      return `Exceptions for "${group.path as string}" folder in "${objects[o.target as string]!.name as string}" target`;
    }
    const defaults: Record<string, string> = { PBXSourcesBuildPhase: 'Sources', PBXFrameworksBuildPhase: 'Frameworks', PBXResourcesBuildPhase: 'Resources' };
    return (o.name ?? o.path ?? defaults[o.isa as string]) as string | undefined;
  };
  for (const [id, seen] of comments) {
    const expected = expectedComment(id);
    if (expected === undefined || seen.size !== 1 || !seen.has(expected)) fail(`${id} is annotated /* ${[...seen].join(' / ')} */, Xcode writes ${expected === undefined ? 'none' : `/* ${expected} */`}`);
  }

  const configuration = (listId: PbxValue | undefined, name: string) =>
    list(objects[str(listId, 'buildConfigurationList')]!.buildConfigurations, 'buildConfigurations')
      .map((c) => objects[c as string]!)
      .find((c) => c.name === name) ?? fail(`no ${name} configuration`);
  const settingsOf = (c: PbxDict): BuildSettings =>
    new Map(Object.entries(dict(c.buildSettings, 'buildSettings')).map(([k, v]) => [k, typeof v === 'string' ? v : list(v, k).map((x) => str(x, k))]));
  const targets = list(project.targets, 'targets').map((id): IosTarget => {
    const t = objects[id as string]!;
    const groups = list(t.fileSystemSynchronizedGroups, 'fileSystemSynchronizedGroups').map((g) => objects[g as string]!);
    return {
      name: str(t.name, 'name'),
      productType: str(t.productType, 'productType'),
      phases: list(t.buildPhases, 'buildPhases').map((p) => objects[p as string]!),
      syncGroups: list(t.fileSystemSynchronizedGroups, 'fileSystemSynchronizedGroups').map((g, n) => {
        const dir = dirOf.get(g as string) ?? fail(`synchronized folder ${g as string} is not in the main group`);
        const excluded = (groups[n]!.exceptions as string[] | undefined ?? [])
          .map((e) => objects[e]!)
          .filter((e) => e.target === id)
          .flatMap((e) => list(e.membershipExceptions, 'membershipExceptions').map((m) => str(m, 'membershipExceptions')));
        for (const file of excluded) if (!existsSync(path.join(dir, file))) fail(`membership exception ${file} is not in ${dir}`);
        return { dir, excluded };
      }),
      settings: (name) => new Map([...settingsOf(configuration(project.buildConfigurationList, name)), ...settingsOf(configuration(t.buildConfigurationList, name))]),
      projectBaseConfig: (name) => {
        const ref = configuration(project.buildConfigurationList, name).baseConfigurationReference;
        return ref === undefined ? undefined : dirOf.get(ref as string);
      },
    };
  });
  return { objectVersion: str(root.objectVersion, 'objectVersion'), project, objects, targets };
}
