// What every part of `npm run bench` shares: running a command to completion with a timer, interleaving
// contenders run by run, and the min / median / max of a series and of the ratios of paired runs.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const NODE = process.execPath;

/** The value at quantile `q` (0..1) of `xs`, by linear interpolation between closest ranks. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (at - lo);
}

export const median = (xs) => quantile(xs, 0.5);

/** min, median and max of a series. */
export function spread(xs) {
  return { min: Math.min(...xs), median: median(xs), max: Math.max(...xs), n: xs.length };
}

/** Ratios of paired runs (ours[i] / base[i]): the figure that holds when the machine's speed drifts. */
export function pairedRatios(ours, base) {
  return ours.map((x, i) => x / base[i]);
}

/**
 * A runner of commands: `timed(args, options)` spawns `node args…` with `env` over the bench's child
 * environment and resolves with the wall time in ms, from spawn to exit. stdin is ignored, so nothing can
 * prompt. A run whose exit code `ok` refuses (default: anything but 0), or whose output `check` refuses,
 * aborts the bench with that output. With `cpuInto` (an array), the process's own CPU time in ms (user +
 * system, all its threads: process.cpuUsage() at exit, written by a module preloaded with NODE_OPTIONS) is
 * pushed to it: on a shared machine the figure that moves least with the load. Programs it spawns
 * (git, npm's children) are not counted.
 */
export function runner(childEnv, defaultCwd) {
  const probe = path.join(defaultCwd, 'cpu-probe.cjs');
  writeFileSync(probe, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(process.env.CMA_BENCH_CPU, String((u.user + u.system) / 1000)); });\n");
  let probes = 0;
  return function timed(args, { cwd = defaultCwd, env = {}, ok = (code) => code === 0, check, cpuInto } = {}) {
    const cpuFile = cpuInto ? path.join(defaultCwd, `cpu-${++probes}.txt`) : undefined;
    const cpuEnv = cpuFile ? { NODE_OPTIONS: `${childEnv.NODE_OPTIONS ?? ''} --require ${probe}`.trim(), CMA_BENCH_CPU: cpuFile } : {};
    return new Promise((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      const start = process.hrtime.bigint();
      const child = spawn(NODE, args, { cwd, env: { ...childEnv, NO_COLOR: '1', ...env, ...cpuEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const what = `${path.basename(args[0])} ${args.slice(1).join(' ')}`;
        if (!ok(code)) return reject(new Error(`${what} exited ${code ?? signal}:\n${stdout}\n${stderr}`));
        const problem = check?.(stdout, code);
        if (problem) return reject(new Error(`${what}: ${problem}\n${stdout}\n${stderr}`));
        if (cpuFile) {
          cpuInto.push(Number(readFileSync(cpuFile, 'utf8')));
          rmSync(cpuFile);
        }
        resolve(ms);
      });
    });
  };
}

/**
 * Runs the contenders in turn, run by run (A B C A B C …), after one untimed warm-up of each, so that a
 * slow minute of the shared machine hits all of them alike. Returns one series of results per contender.
 */
export async function interleaved(runs, contenders) {
  const results = contenders.map(() => []);
  for (let i = -1; i < runs; i++) {
    for (const [k, run] of contenders.entries()) {
      const value = await run(i);
      if (i >= 0) results[k].push(value);
    }
  }
  return results;
}

export const ms = (x) => `${x.toFixed(0)} ms`;
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
/** `median (min–max)` of a series, each formatted by `f`. */
export const range = (s, f) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;

/** A Markdown table whose columns line up in a terminal. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(all[0]), line(widths.map((w) => '-'.repeat(w))), ...all.slice(1).map(line)].join('\n');
}
