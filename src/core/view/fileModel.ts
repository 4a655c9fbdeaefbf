// What one opened file shows, independent of VS Code: for a WAL segment its entries (the raw record
// stream of that file, overwritten ones flagged), for a snapshot file its objects. Decoding is lazy and
// cached; `summarizeAll` fills the counts and the name index in the background, in slices.
import { basename } from 'node:path';
import type { SwarmState, DecodedEntry, DecodedSnapshot } from '../state/swarmState';
import type { SnapshotFile } from '../snap/snapshotFile';
import type { WalEntry } from '../wal/walLog';
import type { EntryDetail, EntryRow, OverviewModel } from '../../shared/protocol';
import { entryRow, summarizeEntry, type EntrySummary } from './entries';
import { entryActionObject, entryDetail, parseRevealPath, revealValue, snapshotObjectDetail } from './detail';
import { buildOverview, countRows } from './overview';
import { snapshotMembership, snapshotObjects, type SnapshotObject } from './snapshotObjects';
import type { GroupItem, TermRuns } from './grouping';

export type FileKind = 'wal' | 'snap';

/** Where an object can be looked at: an entry of this file, or an object of a snapshot. */
export type ObjectPlace = { kind: 'entry'; seq: number; action: number } | { kind: 'snapshot'; snapshot: string; position: number };

export interface RevealResult {
  text: string;
  hex: string;
  /** Valid UTF-8 text (else the webview shows hex first). */
  isText: boolean;
  /** What was revealed, for the log (never the value): the object's kind and id and the field's path. */
  kind: string;
  id: string;
  field: string;
}

export class FileModel {
  readonly fileName: string;
  /**
   * For a WAL segment: its entries are the log's seqs firstSeq .. firstSeq + entryCount - 1 (a segment's
   * entries are consecutive). Objects are made per row as asked (entryAt), not for every entry up front.
   */
  private readonly firstSeq: number = 0;
  private readonly entryCount: number = 0;
  private readonly summaries: (EntrySummary | undefined)[] = [];
  private readonly snapshots = new Map<string, { decoded: DecodedSnapshot; objects: SnapshotObject[] }>();
  private readonly names = new Map<string, string>();
  private summarized = 0;
  private summaryCount = 0;
  readonly snapshotFile?: SnapshotFile;

  constructor(
    readonly state: SwarmState,
    readonly filePath: string,
    readonly kind: FileKind,
    readonly fileSize: number,
  ) {
    this.fileName = basename(filePath);
    if (kind === 'wal') {
      const scan = state.wal.segments.find((s) => s.name === this.fileName)?.scan;
      this.firstSeq = scan?.firstSeq ?? 0;
      this.entryCount = scan?.entryCount ?? 0;
    } else {
      this.snapshotFile = state.snapshotFiles.find((f) => f.name === this.fileName);
    }
  }

  get rowCount(): number {
    return this.kind === 'wal' ? this.entryCount : this.objectsOf(this.snapshotFile)?.length ?? 0;
  }

  /** How many entries summarizeAll has decoded so far (from the first). */
  get summarizedCount(): number {
    return this.summarized;
  }

  get fullySummarized(): boolean {
    return this.kind === 'snap' || this.summaryCount >= this.entryCount;
  }

  rowOfSeq(seq: number): number | undefined {
    const row = this.kind === 'wal' ? seq - this.firstSeq : seq;
    return Number.isInteger(row) && row >= 0 && row < this.rowCount ? row : undefined;
  }

  entryBySeq(seq: number): WalEntry | undefined {
    const row = this.kind === 'wal' ? this.rowOfSeq(seq) : undefined;
    return row === undefined ? undefined : this.entryAt(row);
  }

  /** The entry of a WAL row (the log's shared object for it). */
  entryAt(row: number): WalEntry {
    return this.state.wal.entry(this.seqOfRow(row));
  }

