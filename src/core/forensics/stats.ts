// Size statistics of a state directory: one pass over the entries (counts and bytes per kind, action,
// term and service, the largest entries) and one replay for the store at the end (the largest objects).
import type { Message } from 'protobufjs';
import { OBJECT_KINDS, objectId, objectName, summarizeAction, type ActionSummary } from '../model/objects';
import { confChangeTypeName, entryTypeName, hexId } from '../report/names';
import type { DecodedEntry, SwarmState } from '../state/swarmState';
import { replayStore } from '../store/replay';
import type { WalEntry } from '../wal/walLog';
import type { KindActionRow, LargestEntry, LargestObject, SizeRow, StatsModel, TaskChurnRow, TermGrowthRow } from './statsModel';
import { actionFieldSizes } from './wireSizes';

export interface StatsOptions {
  /** Every entry of the effective log (default), or only those after the newest snapshot. */
  all?: boolean;
  /** How many of the largest entries and objects to list; default 10. */
  top?: number;
  /** Rebuild the store at the end for the state sizes (default true; it decrypts the log a second time). */
  state?: boolean;
}

export function computeStats(state: SwarmState, options: StatsOptions = {}): StatsModel {
  const top = options.top ?? 10;
  const all = options.all ?? true;
  // Read through the index: entry objects are made one at a time, not kept for the whole log.
  const entries = all ? state.effectiveEntries : state.entriesAfter();
  const acc = new Accumulator(top);
  for (const entry of entries) acc.add(state.decodeEntry(entry));
  const { table } = state.wal;
  const overwritten = { entries: 0, bytes: 0 };
  for (let seq = 0; seq < table.length; seq++) {
    if (!table.overwritten(seq)) continue;
    overwritten.entries++;
    overwritten.bytes += table.dataLength(seq);
  }
  const model: StatsModel = {
    stateDir: state.layout.stateDir,
    scope: all ? 'all' : 'after-snapshot',
    ...(entries.length ? { firstIndex: entries.at(0).index.toString(), lastIndex: entries.at(entries.length - 1).index.toString() } : {}),
    totals: { ...acc.totals, overwrittenEntries: overwritten.entries, overwrittenBytes: overwritten.bytes },
    byKind: sortRows(acc.byKind, OBJECT_KINDS),
    byAction: sortRows(acc.byAction, ['CREATE', 'UPDATE', 'REMOVE', 'UNKNOWN', 'conf change', 'empty']),
    byKindAndAction: [...acc.byKindAction.values()].sort((a, b) => b.encryptedBytes - a.encryptedBytes || a.kind.localeCompare(b.kind) || a.action.localeCompare(b.action)),
    unreadable: sortRows(acc.unreadable, ['locked', 'earlier-key', 'undecryptable', 'corrupt']),
    largestEntries: acc.largest.items,
    taskChurn: [...acc.churn.values()].map(({ ids, ...row }) => ({ ...row, tasks: ids.size }))
      .sort((a, b) => b.actions - a.actions || a.serviceName.localeCompare(b.serviceName)),
    growthByTerm: [...acc.terms.values()],
    files: {
      segments: state.wal.segments.map((s) => ({ name: s.name, fileBytes: s.scan.size, usedBytes: s.scan.end, entries: s.scan.entryCount })),
      snapshots: state.snapshotFiles.map((f) => ({
        name: f.name, index: (f.snapshot?.index ?? f.nameIndex).toString(), term: (f.snapshot?.term ?? f.nameTerm).toString(), fileBytes: f.size,
      })),
    },
  };
  if (options.state !== false) addStateSizes(state, model, top);
  return model;
}

