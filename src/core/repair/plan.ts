// Plans the repair of a damaged manager into a copy, reading the log once (streaming: only the dropped
// records are kept). The rules are the engine's (see docs/cli.md#repair):
// - entries at or below the snapshot kept are never decrypted by the engine, they only need a valid CRC:
//   intact ones are kept, damaged ones left out; nothing is lost;
// - above it the log must be whole: the first entry that is damaged, does not open with the data keys,
//   or leaves a hole cuts the log there (with everything after it);
// - the last hard state's commit must lie within [snapshot index, last entry index].
import { Messages } from '../codec';
import { RaftReadError } from '../errors';
import { runSteps, type Steps } from '../steps';
import { FileWindow, WindowMemory } from '../io/fileWindow';
import { summarizeAction } from '../model/objects';
import { hexId } from '../report/names';
import type { SnapshotFile } from '../snap/snapshotFile';
import { decodeConfChange, decodeRaftMember, unsealPayload, type PayloadContext } from '../state/entryPayload';
import type { SwarmState } from '../state/swarmState';
import { EntryType } from '../wal/segment';
import { readEntryHeader, RecordType } from '../wal/records';
import type { HardStateFields } from '../writer/rawEncode';
import { LossTally } from './losses';
import type { CutPoint, DroppedItem, HardStatePlan, LeftOutSnapshot, RepairOptions, RepairPlan } from './model';
import { walkSegment, type WalkedRecord } from './recordWalk';
import { decodeHardStateRecord, decodeSnapshotMark } from './records';

/** Records between two yields of the steps: a millisecond or two of work. */
const STEP_RECORDS = 256;

/** Dropped items listed in a plan; more are counted only. */
const MAX_LISTED = 200;

const CONF_ADD_NODE = 0;
const CONF_REMOVE_NODE = 1;
const CONF_ADD_LEARNER = 3;

export function planRepair(state: SwarmState, options: RepairOptions = {}): RepairPlan {
  return runSteps(planRepairSteps(state, options));
}

