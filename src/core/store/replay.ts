// Rebuilds the store as `swarm-rafttool dump-object` does: restore the snapshot's StoreSnapshot, then
// apply the store actions of every EntryNormal above the snapshot's index, each entry atomically.
// Beyond the reference: stop at any raft index (time travel, starting from the newest snapshot at or
// below it), start from any snapshot file or from none, and (lenient) skip what cannot be read or
// applied instead of failing.
import type { Message } from 'protobufjs';
import { RaftReadError } from '../errors';
import { STORE_SNAPSHOT_FIELDS, type ObjectKind } from '../model/objects';
import type { SnapshotFile } from '../snap/snapshotFile';
import type { SwarmState } from '../state/swarmState';
import { EntryType } from '../wal/segment';
import { EntryList, type WalEntry } from '../wal/walLog';
import { MemoryStore } from './memoryStore';
import { decodeSnapshotWithout } from './partialSnapshot';
import { actionTarget, applyStoreActions, restoreStoreObjects } from './rules';
import { actionObjectBytes, snapshotObjectBytes } from './objectBytes';
import { idOf } from './objectKeys';
import { StoreError } from './storeErrors';

export interface ReplayOptions {
  /** Replay up to and including this raft index (the state as of that entry). */
  at?: bigint;
  /**
   * Start from this snapshot file (its name or path) instead of the newest valid one at or below
   * `at`; `false` starts from an empty store and replays the WAL from its first entry.
   */
  snapshot?: string | false;
  /** Record entries that cannot be decrypted, decoded or applied in `faults` and go on. */
  lenient?: boolean;
  /**
   * Kinds the caller never reads (a recovery kit reads no tasks): not decoded from the snapshot and their
   * store actions not applied, so the store has none of them. An entry's actions on other kinds apply
   * even where one on a left-out kind would have failed the entry (a damaged log only).
   */
  without?: readonly ObjectKind[];
  /**
   * Keep every object as its decoded message (the plain path, which the tests compare with) instead of
   * its wire bytes, decoded again when read (see objectBytes.ts).
   */
  decodedObjects?: boolean;
}

/** The entries a replay walks: an array, or the log's EntryList (objects made as they are read). */
export interface ReplayEntries {
  readonly length: number;
  at(i: number): WalEntry | undefined;
}

/** Something the replay skipped (lenient) or noticed. */
export interface ReplayFault {
  /** Raft index of the entry, or of the snapshot. */
  index: bigint;
  entry?: WalEntry;
  message: string;
}

/** A replay failure where the reference fails too; the message is the reference's own when it has one. */
export class StoreReplayError extends RaftReadError {
  constructor(
    message: string,
    /** The raft index of the entry (or snapshot) that failed. */
    readonly index: bigint,
  ) {
    super(message);
    this.name = 'StoreReplayError';
  }
}

/** The store after a replay, with where it came from; `advanceTo` moves it forward in time. */
export class ReplayedStore extends MemoryStore {
  /** The snapshot restored first (undefined: started empty). */
  readonly base: SnapshotFile | undefined;
  readonly faults: ReplayFault[] = [];
  /** Raft index of the last entry replayed, skipped ones included (the snapshot's index before any). */
  appliedIndex: bigint;
  private readonly lastChange = new Map<string, bigint>();
  private next = 0;

  constructor(
    private readonly state: SwarmState,
    private readonly entries: ReplayEntries,
    base: SnapshotFile | undefined,
    private readonly lenient: boolean,
    private readonly without: ReadonlySet<ObjectKind> = new Set(),
    private readonly keepBytes = true,
  ) {
    super();
    this.base = base;
    this.appliedIndex = base?.snapshot?.index ?? 0n;
  }

  /** Raft index of the entry that last created or changed this object (undefined: as in the snapshot). */
  lastChangedAt(kind: ObjectKind, id: string): bigint | undefined {
    return this.lastChange.get(`${kind}\0${id}`);
  }

  /** Applies the remaining entries up to and including `index` (all of them when omitted). */
  advanceTo(index?: bigint): this {
    while (this.next < this.entries.length) {
      const entry = this.entries.at(this.next)!;
      if (index !== undefined && entry.index > index) break;
      this.next++;
      this.applyEntry(entry);
      this.appliedIndex = entry.index;
    }
    return this;
  }

  private applyEntry(entry: WalEntry): void {
    // Conf changes carry no store actions; the reference skips them without reading them.
    if (entry.type !== EntryType.Normal) return;
    const decoded = this.state.decodeEntry(entry);
    if (!decoded.ok || decoded.kind !== 'normal') {
      this.fail(entry, decoded.ok ? `entry ${entry.index} is not a normal entry` : decoded.message);
      return;
    }
    if (!entry.crcOk) this.faults.push({ index: entry.index, entry, message: `entry ${entry.index}: record CRC mismatch; applied anyway` });
    let actions = ((decoded.request as unknown as { action?: Message[] }).action ?? []) as Message[];
    let bytes = this.keepBytes && actions.length > 0 ? objectBytesOf(actions, decoded.plain) : undefined;
    if (this.without.size) {
      const kept = actions.map((a) => actionTarget(a)).map((kind) => !kind || !this.without.has(kind));
      actions = actions.filter((_, i) => kept[i]);
      bytes = bytes?.filter((_, i) => kept[i]);
    }
    if (actions.length > 0) {
      try {
        applyStoreActions(this, actions, bytes);
      } catch (e) {
        if (!(e instanceof StoreError)) throw e;
        this.fail(entry, e.message);
        return;
      }
      for (const action of actions) {
        const kind = actionTarget(action);
        if (kind) this.lastChange.set(`${kind}\0${idOf((action as unknown as Record<string, Message>)[kind])}`, entry.index);
      }
    }
  }

