/**
 * The published package, as `npm create mesibo-app` gets it: `npm pack`, installed OFFLINE into an empty
 * folder (zero dependencies, so there is nothing to fetch), and the installed bin run to create a
 * project through the sandbox. Checks what ships, that nothing else is installed with it, and that the
 * `gitignore` templates (npm strips `.gitignore` from tarballs) still become `.gitignore` files. Also:
 * `npm publish --dry-run` is clean, and a run from the tarball tells how to run that tarball again (the
 * package is not on the registry yet, so `npx create-mesibo-app` would be a 404).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORMS, DEFAULT_PLATFORM_IDS as PLATFORM_IDS } from '../src/platforms';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
};
const TOKEN = /[0-9A-Za-z]{64}/g;

let tmp: string;
let home: string;
let packed: { filename: string; size: number; files: Array<{ path: string; mode: number }> };
let install: Awaited<ReturnType<typeof execa>>;

/** An environment without the developer's npm config and cache, so the install can only use the tarball. */
function npmEnv(): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: path.join(tmp, 'home-dir'),
    npm_config_cache: path.join(tmp, 'npm-cache'),
    npm_config_userconfig: path.join(tmp, 'npmrc'),
    npm_config_update_notifier: 'false',
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => !f.startsWith('.git/'))
    .sort();
}

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) await execa('node', ['scripts/build.mjs'], { cwd: ROOT });
  tmp = mkdtempSync(path.join(tmpdir(), 'cma-pack-'));
  writeFileSync(path.join(tmp, 'npmrc'), '');
  mkdirSync(path.join(tmp, 'home-dir'));
  const pack = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], {
    cwd: ROOT,
    env: npmEnv(),
    extendEnv: false,
  });
  packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];

  home = path.join(tmp, 'project-home');
  mkdirSync(home);
  writeFileSync(path.join(home, 'package.json'), JSON.stringify({ name: 'pack-home', version: '1.0.0', private: true }));
  install = await execa('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)], {
    cwd: home,
    env: npmEnv(),
    extendEnv: false,
    reject: false,
  });
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds the bundle, the templates and package metadata, and nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('package.json');
    expect(paths).toContain(pkg.bin['create-mesibo-app']);
    for (const p of paths) {
      expect(/^(dist|templates)\//.test(p) || /^(package\.json|README(\.md)?|LICEN[CS]E(\.\w+)?|CHANGELOG\.md)$/i.test(p), p).toBe(true);
      expect(p, 'source maps').not.toMatch(/\.map$/);
      if (p.startsWith('templates/')) continue; // starters' files, TypeScript and tests included (the token server's)
      expect(p, 'TypeScript sources').not.toMatch(/\.(ts|mts|cts)$/);
      expect(p, 'tests').not.toMatch(/(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]s$/);
    }
    // Every template file ships: npm silently drops some names (.gitignore, .npmrc), so a template
    // stored under such a name would vanish from the package. Ship them dotless (see destName).
    const templates = listFiles(path.join(ROOT, 'templates')).map((f) => `templates/${f}`);
    expect(templates.filter((t) => !paths.includes(t))).toEqual([]);
    // One licence file for all bundled code rather than one per chunk.
    expect(paths.filter((p) => /LEGAL|LICEN[CS]E/i.test(p) && p.startsWith('dist/'))).toEqual(['dist/THIRD-PARTY-LICENSES.md']);
    // The templates' gitignore files survive packing under their dotless names.
    expect(paths.filter((p) => p.endsWith('/gitignore')).length).toBeGreaterThanOrEqual(PLATFORM_IDS.length + 1);
  });

  it('keeps the bin executable', () => {
    const bin = packed.files.find((f) => f.path === pkg.bin['create-mesibo-app'])!;
    expect(bin.mode & 0o111).toBe(0o111);
  });
});

