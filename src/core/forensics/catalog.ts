// Every object the log and the snapshots know, with where it was first and last seen: what a
// "Find object..." quick pick lists, and how `history` resolves an id prefix or a name.
import { objectName, OBJECT_KINDS, type ActionName, type ObjectKind } from '../model/objects';
import type { SwarmState } from '../state/swarmState';
import { storeActions } from '../store/history';
import type { ReplayFault } from '../store/replay';
import { goToLower } from '../store/goText';
import type { WalEntry } from '../wal/walLog';
import { objectKey, snapshotIndex } from './snapshotIndex';

export interface CatalogObject {
  kind: ObjectKind;
  id: string;
  /** The latest name seen. */
  name: string;
  /** Earlier names, when it was renamed (nodes get their hostname after creation). */
  otherNames: string[];
  /** Index of the first and last WAL action on it (absent: only in a snapshot). */
  firstIndex?: bigint;
  lastIndex?: bigint;
  lastAction?: ActionName;
  /** Number of WAL actions on it. */
  actions: number;
  /** Name of the newest readable snapshot holding it. */
  snapshot?: string;
  /** Present at the end of the log (not removed by its last action). */
  present: boolean;
}

export interface CatalogOptions {
  faults?: ReplayFault[];
  entries?: readonly WalEntry[];
}

/** Objects in kind order, then by id. */
export function objectCatalog(state: SwarmState, options: CatalogOptions = {}): CatalogObject[] {
  const byKey = new Map<string, CatalogObject>();
  const get = (kind: ObjectKind, id: string, name: string): CatalogObject => {
    const key = objectKey(kind, id);
    let o = byKey.get(key);
    if (!o) byKey.set(key, (o = { kind, id, name, otherNames: [], actions: 0, present: true }));
    if (name && name !== o.name) {
      if (o.name && !o.otherNames.includes(o.name)) o.otherNames.push(o.name);
      o.name = name;
    }
    return o;
  };
  let newest: { index: bigint; keys: Set<string> } | undefined;
  for (const file of state.snapshotFiles) {
    if (!file.snapshot) continue;
    const index = snapshotIndex(state, file);
    if (!index.ok) continue;
    for (const s of index.objects.values()) get(s.kind, s.id, s.name).snapshot = file.name;
    if (!newest || file.snapshot.index >= newest.index) newest = { index: file.snapshot.index, keys: new Set(index.objects.keys()) };
  }
  for (const r of storeActions(state, { faults: options.faults, entries: options.entries })) {
    const o = get(r.kind, r.id, objectName(r.kind, r.object));
    o.firstIndex ??= r.entry.index;
    o.lastIndex = r.entry.index;
    o.lastAction = r.action;
    o.actions++;
    o.present = r.action !== 'REMOVE';
  }
  // Up to the newest snapshot, it knows better than a log with unreadable or compacted entries.
  if (newest) {
    for (const [key, o] of byKey) if (o.lastIndex === undefined || o.lastIndex <= newest.index) o.present = newest.keys.has(key);
  }
  const kindOrder = (k: ObjectKind) => OBJECT_KINDS.indexOf(k);
  return [...byKey.values()].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The objects `ref` names, best match first: an exact id; else the ids it is a prefix of; else the
 * objects with that name (case-insensitive, current or earlier). Several results mean it is ambiguous.
 */
export function resolveObjectRef(catalog: readonly CatalogObject[], ref: string, kind?: ObjectKind): CatalogObject[] {
  const pool = kind ? catalog.filter((o) => o.kind === kind) : catalog;
  const exact = pool.filter((o) => o.id === ref);
  if (exact.length) return exact;
  const prefixed = pool.filter((o) => o.id.startsWith(ref));
  if (prefixed.length) return prefixed;
  const name = goToLower(ref);
  return pool.filter((o) => goToLower(o.name) === name || o.otherNames.some((n) => goToLower(n) === name));
}

/** Objects whose id or name contains `query` (case-insensitive), for a quick pick. */
export function searchCatalog(catalog: readonly CatalogObject[], query: string, kind?: ObjectKind): CatalogObject[] {
  const q = query.toLowerCase();
  return catalog.filter((o) => (!kind || o.kind === kind) && (o.id.toLowerCase().includes(q) || o.name.toLowerCase().includes(q) || o.otherNames.some((n) => n.toLowerCase().includes(q))));
}
