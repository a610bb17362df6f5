/**
 * The all-or-nothing file swap under refresh, and the rendering it is fed: the token files refresh
 * renders are byte for byte what create writes for the same plan and tokens.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { atomicSwap as replaceAll } from '../src/write/atomic-swap';
import type { InterruptGuard } from '../src/interrupt';
import { renderTokenConfigs, tokenConfigTemplates } from '../src/render/project';
import { loadTemplates } from '../src/render/templates';
import { renderFixture } from './support/render';
import { tempDir } from './support/cli';
import { formatDrift } from '../src/report/format-drift';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Records cleanups the way the real guard does, so a test can see they are registered and released. */
function guard(): InterruptGuard & { live: Set<() => void>; registered: number } {
  const live = new Set<() => void>();
  const g = {
    live,
    registered: 0,
    onInterrupt(cleanup: () => void) {
      g.registered++;
      live.add(cleanup);
      return () => live.delete(cleanup);
    },
    dispose() {},
  };
  return g;
}

function scratch(): string {
  const dir = tempDir('cma-rewrite-');
  dirs.push(dir);
  mkdirSync(path.join(dir, 'a'));
  writeFileSync(path.join(dir, 'a/secret.js'), 'old secret\n', { mode: 0o600 });
  writeFileSync(path.join(dir, 'manifest.json'), '{"old":true}\n');
  chmodSync(path.join(dir, 'manifest.json'), 0o644);
  return dir;
}

const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();
const mode = (file: string) => statSync(file).mode & 0o777;

describe('atomicSwap', () => {
  it('replaces and creates files with the given modes, leaving no temp or backup file', () => {
    const dir = scratch();
    const g = guard();
    const left = replaceAll(
      [
        { file: path.join(dir, 'a/secret.js'), content: 'new secret\n', mode: 0o600 },
        { file: path.join(dir, 'a/created.conf'), content: 'created\n', mode: 0o600 },
        { file: path.join(dir, 'manifest.json'), content: '{"new":true}\n', mode: 0o644 },
      ],
      g,
    );
    expect(left).toEqual([]);
    expect(readFileSync(path.join(dir, 'a/secret.js'), 'utf8')).toBe('new secret\n');
    expect(readFileSync(path.join(dir, 'a/created.conf'), 'utf8')).toBe('created\n');
    expect(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe('{"new":true}\n');
    expect(mode(path.join(dir, 'a/secret.js'))).toBe(0o600);
    expect(mode(path.join(dir, 'a/created.conf'))).toBe(0o600);
    expect(mode(path.join(dir, 'manifest.json'))).toBe(0o644);
    expect(listing(dir)).toEqual(['a', 'a/created.conf', 'a/secret.js', 'manifest.json']);
    expect(g.registered).toBe(1);
    expect(g.live.size).toBe(0); // the interrupt cleanup is released once done
  });

  it('puts every original back when a later swap fails', () => {
    const dir = scratch();
    mkdirSync(path.join(dir, 'in-the-way')); // a folder where a file should go: its swap fails
    const before = new Map(listing(dir).map((f) => [f, existsSync(path.join(dir, f)) && statSync(path.join(dir, f)).isFile() ? readFileSync(path.join(dir, f), 'utf8') : 'dir']));
    const g = guard();
    expect(() =>
      replaceAll(
        [
          { file: path.join(dir, 'a/secret.js'), content: 'new secret\n', mode: 0o600 },
          { file: path.join(dir, 'a/created.conf'), content: 'created\n', mode: 0o600 },
          { file: path.join(dir, 'in-the-way'), content: 'x', mode: 0o600 },
        ],
        g,
      ),
    ).toThrow();
    const after = new Map(listing(dir).map((f) => [f, statSync(path.join(dir, f)).isFile() ? readFileSync(path.join(dir, f), 'utf8') : 'dir']));
    expect(after).toEqual(before);
    expect(mode(path.join(dir, 'a/secret.js'))).toBe(0o600);
    expect(g.live.size).toBe(0);
  });

  it('removes its temp files when one cannot even be written', () => {
    const dir = scratch();
    const before = listing(dir);
    expect(() =>
      replaceAll(
        [
          { file: path.join(dir, 'a/secret.js'), content: 'new secret\n', mode: 0o600 },
          { file: path.join(dir, 'missing-folder/x.conf'), content: 'x', mode: 0o600 },
        ],
        guard(),
      ),
    ).toThrow(/ENOENT/);
    expect(listing(dir)).toEqual(before);
    expect(readFileSync(path.join(dir, 'a/secret.js'), 'utf8')).toBe('old secret\n');
  });

  it('registers a cleanup that, run after success, undoes nothing', () => {
    const dir = scratch();
    let cleanup: (() => void) | undefined;
    const g: InterruptGuard = {
      onInterrupt(c) {
        cleanup = c;
        return () => {};
      },
      dispose() {},
    };
    replaceAll([{ file: path.join(dir, 'a/secret.js'), content: 'new\n', mode: 0o600 }], g);
    // After success the cleanup has nothing to undo: running it late must not bring the old file back.
    cleanup!();
    expect(readFileSync(path.join(dir, 'a/secret.js'), 'utf8')).toBe('new\n');
    expect(listing(dir)).toEqual(['a', 'a/secret.js', 'manifest.json']);
  });
});

describe('renderTokenConfigs', () => {
  it('renders exactly what create writes, for every platform, with its .example twin', async () => {
    const { dir, plan, provisioned } = await renderFixture({ users: ['123', '456', '789'] });
    dirs.push(dir);
    const issued = { endpoint: plan.endpoint, tokens: provisioned, at: new Date('2026-01-01T00:00:00Z') };
    const rendered = renderTokenConfigs(plan, issued, await loadTemplates(tokenConfigTemplates(plan.platforms))).configs;
    expect(rendered.map((r) => r.platform)).toEqual(plan.platforms.map((p) => p.id));
    for (const r of rendered) {
      expect(r.contents, r.path).toBe(readFileSync(path.join(dir, r.path), 'utf8'));
      expect(r.example, r.path).toBe(readFileSync(path.join(dir, `${r.path}.example`), 'utf8'));
    }
    // The format check sees no drift for a project made by this very version...
    const targets = rendered.map((r) => ({ platform: r.platform, rel: r.path, abs: path.join(dir, r.path), exists: true }));
    expect(formatDrift(targets, rendered)).toEqual([]);
    // ...and names the token file whose committed twin differs.
    writeFileSync(path.join(dir, 'web/config.js.example'), '// an older format\n');
    expect(formatDrift(targets, rendered)).toEqual(['web/config.js']);
  });
});
