// The main thread's side of the text workers: a channel to each, whether each has loaded, how many
// batches each holds. Results come on the channels, taken with receiveMessageOnPort between two batches
// the main thread prints (no turn of the event loop needed) or awaited when it has nothing else to do.
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { PayloadContext } from '../state/entryPayload';
import type { FromWorker, TextJob, TextJobResult, ToWorker } from './textJob';

/** Batches a worker holds at most: one it prints, one queued behind it. */
const HELD_PER_WORKER = 2;

export class TextWorkerChannels {
  /** Per worker: it has loaded and takes jobs at once. */
  private readonly ready: boolean[];
  private readonly held: number[];
  private readonly ports: MessagePort[];
  private wake: (() => void) | undefined;
  /** The first error a worker raised. */
  failure: Error | undefined;

  /**
   * `readyFromStart`: hand jobs to workers still loading (they queue there), for a main thread that does
   * not print; `onResult` gets each job's result as it is taken.
   */
  constructor(private readonly workers: Worker[], context: PayloadContext, readyFromStart: boolean, private readonly onResult: (result: TextJobResult) => void) {
    this.ready = workers.map(() => readyFromStart);
    this.held = workers.map(() => 0);
    this.ports = workers.map((w, i) => {
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ type: 'init', context, port: port2 } satisfies ToWorker, [port2]);
      port1.on('message', (message: FromWorker) => {
        this.take(i, message);
        this.wake?.();
      });
      w.on('error', (e) => {
        this.failure ??= e;
        this.wake?.();
      });
      return port1;
    });
  }

  /** Takes the messages that have arrived so far. */
  drain(): void {
    for (let w = 0; w < this.ports.length; w++) {
      for (let m = receiveMessageOnPort(this.ports[w]); m; m = receiveMessageOnPort(this.ports[w])) this.take(w, m.message as FromWorker);
    }
  }

  /** A worker that has loaded and has room for a batch, or -1. */
  withRoom(): number {
    for (let w = 0; w < this.workers.length; w++) if (this.ready[w] && this.held[w] < HELD_PER_WORKER) return w;
    return -1;
  }

  send(w: number, job: TextJob, transfer: ArrayBuffer[]): void {
    this.held[w]++;
    this.ports[w].postMessage({ type: 'job', job } satisfies ToWorker, transfer);
  }

  /** Hands the memory of a result written out back to its worker, for a later one. */
  recycle(w: number, memory: ArrayBuffer): void {
    this.ports[w].postMessage({ type: 'recycle', memory } satisfies ToWorker, [memory]);
  }

  /** Resolves once a message or an error arrives. */
  async arrival(): Promise<void> {
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
  }

  async close(): Promise<void> {
    for (const port of this.ports) port.close();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private take(w: number, message: FromWorker): void {
    if (message.type === 'ready') {
      this.ready[w] = true;
      return;
    }
    this.held[w]--;
    this.onResult(message.result);
  }
}
