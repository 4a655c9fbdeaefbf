// Worker thread entry (bundled to dist/textWorker.js): decodes and prints batches of entries. The data
// keys arrive in memory from the parent and never leave it.
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { PayloadContext } from '../state/entryPayload';
import { loadFastSecretbox } from '../crypto/secretbox';
import { runTextJob, type FromWorker, type ToWorker } from './textJob';

const cryptoLoaded = loadFastSecretbox();
/** Memory of results the main thread has written out: the next results are written into it. */
const spare: ArrayBuffer[] = [];

parentPort?.on('message', (message: ToWorker) => {
  if (message.type !== 'init') throw new Error(`text worker: ${message.type} before init`);
  const { context, port } = message;
  port.on('message', (m: ToWorker) => serve(context, port, m));
  void cryptoLoaded.then(() => port.postMessage({ type: 'ready' } satisfies FromWorker));
});

function serve(context: PayloadContext, port: MessagePort, message: ToWorker): void {
  if (message.type === 'recycle') {
    if (spare.length < 4) spare.push(message.memory);
    return;
  }
  if (message.type !== 'job') throw new Error('text worker: init twice');
  // Jobs queue behind loadFastSecretbox (the WebAssembly build's load, where the native addon does not
  // load) in arrival order, so results come back in order.
  void cryptoLoaded.then(() => {
    const result = runTextJob(context, message.job, spare.pop());
    const transfer = [result.text.buffer as ArrayBuffer];
    if (result.memory) transfer.push(result.memory);
    port.postMessage({ type: 'done', result } satisfies FromWorker, transfer);
  });
}