describe('installed offline into an empty folder', () => {
  it('installs from the tarball alone, with no dependencies of its own', () => {
    expect(install.exitCode, `${install.stdout}\n${install.stderr}`).toBe(0);
    const installed = path.join(home, 'node_modules', pkg.name);
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.optionalDependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
    expect(readdirSync(path.join(home, 'node_modules')).filter((e) => !e.startsWith('.')).sort()).toEqual([pkg.name]);
  });

  it('creates all five starters through the sandbox with the installed bin', async () => {
    const bin = path.join(home, 'node_modules', '.bin', 'create-mesibo-app');
    expect(existsSync(bin)).toBe(true);
    const userHome = path.join(tmp, 'user-home');
    mkdirSync(userHome);
    const run = await execa(bin, ['my-app', '--sandbox', '--yes', '--no-git'], {
      cwd: home,
      reject: false,
      stdin: 'ignore',
      extendEnv: false,
      env: { PATH: process.env.PATH, HOME: userHome, NO_COLOR: '1' },
    });
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);

    const project = path.join(home, 'my-app');
    const files = listFiles(project);
    for (const id of PLATFORM_IDS) expect(existsSync(path.join(project, PLATFORMS[id].dir)), id).toBe(true);

    // Every shipped `gitignore` template became a `.gitignore`, and no dotless one was left behind.
    const templateRoot = path.join(home, 'node_modules', pkg.name, 'templates');
    const shipped = listFiles(templateRoot).filter((f) => f.endsWith('gitignore'));
    expect(shipped.length).toBeGreaterThan(0);
    // The starters this create made (the defaults): their gitignore templates, and the project's.
    const made = new Set(['project', ...PLATFORM_IDS.map((id) => PLATFORMS[id].dir)]);
    for (const t of shipped.filter((f) => made.has(f.split('/')[0]!))) {
      const [folder, ...rest] = t.split('/');
      const dest = [...(folder === 'project' ? [] : [folder]), ...rest.slice(0, -1), '.gitignore'].join('/');
      expect(files, `${t} -> ${dest}`).toContain(dest);
    }
    expect(files.filter((f) => /(^|\/)gitignore$/.test(f))).toEqual([]);

    // Tokens only in the git-ignored secret files: each has some, no other file shares any.
    const secretFiles = PLATFORM_IDS.map((id) => `${PLATFORMS[id].dir}/${PLATFORMS[id].secretFile}`);
    const tokens = new Set<string>();
    for (const s of secretFiles) {
      expect(files, s).toContain(s);
      const found = readFileSync(path.join(project, s), 'utf8').match(TOKEN) ?? [];
      expect(found.length, `tokens in ${s}`).toBeGreaterThan(0);
      for (const t of found) tokens.add(t);
    }
    for (const f of files.filter((x) => !secretFiles.includes(x))) {
      const text = readFileSync(path.join(project, f), 'latin1');
      for (const t of tokens) expect(text.includes(t), `a token in ${f}`).toBe(false);
    }
    expect(`${run.stdout}\n${run.stderr}`.match(TOKEN) ?? []).toEqual([]);

    // Nothing but the project is written: no cache or state in the user's home, nothing beside the bundle.
    expect(readdirSync(userHome)).toEqual([]);

    // The refresh hint names the tarball this came from, and runs as printed: it finds the project and
    // aims at mesibo's servers, stopping only for the App Token (no terminal here to ask for it).
    const tarball = path.join(tmp, packed.filename);
    const hint = `npx file:${tarball} refresh`;
    // create prints it with the project's folder, to run where create ran; the project's README without it.
    expect(String(run.stdout)).toContain(`       ${hint} my-app\n`);
    expect(String(run.stdout)).toContain(`       npx file:${tarball} sandbox my-app\n`);
    expect(readFileSync(path.join(project, 'README.md'), 'utf8')).toContain(`\`\`\`sh\n${hint}\n\`\`\``);
    const again = await execa('sh', ['-c', hint], { cwd: project, reject: false, stdin: 'ignore', extendEnv: false, env: { ...npmEnv(), npm_config_offline: 'true' } });
    expect(again.exitCode, `${again.stdout}\n${again.stderr}`).toBe(2);
    expect(again.stdout).toContain("Backend: mesibo's servers, https://api.mesibo.com/backend/");
    expect(again.stderr).toMatch(/No App Token, and no terminal to ask for one/);
    expect(readdirSync(path.join(home, 'node_modules', pkg.name, 'dist', 'chunks')).filter((f) => !f.endsWith('.js'))).toEqual([]);
  });
});

describe('npm publish --dry-run', () => {
  it('packs without a warning (bin, files, licence, metadata), offline', async () => {
    // A registry nobody listens on and a token for it: --offline keeps npm from asking it anything (the
    // dry run would otherwise look up the version there), and the token silences only the login notice.
    const registry = 'http://127.0.0.1:9/';
    writeFileSync(path.join(tmp, 'npmrc-publish'), `//127.0.0.1:9/:_authToken=not-a-real-token\n`);
    // npm's http log level names every request it makes ("npm http fetch GET …"): there must be none.
    const publish = await execa('npm', ['publish', '--dry-run', '--offline', '--ignore-scripts'], {
      cwd: ROOT,
      reject: false,
      extendEnv: false,
      env: { ...npmEnv(), npm_config_registry: registry, npm_config_userconfig: path.join(tmp, 'npmrc-publish'), npm_config_loglevel: 'http' },
    });
    expect(publish.exitCode, publish.stderr).toBe(0);
    expect(publish.stderr.split('\n').filter((l) => /^npm (warn|error)/i.test(l))).toEqual([]);
    expect(publish.stderr.split('\n').filter((l) => /^npm http/i.test(l)), 'requests to the registry').toEqual([]);
    expect(publish.stderr).toContain(`${pkg.name}@${pkg.version}`);
    expect(publish.stdout).toContain(`+ ${pkg.name}@${pkg.version}`);
  }, 60_000);

  it('describes the package for the registry', () => {
    const meta = pkg as unknown as Record<string, any>;
    expect(meta.bin).toEqual({ 'create-mesibo-app': 'dist/index.js' });
    expect(meta.files).toEqual(['dist', 'templates']);
    expect(meta.license).toBe('MIT');
    expect(existsSync(path.join(ROOT, 'LICENSE'))).toBe(true);
    expect(meta.engines.node).toMatch(/^>=20\./);
    expect(meta.keywords).toEqual(expect.arrayContaining(['mesibo', 'create', 'starter']));
    expect(meta.type).toBe('module');
    expect(meta.private).toBeUndefined();
    expect(readFileSync(path.join(ROOT, 'dist', 'index.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
