// How the tree groups entries: by term (default), by action, by object kind, or flat by index in buckets.
// Large groups are split into buckets so no tree level holds more than `bucketSize` children.
import { OBJECT_KINDS } from '../model/objects';
import type { EntryStatus } from '../../shared/protocol';

export const GROUP_BY = ['term', 'action', 'kind', 'index'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface GroupItem {
  seq: number;
  term: bigint;
  /** Undefined while not summarized yet (grouping by action/kind then puts it under "not decoded yet"). */
  status?: EntryStatus;
  actions?: { action: string; kind: string }[];
  confChange?: boolean;
  empty?: boolean;
}

export interface Group {
  /** Stable within one grouping (used in tree item ids). */
  key: string;
  label: string;
  description: string;
  seqs: number[];
  /** Sub-buckets when the group is larger than the bucket size. */
  buckets?: Group[];
}

const STATUS_LABEL: Record<string, string> = {
  locked: 'Locked (unlock key needed)',
  'earlier-key': 'Encrypted with an earlier data key',
  undecryptable: 'Undecryptable',
  corrupt: 'Corrupt',
  pending: 'Not decoded yet',
};

/** Consecutive seqs up to `end` (exclusive), split where the term changes: each run's first seq and term. */
export interface TermRuns {
  runs: readonly { seq: number; term: bigint }[];
  end: number;
}

/** Groups by key, in order of first appearance. */
function keyedGroups(): { groups: Group[]; groupOf: (key: string, label: string) => Group } {
  const groups: Group[] = [];
  const keyed = new Map<string, Group>();
  const groupOf = (key: string, label: string): Group => {
    let g = keyed.get(key);
    if (!g) {
      g = { key, label, description: '', seqs: [] };
      keyed.set(key, g);
      groups.push(g);
    }
    return g;
  };
  return { groups, groupOf };
}

const bucketSizeOf = (bucketSize: number): number => Math.max(10, Math.floor(bucketSize));

/**
 * groupEntries(items, 'term', ...) for consecutive seqs given as term runs: the same groups, without an
 * item per entry (a large segment opens grouped by term).
 */
export function groupTermRuns(terms: TermRuns, bucketSize: number, byIndex: (seq: number) => bigint): Group[] {
  const { groups, groupOf } = keyedGroups();
  terms.runs.forEach(({ seq, term }, r) => {
    const end = r + 1 < terms.runs.length ? terms.runs[r + 1].seq : terms.end;
    const seqs = groupOf(`t${term}`, `Term ${term}`).seqs;
    for (let s = seq; s < end; s++) seqs.push(s);
  });
  return finishGroups(groups, 'term', bucketSizeOf(bucketSize), byIndex);
}

/** groupEntries(items, 'index', ...) from the items' seqs alone. */
export function groupByIndex(seqs: number[], bucketSize: number, byIndex: (seq: number) => bigint): Group[] {
  return buckets(seqs, bucketSizeOf(bucketSize), byIndex, 'i');
}

export function groupEntries(items: readonly GroupItem[], by: GroupBy, bucketSize: number, byIndex: (seq: number) => bigint): Group[] {
  const size = bucketSizeOf(bucketSize);
  const { groups, groupOf } = keyedGroups();
  const add = (key: string, label: string, seq: number) => {
    const g = groupOf(key, label);
    if (g.seqs[g.seqs.length - 1] !== seq) g.seqs.push(seq);
  };
  if (by === 'index') return groupByIndex(items.map((i) => i.seq), size, byIndex);
  // Terms change rarely: the group is looked up (and its key made) only when the term changes.
  let lastTerm: bigint | undefined;
  let termGroup: Group | undefined;
  for (const item of items) {
    if (by === 'term') {
      if (!termGroup || item.term !== lastTerm) {
        lastTerm = item.term;
        termGroup = groupOf(`t${item.term}`, `Term ${item.term}`);
      }
      termGroup.seqs.push(item.seq);
      continue;
    }
    const status = item.status ?? 'pending';
    if (status !== 'ok') add(`s-${status}`, STATUS_LABEL[status] ?? status, item.seq);
    else if (item.confChange) add('conf', by === 'action' ? 'Conf changes' : 'Raft membership (conf changes)', item.seq);
    else if (item.empty || !item.actions?.length) add('empty', 'Empty entries', item.seq);
    else for (const a of item.actions) add(by === 'action' ? `a-${a.action}` : `k-${a.kind}`, by === 'action' ? a.action : a.kind, item.seq);
  }
  if (by !== 'term') groups.sort((a, b) => rank(by, a.key) - rank(by, b.key));
  return finishGroups(groups, by, size, byIndex);
}

/** Descriptions, and buckets for groups larger than `size`. */
function finishGroups(groups: Group[], by: GroupBy, size: number, byIndex: (seq: number) => bigint): Group[] {
  for (const g of groups) {
    const n = g.seqs.length;
    g.description = by === 'term' ? `${rangeText(g.seqs, byIndex)} · ${n} entr${n === 1 ? 'y' : 'ies'}` : `${n}`;
    if (n > size) g.buckets = buckets(g.seqs, size, byIndex, `${g.key}/b`);
  }
  return groups;
}

function rank(by: GroupBy, key: string): number {
  const order = by === 'action'
    ? ['a-CREATE', 'a-UPDATE', 'a-REMOVE', 'a-UNKNOWN', 'conf', 'empty']
    : [...OBJECT_KINDS.map((k) => `k-${k}`), 'k-unknown', 'conf', 'empty'];
  const i = order.indexOf(key);
  return i >= 0 ? i : order.length + ['s-pending', 's-locked', 's-earlier-key', 's-undecryptable', 's-corrupt'].indexOf(key);
}

function rangeText(seqs: number[], byIndex: (seq: number) => bigint): string {
  if (seqs.length === 0) return '';
  const first = byIndex(seqs[0]);
  const last = byIndex(seqs[seqs.length - 1]);
  return first === last ? `#${first}` : `#${first}–#${last}`;
}

function buckets(seqs: number[], size: number, byIndex: (seq: number) => bigint, keyPrefix: string): Group[] {
  const out: Group[] = [];
  for (let i = 0; i < seqs.length; i += size) {
    const part = seqs.slice(i, i + size);
    const range = rangeText(part, byIndex);
    out.push({ key: `${keyPrefix}${i / size}`, label: range, description: `${part.length}`, seqs: part });
  }
  // Buckets of buckets keep every level small for very long logs.
  if (out.length > size) {
    const outer: Group[] = [];
    for (let i = 0; i < out.length; i += size) {
      const part = out.slice(i, i + size);
      // Bucket j holds seqs[j * size, (j + 1) * size): these buckets' seqs are one slice (flatMap took 20+ ms on 150,000).
      const all = seqs.slice(i * size, (i + size) * size);
      outer.push({ key: `${keyPrefix}o${i / size}`, label: rangeText(all, byIndex), description: `${all.length}`, seqs: all, buckets: part });
    }
    return outer;
  }
  return out;
}