  /**
   * A WAL model decodes any entry of the log, not only its own file's: the State view shows an object by
   * the entry that last changed it, which may be in another segment (details and reveals go through here).
   */
  decode(seq: number): DecodedEntry | undefined {
    const inLog = this.kind === 'wal' && Number.isInteger(seq) && seq >= 0 && seq < this.state.wal.table.length;
    const e = this.entryBySeq(seq) ?? (inLog ? this.state.wal.entry(seq) : undefined);
    return e ? this.state.decodeEntry(e) : undefined;
  }

  /** The summary of a WAL row (decoding it if needed). */
  summary(row: number): EntrySummary {
    let s = this.summaries[row];
    if (!s) {
      // An object of its own, not the shared one: background decoding would otherwise keep one per entry.
      s = summarizeEntry(this.state.decodeEntry(this.entryOnceAt(row)));
      if (s.status === 'locked' && this.state.keyRing.status.state === 'no-key-file') s.summary = 'encrypted: no node key (swarm-node.key) to decrypt it';
      this.summaries[row] = s;
      this.summaryCount++;
      for (const a of s.actions) if (a.id && a.name) this.names.set(`${a.kind}/${a.id}`, a.name);
    }
    return s;
  }

  summaryOfSeq(seq: number): EntrySummary | undefined {
    const row = this.kind === 'wal' ? this.rowOfSeq(seq) : undefined;
    return row === undefined ? undefined : this.summary(row);
  }

