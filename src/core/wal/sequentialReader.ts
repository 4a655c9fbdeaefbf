// Reading every selected entry's data once, in log order (an export): one file open at a time, its
// windows read into one reused buffer. The state's own windows allocate a fresh 4 MB buffer per window
// (views of them may be kept), which costs a page fault per 4 KB: a tenth of a 195 MB export.
import { FileWindow, WindowMemory } from '../io/fileWindow';
import { checkedEntryDataView, type DeferredCrcs, type EntryRefPlace } from './deferredCrc';
import { entryDataView } from './segment';

export class SequentialEntryReader {
  private current: FileWindow | undefined;

  /**
   * `memory`: the window's buffer, e.g. the index scan's (WalLog.takeScanMemory). `deferred`: the log's
   * deferred CRC checks, settled as their records are read (DeferredCrcMismatch when one fails).
   */
  constructor(
    private readonly memory = new WindowMemory(),
    private readonly deferred?: DeferredCrcs,
  ) {}

  /** The entry's (sealed) data: a view valid until the next call. Copy it to keep or transfer it. */
  dataView(entry: EntryRefPlace): Uint8Array {
    if (this.current?.path !== entry.file) {
      this.current?.close();
      this.current = undefined;
      this.current = new FileWindow(entry.file, { reuseWindow: this.memory });
    }
    return this.deferred?.size ? checkedEntryDataView(this.current, entry, this.deferred) : entryDataView(this.current, entry);
  }

  close(): void {
    this.current?.close();
    this.current = undefined;
  }
}
