// dump-wal's text over worker threads: the main thread reads entries in log order and hands batches to
// a pool; results come back in any order and are yielded in order. Decryption and text formatting are
// most of the work, so on N cores this approaches N times the serial speed; memory stays bounded by the
// batches in flight.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Fault } from '../errors';
import { EntryProblems, selectEntries, type DumpOptions } from '../report/dumpWal';
import type { SwarmState } from '../state/swarmState';
import { layoutOf } from '../state/layout';
import { listSegments, type EntryList } from '../wal/walLog';
import { SequentialEntryReader } from '../wal/sequentialReader';
import type { TextJob, TextJobResult, ToWorker } from './textJob';

const BATCH_BYTES = 1 << 20;
const BATCH_ENTRIES = 1000;
/** Fewer entries print faster on the main thread, however big (parallelDumpWorthwhile). */
const MIN_PARALLEL_ENTRIES = 10_000;

export interface PoolOptions {
  /** Path of the bundled worker (dist/textWorker.js). */
  workerScript: string;
  workers?: number;
  /** Workers spawned beforehand (startTextWorkers), so their start-up overlapped the index scan. */
  started?: Worker[];
  /** Sealed bytes per batch (default 1 MiB). */
  batchBytes?: number;
}

/**
 * Spawns the text workers (one per core unless `workers` says, at most 8). A worker takes ~100 ms to load
 * its bundle and libsodium: the CLI spawns them before it reads the index, so that happens meanwhile.
 */
export function startTextWorkers(workerScript: string, workers?: number): Worker[] {
  const count = Math.max(1, Math.min(workers ?? availableParallelism(), 8));
  // A worker's heap is its batch and the text it makes: a cap keeps the garbage collector from idling;
  // a large young generation lets the short-lived decoded objects die there (about 10% faster).
  return Array.from({ length: count }, () => new Worker(workerScript, { resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 96 } }));
}

/** Whether text workers can run here (the bundled script exists, and there is more than one core). */
export function parallelDumpPossible(workerScript: string, workers?: number): boolean {
  return existsSync(workerScript) && availableParallelism() >= 2 && workers !== 1;
}

/**
 * Whether workers pay for `entries`: 32 MB of data or more, in 10,000 entries or more. On the 2-core CI
 * machines, 100,000 small entries print in 0.75 s on the main thread and in 0.85-1.0 s on two workers
 * (measured 2026-11-23, young generations of 8-96 MB): below that size the copies and messages cost more
 * than they save, and each worker adds ~20 MB of memory. A few huge entries do not pay either: big-wal's
 * 159 entries (66 MB of configs) print in 0.50-0.58 s on the main thread against 0.67-0.72 s on two
 * workers (2026-12-05), whose start-up and copies outweigh the split; the typical log's 131,105 entries
 * take 3.5 s on two workers against 4.6-4.7 s on one thread.
 */
export function parallelDumpWorthwhile(entries: EntryList): boolean {
  if (entries.length < MIN_PARALLEL_ENTRIES) return false;
  const table = entries.log.table;
  let bytes = 0;
  for (const seq of entries.seqs) bytes += table.dataLength(seq);
  return bytes > 32 * BATCH_BYTES;
}

/**
 * Whether to start workers before the index is read: the WAL has more than one segment, so more than
 * 64 MB were written, in 10,000 entries or more before its last segment (a segment's name carries the
 * raft index it starts at). A guess from file names, never a read; parallelDumpWorthwhile decides once
 * the entries are known. Workers started for nothing cost more than the export of a few huge entries
 * gains (big-wal: two segments, the last from index 155).
 */
export function parallelDumpLikely(stateDir: string): boolean {
  const layout = layoutOf(stateDir);
  if (!layout) return false;
  try {
    const { segments } = listSegments(layout.walDir);
    if (segments.length < 2) return false;
    return segments[segments.length - 1].parsed.firstIndex - segments[0].parsed.firstIndex >= BigInt(MIN_PARALLEL_ENTRIES);
  } catch {
    return false; // opening the state reports it
  }
}

/**
 * Yields the text as UTF-8 bytes, batch by batch. `entries` defaults to the selection `options` makes;
 * callers that already selected them pass them.
 */
export async function* dumpWalTextParallel(
  state: SwarmState, options: DumpOptions, faults: Fault[], pool: PoolOptions, entries: EntryList = selectEntries(state, options),
): AsyncGenerator<Uint8Array> {
  for await (const chunk of dumpWalTextChunks(state, options, faults, pool, entries)) yield chunk.text;
}

