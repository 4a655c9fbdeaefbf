// Buffered stdout for the CLI: output is written in ~64 KB batches, and faults go to stderr as
// "<file>:<offset>: <what is wrong>". Long outputs go through pipe(), which waits whenever the reader is
// behind: stdout to a pipe is asynchronous in Node, and a dump that never yields would otherwise queue
// its whole text in memory (1.5 GB for a 195 MB log piped into `less`).
import { once } from 'node:events';
import { formatFault, type Fault } from '../core/errors';

const BATCH_CHARS = 64 * 1024;

export class Output {
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly stream: NodeJS.WritableStream & { writableNeedDrain?: boolean } = process.stdout) {}

  /** Text is batched; bytes (already a batch, e.g. from the worker threads) go out as they are. */
  write(text: string | Uint8Array): void {
    if (typeof text !== 'string') {
      this.flush();
      this.stream.write(text);
      return;
    }
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= BATCH_CHARS) this.flush();
  }

  /** Writes every chunk, pausing while the stream's buffer is full. */
  async pipe(chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
    for await (const chunk of chunks) {
      this.write(chunk);
      if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
    }
  }

  /** Writes byte chunks, handing each one's memory back (release) once the stream has written it. */
  async pipeReleasing(chunks: Iterable<{ text: Uint8Array; release(): void }> | AsyncIterable<{ text: Uint8Array; release(): void }>): Promise<void> {
    for await (const chunk of chunks) {
      this.flush();
      this.stream.write(chunk.text, () => chunk.release());
      if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
      // A write that finished at once (a file, or a pipe on Linux) calls back on the next tick: let it,
      // so the next batch reuses this memory (a synchronous source would otherwise starve the tick queue).
      else await new Promise<void>((resolve) => process.nextTick(resolve));
    }
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }
}

export function reportFaults(faults: Fault[]): void {
  for (const f of faults) process.stderr.write(`${formatFault({ ...f, message: f.severity === 'warning' ? `warning: ${f.message}` : f.message })}\n`);
}