  /** Decodes every entry in slices of about `sliceMs`, yielding between them; false when cancelled. */
  async summarizeAll(isCancelled: () => boolean, onProgress?: (done: number, total: number) => void, sliceMs = 20): Promise<boolean> {
    while (this.summarized < this.entryCount) {
      if (isCancelled()) return false;
      const started = Date.now();
      do this.summary(this.summarized++);
      while (this.summarized < this.entryCount && (this.summarized % 16 !== 0 || Date.now() - started < sliceMs));
      onProgress?.(this.summarized, this.entryCount);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return true;
  }

  rows(start: number, count: number): EntryRow[] {
    const out: EntryRow[] = [];
    const end = Math.min(this.rowCount, start + Math.max(0, count));
    for (let r = Math.max(0, start); r < end; r++) out.push(this.row(r));
    return out;
  }

  row(r: number): EntryRow {
    if (this.kind === 'wal') return entryRow(this.entryOnceAt(r), this.summary(r));
    const obj = this.objectsOf(this.snapshotFile)![r];
    const f = this.snapshotFile!;
    return {
      seq: r, index: (f.snapshot?.index ?? f.nameIndex).toString(), term: (f.snapshot?.term ?? f.nameTerm).toString(), type: 'Snapshot',
      status: 'ok', summary: `${obj.kind} ${obj.name || obj.id}`, actions: [{ action: 'SNAPSHOT', kind: obj.kind, id: obj.id, name: obj.name }],
      size: 0, uncommitted: false, overwritten: false, crcOk: true,
    };
  }

  /** Row positions whose text matches `filter` (case-insensitive; index, term, type, summary, ids, names). */
  filterRows(filter: string): number[] {
    const matches = rowTextMatcher(filter);
    const out: number[] = [];
    for (let r = 0; r < this.rowCount; r++) if (matches(this.row(r))) out.push(r);
    return out;
  }

  /**
   * Row positions whose row `matches` accepts, in slices of about `sliceMs` with a turn of the event loop
   * between them (a filter over a large log takes a while); undefined when `isCancelled` says so.
   */
  async selectRows(matches: (row: EntryRow) => boolean, isCancelled: () => boolean = () => false, sliceMs = 20): Promise<number[] | undefined> {
    const out: number[] = [];
    const count = this.rowCount;
    let r = 0;
    while (r < count) {
      if (isCancelled()) return undefined;
      const started = performance.now();
      do {
        if (matches(this.row(r))) out.push(r);
        r++;
      } while (r < count && (r % 64 !== 0 || performance.now() - started < sliceMs));
      if (r < count) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return out;
  }

  /** A WAL segment's seqs, row by row. */
  rowSeqs(): number[] {
    return Array.from({ length: this.entryCount }, (_, r) => this.firstSeq + r);
  }

  /** A WAL segment's rows where the term changes (first seq and term of each run), for grouping by term. */
  termRuns(): TermRuns {
    return { runs: this.state.wal.table.termChanges(this.firstSeq, this.entryCount), end: this.firstSeq + this.entryCount };
  }

  groupItems(): GroupItem[] {
    const table = this.state.wal.table;
    const items: GroupItem[] = [];
    for (let r = 0; r < this.entryCount; r++) {
      const seq = this.firstSeq + r;
      const s = this.summaries[r];
      items.push(s ? { seq, term: table.term(seq), status: s.status, actions: s.actions, confChange: !!s.confChange, empty: s.empty } : { seq, term: table.term(seq) });
    }
    return items;
  }

  private entryOnceAt(row: number): WalEntry {
    return this.state.wal.entryOnce(this.seqOfRow(row));
  }

  private seqOfRow(row: number): number {
    if (!(row >= 0 && row < this.entryCount)) throw new RangeError(`no row ${row} in ${this.fileName} (${this.entryCount} entries)`);
    return this.firstSeq + row;
  }

  /** The raft index of the entry at `seq` (from the index: no entry object). */
  indexOfSeq = (seq: number): bigint => this.state.wal.table.index(seq);

  nameOf = (kind: string, id: string): string | undefined => this.names.get(`${kind}/${id}`);

  detail(seq: number): EntryDetail | undefined {
    if (this.kind === 'snap') {
      const obj = this.objectsOf(this.snapshotFile)?.[seq];
      return obj ? snapshotObjectDetail(this.snapshotFile!, obj, seq, this.nameOf) : undefined;
    }
    const decoded = this.decode(seq);
    // Names for the links: from the entries decoded so far and the snapshot the log continues from.
    this.snapshot(this.state.newestSnapshot);
    return decoded ? entryDetail(decoded, this.nameOf) : undefined;
  }

  /** Detail of an object of a snapshot file of this state directory (the WAL tree's snapshot node). */
  snapshotObjectDetail(snapshot: string, position: number): EntryDetail | undefined {
    const file = this.state.snapshotFiles.find((f) => f.name === snapshot);
    const obj = this.objectsOf(file)?.[position];
    // Seen from a WAL file, snapshot objects get negative sequence numbers (-1 - position): distinct from entries.
    return file && obj ? snapshotObjectDetail(file, obj, this.kind === 'snap' && file === this.snapshotFile ? position : -1 - position, this.nameOf) : undefined;
  }

  reveal(seq: number, revealPath: string): RevealResult | undefined {
    const target = parseRevealPath(revealPath);
    if (!target) return undefined;
    if (target.source === 'entry') {
      if (this.kind !== 'wal') return undefined;
      const decoded = this.decode(seq);
      const found = decoded && entryActionObject(decoded, target.action);
      const value = found && revealValue(found.object, target.path);
      return value && { ...value, kind: found.kind, id: found.id, field: target.path.join('.') };
    }
    const file = this.state.snapshotFiles.find((f) => f.name === target.snapshot);
    const obj = this.objectsOf(file)?.find((o) => o.kind === target.kind && o.id === target.id);
    const value = obj && revealValue(obj.object, target.path);
    return value && { ...value, kind: target.kind, id: target.id, field: target.path.join('.') };
  }

  /** The decoded snapshot and its objects (cached), or undefined when `file` is absent. */
  snapshot(file: SnapshotFile | undefined): { decoded: DecodedSnapshot; objects: SnapshotObject[] } | undefined {
    if (!file) return undefined;
    let s = this.snapshots.get(file.path);
    if (!s) {
      const decoded = this.state.decodeSnapshot(file);
      const objects = decoded.ok ? snapshotObjects(decoded.snapshot) : [];
      for (const o of objects) if (o.id && o.name && !this.names.has(`${o.kind}/${o.id}`)) this.names.set(`${o.kind}/${o.id}`, o.name);
      s = { decoded, objects };
      this.snapshots.set(file.path, s);
    }
    return s;
  }

  objectsOf(file: SnapshotFile | undefined): SnapshotObject[] | undefined {
    return this.snapshot(file)?.objects;
  }

  /**
   * Where to look at an object as a replayed store holds it: the entry at `changedAt` (any segment of the
   * log) that last changed it, else the snapshot the store was restored from (`base`).
   */
  placeInStore(kind: string, id: string, changedAt: bigint | undefined, base: string | undefined): ObjectPlace | undefined {
    if (changedAt !== undefined && this.kind === 'wal') {
      const wal = this.state.wal;
      const seq = wal.effectiveSeqsAfter(changedAt - 1n).first;
      const decoded = seq !== undefined && wal.table.index(seq) === changedAt ? this.decode(seq) : undefined;
      const action = decoded ? summarizeEntry(decoded).actions.findIndex((a) => a.kind === kind && a.id === id) : -1;
      if (seq !== undefined && action >= 0) return { kind: 'entry', seq, action };
    }
    const file = this.state.snapshotFiles.find((f) => f.name === base);
    const position = this.objectsOf(file)?.findIndex((o) => o.kind === kind && o.id === id) ?? -1;
    return file && position >= 0 ? { kind: 'snapshot', snapshot: file.name, position } : undefined;
  }

  /** Where to look at an object: the last entry of this file that wrote it, else the newest snapshot that holds it. */
  findObject(kind: string, id: string): ObjectPlace | undefined {
    if (this.kind === 'wal') {
      for (let r = this.entryCount - 1; r >= 0; r--) {
        const i = this.summary(r).actions.findIndex((a) => a.kind === kind && a.id === id);
        if (i >= 0) return { kind: 'entry', seq: this.firstSeq + r, action: i };
      }
    }
    const files = [...this.state.snapshotFiles].reverse();
    if (this.snapshotFile) files.unshift(this.snapshotFile);
    for (const f of files) {
      const position = this.objectsOf(f)?.findIndex((o) => o.kind === kind && o.id === id) ?? -1;
      if (position >= 0) return { kind: 'snapshot', snapshot: f.name, position };
    }
    return undefined;
  }

  overview(): OverviewModel {
    const base = buildOverview({
      state: this.state, filePath: this.filePath, fileName: this.fileName, fileKind: this.kind, fileSize: this.fileSize,
      summaries: this.kind === 'wal' ? this.summaries : [], rowCount: this.rowCount, counting: !this.fullySummarized,
    });
    if (this.kind === 'wal' || !this.snapshotFile) return base;
    const f = this.snapshotFile;
    const s = this.snapshot(f)!;
    const objects = s.objects.map((o) => ({ status: 'ok' as const, summary: '', actions: [{ action: 'SNAPSHOT' as const, kind: o.kind, id: o.id, name: o.name }] }));
    const membership = s.decoded.ok ? snapshotMembership(s.decoded.snapshot) : { members: [], removed: [] };
    return {
      ...base,
      ...countRows(objects, 'snap'),
      byAction: [{ label: 'objects', count: objects.length }],
      snapshot: {
        index: (f.snapshot?.index ?? f.nameIndex).toString(),
        term: (f.snapshot?.term ?? f.nameTerm).toString(),
        confState: (f.snapshot?.confStateNodes ?? []).map((n) => n.toString(16)),
        ...membership,
        ...(s.decoded.ok && s.decoded.keyLabel ? { dataKey: s.decoded.keyLabel } : {}),
        ...(!s.decoded.ok ? { problem: s.decoded.message } : {}),
      },
    };
  }
}

/** Whether a row's text contains `filter` (case-insensitive; index, term, type, summary, status, actions, ids, names): the table's filter box. */
export function rowTextMatcher(filter: string): (row: EntryRow) => boolean {
  const needle = filter.trim().toLowerCase();
  return (row) => [`#${row.index}`, `term ${row.term}`, row.type, row.summary, row.status, ...row.actions.flatMap((a) => [a.action, a.kind, a.id, a.name])].join(' ').toLowerCase().includes(needle);
}
