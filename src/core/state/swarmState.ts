// One opened state directory: layout, identity, keys, the WAL index and the snapshot files. Entry and
// snapshot payloads are decrypted and decoded on demand, so opening is cheap and bounded by the index.
import type { Message } from 'protobufjs';
import { Messages } from '../codec';
import { openRecord } from '../crypto/maybeEncrypted';
import { RaftReadError, type Fault } from '../errors';
import { FileWindow, withFile } from '../io/fileWindow';
import { readNodeIdentity, type NodeIdentity } from '../keys/certificate';
import { buildKeyRing, type KeyRing } from '../keys/keyRing';
import { join } from 'node:path';
import { listSnapshotFiles, listSnapshotNames, newestValidSnapshot, readSnapshotFile, type SnapshotFile } from '../snap/snapshotFile';
import { checkedEntryDataView, DeferredCrcMismatch } from '../wal/deferredCrc';
import { readEntryData } from '../wal/segment';
import { EntryList, readWalDirectorySteps, type WalEntry, WalLog } from '../wal/walLog';
import { runSteps, runStepsInSlices, type Steps } from '../steps';
import { decodeEntryPayload, unreadableRecord, unsealPayload, type PayloadContext, type Unsealed } from './entryPayload';
import { fileExists, layoutOf, type StateLayout } from './layout';

export { decodeRaftMember } from './entryPayload';

export interface OpenOptions {
  unlockKey?: string;
  /** Older copies of swarm-node.key whose data keys open entries written before a rotation. */
  keyFiles?: string[];
  /** Use this node key instead of certificates/swarm-node.key (e.g. when the copy lacks certificates). */
  nodeKeyFile?: string;
  /** Leave the CRC checks of big entry records to the reader of their data (ReadWalOptions.deferCrcFrom). */
  deferCrcFrom?: number;
}

export interface RaftMemberInfo {
  raftId: bigint;
  nodeId: string;
  addr: string;
}

export interface ConfChangeInfo {
  id: bigint;
  type: number;
  nodeId: bigint;
  member?: RaftMemberInfo;
}

/** Why a payload could not be shown; `earlier-key` = covered by a snapshot and sealed with a retired key. */
export type PayloadProblem = 'locked' | 'earlier-key' | 'undecryptable' | 'corrupt';

export type DecodedEntry =
  | { entry: WalEntry; ok: true; keyLabel?: string; kind: 'normal'; request: Message; plain: Uint8Array }
  | { entry: WalEntry; ok: true; keyLabel?: string; kind: 'confChange'; confChange: ConfChangeInfo; plain: Uint8Array }
  | { entry: WalEntry; ok: false; problem: PayloadProblem; message: string };

export type DecodedSnapshot =
  | { file: SnapshotFile; ok: true; snapshot: Message; keyLabel?: string; plain: Uint8Array }
  | { file: SnapshotFile; ok: false; problem: PayloadProblem; message: string };

export class SwarmState {
  private identityRead: NodeIdentity | undefined;
  readonly keyRing: KeyRing;
  readonly wal: WalLog;
  private snapshotList: SnapshotFile[];
  /** Set when the data keys open none of the newest records: another manager's node key (or an old copy). */
  readonly keysOpenNothing: Fault | undefined;
  private readonly files = new Map<string, FileWindow>();
  private context: PayloadContext | undefined;

  private constructor(readonly layout: StateLayout, parts: { keyRing: KeyRing; wal: WalLog | undefined }) {
    this.keyRing = parts.keyRing;
    this.wal = parts.wal ?? new WalLog(layout.walDir);
    this.snapshotList = listSnapshotFiles(layout.snapDir);
    // Without the WAL the key check would open the whole snapshot a second time, to no end: opening the
    // snapshot itself says whether the keys fit.
    this.keysOpenNothing = parts.wal ? this.checkKeys() : undefined;
  }

  /** The snapshot files, oldest first (re-listed by refreshSnapshots while a live state is followed). */
  get snapshotFiles(): SnapshotFile[] {
    return this.snapshotList;
  }

  /** Every fault found so far: keys, the WAL index (which grows while followed) and the snapshot files. */
  get faults(): Fault[] {
    return [
      ...this.keyRing.faults,
      ...(this.keysOpenNothing ? [this.keysOpenNothing] : []),
      ...this.wal.faults,
      ...this.snapshotList.flatMap((s) => (s.fault ? [s.fault] : [])),
    ];
  }

  /**
   * Lists the snapshot directory again (a followed manager wrote a new snapshot or removed an old one):
   * new files are read, known ones kept as they are. Returns the names added and gone.
   */
  refreshSnapshots(): { added: string[]; gone: string[] } {
    const names = listSnapshotNames(this.layout.snapDir);
    const known = new Map(this.snapshotList.map((f) => [f.name, f]));
    const added = names.filter((n) => !known.has(n));
    const gone = this.snapshotList.filter((f) => !names.includes(f.name)).map((f) => f.name);
    if (added.length === 0 && gone.length === 0) return { added, gone };
    this.snapshotList = names.map((n) => known.get(n) ?? readSnapshotFile(join(this.layout.snapDir, n)));
    this.context = undefined; // its snapshot indexes changed
    return { added, gone };
  }

