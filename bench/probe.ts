// One measurement in a fresh process (so timings and peak RSS are not polluted by earlier runs).
// Prints one JSON line. Bundled by bench/run.ts; usage: node probe.js <metric> <stateDir> [unlockKey]
import { loadFastSecretbox, secretboxBackend, secretboxOpen, secretboxSeal } from '../src/core/crypto/secretbox';
import { SwarmState } from '../src/core/state/swarmState';
import { summarizeAction } from '../src/core/model/objects';
import { dumpWalText } from '../src/core/report/dumpWal';

const PAGE = 100;

async function main(): Promise<void> {
  const [metric, dir, unlockKey] = process.argv.slice(2);
  // Loading libsodium is part of the time to the first page (the extension does it at activation).
  const tLoad = performance.now();
  await loadFastSecretbox();
  if (metric === 'secretbox') return secretboxSpeed();
  const t0 = performance.now();
  const state = SwarmState.open(dir, { unlockKey });
  const indexMs = performance.now() - t0;
  const { table, effectiveSeqs, segments } = state.wal;
  const result: Record<string, number> = {
    indexMs, entries: table.length, walBytes: walBytes(state), tableBytes: table.byteLength, seqBytes: effectiveSeqs.byteLength,
    hardStateBytes: segments.reduce((n, s) => n + s.scan.hardStateOffsets.byteLength, 0),
  };
  if (metric === 'firstPage') {
    const t1 = performance.now();
    const list = state.effectiveEntries;
    for (let i = 0; i < Math.min(PAGE, list.length); i++) {
      const e = list.at(i);
      const d = state.decodeEntry(e);
      if (d.ok && d.kind === 'normal') for (const a of (d.request as unknown as { action?: never[] }).action ?? []) summarizeAction(a);
    }
    result.pageMs = performance.now() - t1;
    result.firstPageMs = performance.now() - tLoad;
  } else if (metric === 'decodeAll') {
    const t1 = performance.now();
    let failed = 0;
    for (const e of state.effectiveEntries) if (!state.decodeEntry(e).ok) failed++;
    result.decodeMs = performance.now() - t1;
    result.failed = failed;
  } else if (metric === 'textAll') {
    const t1 = performance.now();
    let chars = 0;
    for (const chunk of dumpWalText(state, { all: true }, [])) chars += chunk.length;
    result.textMs = performance.now() - t1;
    result.chars = chars;
  }
  // With --expose-gc: what the process holds once the garbage is gone (the state is still in use below).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const m = process.memoryUsage();
    result.retainedMB = (m.heapUsed + m.external) / 1048576;
  }
  state.close();
  result.maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(result) + '\n');
}

/** MB/s of secretboxOpen on 100 records of 450 KB, with the backend SWARM_RAFT_SECRETBOX leaves. */
function secretboxSpeed(): void {
  const key = new Uint8Array(32).fill(7);
  const nonce = new Uint8Array(24).fill(9);
  const box = secretboxSeal(new Uint8Array(450_000).fill(1), nonce, key);
  secretboxOpen(box, nonce, key); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < 100; i++) if (!secretboxOpen(box, nonce, key)) throw new Error('secretbox did not open');
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ backend: secretboxBackend(box.length), mbPerS: (100 * 450_000) / 1e6 / seconds }) + '\n');
}

function walBytes(state: SwarmState): number {
  return state.wal.segments.reduce((sum, s) => sum + s.scan.end, 0);
}

void main();