function addStateSizes(state: SwarmState, model: StatsModel, top: number): void {
  let store;
  try {
    store = replayStore(state, { lenient: true });
  } catch (e) {
    model.stateError = (e as Error).message;
    return;
  }
  const largest = new TopList<LargestObject>(top, (o) => o.bytes);
  const byKind = [];
  for (const kind of OBJECT_KINDS) {
    let bytes = 0;
    const objects = store.list(kind);
    for (const o of objects) {
      const size = encodedSize(o);
      bytes += size;
      const id = objectId(o);
      const at = store.lastChangedAt(kind, id);
      largest.add({ kind, id, name: objectName(kind, o), bytes: size, ...(at !== undefined ? { lastChangedAt: at.toString() } : {}) });
    }
    if (objects.length) byKind.push({ kind, objects: objects.length, bytes });
  }
  model.state = {
    index: store.appliedIndex.toString(),
    ...(store.base ? { snapshot: store.base.name } : {}),
    byKind: byKind.sort((a, b) => b.bytes - a.bytes),
    largestObjects: largest.items,
    skipped: store.faults.length,
  };
}

function encodedSize(o: Message): number {
  return o.$type.encode(o).finish().length;
}

class Accumulator {
  totals = { entries: 0, normal: 0, confChange: 0, empty: 0, unreadable: 0, actions: 0, encryptedBytes: 0, decryptedBytes: 0 };
  byKind = new Map<string, SizeRow>();
  byAction = new Map<string, SizeRow>();
  byKindAction = new Map<string, KindActionRow>();
  unreadable = new Map<string, SizeRow>();
  churn = new Map<string, Omit<TaskChurnRow, 'tasks'> & { ids: Set<string> }>();
  terms = new Map<string, TermGrowthRow>();
  largest: TopList<LargestEntry>;

  constructor(top: number) {
    this.largest = new TopList(top, (e) => e.encryptedBytes);
  }

  add(decoded: DecodedEntry): void {
    const e = decoded.entry;
    const stored = e.dataLength;
    const t = this.totals;
    t.entries++;
    t.encryptedBytes += stored;
    if (e.type === 1) t.confChange++;
    else t.normal++;
    const term = this.term(e);
    term.entries++;
    term.encryptedBytes += stored;
    if (!decoded.ok) {
      t.unreadable++;
      term.unreadable++;
      bump(this.unreadable, decoded.problem, 1, 0, stored);
      this.largest.add(largestEntry(e, decoded.problem, `(${decoded.problem})`));
      return;
    }
    const plain = decoded.plain.length;
    t.decryptedBytes += plain;
    term.decryptedBytes += plain;
    if (decoded.kind === 'confChange') {
      bump(this.byAction, 'conf change', 1, plain, stored);
      this.largest.add(largestEntry(e, 'ok', `${confChangeTypeName(decoded.confChange.type)} ${hexId(decoded.confChange.nodeId)}`, plain));
      return;
    }
    const actions = ((decoded.request as unknown as { action?: Message[] }).action ?? []).map(summarizeAction);
    if (actions.length === 0) {
      t.empty++;
      bump(this.byAction, 'empty', 1, plain, stored);
      this.largest.add(largestEntry(e, 'ok', 'empty entry', plain));
      return;
    }
    t.actions += actions.length;
    const sizes = wireSizes(decoded.plain, actions.length);
    const shares = shareOut(stored, sizes);
    const seenKinds = new Set<string>();
    const seenActions = new Set<string>();
    actions.forEach((a, i) => {
      bump(this.byKind, a.kind, seenKinds.has(a.kind) ? 0 : 1, sizes[i], shares[i], 1);
      bump(this.byAction, a.action, seenActions.has(a.action) ? 0 : 1, sizes[i], shares[i], 1);
      seenKinds.add(a.kind);
      seenActions.add(a.action);
      this.kindAction(a, sizes[i], shares[i]);
      if (a.kind === 'task') this.taskChurn(a, sizes[i], shares[i]);
    });
    const more = actions.length > 1 ? ` (+${actions.length - 1} more)` : '';
    this.largest.add(largestEntry(e, 'ok', `${actions[0].action} ${actions[0].kind} ${actions[0].name || actions[0].id}${more}`, plain));
  }

