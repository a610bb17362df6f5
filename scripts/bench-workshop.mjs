// The workshop phases of `npm run bench` (see bench.mjs): one `workshop` run of the built CLI against the
// bench's bundled sandbox with a latency per answer, counted at the server. Every seat gets the five
// starters (--platforms names them: the token-server starter is not one of them) and 3 appids (android and
// ios with their own, web, cpp and python sharing one), so (seats + 1) x 3 useradd requests. The CLI's
// peak memory is its max RSS, written at exit by a module preloaded with NODE_OPTIONS --require.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A runner of one workshop: `run(seats, latencyMs)` resolves with its wall time, the ideal, the peak in flight and max RSS. */
export function workshopBench({ cli, tmp, sandboxModule, timed, freshDir, concurrency }) {
  const rssProbe = path.join(tmp, 'max-rss.cjs');
  writeFileSync(rssProbe, "process.on('exit', () => require('fs').writeFileSync(process.env.CMA_BENCH_RSS, String(process.resourceUsage().maxRSS)));\n");
  const appIds = ['--platforms', 'android,ios,web,cpp,python', '--android-app-id', 'com.example.bench.android', '--ios-app-id', 'com.example.bench.ios', '--app-id', 'com.example.bench'];

  return async function run(seats, latencyMs) {
    const stats = globalThis.__cmaBenchStats;
    Object.assign(stats, { inFlight: 0, peak: 0, total: 0, firstArrival: 0, lastFinish: 0 });
    const sandbox = await sandboxModule.startSandbox({ latencyMs });
    const dir = freshDir('workshop');
    const rssFile = path.join(tmp, `${dir}.rss`);
    let wall;
    try {
      wall = await timed([cli, 'workshop', dir, '--seats', String(seats), ...appIds, '--api-url', sandbox.url, '--yes'], {
        env: { MESIBO_APP_TOKEN: 'bench-app-token', CREATE_MESIBO_APP_CONCURRENCY: String(concurrency), NODE_OPTIONS: `--require ${rssProbe}`, CMA_BENCH_RSS: rssFile },
      });
      const last = `seat-${String(seats).padStart(String(seats).length, '0')}`;
      if (!existsSync(path.join(tmp, dir, 'seats', last, 'web', 'config.js'))) throw new Error(`the workshop wrote no ${last}`);
      rmSync(path.join(tmp, dir), { recursive: true, force: true });
    } finally {
      await sandbox.close();
    }
    const requests = (seats + 1) * 3;
    if (stats.total !== requests) throw new Error(`expected ${requests} requests at the sandbox, saw ${stats.total}`);
    const ideal = Math.ceil(requests / concurrency) * latencyMs;
    return { seats, latencyMs, requests, wall, ideal, ratio: wall / ideal, peak: stats.peak, maxRssKiB: Number(readFileSync(rssFile, 'utf8')) };
  };
}