export interface TextChunk {
  text: Uint8Array;
  /**
   * Call once `text` is written out: its memory goes back to the worker for a later batch (and `text` is
   * then unusable). Without it, every batch allocates anew, and on the main thread that memory costs a
   * garbage collection of the whole index every few dozen MB.
   */
  release(): void;
}

/** dumpWalTextParallel with the batches' memory reused (see TextChunk.release). */
export async function* dumpWalTextChunks(
  state: SwarmState, options: DumpOptions, faults: Fault[], pool: PoolOptions, entries: EntryList = selectEntries(state, options),
): AsyncGenerator<TextChunk> {
  const workers = pool.started?.length ? pool.started : startTextWorkers(pool.workerScript, pool.workers);
  const count = workers.length;
  const init: ToWorker = { type: 'init', context: state.payloadContext };
  for (const w of workers) w.postMessage(init);
  const problems = new EntryProblems(faults);
  /** Per batch in flight: where it starts in `entries`, and its result once a worker sends it. */
  const pending = new Map<number, { first: number; result?: TextJobResult; error?: Error; wake?: () => void }>();
  let failure: Error | undefined;
  let finished = false;
  /** Batch buffers the workers handed back, for the next batches. */
  const batchMemory: ArrayBuffer[] = [];
  for (const w of workers) {
    w.on('message', (r: TextJobResult) => {
      if (r.memory) batchMemory.push(r.memory);
      const p = pending.get(r.id)!;
      p.result = r;
      p.wake?.();
    });
    w.on('error', (e) => {
      failure = e;
      for (const p of pending.values()) p.wake?.();
    });
  }
  const reader = new SequentialEntryReader(state.wal.takeScanMemory());
  try {
    let next = 0;
    let nextToYield = 0;
    let position = 0;
    const table = entries.log.table;
    const submit = () => {
      const first = position;
      let bytes = 0;
      while (position < entries.length && position - first < BATCH_ENTRIES && bytes < (pool.batchBytes ?? BATCH_BYTES)) {
        bytes += table.dataLength(entries.seqs[position++]);
      }
      const batch = Array.from({ length: position - first }, (_, i) => entries.at(first + i));
      // One buffer per batch, transferred: a buffer per entry would keep the garbage collector busy.
      // Each view is copied before the next read (a read may reuse the memory a view shows); a record
      // whose data is not the size its header gave gets a buffer of its own.
      const reused = batchMemory.findIndex((m) => m.byteLength >= bytes);
      const memory = reused >= 0 ? batchMemory.splice(reused, 1)[0] : new ArrayBuffer(Math.max(bytes, pool.batchBytes ?? BATCH_BYTES));
      const buffer = new Uint8Array(memory, 0, bytes);
      const transfer: ArrayBuffer[] = [memory];
      let at = 0;
      const unreadable: TextJob['unreadable'] = {};
      const data = batch.map((e, i) => {
        let view: Uint8Array;
        try {
          view = reader.dataView(e);
        } catch (error) {
          unreadable[i] = (error as Error).message;
          return new Uint8Array(0);
        }
        if (view.length !== e.dataLength || at + view.length > bytes) {
          const own = new Uint8Array(view);
          transfer.push(own.buffer);
          return own;
        }
        buffer.set(view, at);
        at += view.length;
        return buffer.subarray(at - view.length, at);
      });
      const columns = table.select(entries.seqs, first, position).transfer();
      transfer.push(...columns.memory);
      const job: TextJob = { id: next, redact: options.redact ?? false, entries: columns.table, data, unreadable, memory };
      pending.set(next, { first });
      workers[next % count].postMessage({ type: 'job', job } satisfies ToWorker, transfer);
      next++;
    };
    while (nextToYield < next || position < entries.length) {
      while (position < entries.length && next - nextToYield < count * 2) submit();
      const slot = pending.get(nextToYield)!;
      if (!slot.result && !failure) await new Promise<void>((resolve) => (slot.wake = resolve));
      if (failure) throw failure;
      const result = slot.result!;
      pending.delete(nextToYield++);
      for (const p of result.problems) problems.add({ entry: entries.at(slot.first + p.at), ok: false, problem: p.problem, message: p.message });
      const worker = workers[(nextToYield - 1) % count];
      let released = false;
      yield {
        text: result.text,
        release: () => {
          if (released || failure || finished) return;
          released = true;
          const memory = result.text.buffer as ArrayBuffer;
          worker.postMessage({ type: 'recycle', memory } satisfies ToWorker, [memory]);
        },
      };
    }
    problems.flush();
  } finally {
    reader.close();
    finished = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
