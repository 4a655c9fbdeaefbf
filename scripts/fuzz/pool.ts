// Child processes that run fuzz jobs, each with a time limit: a job past its limit is a hang (the child
// is killed with SIGKILL and replaced), a child that dies is a crash. Only children started here are
// ever signalled, by their own pid.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Job, JobResult } from './worker';

const WORKER = join(__dirname, 'worker.ts');

export type JobOutcome = JobResult | { id: number; failure: 'hang' | 'crash'; detail: string; ms: number };

export class Worker {
  private child!: ChildProcess;
  private ready!: Promise<void>;
  private pending?: { job: Job; resolve: (o: JobOutcome) => void; timer: NodeJS.Timeout; started: number };
  private stderr = '';

  constructor(private readonly heapMb: number) {
    this.spawn();
  }

  private spawn(): void {
    this.stderr = '';
    this.child = fork(WORKER, [], {
      execArgv: ['--import', 'tsx', '--expose-gc', `--max-old-space-size=${this.heapMb}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.ready = new Promise((resolve) => this.child.once('message', () => resolve()));
    this.child.on('message', (m: JobResult | { ready: true }) => {
      if (!('id' in m) || !this.pending || m.id !== this.pending.job.id) return;
      this.finish(m);
    });
    this.child.on('exit', (code, signal) => {
      if (this.pending) this.finish({ id: this.pending.job.id, failure: 'crash', detail: `worker exited (code ${code}, signal ${signal}): ${this.stderr.trim().split('\n').slice(-6).join(' | ')}`, ms: Date.now() - this.pending.started });
    });
  }

  private finish(outcome: JobOutcome): void {
    const p = this.pending!;
    clearTimeout(p.timer);
    this.pending = undefined;
    p.resolve(outcome);
  }

  async run(job: Job, timeoutMs: number): Promise<JobOutcome> {
    await this.ready;
    const outcome = await new Promise<JobOutcome>((resolve) => {
      const timer = setTimeout(() => {
        const started = this.pending!.started;
        this.pending = undefined;
        this.child.removeAllListeners('exit');
        this.child.kill('SIGKILL');
        resolve({ id: job.id, failure: 'hang', detail: `no answer within ${timeoutMs} ms`, ms: Date.now() - started });
      }, timeoutMs);
      this.pending = { job, resolve, timer, started: Date.now() };
      this.child.send(job);
    });
    if ('failure' in outcome) {
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
      this.spawn();
    }
    return outcome;
  }

  close(): void {
    this.child.removeAllListeners('exit');
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
