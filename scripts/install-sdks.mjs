#!/usr/bin/env node
// Installs mesibo's real published SDK artifacts (and the real Android framework classes) once per machine
// into a git-ignored cache, at the versions pinned in src/sdk-versions.json. `.ci/run` calls it before the
// tests, and test/support/sdks.ts calls the same functions, so both always agree on what is installed.
//
//   node scripts/install-sdks.mjs [python] [android-all]   (no argument: all of them)
//
// The cache is `.cache/sdks/` in the repository, or $CREATE_MESIBO_APP_SDK_CACHE. Each artifact lands in a
// folder named for its version, written to a temporary name and renamed when complete, so an interrupted
// install is never taken for a finished one. Nothing here is committed: mesibo's code is not openly licensed.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SDK_VERSIONS = JSON.parse(readFileSync(path.join(ROOT, 'src', 'sdk-versions.json'), 'utf8'));

export function sdkCacheDir() {
  return process.env.CREATE_MESIBO_APP_SDK_CACHE || path.join(ROOT, '.cache', 'sdks');
}

/** Builds `final` through `fill(tmp)` in a sibling temporary folder, then renames it into place. */
async function installOnce(final, fill) {
  if (existsSync(final)) return final;
  const tmp = `${final}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    renameSync(tmp, final);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(final)) return final; // another process finished it first
    throw error;
  }
  return final;
}

/**
 * The real `mesibo` Python module (its wheel bundles libmesibo.so) in a virtual environment.
 * Returns { python, libmesibo, include? }: the venv's interpreter and the bundled shared library.
 */
export async function installPythonMesibo() {
  const version = SDK_VERSIONS.python.mesibo;
  const dir = await installOnce(path.join(sdkCacheDir(), `python-mesibo-${version}`), async (tmp) => {
    await execa('python3', ['-m', 'venv', path.join(tmp, 'venv')]);
    await execa(path.join(tmp, 'venv', 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `mesibo==${version}`]);
  });
  const python = path.join(dir, 'venv', 'bin', 'python');
  const { stdout } = await execa(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']);
  const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const libmesibo = path.join(stdout.trim(), 'mesibo', 'clib', 'linux', arch, 'libmesibo.so');
  return { python, libmesibo };
}

/** A Maven artifact copied into `dir` with `mvn dependency:copy` (no transitive dependencies). */
async function mavenCopy(coordinates, dir) {
  await execa('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${coordinates}`, `-DoutputDirectory=${dir}`, '-Dmdep.stripVersion=true'], {
    cwd: dir,
  });
}

/** The real Android framework classes of the starter's compileSdk: org.robolectric:android-all. */
export async function installAndroidAll() {
  const version = SDK_VERSIONS.android.androidAll;
  const dir = await installOnce(path.join(sdkCacheDir(), `android-all-${version}`), async (tmp) => {
    // dependency:copy needs a project folder only for its own settings; an empty pom will do.
    writeFileSync(
      path.join(tmp, 'pom.xml'),
      '<project><modelVersion>4.0.0</modelVersion><groupId>local</groupId><artifactId>sdk-cache</artifactId><version>1</version></project>\n',
    );
    await mavenCopy(`org.robolectric:android-all:${version}`, tmp);
  });
  return { jar: path.join(dir, 'android-all.jar') };
}

export const INSTALLERS = { python: installPythonMesibo, 'android-all': installAndroidAll };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(INSTALLERS);
  for (const name of wanted) {
    const install = INSTALLERS[name];
    if (!install) {
      console.error(`install-sdks: unknown artifact "${name}"; choose from ${Object.keys(INSTALLERS).join(', ')}`);
      process.exit(2);
    }
    const started = Date.now();
    const result = await install();
    console.log(`install-sdks: ${name} ready in ${Date.now() - started} ms: ${Object.values(result).join(', ')}`);
  }
}
