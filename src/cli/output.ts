// Buffered stdout/stderr for the CLI: output is written in ~64 KB batches (stdout to a file or pipe is
// synchronous on Linux, so memory stays flat however large the log), and faults go to stderr as
// "<file>:<offset>: <what is wrong>".
import { formatFault, type Fault } from '../core/errors';

const BATCH_CHARS = 64 * 1024;

export class Output {
  private pending: string[] = [];
  private pendingChars = 0;

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= BATCH_CHARS) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    process.stdout.write(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }
}

export function reportFaults(faults: Fault[]): void {
  for (const f of faults) process.stderr.write(`${formatFault({ ...f, message: f.severity === 'warning' ? `warning: ${f.message}` : f.message })}\n`);
}
