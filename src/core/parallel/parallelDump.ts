// dump-wal's text over threads: the main thread reads entries in log order, hands batches to worker
// threads and prints batches itself while it would otherwise wait; results come back in any order and
// are yielded in order. Decryption and text formatting are most of the work, so on N cores this
// approaches N times the serial speed; memory stays bounded by the batches in flight.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PlainScratch } from '../crypto/secretbox';
import type { Fault } from '../errors';
import { EntryProblems, selectEntries, writeSealedEntryText, writeUnreadableEntryText, type DumpOptions } from '../report/dumpWal';
import type { PayloadContext } from '../state/entryPayload';
import type { DecodedEntry } from '../state/swarmState';
import type { SwarmState } from '../state/swarmState';
import { layoutOf } from '../state/layout';
import { TextSink } from '../text/textSink';
import { listSegments, type EntryList } from '../wal/walLog';
import { SequentialEntryReader } from '../wal/sequentialReader';
import type { TextJob, TextJobResult } from './textJob';
import { TextWorkerChannels } from './textWorkers';

const BATCH_BYTES = 1 << 20;
const BATCH_ENTRIES = 1000;
/** Fewer entries print faster on the main thread, however big (parallelDumpWorthwhile). */
const MIN_PARALLEL_ENTRIES = 10_000;
/** Batches the main thread prints beyond the one it waits for (see dumpWalTextChunks). */
const MAIN_AHEAD = 4;

export interface PoolOptions {
  /** Path of the bundled worker (dist/textWorker.js). */
  workerScript: string;
  /** Threads that print, the main thread's included (see startTextWorkers). */
  threads?: number;
  /** Workers spawned beforehand (startTextWorkers), so their start-up overlapped the index scan. */
  started?: Worker[];
  /** Sealed bytes per batch (default 1 MiB). */
  batchBytes?: number;
  /** Batches the main thread may print ahead of the one it waits for (default 4; 0: it only reads and hands out). */
  mainAhead?: number;
}

/**
 * Spawns the text workers: one fewer than `threads` (default: one per core, at most 8 threads), for the
 * main thread prints too. A worker takes ~100 ms to load its bundle and libsodium: the CLI spawns them
 * before it reads the index, so that happens meanwhile.
 */
