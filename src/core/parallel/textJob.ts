// A batch of entries for a worker thread: their headers and still-sealed data in, their dump-wal text
// out, as bytes. Problems come back per entry so the main thread reports them in log order, as a serial dump would.
import type { MessagePort } from 'node:worker_threads';
import { PlainScratch } from '../crypto/secretbox';
import { writeSealedEntryText, writeUnreadableEntryText } from '../report/dumpWal';
import type { PayloadContext } from '../state/entryPayload';
import type { PayloadProblem } from '../state/swarmState';
import { TextSink } from '../text/textSink';
import { EntryTable, type TransferredTable } from '../wal/entryTable';

export interface TextJob {
  id: number;
  redact: boolean;
  /** The batch's entries (positions 0..n-1: data[i] is entry i's). */
  entries: TransferredTable;
  data: Uint8Array[];
  /** Entries whose record did not decode when read again, by position: why. */
  unreadable?: Record<number, string>;
  /** The memory `data` lies in: handed back with the result for a later batch. */
  memory?: ArrayBuffer;
}

export interface TextJobResult {
  id: number;
  /** The text as UTF-8 (transferred, not copied, to the main thread). */
  text: Uint8Array;
  problems: { at: number; problem: PayloadProblem; message: string }[];
  /** The job's `memory`, done with. */
  memory?: ArrayBuffer;
}

/** To a worker: `init` through its parentPort, carrying the channel every later message takes. */
export type ToWorker =
  | { type: 'init'; context: PayloadContext; port: MessagePort }
  | { type: 'job'; job: TextJob }
  /** The memory of an earlier result, written out and handed back for the next one. */
  | { type: 'recycle'; memory: ArrayBuffer };

/** From a worker, on the channel `init` gave it: it has loaded (and takes jobs at once), or a job's text. */
export type FromWorker = { type: 'ready' } | { type: 'done'; result: TextJobResult };

/** Plaintexts, printed before the next is opened (one per thread: this module's). */
const scratch = new PlainScratch();

/** `memory`: where to write the text if it is large enough (the result then hands it over, not a copy). */
export function runTextJob(context: PayloadContext, job: TextJob, memory?: ArrayBuffer): TextJobResult {
  const out = new TextSink(job.data.reduce((n, d) => n + d.length, 0) * 3, memory);
  const problems: TextJobResult['problems'] = [];
  const entries = EntryTable.received(job.entries);
  for (let at = 0; at < entries.length; at++) {
    const entry = entries.entry(at);
    const why = job.unreadable?.[at];
    const decoded = why === undefined
      ? writeSealedEntryText(out, context, entry, job.data[at], job.redact, scratch)
      : writeUnreadableEntryText(out, entry, new Error(why), job.redact);
    if (decoded && !decoded.ok) problems.push({ at, problem: decoded.problem, message: decoded.message });
  }
  return { id: job.id, text: out.detach(), problems, memory: job.memory };
}
