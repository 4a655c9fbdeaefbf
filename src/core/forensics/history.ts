// The history of one object as a list of versions: every store action of the WAL that created, updated
// or removed it, in log order, headed by its copy in a snapshot when the WAL does not show where it came
// from (the creating entries were compacted away, or are sealed with a data key that is gone).
import type { Message } from 'protobufjs';
import type { ActionName, ObjectKind } from '../model/objects';
import { objectName } from '../model/objects';
import type { SnapshotFile } from '../snap/snapshotFile';
import type { SwarmState } from '../state/swarmState';
import { storeActions } from '../store/history';
import type { ReplayFault } from '../store/replay';
import type { WalEntry } from '../wal/walLog';
import { objectKey, snapshotIndex } from './snapshotIndex';

/** One state of an object, as some entry or snapshot holds it. */
export interface ObjectRevision {
  kind: ObjectKind;
  id: string;
  name: string;
  object: Message;
  /** How to call it in a diff title; versionLabel() when absent. */
  label?: string;
}

export interface ObjectVersion extends ObjectRevision {
  source: 'entry' | 'snapshot';
  /** Raft index of the entry, or of the snapshot. */
  index: bigint;
  term: bigint;
  /** The store action; SNAPSHOT for a copy in a snapshot file. */
  action: ActionName | 'SNAPSHOT';
  entry?: WalEntry;
  /** Position of the action in its entry (an entry may change several objects). */
  actionIndex?: number;
  snapshot?: SnapshotFile;
}

export interface ObjectVersions {
  id: string;
  kind?: ObjectKind;
  versions: ObjectVersion[];
  /** Entries that could not be read: versions may be missing there. */
  faults: ReplayFault[];
}

export interface VersionOptions {
  /** Only this kind (ids are unique across kinds in practice, but nothing enforces it). */
  kind?: ObjectKind;
  /** Head the list with a snapshot's copy when the WAL does not show the object's origin (default true). */
  snapshots?: boolean;
  /** Entries to scan; default the whole effective log, snapshot-covered entries included. */
  entries?: readonly WalEntry[];
}

/** Every version of the object with this id, oldest first. */
export function objectVersions(state: SwarmState, id: string, options: VersionOptions = {}): ObjectVersions {
  const faults: ReplayFault[] = [];
  const versions: ObjectVersion[] = [];
  for (const r of storeActions(state, { faults, entries: options.entries })) {
    if (r.id !== id || (options.kind && r.kind !== options.kind)) continue;
    versions.push({
      source: 'entry', index: r.entry.index, term: r.entry.term, action: r.action, kind: r.kind, id, name: objectName(r.kind, r.object),
      object: r.object, entry: r.entry, actionIndex: r.actionIndex,
    });
  }
  if (options.snapshots !== false) {
    const origin = snapshotOrigin(state, id, options.kind, versions[0]?.index);
    if (origin) versions.unshift(origin);
  }
  return { id, ...(options.kind ? { kind: options.kind } : {}), versions, faults };
}

/**
 * The object as the oldest snapshot at or after which the WAL shows no earlier version holds it: a
 * snapshot before the first WAL version adds what the WAL lacks; a later one adds nothing new.
 */
function snapshotOrigin(state: SwarmState, id: string, kind: ObjectKind | undefined, firstWalIndex: bigint | undefined): ObjectVersion | undefined {
  for (const file of state.snapshotFiles) {
    const snap = file.snapshot;
    if (!snap) continue;
    if (firstWalIndex !== undefined && firstWalIndex <= snap.index) return undefined;
    const index = snapshotIndex(state, file);
    if (!index.ok) continue;
    const found = kind ? index.objects.get(objectKey(kind, id)) : [...index.objects.values()].find((o) => o.id === id);
    if (found) return { ...found, source: 'snapshot', index: snap.index, term: snap.term, action: 'SNAPSHOT', snapshot: file };
  }
  return undefined;
}

/** e.g. "secret db_password @ 120 (SNAPSHOT 0000000000000002-0000000000000078.snap)". */
export function versionLabel(v: ObjectRevision | ObjectVersion): string {
  if (v.label) return v.label;
  const who = `${v.kind} ${v.name || v.id}`;
  if (!('source' in v)) return who;
  const what = v.source === 'snapshot' ? `SNAPSHOT ${v.snapshot?.name ?? ''}`.trimEnd() : v.action;
  return `${who} @ ${v.index} (${what})`;
}