  static open(stateDir: string, options: OpenOptions = {}): SwarmState {
    return runSteps(SwarmState.openSteps(stateDir, options));
  }

  /** The same open in slices with a turn of the event loop between them (indexing a large log takes a while). */
  static openInSlices(stateDir: string, options: OpenOptions = {}, sliceMs?: number): Promise<SwarmState> {
    return runStepsInSlices(SwarmState.openSteps(stateDir, options), sliceMs);
  }

  /**
   * The keys and the snapshot files only, for commands that read no WAL entry (dump-snapshot): indexing
   * the log was half of their time. `wal` is then an empty log and its faults are not looked for.
   */
  static openSnapshotsOnly(stateDir: string, options: OpenOptions = {}): SwarmState {
    return runSteps(SwarmState.openSteps(stateDir, options, false));
  }

  /** Opening as steps: the WAL index yields every few hundred records. */
  static *openSteps(stateDir: string, options: OpenOptions = {}, indexWal = true): Steps<SwarmState> {
    const layout = layoutOf(stateDir);
    if (!layout) {
      throw new RaftReadError(`no raft/wal-v3-encrypted, raft/wal-v3 or raft/wal directory: not a swarm state directory (point at the folder that holds raft/ and certificates/)`, stateDir, 0);
    }
    const keyRing: KeyRing = layout.encrypted
      ? buildKeyRing({ nodeKeyFile: options.nodeKeyFile ?? layout.nodeKeyFile, unlockKey: options.unlockKey, extraKeyFiles: options.keyFiles })
      : { keys: [], status: { state: 'not-encrypted' }, faults: [] };
    const wal = indexWal ? yield* readWalDirectorySteps(layout.walDir, { deferCrcFrom: options.deferCrcFrom }) : undefined;
    yield;
    return new SwarmState(layout, { keyRing, wal });
  }

  /**
   * The node and cluster ids of the node certificate ({} without one), read when first asked: parsing it
   * loads Node's crypto module (~8 ms), which an export never needs.
   */
  get identity(): NodeIdentity {
    return (this.identityRead ??= fileExists(this.layout.nodeCertFile) ? safeIdentity(this.layout.nodeCertFile) : {});
  }

  /** The snapshot the reference tool loads: the newest that reads and passes its CRC. */
  get newestSnapshot(): SnapshotFile | undefined {
    return newestValidSnapshot(this.snapshotFiles);
  }

  get canDecrypt(): boolean {
    return !this.layout.encrypted || this.keyRing.keys.length > 0;
  }

  /** Entries as the reference lists them: the effective log above the snapshot's index. */
  entriesAfter(snapshot: SnapshotFile | undefined = this.newestSnapshot): EntryList {
    return new EntryList(this.wal, this.wal.effectiveSeqsAfter(snapshot?.snapshot?.index ?? 0n));
  }

  /** The whole effective log as a list (objects made as they are read). */
  get effectiveEntries(): EntryList {
    return new EntryList(this.wal, this.wal.effectiveSeqs);
  }

  decodeEntry(entry: WalEntry): DecodedEntry {
    let data: Uint8Array;
    try {
      data = this.readEntryData(this.file(entry.file), entry);
    } catch (e) {
      if (e instanceof DeferredCrcMismatch) throw e;
      return unreadableRecord(entry, e);
    }
    return decodeEntryPayload(this.payloadContext, entry, data);
  }


  /** The entry's data as an own copy, its record's deferred CRC check settled first (if the open deferred any). */
  private readEntryData(file: FileWindow, entry: WalEntry): Uint8Array {
    return this.wal.deferredCrcs.size ? Uint8Array.from(checkedEntryDataView(file, entry, this.wal.deferredCrcs)) : readEntryData(file, entry);
  }

  /** What decoding needs, as plain values (keys included: never log or persist it). */
  get payloadContext(): PayloadContext {
    this.context ??= {
      encrypted: this.layout.encrypted,
      keys: this.keyRing.keys,
      keyState: this.keyRing.status.state,
      foreignKeys: this.keysOpenNothing !== undefined,
      snapshotIndexes: this.snapshotFiles.flatMap((s) => (s.snapshot ? [s.snapshot.index] : [])),
    };
    return this.context;
  }

  decodeSnapshot(file: SnapshotFile): DecodedSnapshot {
    const opened = this.unsealSnapshot(file);
    if (!opened.ok) return opened;
    try {
      return { file, ok: true, snapshot: Messages.swarmSnapshot.decode(opened.plain), keyLabel: opened.keyLabel, plain: opened.plain };
    } catch (e) {
      return { file, ok: false, problem: 'corrupt', message: `${file.path}: decrypted snapshot does not decode (${(e as Error).message})` };
    }
  }

