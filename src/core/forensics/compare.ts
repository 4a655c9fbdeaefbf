// Two managers of one swarm, aligned by raft index and term. Raft's log matching property makes the
// terms enough to find where the logs part: equal (index, term) means equal history up to there. Each
// manager seals its log with its own data key, so payloads are compared after decryption.
import { RaftReadError } from '../errors';
import { hexId } from '../report/names';
import { decodeRaftMember, type SwarmState } from '../state/swarmState';
import type { WalEntry } from '../wal/walLog';
import type { ComparisonReport, IndexSpan, ManagerSummary, PayloadComparison, SideAfterDivergence, SnapshotAnchor } from './compareModel';
import { describeComparison } from './compareText';

export interface CompareOptions {
  /** Compare the decrypted payloads of agreeing entries (default true; decrypts both logs). */
  payloads?: boolean;
  /** Go on when the certificates name different clusters (default: refuse). */
  allowDifferentClusters?: boolean;
}

const MAX_LISTED = 100;

export function compareManagers(a: SwarmState, b: SwarmState, options: CompareOptions = {}): ComparisonReport {
  const ca = a.identity.clusterId;
  const cb = b.identity.clusterId;
  const sameCluster = ca && cb ? ca === cb : undefined;
  if (sameCluster === false && !options.allowDifferentClusters) {
    throw new RaftReadError(`not the same swarm: ${a.layout.stateDir} belongs to cluster ${ca}, ${b.layout.stateDir} to cluster ${cb}`);
  }
  const walker = new Alignment(a, b, options.payloads ?? true);
  walker.run();
  const sa = summarize(a);
  const sb = summarize(b);
  const report: ComparisonReport = {
    a: sa,
    b: sb,
    ...(sameCluster !== undefined ? { sameCluster } : {}),
    ...(a.identity.nodeId && b.identity.nodeId ? { sameNode: a.identity.nodeId === b.identity.nodeId } : {}),
    verdict: 'identical',
    summary: '',
    ...(walker.overlap ? { overlap: walker.overlap.span() } : {}),
    ...(walker.agreed ? { agreed: walker.agreed.span() } : {}),
    onlyInA: walker.onlyInA.map((r) => r.span(true)),
    onlyInB: walker.onlyInB.map((r) => r.span(true)),
    payloads: walker.payloadReport(),
    snapshots: [...anchors('a', a, b), ...anchors('b', b, a)],
  };
  if (walker.divergence) {
    const d = walker.divergence;
    report.divergence = { index: d.index.toString(), a: afterDivergence(a, d.index, d.termA), b: afterDivergence(b, d.index, d.termB) };
  }
  const lastA = a.wal.effective.at(-1)?.index;
  const lastB = b.wal.effective.at(-1)?.index;
  if (!walker.overlap) report.verdict = 'disjoint';
  else if (walker.divergence) report.verdict = 'diverged';
  else if (report.payloads.differentCount > 0) report.verdict = 'inconsistent';
  else if (lastA !== lastB) report.verdict = 'lagging';
  if (report.verdict !== 'diverged' && report.verdict !== 'disjoint' && lastA !== undefined && lastB !== undefined && lastA !== lastB) {
    report.lagging = lastA > lastB ? { side: 'b', behindBy: Number(lastA - lastB) } : { side: 'a', behindBy: Number(lastB - lastA) };
  }
  const commitA = a.wal.hardState?.commit;
  const commitB = b.wal.hardState?.commit;
  if (commitA !== undefined && commitB !== undefined && commitA !== commitB) {
    report.commitAhead = commitA > commitB ? { side: 'a', by: (commitA - commitB).toString() } : { side: 'b', by: (commitB - commitA).toString() };
  }
  report.summary = describeComparison(report);
  return report;
}

function summarize(state: SwarmState): ManagerSummary {
  const log = state.wal.effective;
  const first = log[0];
  const last = log.at(-1);
  const hs = state.wal.hardState;
  const snap = state.newestSnapshot;
  let member: { raftId?: string; addr?: string } = {};
  if (state.wal.metadata) {
    try {
      const m = decodeRaftMember(state.wal.metadata);
      member = { raftId: hexId(m.raftId), ...(m.addr ? { addr: m.addr } : {}) };
    } catch {
      // Metadata that does not decode only costs the raft id in the summary.
    }
  }
  return {
    stateDir: state.layout.stateDir,
    ...(state.identity.clusterId ? { clusterId: state.identity.clusterId } : {}),
    ...(state.identity.nodeId ? { nodeId: state.identity.nodeId } : {}),
    ...member,
    entries: log.length,
    ...(first && last ? { firstIndex: first.index.toString(), lastIndex: last.index.toString(), lastTerm: last.term.toString() } : {}),
    ...(hs ? { commit: hs.commit.toString(), term: hs.term.toString() } : {}),
    ...(snap?.snapshot ? { snapshot: { name: snap.name, index: snap.snapshot.index.toString(), term: snap.snapshot.term.toString() } } : {}),
    keyState: state.keyRing.status.state,
  };
}