export function startTextWorkers(workerScript: string, threads?: number): Worker[] {
  const count = Math.max(1, Math.min(threads ?? availableParallelism(), 8) - 1);
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
 * workers (2026-12-05), whose start-up and copies outweigh the split (and still on one worker beside
 * the main thread: 0.53-0.75 s against 0.52-0.64 s, 2026-12-06); the typical log's 131,105 entries take
 * 3.5 s on two workers against 4.6-4.7 s on one thread, and less again on one worker with the main
 * thread printing too (6.1 s against 8.4 s on two workers, measured side by side on a busy machine).
 */
export function parallelDumpWorthwhile(entries: EntryList): boolean {
  const threshold = 32 * BATCH_BYTES;
  if (entries.length < MIN_PARALLEL_ENTRIES) return false;
  // Entries' data lies in the frames read: a WAL that short is decided without a look at each entry
  // (summing 100,000 entries' lengths took ~13 ms of a 0.8 s export).
  if (entries.log.segments.reduce((read, s) => read + s.scan.end, 0) <= threshold) return false;
  const table = entries.log.table;
  let bytes = 0;
  for (const seq of entries.seqs) if ((bytes += table.dataLength(seq)) > threshold) return true;
  return false;
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
  /** Which thread printed it: -1 the main thread, else the worker's number. */
  printedOn: number;
  /**
   * Call once `text` is written out: its memory goes back to the worker for a later batch (and `text` is
   * then unusable). Without it, every batch allocates anew, and on the main thread that memory costs a
   * garbage collection of the whole index every few dozen MB.
   */
  release(): void;
}

/** Per batch formed: where it starts in `entries`, and its text once printed (here or by a worker). */
interface Batch {
  first: number;
  /** The worker printing it; -1 when the main thread printed it. */
  worker: number;
  result?: TextJobResult;
  /** Printed here: the entries that did not decode, in order. */
  local?: DecodedEntry[];
}

/**
 * dumpWalTextParallel with the batches' memory reused (see TextChunk.release). The main thread reads
 * every entry in order; each worker that has finished loading gets up to two batches at a time, and
 * the main thread prints the next batch itself whenever it would otherwise wait (up to `mainAhead`
 * batches beyond the one it waits for): on two cores one worker and the main thread share the work,
 * and the dump does not wait for a worker's start-up.
 */
export async function* dumpWalTextChunks(
  state: SwarmState, options: DumpOptions, faults: Fault[], pool: PoolOptions, entries: EntryList = selectEntries(state, options),
): AsyncGenerator<TextChunk> {
  const workers = pool.started?.length ? pool.started : startTextWorkers(pool.workerScript, pool.threads);
  const mainAhead = pool.mainAhead ?? MAIN_AHEAD;
  const batchBytes = pool.batchBytes ?? BATCH_BYTES;
  const redact = options.redact ?? false;
  const problems = new EntryProblems(faults);
  const batches = new Map<number, Batch>();
  /** Batch buffers the workers handed back, for the next batches; text memory of the main thread's batches. */
  const batchMemory: ArrayBuffer[] = [];
  const textMemory: ArrayBuffer[] = [];
  const channels = new TextWorkerChannels(workers, state.payloadContext, mainAhead === 0, (result) => {
    if (result.memory) batchMemory.push(result.memory);
    batches.get(result.id)!.result = result;
  });
  const reader = new SequentialEntryReader(state.wal.takeScanMemory());
  const scratch = new PlainScratch();
  const table = entries.log.table;
  let next = 0;
  let nextToYield = 0;
  let position = 0;
  let heldHere = 0;
  let finished = false;
  /** The next batch: at most BATCH_ENTRIES entries and about batchBytes of data from `position`. */
  const takeBatch = (): { first: number; end: number; bytes: number } => {
    const first = position;
    let bytes = 0;
    while (position < entries.length && position - first < BATCH_ENTRIES && bytes < batchBytes) bytes += table.dataLength(entries.seqs.at(position++));
    return { first, end: position, bytes };
  };
  const submit = (w: number) => {
    const { first, end, bytes } = takeBatch();
    const reused = batchMemory.findIndex((m) => m.byteLength >= bytes);
    const memory = reused >= 0 ? batchMemory.splice(reused, 1)[0] : new ArrayBuffer(Math.max(bytes, batchBytes));
    const { data, unreadable, transfer } = packBatch(reader, entries, first, end, new Uint8Array(memory, 0, bytes));
    const columns = table.select(entries.seqs, first, end).transfer();
    batches.set(next, { first, worker: w });
    channels.send(w, { id: next++, redact, entries: columns.table, data, unreadable, memory }, [memory, ...transfer, ...columns.memory]);
  };
  const printHere = () => {
    const { first, end, bytes } = takeBatch();
    const memory = textMemory.pop();
    const out = new TextSink(Math.max(bytes * 3, memory?.byteLength ?? 0), memory);
    const local = printBatch(out, reader, entries, first, end, state.payloadContext, redact, scratch);
    batches.set(next, { first, worker: -1, local, result: { id: next++, text: out.detach(), problems: [] } });
    heldHere++;
  };
  try {
    // Its batches are printed and let out as they come: deferred CRC checks (deferredCrc.ts) are settled
    // first, so that one failing cannot follow text already out (the workers are stopped below then).
    state.wal.deferredCrcs.settleAll();
    while (nextToYield < next || position < entries.length) {
      channels.drain();
      if (channels.failure) throw channels.failure;
      for (let w = channels.withRoom(); w >= 0 && position < entries.length; w = channels.withRoom()) submit(w);
      const batch = batches.get(nextToYield);
      if (batch?.result) {
        batches.delete(nextToYield++);
        const result = batch.result;
        if (batch.local) {
          heldHere--;
          for (const decoded of batch.local) problems.add(decoded);
        } else {
          for (const p of result.problems) problems.add({ entry: entries.at(batch.first + p.at), ok: false, problem: p.problem, message: p.message });
        }
        let released = false;
        yield {
          text: result.text,
          printedOn: batch.worker,
          release: () => {
            if (released || channels.failure || finished) return;
            released = true;
            const memory = result.text.buffer as ArrayBuffer;
            if (batch.worker >= 0) channels.recycle(batch.worker, memory);
            else if (textMemory.length < 4) textMemory.push(memory);
          },
        };
        continue;
      }
      if (position < entries.length && (!batch || heldHere < mainAhead)) {
        printHere();
        continue;
      }
      await channels.arrival();
    }
    problems.flush();
  } finally {
    reader.close();
    finished = true;
    await channels.close();
  }
}

/**
 * Entries [first, end)'s sealed data for a worker, copied into `buffer` (one buffer per batch,
 * transferred: a buffer per entry would keep the garbage collector busy). Each view is copied before the
 * next read (a read may reuse the memory a view shows); a record whose data is not the size its header
 * gave gets a buffer of its own (in `transfer`), one that does not read again a reason (`unreadable`).
 */
function packBatch(reader: SequentialEntryReader, entries: EntryList, first: number, end: number, buffer: Uint8Array): Pick<TextJob, 'data' | 'unreadable'> & { transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const unreadable: Record<number, string> = {};
  const data: Uint8Array[] = [];
  let at = 0;
  for (let i = first; i < end; i++) {
    const e = entries.at(i);
    let view: Uint8Array;
    try {
      view = reader.dataView(e);
    } catch (error) {
      unreadable[i - first] = (error as Error).message;
      data.push(new Uint8Array(0));
      continue;
    }
    if (view.length !== e.dataLength || at + view.length > buffer.length) {
      const own = new Uint8Array(view);
      transfer.push(own.buffer);
      data.push(own);
      continue;
    }
    buffer.set(view, at);
    at += view.length;
    data.push(buffer.subarray(at - view.length, at));
  }
  return { data, unreadable, transfer };
}

/** Prints entries [first, end) into `out` on this thread; returns those that did not decode, in order. */
function printBatch(
  out: TextSink, reader: SequentialEntryReader, entries: EntryList, first: number, end: number, context: PayloadContext, redact: boolean, scratch: PlainScratch,
): DecodedEntry[] {
  const failed: DecodedEntry[] = [];
  for (let i = first; i < end; i++) {
    const entry = entries.at(i);
    let decoded: DecodedEntry | undefined;
    let data: Uint8Array | undefined;
    try {
      data = reader.dataView(entry); // used before the next read
    } catch (error) {
      decoded = writeUnreadableEntryText(out, entry, error, redact);
    }
    if (data) decoded = writeSealedEntryText(out, context, entry, data, redact, scratch);
    if (decoded && !decoded.ok) failed.push(decoded);
  }
  return failed;
}
