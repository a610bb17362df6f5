/**
 * Issue 14, item 6: `refresh` finds mesibo.json in the current folder or any folder above it, as git finds
 * its repository, so it works from inside a platform folder; the search stops only at the root of the file
 * system (not at a git root: a platform folder may be a repository of its own).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { expectRefusal, expectUnchanged, manifestOf, refresh, refreshFixture, SECRET_FILES, snapshot, tokensIn } from './support/refresh';
import { readFileSync } from 'node:fs';

const { work, freshProject } = refreshFixture();

describe('refresh from inside a project', () => {
  it.each(['android', 'web', 'ios/Config'])('from %s/ refreshes the whole project above it', async (sub) => {
    const project = freshProject();
    const before = snapshot(project);
    const oldWeb = tokensIn(readFileSync(path.join(project, 'web/config.js'), 'utf8'));
    const { result, output } = await refresh(path.join(project, sub), ['--sandbox'], { MESIBO_APP_TOKEN: undefined });
    expect(result.exitCode, output).toBe(0);
    expect(output).toContain(`Refreshing ${JSON.stringify(project)} (the project above the current folder)`);
    expect(output).toMatch(/Rewrote 5 token config files/);
    expectUnchanged(before, snapshot(project), [...SECRET_FILES, 'mesibo.json']);
    expect(tokensIn(readFileSync(path.join(project, 'web/config.js'), 'utf8'))).not.toEqual(oldWeb);
    expect(manifestOf(project).sandbox).toBe(true);
  });

  it('given a folder inside the project, finds the project above it too', async () => {
    const project = freshProject();
    const { result, output } = await refresh(path.dirname(project), ['--sandbox', path.join(path.basename(project), 'python')], {
      MESIBO_APP_TOKEN: undefined,
    });
    expect(result.exitCode, output).toBe(0);
    expect(output).toContain(`(the project above "${path.join(path.basename(project), 'python')}")`);
  });

  it('does not stop at a git repository inside the project (a platform folder with its own .git)', async () => {
    const project = freshProject();
    await execa('git', ['init', '-q'], { cwd: path.join(project, 'web') });
    const { result, output } = await refresh(path.join(project, 'web'), ['--sandbox'], { MESIBO_APP_TOKEN: undefined });
    expect(result.exitCode, output).toBe(0);
    expect(output).toContain(`Refreshing ${JSON.stringify(project)}`);
  });

  it('outside any project: exit 2, saying no folder up to the root has a mesibo.json', async () => {
    const lost = path.join(work(), 'lost', 'deeper');
    mkdirSync(lost, { recursive: true });
    await expectRefusal(lost, [], 2, /is not inside a create-mesibo-app project: neither it nor any folder above it has a mesibo\.json/, {
      MESIBO_APP_TOKEN: undefined,
    });
  });
});
