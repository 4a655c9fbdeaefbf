// Reading every selected entry's data once, in log order (an export): one file open at a time, its
// windows read into one reused buffer. The state's own windows allocate a fresh 4 MB buffer per window
// (views of them may be kept), which costs a page fault per 4 KB: a tenth of a 195 MB export.
import { FileWindow, WindowMemory } from '../io/fileWindow';
import { checkedEntryDataView, type DeferredCrcs, type EntryRefPlace } from './deferredCrc';
import type { RecordPrefetch, VerifiedBox } from './recordPrefetch';
import { entryDataView } from './segment';

/** The window for the other records while the big ones are read ahead (recordPrefetch.ts). */
const PREFETCHING_WINDOW_BYTES = 64 * 1024;

export class SequentialEntryReader {
  private current: FileWindow | undefined;

  /**
   * `memory`: the window's buffer, e.g. the index scan's (WalLog.takeScanMemory). `deferred`: the log's
   * deferred CRC checks, settled as their records are read (DeferredCrcMismatch when one fails).
   * `prefetch`: those records read and checked ahead on another thread, where it could start.
   */
  constructor(
    private readonly memory = new WindowMemory(),
    private readonly deferred?: DeferredCrcs,
    private readonly prefetch?: RecordPrefetch,
  ) {}

  /** The sealed box in the last view when it came from the prefetch (its tag checked; maybe only in part there). */
  get verifiedBox(): VerifiedBox | undefined {
    return this.prefetch?.verifiedBox;
  }

  /** The entry's (sealed) data: a view valid until the next call. Copy it to keep or transfer it. */
  dataView(entry: EntryRefPlace): Uint8Array {
    if (this.prefetch && this.deferred) {
      const prefetched = this.prefetch.dataView(entry, this.deferred);
      if (prefetched) return prefetched;
    }
    return this.fileDataView(entry);
  }

  private fileDataView(entry: EntryRefPlace): Uint8Array {
    if (this.current?.path !== entry.file) {
      this.current?.close();
      this.current = undefined;
      // With the big records read ahead elsewhere, a window the usual size would mostly copy them again.
      this.current = new FileWindow(entry.file, { reuseWindow: this.memory, windowBytes: this.prefetch ? PREFETCHING_WINDOW_BYTES : undefined });
    }
    return this.deferred?.size ? checkedEntryDataView(this.current, entry, this.deferred) : entryDataView(this.current, entry);
  }

  /** The entry's data read whole the usual way, after a view of it from the prefetch fell short (PartialRecord). */
  dataViewReadAgain(entry: EntryRefPlace): Uint8Array {
    if (this.deferred) this.prefetch?.unsettleLast(this.deferred);
    return this.fileDataView(entry);
  }

  close(): void {
    this.prefetch?.close();
    this.current?.close();
    this.current = undefined;
  }
}
