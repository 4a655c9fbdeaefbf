// Reading every selected entry's data once, in log order (an export): one file open at a time, its
// windows read into one reused buffer. The state's own windows allocate a fresh 4 MB buffer per window
// (views of them may be kept), which costs a page fault per 4 KB: a tenth of a 195 MB export.
import { FileWindow, WindowMemory } from '../io/fileWindow';
import { entryDataView, type EntryRef } from './segment';

export class SequentialEntryReader {
  private current: FileWindow | undefined;

  /** `memory`: the window's buffer, e.g. the index scan's (WalLog.takeScanMemory). */
  constructor(private readonly memory = new WindowMemory()) {}

  /** The entry's (sealed) data: a view valid until the next call. Copy it to keep or transfer it. */
  dataView(entry: Pick<EntryRef, 'file' | 'offset' | 'recordLength' | 'dataAt' | 'dataLength'>): Uint8Array {
    if (this.current?.path !== entry.file) {
      this.current?.close();
      this.current = undefined;
      this.current = new FileWindow(entry.file, { reuseWindow: this.memory });
    }
    return entryDataView(this.current, entry);
  }

  close(): void {
    this.current?.close();
    this.current = undefined;
  }
}