  private fail(entry: WalEntry, message: string): void {
    if (!this.lenient) throw new StoreReplayError(message, entry.index);
    this.faults.push({ index: entry.index, entry, message: `entry ${entry.index}: ${message}` });
  }
}

/**
 * A copy of each action's object bytes, where they are one plain field of the kind the decoded action
 * targets (else undefined: the store keeps that decoded object).
 */
function objectBytesOf(actions: readonly Message[], request: Uint8Array): (Uint8Array | undefined)[] | undefined {
  const found = actionObjectBytes(request);
  if (!found || found.length !== actions.length) return undefined;
  return found.map((f, i) => (f && f.kind === actionTarget(actions[i]) ? f.bytes.slice() : undefined));
}

/** The store as the reference rebuilds it, or as of `options.at`. Throws StoreReplayError/RaftReadError unless lenient. */
export function replayStore(state: SwarmState, options: ReplayOptions = {}): ReplayedStore {
  const base = baseSnapshot(state, options);
  const baseIndex = base?.snapshot?.index ?? 0n;
  const entries = new EntryList(state.wal, state.wal.effectiveSeqsAfter(baseIndex));
  const without = new Set(options.without);
  const store = new ReplayedStore(state, entries, base, options.lenient ?? false, without, !options.decodedObjects);
  if (base) restoreFrom(state, base, store, without, !options.decodedObjects);
  checkContinuity(store, entries, baseIndex, options);
  return store.advanceTo(options.at);
}

/** The snapshot to start from: the chosen one, none, or the newest valid one at or below `at`. */
export function baseSnapshot(state: SwarmState, options: ReplayOptions): SnapshotFile | undefined {
  if (options.snapshot === false) return undefined;
  if (options.snapshot !== undefined) {
    const file = state.snapshotFiles.find((s) => s.name === options.snapshot || s.path === options.snapshot);
    if (!file) throw new RaftReadError(`no snapshot file named ${options.snapshot} in ${state.layout.snapDir}`);
    if (!file.snapshot) throw new RaftReadError(file.fault ? `${file.name}: ${file.fault.message}` : `${file.name}: unreadable snapshot`);
    if (options.at !== undefined && file.snapshot.index > options.at) {
      throw new RaftReadError(`snapshot ${file.name} is at index ${file.snapshot.index}, after the requested index ${options.at}`);
    }
    return file;
  }
  if (options.at === undefined) return state.newestSnapshot;
  const at = options.at;
  return [...state.snapshotFiles].reverse().find((s) => s.snapshot && s.snapshot.index <= at);
}

interface SwarmSnapshotShape {
  version?: number;
  store?: Message;
}

function restoreFrom(state: SwarmState, file: SnapshotFile, store: ReplayedStore, without: ReadonlySet<ObjectKind>, keepBytes: boolean): void {
  const index = file.snapshot?.index ?? 0n;
  const decoded = without.size ? decodeWithout(state, file, without) : state.decodeSnapshot(file);
  // The reference cannot go on without its snapshot, and neither can a lenient replay: the
  // entries after it only make sense on top of it.
  if (!decoded.ok) throw new StoreReplayError(decoded.message, index);
  const snapshot = decoded.snapshot as unknown as SwarmSnapshotShape;
  if ((snapshot.version ?? 0) !== 0) throw new StoreReplayError(`unrecognized snapshot version ${snapshot.version}`, index);
  if (!snapshot.store) return;
  const fields = snapshot.store as unknown as Record<string, Message[] | null | undefined>;
  const wire = keepBytes ? snapshotObjectBytes(decoded.plain) : undefined;
  restoreStoreObjects(store, (kind) => {
    const objects = fields[STORE_SNAPSHOT_FIELDS[kind]] ?? [];
    // The bytes stand for the objects when they match them one to one (a left-out kind has none decoded).
    const bytes = wire?.[kind]?.length === objects.length ? wire[kind] : undefined;
    return objects.map((object, i) => ({ object, bytes: bytes?.[i].slice() }));
  });
}

/** state.decodeSnapshot's answer, with the left-out kinds skipped on the wire. */
function decodeWithout(state: SwarmState, file: SnapshotFile, without: ReadonlySet<ObjectKind>): { ok: true; snapshot: unknown; plain: Uint8Array } | { ok: false; message: string } {
  const opened = state.unsealSnapshot(file);
  if (!opened.ok) return opened;
  try {
    return { ok: true, snapshot: decodeSnapshotWithout(opened.plain, without), plain: opened.plain };
  } catch (e) {
    return { ok: false, message: `${file.path}: decrypted snapshot does not decode (${(e as Error).message})` };
  }
}

/**
 * Entries missing between the starting point and the first entry mean the state cannot be rebuilt.
 * The reference does not check; a time-travel replay must not silently show a wrong state.
 */
function checkContinuity(store: ReplayedStore, entries: ReplayEntries, baseIndex: bigint, options: ReplayOptions): void {
  if (entries.length === 0) return;
  const first = entries.at(0)!;
  if (first.index === baseIndex + 1n) return;
  const wanted = options.at ?? entries.at(entries.length - 1)!.index;
  if (wanted <= baseIndex) return; // the base alone is the answer
  const lastMissing = first.index - 1n < wanted ? first.index - 1n : wanted;
  const message = `entries ${baseIndex + 1n}..${lastMissing} are not in the WAL and no snapshot covers them: the state is incomplete`;
  if (options.at !== undefined && !options.lenient) throw new RaftReadError(`cannot rebuild the state at index ${options.at}: ${message}`);
  store.faults.push({ index: baseIndex + 1n, message });
}
