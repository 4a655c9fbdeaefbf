// The live-manager figures of issue #17, printed by npm run bench (or `npm run bench -- --only live`):
// - follow: the CLI's `dump-wal --follow` (text) on a copy the project's writer appends to at 250
//   and 1,000 entries/s (with roll-overs): lag from an entry's commit to its line on stdout (target
//   <= 200 ms) and the follower's CPU per MB appended (proportional: about the same at both rates), and
//   its CPU while nothing is written;
// - capture: peak RSS of `swarm-raft capture` of a manager whose swarm directory holds 20, 200 and 500 MB (target:
//   flat in the state's size), on a sandboxed dockerd (needs root; skipped with a message otherwise).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineSkipReason, run, withSandbox } from '../test/support/dockerd';

const CLK_TCK = 100; // Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these

export async function liveFigures(root: string): Promise<void> {
  const idle = await followRun(root, 0, 4000);
  const slow = await followRun(root, 250, 8000);
  const fast = await followRun(root, 1000, 8000);
  for (const r of [slow, fast]) {
    console.log(`follow at ${r.rate} entries/s (${r.entries} entries, ${r.mb.toFixed(1)} MB, ${r.segments} segments): lag median ${r.lagMedian} ms, p95 ${r.lagP95} ms, max ${r.lagMax} ms; follower CPU ${r.cpuMs} ms = ${(r.cpuMs / r.mb).toFixed(0)} ms per MB appended`);
  }
  console.log(`follow with nothing written: ${(idle.cpuMs / (idle.ms / 1000)).toFixed(1)} ms CPU per second`);
  console.log('targets: lag <= 200 ms at 1,000 entries/s; CPU proportional to the appended bytes (ms per MB about equal at both rates)');
  await captureMemory(root);
}

interface FollowRun {
  rate: number;
  ms: number;
  entries: number;
  mb: number;
  segments: number;
  lagMedian: number;
  lagP95: number;
  lagMax: number;
  cpuMs: number;
}

/** A writer process appends `rate` entries/s for `ms` while the CLI follows; returns lag and CPU. */
async function followRun(root: string, rate: number, ms: number): Promise<FollowRun> {
  const dir = join(mkdtempSync(join(tmpdir(), 'swarm-raft-bench-follow-')), 'swarm');
  const writer = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'liveAppend.ts'), dir, String(rate), String(ms)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let written = '';
  writer.stdout.on('data', (d: Buffer) => (written += d.toString()));
  const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
  while (!written.includes('\n')) await sleep(20);
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), '-d', dir, 'dump-wal', '--follow'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const seen = new Map<string, number>();
  let buffered = '';
  let printed = 0;
  child.stdout.on('data', (d: Buffer) => {
    const now = performance.timeOrigin + performance.now();
    printed += d.length;
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const index = /^Entry Index=(\d+),/.exec(line)?.[1];
      if (index !== undefined) seen.set(index, now);
    }
  });
  for (let i = 0; i < 600 && printed === 0 && child.exitCode === null; i++) await sleep(50); // the first entries print first
  await sleep(300);
  const cpuBefore = cpuMs(child.pid!);
  writer.stdin.end('go\n');
  await new Promise((r) => writer.once('close', r));
  const lines = written.trim().split('\n');
  const [, entriesText, bytesText, segmentsText] = lines[lines.length - 1].split(' ');
  const committed = lines.slice(1, -1).filter((l) => l !== '').map((l) => l.split(' '));
  for (let i = 0; i < 100 && committed.some(([index]) => !seen.has(index)); i++) await sleep(100); // the last ones arrive
  const cpu = cpuMs(child.pid!) - cpuBefore;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  rmSync(join(dir, '..'), { recursive: true, force: true });
  const lags = committed.map(([index, at]) => (seen.get(index) ?? NaN) - Number(at));
  if (lags.some((l) => Number.isNaN(l))) throw new Error(`follow printed ${lags.filter((l) => !Number.isNaN(l)).length} of ${lags.length} entries`);
  const sorted = [...lags].sort((a, b) => a - b);
  const pick = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return {
    rate, ms, entries: Number(entriesText), mb: Number(bytesText) / 1e6, segments: Number(segmentsText),
    lagMedian: pick(0.5), lagP95: pick(0.95), lagMax: Math.round(sorted[sorted.length - 1] ?? 0), cpuMs: cpu,
  };
}

/** User + system CPU of a process so far, from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Peak RSS of capture on a manager whose swarm directory holds 20, 200 and 500 MB (a sandboxed dockerd). */
async function captureMemory(root: string): Promise<void> {
  const skip = engineSkipReason();
  if (skip) {
    console.log(`capture memory: skipped (${skip})`);
    return;
  }
  await withSandbox('bench-cap', async (sb) => {
    const d = await sb.startDaemon('m1');
    await d.init();
    const rss: string[] = [];
    for (const mb of [20, 200, 500]) {
      // Ballast beside the raft data (the sandbox daemon's own data root): the copy streams it like any file.
      // Written a megabyte at a time: this process stays small, so the child's figure is its own.
      const fd = openSync(join(d.swarmDir, 'bench-ballast'), 'w');
      const chunk = Buffer.alloc(1e6, 7);
      for (let i = 0; i < mb; i++) writeSync(fd, chunk);
      closeSync(fd);
      const out = join(sb.dir, `copy-${mb}`);
      const r = await run(process.execPath, ['-r', join(root, 'bench', 'rssPeak.cjs'), join(root, 'dist', 'cli.js'), 'capture', '-o', out, '--docker-host', d.host]);
      if (r.rc !== 0) throw new Error(`capture failed: ${r.stderr}`);
      rss.push(`${mb} MB state: ${(Number(/BENCH_PEAK_RSS_KB=(\d+)/.exec(r.stderr)?.[1]) / 1024).toFixed(0)} MB`);
      rmSync(out, { recursive: true, force: true });
    }
    console.log(`capture peak RSS: ${rss.join(', ')} (target: flat in the state's size)`);
  });
}
