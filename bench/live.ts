// The live-manager figures of issue #17, printed by npm run bench (or `npm run bench -- --only live`):
// - follow: the CLI's `dump-wal --follow` (text) on a copy the project's writer appends to at 250
//   and 1,000 entries/s (with roll-overs): lag from an entry's commit to its line on stdout (target
//   <= 200 ms) and the follower's CPU per MB appended (proportional: about the same at both rates), and
//   its CPU while nothing is written;
// - capture: peak RSS of `swarm-raft capture` of a manager whose swarm directory holds 20, 200 and 500 MB (target:
//   flat in the state's size), on a sandboxed dockerd (needs root; skipped with a message otherwise).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineSkipReason, run, withSandbox } from '../test/support/dockerd';
import { LiveWriter } from '../test/support/liveWriter';

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

/** Appends `rate` entries/s for `ms` while the CLI follows; returns lag and CPU. */
async function followRun(root: string, rate: number, ms: number): Promise<FollowRun> {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-raft-bench-follow-'));
  const live = new LiveWriter(join(dir, 'swarm'), { seed: `bench-${rate}`, segmentBytes: 8 * 1000 * 1000 });
  live.append(10);
  live.commitAll();
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), '-d', live.stateDir, 'dump-wal', '--follow'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const committedAt = new Map<string, number>();
  const lags: number[] = [];
  let buffered = '';
  let printed = 0;
  child.stdout.on('data', (d: Buffer) => {
    const now = performance.now();
    printed += d.length;
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const index = /^Entry Index=(\d+),/.exec(line)?.[1];
      const at = index === undefined ? undefined : committedAt.get(index);
      if (at !== undefined) lags.push(now - at);
    }
  });
  const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
  for (let i = 0; i < 600 && printed === 0 && child.exitCode === null; i++) await sleep(50); // the initial entries print first (no lag counted)
  await sleep(300);
  const cpuBefore = cpuMs(child.pid!);
  const started = performance.now();
  let entries = 0;
  const startBytes = walBytes(live);
  // Batches every 10 ms (a leader's pace), each committed at once.
  while (performance.now() - started < ms) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) - entries;
    if (due > 0) {
      live.append(due);
      live.commitAll();
      const now = performance.now();
      for (let k = 0; k < due; k++) committedAt.set(String(live.index - BigInt(k)), now);
      entries += due;
    }
    await sleep(10);
  }
  for (let i = 0; i < 100 && lags.length < entries; i++) await sleep(100); // the last ones arrive
  const cpu = cpuMs(child.pid!) - cpuBefore;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  const mb = (walBytes(live) - startBytes) / 1e6;
  const segments = live.writer.wal.segmentCount;
  live.close();
  rmSync(dir, { recursive: true, force: true });
  if (rate > 0 && lags.length < entries) throw new Error(`follow printed ${lags.length} of ${entries} entries`);
  const sorted = [...lags].sort((a, b) => a - b);
  const pick = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { rate, ms, entries, mb, segments, lagMedian: pick(0.5), lagP95: pick(0.95), lagMax: Math.round(sorted[sorted.length - 1] ?? 0), cpuMs: cpu };
}

function walBytes(live: LiveWriter): number {
  return live.writer.wal.writtenBytes;
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
      writeFileSync(join(d.swarmDir, 'bench-ballast'), Buffer.alloc(mb * 1e6, 7));
      const out = join(sb.dir, `copy-${mb}`);
      const r = await run(process.execPath, ['-r', join(root, 'bench', 'maxrss.cjs'), join(root, 'dist', 'cli.js'), 'capture', '-o', out, '--docker-host', d.host]);
      if (r.rc !== 0) throw new Error(`capture failed: ${r.stderr}`);
      rss.push(`${mb} MB state: ${(Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(r.stderr)?.[1]) / 1024).toFixed(0)} MB`);
      rmSync(out, { recursive: true, force: true });
    }
    console.log(`capture peak RSS: ${rss.join(', ')} (target: flat in the state's size)`);
  });
}