function afterDivergence(state: SwarmState, index: bigint, term: bigint): SideAfterDivergence {
  const commit = state.wal.hardState?.commit;
  const run = new Run();
  for (const e of state.wal.effective) if (e.index >= index) run.add(e);
  return { term: term.toString(), committed: commit !== undefined && index <= commit, entries: run.span(true) };
}

/** Each valid snapshot of `side` checked against the other side's entry at its index. */
function anchors(side: 'a' | 'b', state: SwarmState, other: SwarmState): SnapshotAnchor[] {
  const out: SnapshotAnchor[] = [];
  for (const f of state.snapshotFiles) {
    if (!f.snapshot) continue;
    const at = findEntry(other.wal.effective, f.snapshot.index);
    out.push({
      side, name: f.name, index: f.snapshot.index.toString(), term: f.snapshot.term.toString(),
      ...(at ? { otherTerm: at.term.toString(), matches: at.term === f.snapshot.term } : {}),
    });
  }
  return out;
}

/** Binary search of an ascending effective log. */
function findEntry(log: readonly WalEntry[], index: bigint): WalEntry | undefined {
  let lo = 0;
  let hi = log.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = log[mid].index;
    if (v === index) return log[mid];
    if (v < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Indexes collected into a span (consecutive, except across gaps in a log). */
class Run {
  from?: bigint;
  to?: bigint;
  count = 0;
  private uncommitted = 0;

  add(e: WalEntry): void {
    this.from ??= e.index;
    this.to = e.index;
    this.count++;
    if (e.uncommitted) this.uncommitted++;
  }

  /** `ownSide`: the entries are all one manager's, so its uncommitted ones are worth counting. */
  span(ownSide = false): IndexSpan {
    return { from: (this.from ?? 0n).toString(), to: (this.to ?? 0n).toString(), count: this.count, ...(ownSide && this.uncommitted ? { uncommitted: this.uncommitted } : {}) };
  }
}

/** Walks both effective logs in index order (two pointers; both are ascending). */
class Alignment {
  overlap?: Run;
  agreed?: Run;
  divergence?: { index: bigint; termA: bigint; termB: bigint };
  onlyInA: Run[] = [];
  onlyInB: Run[] = [];
  private compared = 0;
  private equal = 0;
  private different: string[] = [];
  private differentCount = 0;
  private unchecked = new Map<string, number>();

  constructor(private readonly a: SwarmState, private readonly b: SwarmState, private readonly payloads: boolean) {}

  run(): void {
    const la = this.a.wal.effective;
    const lb = this.b.wal.effective;
    let i = 0;
    let j = 0;
    while (i < la.length || j < lb.length) {
      if (j >= lb.length || (i < la.length && la[i].index < lb[j].index)) this.only(this.onlyInA, la[i++]);
      else if (i >= la.length || lb[j].index < la[i].index) this.only(this.onlyInB, lb[j++]);
      else this.both(la[i++], lb[j++]);
    }
  }

  private only(runs: Run[], e: WalEntry): void {
    const last = runs.at(-1);
    if (last && last.to !== undefined && e.index === last.to + 1n) last.add(e);
    else {
      const run = new Run();
      run.add(e);
      runs.push(run);
    }
  }

  private both(ea: WalEntry, eb: WalEntry): void {
    (this.overlap ??= new Run()).add(ea);
    if (this.divergence) return;
    if (ea.term !== eb.term) {
      this.divergence = { index: ea.index, termA: ea.term, termB: eb.term };
      return;
    }
    (this.agreed ??= new Run()).add(ea);
    if (this.payloads) this.comparePayloads(ea, eb);
  }

  private comparePayloads(ea: WalEntry, eb: WalEntry): void {
    const da = this.a.decodeEntry(ea);
    const db = this.b.decodeEntry(eb);
    if (!da.ok || !db.ok) {
      const reason = [!da.ok ? `a: ${da.problem}` : '', !db.ok ? `b: ${db.problem}` : ''].filter(Boolean).join(', ');
      this.unchecked.set(reason, (this.unchecked.get(reason) ?? 0) + 1);
      return;
    }
    this.compared++;
    if (Buffer.compare(da.plain, db.plain) === 0) this.equal++;
    else {
      this.differentCount++;
      if (this.different.length < MAX_LISTED) this.different.push(ea.index.toString());
    }
  }

  payloadReport(): PayloadComparison {
    return {
      compared: this.compared, equal: this.equal, different: this.different, differentCount: this.differentCount,
      unchecked: [...this.unchecked].map(([reason, count]) => ({ reason, count })),
    };
  }
}
