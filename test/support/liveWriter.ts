// A manager that keeps writing, for the follow tests and benchmark: the project's writer appends
// realistic store requests (SyntheticCluster) to a state directory in leader-like batches, flushing each
// batch so a reader sees it at once; snapshots and elections on demand.
import { Messages } from '../../src/core/codec';
import { u64 } from '../../src/core/writer/rawEncode';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { encodeRaftMember, SwarmStateWriter, type StateSpec } from '../../src/core/writer/stateWriter';
import { SyntheticCluster } from '../../src/core/writer/syntheticCluster';
import type { EntryInput } from '../../src/core/writer/walWriter';

const START = new Date(Date.UTC(2026, 0, 5, 9, 0, 0));

export class LiveWriter {
  readonly writer: SwarmStateWriter;
  readonly cluster: SyntheticCluster;
  index = 0n;
  term = 1n;
  /** The hard state's commit: batches commit what came before them (a follower lags by one batch). */
  commit = 0n;
  private readonly random: SeededRandom;

  constructor(dir: string, spec: Partial<StateSpec> = {}) {
    this.writer = SwarmStateWriter.create(dir, { seed: 'live', startTime: START, ...spec });
    this.random = new SeededRandom(`${spec.seed ?? 'live'}/log`);
    const id = this.writer.identity;
    this.cluster = new SyntheticCluster(this.random.fork('cluster'), id.clusterId, id.nodeId, id.raftId, START.getTime() / 1000);
    const confChange = Messages.raftConfChange.encode(Messages.raftConfChange.create({
      ID: u64(this.random.uint64()), Type: 0, NodeID: u64(id.raftId), Context: encodeRaftMember(id),
    })).finish();
    this.save([this.next(confChange, 1)]);
  }

  get stateDir(): string {
    return this.writer.stateDir;
  }

  /** One batch of `n` store requests, then the hard state; flushed. Returns the last index written. */
  append(n: number): bigint {
    const batch: EntryInput[] = [];
    for (let i = 0; i < n; i++) {
      const request = this.cluster.at(this.index + 1n).nextInitialRequest() ?? this.cluster.nextRequest();
      batch.push(this.next(this.cluster.encodeRequest(request)));
    }
    this.save(batch);
    return this.index;
  }

  /** Commits everything written so far (a hard state record alone). */
  commitAll(): void {
    this.commit = this.index;
    this.writer.wal.save({ term: this.term, vote: this.writer.identity.raftId, commit: this.commit });
    this.writer.wal.flush();
  }

  /** A new term begins with an empty entry. */
  election(): void {
    this.term += 1n;
    this.save([this.next(undefined)]);
  }

  /** A snapshot of the store at the current index (snap file first, then its WAL record). */
  snapshot(): string {
    const id = this.writer.identity;
    const path = this.writer.writeSnapshot({
      index: this.index, term: this.term, confStateNodes: [id.raftId],
      data: this.cluster.encodeSnapshot([{ raftId: id.raftId, nodeId: id.nodeId, addr: id.addr }]),
    });
    this.writer.wal.flush();
    return path;
  }

  close(): void {
    this.writer.close();
  }

  private next(data: Uint8Array | undefined, type = 0): EntryInput {
    return { index: ++this.index, term: this.term, type, data };
  }

  private save(batch: EntryInput[]): void {
    this.commit = this.index - BigInt(batch.length); // the batch's hard state commits what came before it
    this.writer.wal.save({ term: this.term, vote: this.writer.identity.raftId, commit: this.commit }, batch);
    this.writer.wal.flush();
  }
}