  /** The snapshot's decrypted bytes (a docker.swarmkit.v1.Snapshot), or why they cannot be had. */
  unsealSnapshot(file: SnapshotFile): { file: SnapshotFile; ok: true; plain: Uint8Array; keyLabel?: string } | (DecodedSnapshot & { ok: false }) {
    if (!file.snapshot) return { file, ok: false, problem: 'corrupt', message: file.fault ? `${file.fault.file}:${file.fault.offset}: ${file.fault.message}` : 'unreadable snapshot' };
    const opened = this.unseal(file.snapshot.data, undefined);
    if (!opened.ok) return { file, ...opened, message: `${file.path}: ${opened.message}` };
    return { file, ok: true, plain: opened.plain, keyLabel: opened.keyLabel };
  }

  private unseal(data: Uint8Array, index: bigint | undefined): Unsealed {
    return unsealPayload(this.payloadContext, data, index);
  }

  /**
   * The newest entries and the newest snapshot are sealed with the current raft-dek (or raft-dek-pending).
   * When none of a few of them opens, the node key is not this manager's: each manager has its own data
   * key, so every record would fail. One fault says so, instead of a puzzle per entry.
   */
  private checkKeys(): Fault | undefined {
    if (!this.layout.encrypted || this.keyRing.keys.length === 0) return undefined;
    const keys = this.keyRing.keys.map((k) => k.key);
    let refused = 0;
    const tryOpen = (read: () => Uint8Array): boolean => {
      try {
        const r = openRecord(read(), keys);
        if (r.ok) return true;
        if (r.reason === 'no-key') refused++;
      } catch (e) {
        if (e instanceof DeferredCrcMismatch) throw e;
        // A damaged record proves nothing either way.
      }
      return false;
    };
    const { table, effectiveSeqs } = this.wal;
    for (let i = effectiveSeqs.length - 1, tried = 0; i >= 0 && tried < KEY_CHECK_ENTRIES; i--) {
      if (!table.crcOk(effectiveSeqs.at(i))) continue;
      tried++;
      const e = table.entry(effectiveSeqs.at(i));
      // A small window: a 4 MB one would be read (and its memory touched) for a few hundred bytes.
      if (tryOpen(() => withFile(e.file, (f) => this.readEntryData(f, e), { windowBytes: 64 * 1024 }))) return undefined;
    }
    const snapshot = this.newestSnapshot?.snapshot;
    if (snapshot && tryOpen(() => snapshot.data)) return undefined;
    if (refused === 0) return undefined;
    const keyFile = this.keyRing.nodeKey?.file ?? 'swarm-node.key';
    return { file: keyFile, offset: 0, severity: 'error', message: `its data keys open none of the ${refused} newest record(s) of ${this.layout.stateDir}: ${OTHER_KEY}` };
  }

  /**
   * Reads entries through 256 KB windows from now on, for reading here and there rather than straight
   * through: a followed log is read a few new entries at a time (a 4 MB window would read the
   * preallocated zeros after them on every change), and the extension's table asks for pages anywhere
   * while its background decoding reads on elsewhere (each moving the other's 4 MB window: page requests
   * took up to 286 ms in the extension host instead of 37, the fresh 4 MB buffers driving its collector).
   */
  useSmallReadWindows(): void {
    this.windowBytes = SMALL_READ_WINDOW_BYTES;
    this.dropFileWindows();
  }

  /** The bytes each read window of an entry's file holds (FileWindow's default unless useSmallReadWindows()). */
  get readWindowBytes(): number | undefined {
    return this.windowBytes;
  }

  private windowBytes: number | undefined;

  private file(path: string): FileWindow {
    let f = this.files.get(path);
    if (!f) {
      f = new FileWindow(path, { windowBytes: this.windowBytes });
      this.files.set(path, f);
    }
    return f;
  }

  /** Drops the cached read windows (a followed file changed under them); files are opened again when read. */
  dropFileWindows(): void {
    for (const f of this.files.values()) f.close();
    this.files.clear();
  }

  close(): void {
    this.dropFileWindows();
  }
}

/** See useSmallReadWindows. */
export const SMALL_READ_WINDOW_BYTES = 256 * 1024;

/** How many of the newest entries the key check tries before concluding that the keys are foreign. */
const KEY_CHECK_ENTRIES = 3;

const OTHER_KEY = "the node key is probably another manager's (each manager has its own data key) or an old copy; use the swarm-node.key of the manager that wrote this directory";

/** Why no data key is available, by key-ring state. */

function safeIdentity(certFile: string): NodeIdentity {
  try {
    return readNodeIdentity(certFile);
  } catch {
    return {};
  }
}
