/**
 * refresh re-reads each platform's appid from its build files (the readers doctor uses): a platform whose
 * build now uses another appid than mesibo.json records gets its tokens issued for the new one, and
 * mesibo.json records it. Never silently: the change is printed as `android: com.x.z → com.x.y`, then
 * asked about at a terminal (default yes), or taken only with --yes when nothing may be asked; otherwise
 * exit 2 with nothing sent or changed.
 */
import type { AppContext } from '../app-context';
import { UsageError } from '../errors';
import { echo } from '../output/redact';
import { PLATFORMS, hasAppId, type PlatformId } from '../platforms';
import type { Project } from '../plan/refresh-project';
import { validateAppId } from '../validators';
import { readBuildAppIds } from './build-appids';

export interface AppIdChange {
  readonly platform: PlatformId;
  /** What mesibo.json records (and the current tokens were issued for). */
  readonly from: string;
  /** What the build uses now. */
  readonly to: string;
  /** The file it was read from. */
  readonly where: string;
}

/** Platforms whose build uses one definite appid other than the recorded one. */
export function appIdChanges(project: Project): AppIdChange[] {
  const changes: AppIdChange[] = [];
  for (const p of project.manifest.platforms.filter((p) => hasAppId(p.id))) {
    const build = readBuildAppIds(project.root, p.id);
    if (build.primary && build.primary.appId !== p.appId) changes.push({ platform: p.id, from: p.appId, to: build.primary.appId, where: build.primary.where });
  }
  return changes;
}

/**
 * The project as refresh should issue tokens for it: with each changed appid taken from the build, once
 * confirmed. The project itself is not changed; a new one is derived.
 */
export async function followBuildAppIds(project: Project, flags: { yes: boolean }, ctx: Pick<AppContext, 'interactive' | 'prompt' | 'printer'>): Promise<Project> {
  const changes = appIdChanges(project);
  if (changes.length === 0) return project;
  for (const c of changes) {
    const problem = validateAppId(c.platform, c.to);
    if (problem) {
      throw new UsageError(
        `${c.where} builds ${c.platform} as ${echo(c.to)}, which is not valid as ${PLATFORMS[c.platform].appIdMeaning}: it ${problem}. ` +
          `Fix it there (mesibo.json records ${echo(c.from)}), then run refresh again. Nothing was sent or changed.`,
      );
    }
  }
  const lines = changes.map((c) => `  ${c.platform}: ${c.from} → ${c.to} (${c.where})`);
  ctx.printer.info(`The appid a build uses changed since its tokens were issued; new tokens are issued for the new appid:\n${lines.join('\n')}`);
  const which = changes.map((c) => c.platform).join(', ');
  if (ctx.interactive) {
    const { follow } = await ctx.prompt([
      { type: 'confirm', name: 'follow', message: `Issue ${which} tokens for the new appid and record it in mesibo.json?`, default: true },
    ]);
    if (follow !== true) {
      throw new UsageError(
        `Nothing was sent or changed. To keep the recorded appid, change ${which}'s build back to it; mesibo accepts a token only ` +
          'from the appid it was issued for.',
      );
    }
  } else if (!flags.yes) {
    throw new UsageError(
      `refresh would issue ${which} tokens for a new appid (above), and nothing may be asked here: run refresh again with --yes to ` +
        "accept, or change the build back to mesibo.json's appid. Nothing was sent or changed.",
    );
  }
  const appIds = new Map(changes.map((c) => [c.platform, c.to]));
  const platforms = Object.freeze(project.manifest.platforms.map((p) => Object.freeze({ id: p.id, appId: appIds.get(p.id) ?? p.appId })));
  return Object.freeze({ ...project, manifest: Object.freeze({ ...project.manifest, platforms }) });
}
