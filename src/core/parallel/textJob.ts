// A batch of entries for a worker thread: their headers and still-sealed data in, their dump-wal text
// out. Problems come back per entry so the main thread reports them in log order, as a serial dump would.
import { entryText } from '../report/dumpWal';
import { decodeEntryPayload, type PayloadContext } from '../state/entryPayload';
import type { PayloadProblem } from '../state/swarmState';
import type { WalEntry } from '../wal/walLog';

export interface TextJob {
  id: number;
  redact: boolean;
  entries: WalEntry[];
  data: Uint8Array[];
}

export interface TextJobResult {
  id: number;
  text: string;
  problems: { at: number; problem: PayloadProblem; message: string }[];
}

export type ToWorker = { type: 'init'; context: PayloadContext } | { type: 'job'; job: TextJob };

export function runTextJob(context: PayloadContext, job: TextJob): TextJobResult {
  const parts: string[] = [];
  const problems: TextJobResult['problems'] = [];
  job.entries.forEach((entry, at) => {
    const decoded = decodeEntryPayload(context, entry, job.data[at]);
    if (!decoded.ok) problems.push({ at, problem: decoded.problem, message: decoded.message });
    parts.push(entryText(decoded, job.redact));
  });
  return { id: job.id, text: parts.join(''), problems };
}
