// Waiting for a followed state directory to change: file events (fs.watch: inotify on Linux, which only
// reads) wake the follower a few milliseconds after a write, and a timer polls anyway where no events come
// (network file systems, or a directory that cannot be watched). A burst of events is one wake-up.
import { watch, type FSWatcher } from 'node:fs';

export interface ChangeWaitOptions {
  /** Wake this long after the first event of a burst (default 10 ms): one poll for a batch of writes. */
  debounceMs?: number;
  /** Wake after this long without events (default 100 ms). */
  pollMs?: number;
  /** At least this long from one wake-up to the next (default 0): fewer, larger polls under a steady stream of writes. */
  minGapMs?: number;
}

export class ChangeWait {
  private readonly watchers: FSWatcher[] = [];
  private readonly debounceMs: number;
  private readonly pollMs: number;
  private readonly minGapMs: number;
  private lastWake = 0;
  private waiting: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** An event came while nobody waited (the follower was busy): the next wait is short. */
  private eventSeen = false;

  constructor(dirs: string[], options: ChangeWaitOptions = {}) {
    this.debounceMs = options.debounceMs ?? 10;
    this.pollMs = options.pollMs ?? 100;
    this.minGapMs = options.minGapMs ?? 0;
    for (const dir of dirs) {
      try {
        const w = watch(dir, { persistent: false }, () => this.event());
        w.on('error', () => w.close()); // the timer goes on
        this.watchers.push(w);
      } catch {
        // No events here (missing directory, no inotify): the timer alone.
      }
    }
  }

  /** Whether any directory is watched (else only the timer wakes). */
  get watching(): boolean {
    return this.watchers.length > 0;
  }

  /** Resolves soon after the next change, or after pollMs. One waiter at a time. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting = resolve;
      this.timer = setTimeout(() => this.wake(), this.pollMs);
      if (this.eventSeen) this.event();
    });
  }

  close(): void {
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
    this.wake();
  }

  private event(): void {
    this.eventSeen = true;
    if (this.waiting && !this.debounce) this.debounce = setTimeout(() => this.wake(), Math.max(this.debounceMs, this.lastWake + this.minGapMs - performance.now()));
  }

  private wake(): void {
    clearTimeout(this.timer);
    clearTimeout(this.debounce);
    this.timer = this.debounce = undefined;
    this.eventSeen = false;
    this.lastWake = performance.now();
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.();
  }
}
