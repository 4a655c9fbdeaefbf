// The store at any raft index, for a "State" tree: which indexes can be rebuilt, a timeline that moves
// forward by applying entries and goes back by replaying again, and the objects grouped by kind.
import { OBJECT_KINDS, objectId, objectName, type ObjectKind } from '../model/objects';
import type { SwarmState } from '../state/swarmState';
import { replayStore, type ReplayedStore } from '../store/replay';
import { runSteps, type Steps } from '../steps';

export interface TimeTravelRange {
  /** The lowest index the state can be rebuilt at (0: from an empty store, the WAL starting at 1). */
  min: bigint;
  /** The last index of the effective log (or of the newest snapshot when the log is empty). */
  max: bigint;
  /** Indexes a replay can start from: 0 (no snapshot) and each valid snapshot's index. */
  starts: bigint[];
}

export function timeTravelRange(state: SwarmState): TimeTravelRange {
  const log = state.wal.effective;
  const snaps = state.snapshotFiles.flatMap((f) => (f.snapshot ? [f.snapshot.index] : []));
  const starts = [...(log.length && log[0].index === 1n ? [0n] : []), ...snaps];
  const last = log.at(-1)?.index ?? 0n;
  const max = snaps.reduce((m, i) => (i > m ? i : m), last);
  const min = starts.length ? starts.reduce((m, i) => (i < m ? i : m)) : (log[0]?.index ?? 0n);
  return { min, max, starts };
}

export interface TimelineOptions {
  /** Start every replay from this snapshot (name or path), or from none (false); default the newest at or below the index. */
  snapshot?: string | false;
  /** Skip entries that cannot be read or applied (their faults are on the store); default true. */
  lenient?: boolean;
}

/**
 * A store that follows the chosen index. Moving forward applies the entries in between; moving back
 * replays from a snapshot. The store returned is shared and changes on the next call.
 */
export class StateTimeline {
  private store: ReplayedStore | undefined;
  private atEnd = false;

  constructor(private readonly state: SwarmState, private readonly options: TimelineOptions = {}) {}

  /** The store as of `index` (the end of the log when omitted). */
  at(index?: bigint): ReplayedStore {
    const s = this.store;
    const forward = s && !this.atEnd && index !== undefined && index >= s.appliedIndex;
    if (s && (forward || (index === undefined && !this.atEnd))) {
      this.atEnd = index === undefined;
      return s.advanceTo(index);
    }
    if (s && this.atEnd && index === undefined) return s;
    this.store = replayStore(this.state, { at: index, snapshot: this.options.snapshot, lenient: this.options.lenient ?? true });
    this.atEnd = index === undefined;
    return this.store;
  }
}

export interface StateObjectRow {
  kind: ObjectKind;
  id: string;
  name: string;
  /** Raft index of the entry that last created or changed it (absent: as in the snapshot). */
  lastChangedAt?: string;
}

export interface StateKindGroup {
  kind: ObjectKind;
  count: number;
  /** In the reference's order (by id). */
  objects: StateObjectRow[];
}

/** The store's objects by kind, every kind listed (empty ones with count 0). */
export function stateObjects(store: ReplayedStore): StateKindGroup[] {
  return runSteps(stateObjectsSteps(store));
}

/**
 * stateObjects as steps of `objectsPerStep` objects: listing a store the first time decodes each of its
 * objects (it keeps them as bytes), 9,566 of them in ~350 ms on the extension benchmark's 4-segment log,
 * too long for one turn of the extension host. The store must not change between the steps: a caller
 * that slices them checks its applied index after the last and lists again if it moved.
 */
export function* stateObjectsSteps(store: ReplayedStore, objectsPerStep = 250): Steps<StateKindGroup[]> {
  const groups: StateKindGroup[] = [];
  let sinceYield = 0;
  for (const kind of OBJECT_KINDS) {
    const objects: StateObjectRow[] = [];
    for (const id of store.ids(kind)) {
      const o = store.get(kind, id);
      if (!o) continue; // removed between two steps: the store moved, and the caller lists again
      const at = store.lastChangedAt(kind, id);
      objects.push({ kind, id: objectId(o), name: objectName(kind, o), ...(at !== undefined ? { lastChangedAt: at.toString() } : {}) });
      if (++sinceYield >= objectsPerStep) {
        sinceYield = 0;
        yield;
      }
    }
    groups.push({ kind, count: objects.length, objects });
  }
  return groups;
}