/** planRepair, yielding every few hundred records (the extension runs it in slices: runStepsInSlices). */
export function* planRepairSteps(state: SwarmState, options: RepairOptions = {}): Steps<RepairPlan> {
  requireKeys(state);
  const metadata = state.wal.metadata;
  if (!metadata || state.wal.segments.length === 0) {
    throw new RaftReadError('no readable WAL segment with a metadata record: nothing to repair from', state.wal.segments[0]?.path ?? state.layout.walDir, 0);
  }
  const { chosen, leftOut, kept: snapshotFiles } = chooseSnapshot(state, options.at);
  const snap = chosen?.snapshot;
  const base = snap?.index ?? 0n;
  const walk = new PlanWalk(state, base, snap?.term ?? 0n, options.at);
  walk.members = new Set(snap?.confStateNodes ?? []);
  yield* walk.run(options.onProgress);

  if (walk.keptEntries === 0 && !snap) {
    const where = walk.cut ?? walk.firstDamage();
    throw new RaftReadError(`nothing consistent to keep: no valid snapshot and no entry from index 1 onwards${where ? ` (${where.reason})` : ''}`,
      where?.file ?? state.wal.segments[0].path, where?.offset ?? 0);
  }
  const lastIndex = walk.lastIndex;
  const hardState = planHardState(walk.lastHardState, base, snap?.term ?? 0n, lastIndex, walk.lastTerm);
  const member = safeMember(metadata);
  const raftIds = [...walk.members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map(hexId);
  return {
    stateDir: state.layout.stateDir,
    encrypted: state.layout.encrypted,
    at: options.at,
    snapshot: chosen && snap ? { name: chosen.name, index: snap.index, term: snap.term } : undefined,
    snapshotFiles,
    snapshotsLeftOut: leftOut,
    kept: { firstIndex: walk.firstKept, lastIndex, lastTerm: walk.lastTerm, entries: walk.keptEntries, records: walk.keptRecords },
    cut: walk.cut,
    dropped: walk.dropped,
    droppedNotListed: walk.droppedNotListed,
    appendSnapshotMark: !!snap && !walk.markKept,
    hardState,
    lost: walk.tally.finish(state, lastIndex, walk.lost),
    membership: {
      raftIds,
      thisRaftId: member && hexId(member.raftId),
      thisNodeId: member?.nodeId || state.identity.nodeId,
      leaderless: raftIds.length > 1,
    },
    notCopied: state.wal.ignored.map((i) => `${state.layout.walDir}/${i.name}`),
    decisions: { drops: walk.drops, cut: walk.cutAt },
  };
}

/**
 * The data keys the engine will have: those of the copy's own node key (raft-dek, raft-dek-pending), not
 * those of older key files given with --key-file, which open entries the engine could not.
 */
function engineContext(state: SwarmState): PayloadContext {
  const context = state.payloadContext;
  return { ...context, keys: context.keys.filter((k) => !k.label.includes(' of ')) };
}

function requireKeys(state: SwarmState): void {
  const status = state.keyRing.status;
  const foreign = state.keysOpenNothing;
  // Keys that open none of the newest records would cut the log right after the snapshot: refuse instead.
  if (foreign) throw new RaftReadError(foreign.message, foreign.file, foreign.offset);
  if (status.state === 'open' || status.state === 'not-encrypted') return;
  const keyFile = state.keyRing.nodeKey?.file ?? state.layout.nodeKeyFile;
  const why = status.state === 'locked'
    ? 'the swarm is autolocked: give its unlock key (--unlock-key-file FILE, SWARM_UNLOCK_KEY or --unlock-key); the entries after the snapshot must be checked with its data key'
    : status.message;
  throw new RaftReadError(why, keyFile, 0);
}

/** The newest snapshot that reads, opens with the data keys and lies at or below `at`. */
function chooseSnapshot(state: SwarmState, at: bigint | undefined): { chosen?: SnapshotFile; leftOut: LeftOutSnapshot[]; kept: string[] } {
  const leftOut: LeftOutSnapshot[] = [];
  let chosen: SnapshotFile | undefined;
  for (const file of [...state.snapshotFiles].reverse()) {
    if (!file.snapshot) {
      leftOut.push({ name: file.name, file: file.path, offset: file.fault?.offset ?? 0, reason: file.fault?.message ?? 'unreadable' });
    } else if (chosen) {
      continue;
    } else if (at !== undefined && file.snapshot.index > at) {
      leftOut.push({ name: file.name, file: file.path, offset: 0, reason: `its index ${file.snapshot.index} is above --at ${at}` });
    } else {
      // Opening it proves it is what was written (the MAC); decoding its objects would only cost memory.
      const opened = unsealPayload(engineContext(state), file.snapshot.data, undefined);
      if (opened.ok) chosen = file;
      else leftOut.push({ name: file.name, file: file.path, offset: 0, reason: opened.message });
    }
  }
  const limit = chosen?.snapshot?.index;
  const kept = limit === undefined ? [] : state.snapshotFiles.filter((f) => f.snapshot && f.snapshot.index <= limit && !leftOut.some((l) => l.name === f.name)).map((f) => f.name);
  return { chosen, leftOut: leftOut.reverse(), kept };
}

class PlanWalk {
  members = new Set<bigint>();
  keptEntries = 0;
  keptRecords = 0;
  firstKept: bigint | undefined;
  lastIndex: bigint;
  lastTerm = 0n;
  lastHardState: HardStateFields | undefined;
  markKept = false;
  cut: CutPoint | undefined;
  cutAt: { segment: number; offset: number } | undefined;
  readonly dropped: DroppedItem[] = [];
  droppedNotListed = 0;
  readonly drops = new Set<string>();
  readonly tally = new LossTally();
  lost = { count: 0, unreadable: 0, damagedStretches: 0 } as { count: number; unreadable: number; damagedStretches: number; firstIndex?: bigint; lastIndex?: bigint };
  private firstDamageItem: DroppedItem | undefined;
  private readonly context: PayloadContext;

  constructor(
    private readonly state: SwarmState,
    private readonly base: bigint,
    private readonly baseTerm: bigint,
    private readonly at: bigint | undefined,
  ) {
    this.lastIndex = base;
    this.lastTerm = baseTerm; // until an entry above the snapshot is kept
    this.context = engineContext(state);
  }

  firstDamage(): DroppedItem | undefined {
    return this.firstDamageItem;
  }

  *run(onProgress?: (fraction: number, message: string) => void): Steps<void> {
    const segments = this.state.wal.segments;
    const total = segments.reduce((n, s) => n + s.scan.size, 0) || 1;
    let done = 0;
    const memory = new WindowMemory();
    for (let number = 0; number < segments.length; number++) {
      const segment = segments[number];
      onProgress?.(done / total, `checking ${segment.name}`);
      const file = new FileWindow(segment.path, { reuseWindow: memory });
      try {
        let records = 0;
        for (const item of walkSegment(file)) {
          if (++records % STEP_RECORDS === 0) {
            onProgress?.((done + item.offset) / total, `checking ${segment.name}`);
            yield;
          }
          if (item.kind === 'damage') {
            const bytes = item.end - item.offset;
            if (this.cut) this.lost.damagedStretches++;
            else this.drop(number, { file: segment.path, offset: item.offset, what: 'damage', bytes, reason: `${bytes} bytes hold no readable record (${item.reason})`, covered: false }, false);
            continue;
          }
          if (this.cut) this.afterCut(item);
          else this.record(number, segment.path, item);
        }
      } finally {
        file.close();
      }
      done += segment.scan.size;
    }
    onProgress?.(1, 'checked');
  }

  private record(segment: number, file: string, r: WalkedRecord): void {
    const where = { file, offset: r.offset };
    switch (r.type) {
      case RecordType.Entry:
        return this.entry(segment, file, r);
      case RecordType.HardState: {
        const state = r.verified ? decodeHardStateRecord(r.data) : undefined;
        if (!state) return this.drop(segment, { ...where, what: 'hard state', reason: r.problem ?? 'does not decode', covered: true });
        this.lastHardState = state;
        this.keptRecords++;
        return;
      }
      case RecordType.Snapshot: {
        const mark = r.verified ? decodeSnapshotMark(r.data) : undefined;
        if (!mark) return this.drop(segment, { ...where, what: 'snapshot mark', reason: r.problem ?? 'does not decode', covered: true });
        if (mark.index === this.base && mark.term !== this.baseTerm) {
          // etcd refuses a log whose mark at the snapshot's index has another term (ErrSnapshotMismatch).
          return this.drop(segment, { ...where, what: 'snapshot mark', index: mark.index, term: mark.term, reason: `its term differs from the kept snapshot's (${this.baseTerm})`, covered: true });
        }
        if (mark.index === this.base && this.base > 0n) this.markKept = true;
        this.keptRecords++;
        return;
      }
      case RecordType.Crc:
      case RecordType.Metadata:
        return; // the writer starts every segment with its own
      default:
        return this.drop(segment, { ...where, what: 'record', reason: `unknown record type ${r.type}`, covered: true });
    }
  }

  private entry(segment: number, file: string, r: WalkedRecord): void {
    const header = entryHeader(r.data);
    if (!header) {
      // Without its index it cannot be placed: left out; a hole it leaves above the snapshot cuts the log at the next entry.
      return this.drop(segment, { file, offset: r.offset, what: 'entry', reason: `${r.problem ?? 'CRC ok'}; the entry does not decode`, covered: false });
    }
    const { index, term } = header;
    const item = { file, offset: r.offset, what: 'entry' as const, index, term };
    if (index <= this.base) {
      if (!r.verified) return this.drop(segment, { ...item, reason: r.problem ?? 'damaged', covered: true });
      return this.keep(index, term, false);
    }
    let why: string | undefined;
    if (this.at !== undefined && index > this.at) why = `above --at ${this.at}`;
    else if (!r.verified) why = r.problem;
    else if (index > this.lastIndex + 1n) why = `entries ${this.lastIndex + 1n}..${index - 1n} are missing (a hole in the log)`;
    else {
      const opened = this.open(header.stored(r.data), index);
      if (!opened.ok) why = `its payload does not open: ${opened.message}`;
      else {
        if (header.type === EntryType.ConfChange) this.confChange(opened.plain);
        return this.keep(index, term, true);
      }
    }
    this.cut = { ...item, reason: why ?? 'damaged' };
    this.cutAt = { segment, offset: r.offset };
    this.afterCut(r);
  }

  private keep(index: bigint, term: bigint, aboveBase: boolean): void {
    this.keptRecords++;
    this.keptEntries++;
    this.firstKept ??= index;
    if (aboveBase) {
      this.lastIndex = index;
      this.lastTerm = term;
    }
  }

  /** An entry (or record) after the cut: counted as lost, and its store actions tallied when it reads. */
  private afterCut(r: WalkedRecord): void {
    if (r.type !== RecordType.Entry) return;
    const header = entryHeader(r.data);
    if (!header) {
      this.lost.unreadable++;
      return;
    }
    if (header.index <= this.base) return; // the snapshot holds it
    this.lost.count++;
    if (this.lost.firstIndex === undefined || header.index < this.lost.firstIndex) this.lost.firstIndex = header.index;
    if (this.lost.lastIndex === undefined || header.index > this.lost.lastIndex) this.lost.lastIndex = header.index;
    if (header.type !== EntryType.Normal || header.dataStart < 0) return;
    const opened = r.verified ? this.open(header.stored(r.data), header.index, this.state.payloadContext) : undefined;
    if (!opened?.ok) {
      this.lost.unreadable++;
      return;
    }
    try {
      const request = Messages.internalRaftRequest.decode(opened.plain) as unknown as { action?: never[] };
      for (const action of request.action ?? []) this.tally.add(summarizeAction(action));
    } catch {
      this.lost.unreadable++;
    }
  }

  /** Opens an entry's payload with the engine's keys (or, to tell what a lost entry held, with every key given). */
  private open(stored: Uint8Array | undefined, index: bigint, context = this.context): { ok: true; plain: Uint8Array } | { ok: false; message: string } {
    if (stored === undefined) return { ok: true, plain: new Uint8Array(0) };
    return unsealPayload(context, stored, index);
  }

  private confChange(plain: Uint8Array): void {
    try {
      const change = decodeConfChange(plain);
      if (change.type === CONF_ADD_NODE || change.type === CONF_ADD_LEARNER) this.members.add(change.nodeId);
      else if (change.type === CONF_REMOVE_NODE) this.members.delete(change.nodeId);
    } catch {
      // A conf change that does not decode changes nothing the report can tell.
    }
  }

  private drop(segment: number, item: DroppedItem, record = true): void {
    if (record) this.drops.add(`${segment}:${item.offset}`);
    if (item.what === 'damage') this.firstDamageItem ??= item;
    if (this.dropped.length < MAX_LISTED) this.dropped.push(item);
    else this.droppedNotListed++;
  }
}

interface Header {
  index: bigint;
  term: bigint;
  type: number;
  dataStart: number;
  /** The entry's Data as stored (sealed), or undefined when it has none. */
  stored(data: Uint8Array): Uint8Array | undefined;
}

function entryHeader(data: Uint8Array): Header | undefined {
  try {
    const h = readEntryHeader(data);
    return { index: h.index, term: h.term, type: h.type, dataStart: h.dataStart, stored: (d) => (h.dataStart < 0 ? undefined : d.subarray(h.dataStart, h.dataStart + h.dataLength)) };
  } catch {
    return undefined;
  }
}

/** The last hard state the copy needs: the kept one, its commit clamped into [snapshot, last entry]. */
function planHardState(kept: HardStateFields | undefined, base: bigint, baseTerm: bigint, lastIndex: bigint, lastTerm: bigint): HardStatePlan {
  const final: HardStateFields = kept ? { ...kept } : { term: 0n, vote: 0n, commit: 0n };
  const reasons: string[] = [];
  if (final.commit > lastIndex) {
    reasons.push(`its commit ${final.commit} is above the last kept entry ${lastIndex}`);
    final.commit = lastIndex;
  }
  if (final.commit < base) {
    reasons.push(`its commit ${final.commit} is below the snapshot's index ${base}`);
    final.commit = base;
  }
  const newestTerm = lastTerm > baseTerm ? lastTerm : baseTerm;
  if (final.term < newestTerm) {
    reasons.push(`its term ${final.term} is below the last kept entry's term ${newestTerm}`);
    final.term = newestTerm;
    final.vote = 0n; // nobody is known to have been voted for in that term
  }
  const appended = reasons.length > 0;
  return { kept, final, appended, why: appended ? reasons.join('; ') : undefined };
}

function safeMember(metadata: Uint8Array): { raftId: bigint; nodeId: string } | undefined {
  try {
    return decodeRaftMember(metadata);
  } catch {
    return undefined;
  }
}