  private term(e: WalEntry): TermGrowthRow {
    const key = e.term.toString();
    let row = this.terms.get(key);
    if (!row) this.terms.set(key, (row = { term: key, firstIndex: e.index.toString(), lastIndex: e.index.toString(), entries: 0, unreadable: 0, encryptedBytes: 0, decryptedBytes: 0 }));
    row.lastIndex = e.index.toString();
    return row;
  }

  private kindAction(a: ActionSummary, bytes: number, stored: number): void {
    const key = `${a.kind}\0${a.action}`;
    let row = this.byKindAction.get(key);
    if (!row) this.byKindAction.set(key, (row = { kind: a.kind, action: a.action, actions: 0, decryptedBytes: 0, encryptedBytes: 0 }));
    row.actions++;
    row.decryptedBytes += bytes;
    row.encryptedBytes += stored;
  }

  private taskChurn(a: ActionSummary, bytes: number, stored: number): void {
    const task = (a.object ?? {}) as unknown as { service_id?: string; service_annotations?: { name?: string } };
    const serviceId = task.service_id ?? '';
    let row = this.churn.get(serviceId);
    if (!row) {
      row = { serviceId, serviceName: '', ids: new Set(), created: 0, updated: 0, removed: 0, actions: 0, decryptedBytes: 0, encryptedBytes: 0 };
      this.churn.set(serviceId, row);
    }
    row.serviceName = task.service_annotations?.name || row.serviceName;
    row.ids.add(a.id);
    if (a.action === 'CREATE') row.created++;
    else if (a.action === 'UPDATE') row.updated++;
    else if (a.action === 'REMOVE') row.removed++;
    row.actions++;
    row.decryptedBytes += bytes;
    row.encryptedBytes += stored;
  }
}

function bump(map: Map<string, SizeRow>, key: string, entries: number, decrypted: number, stored: number, actions = 0): void {
  let row = map.get(key);
  if (!row) map.set(key, (row = { key, entries: 0, actions: 0, decryptedBytes: 0, encryptedBytes: 0 }));
  row.entries += entries;
  row.actions += actions;
  row.decryptedBytes += decrypted;
  row.encryptedBytes += stored;
}

function largestEntry(e: WalEntry, status: string, summary: string, decrypted?: number): LargestEntry {
  return {
    index: e.index.toString(), term: e.term.toString(), type: entryTypeName(e.type), status, encryptedBytes: e.dataLength,
    ...(decrypted !== undefined ? { decryptedBytes: decrypted } : {}), summary,
  };
}

/** Action sizes from the wire; an even split when the bytes and the decoded actions disagree. */
function wireSizes(plain: Uint8Array, count: number): number[] {
  const sizes = actionFieldSizes(plain);
  if (sizes && sizes.length === count) return sizes;
  return shareOut(plain.length, new Array<number>(count).fill(1));
}

/** Splits `total` in proportion to `weights`, in whole bytes that add up to `total`. */
export function shareOut(total: number, weights: readonly number[]): number[] {
  const weight = sum(weights);
  if (weights.length === 0) return [];
  if (weight === 0) return weights.map((_, i) => (i === weights.length - 1 ? total : 0));
  const out = weights.map((w) => Math.floor((total * w) / weight));
  out[out.length - 1] += total - sum(out);
  return out;
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function sortRows(map: Map<string, SizeRow>, order: readonly string[]): SizeRow[] {
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...map.values()].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

/** The `size` largest items seen, largest first (ties keep the earlier item). */
class TopList<T> {
  readonly items: T[] = [];

  constructor(private readonly size: number, private readonly weight: (item: T) => number) {}

  add(item: T): void {
    if (this.size <= 0) return;
    const w = this.weight(item);
    if (this.items.length === this.size && w <= this.weight(this.items[this.items.length - 1])) return;
    let at = this.items.length;
    while (at > 0 && this.weight(this.items[at - 1]) < w) at--;
    this.items.splice(at, 0, item);
    if (this.items.length > this.size) this.items.pop();
  }
}
