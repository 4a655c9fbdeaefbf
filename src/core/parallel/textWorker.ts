// Worker thread entry (bundled to dist/textWorker.js): decodes and prints batches of entries. The data
// keys arrive in memory from the parent and never leave it.
import { parentPort } from 'node:worker_threads';
import type { PayloadContext } from '../state/entryPayload';
import { runTextJob, type ToWorker } from './textJob';

let context: PayloadContext | undefined;

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    context = message.context;
    return;
  }
  if (!context) throw new Error('text worker: job before init');
  parentPort!.postMessage(runTextJob(context, message.job));
});
