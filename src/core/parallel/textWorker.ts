// Worker thread entry (bundled to dist/textWorker.js): decodes and prints batches of entries. The data
// keys arrive in memory from the parent and never leave it.
import { parentPort } from 'node:worker_threads';
import type { PayloadContext } from '../state/entryPayload';
import { loadFastSecretbox } from '../crypto/secretbox';
import { runTextJob, type ToWorker } from './textJob';

let context: PayloadContext | undefined;
const cryptoLoaded = loadFastSecretbox();
/** Memory of results the main thread has written out: the next results are written into it. */
const spare: ArrayBuffer[] = [];

parentPort?.on('message', (message: ToWorker) => {
  if (message.type === 'init') {
    context = message.context;
    return;
  }
  if (message.type === 'recycle') {
    if (spare.length < 4) spare.push(message.memory);
    return;
  }
  if (!context) throw new Error('text worker: job before init');
  const ready = context;
  // Jobs queue behind the libsodium load in arrival order, so results come back in order.
  void cryptoLoaded.then(() => {
    const result = runTextJob(ready, message.job, spare.pop());
    const transfer = [result.text.buffer as ArrayBuffer];
    if (result.memory) transfer.push(result.memory);
    parentPort!.postMessage(result, transfer);
  });
});
