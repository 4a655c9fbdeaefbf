// Generates large, realistic manager state directories with the writer, for benchmarks:
//   big/  - a snapshot with thousands of objects, then task/service/node updates of 0.5-4 KB each
//           until N WAL segments (64,000,000 bytes) are full, plus a partly filled newest one;
//   tiny/ - one segment of many tiny entries (small node status updates).
// Each is a complete state dir (certificates/ with node key, node and root CA certificates; raft/),
// encrypted as SwarmKit does, deterministic from the seed. Writes only into --out (new or empty).
//   npm run genlog -- --out DIR [--seed S] [--only big|tiny] [--segments 3] [--tiny-entries 100000]
//                     [--lock] [--fernet] [--no-preallocate]
import { statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Messages } from '../src/core/codec';
import { Algorithm } from '../src/core/crypto/maybeEncrypted';
import { u64 } from '../src/core/writer/rawEncode';
import { prepareEmptyDir } from '../src/core/writer/outputDir';
import { SeededRandom } from '../src/core/writer/seededRandom';
import { encodeRaftMember, SwarmStateWriter, type StateSpec, type StateWriteResult } from '../src/core/writer/stateWriter';
import { ACTION, SyntheticCluster } from '../src/core/writer/syntheticCluster';
import type { EntryInput } from '../src/core/writer/walWriter';

const START = new Date(Date.UTC(2026, 0, 5, 9, 0, 0));

interface Options {
  out: string;
  seed: string;
  only?: string;
  segments: number;
  tinyEntries: number;
  lock: boolean;
  fernet: boolean;
  preallocate: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', short: 'o' },
      seed: { type: 'string', default: 'genlog' },
      only: { type: 'string' },
      segments: { type: 'string', default: '3' },
      'tiny-entries': { type: 'string', default: '100000' },
      lock: { type: 'boolean', default: false },
      fernet: { type: 'boolean', default: false },
      'no-preallocate': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.out) {
    console.error('usage: npm run genlog -- --out DIR [--seed S] [--only big|tiny] [--segments 3] [--tiny-entries 100000] [--lock] [--fernet] [--no-preallocate]');
    process.exit(values.help ? 0 : 2);
  }
  if (values.only && values.only !== 'big' && values.only !== 'tiny') throw new Error('--only takes big or tiny');
  return {
    out: values.out, seed: values.seed!, only: values.only, segments: positive(values.segments!, '--segments'),
    tinyEntries: positive(values['tiny-entries']!, '--tiny-entries'), lock: values.lock!, fernet: values.fernet!, preallocate: !values['no-preallocate'],
  };
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a positive whole number`);
  return n;
}

function stateSpec(o: Options, name: string): StateSpec {
  return { seed: `${o.seed}/${name}`, lock: o.lock, algorithm: o.fernet ? Algorithm.Fernet : Algorithm.Secretbox, preallocate: o.preallocate, startTime: START };
}

/** Appends entries the way a leader does: small batches, each followed by the hard state. */
class LogAppender {
  index = 0n;
  term = 1n;
  entries = 0;
  constructor(private readonly writer: SwarmStateWriter, private readonly random: SeededRandom) {}

  append(batch: EntryInput[]): void {
    this.writer.wal.save({ term: this.term, vote: this.writer.identity.raftId, commit: this.index }, batch);
    this.entries += batch.length;
  }

  next(data: Uint8Array | undefined, type = 0): EntryInput {
    return { index: ++this.index, term: this.term, type, data };
  }

  /** The node bootstraps the cluster: a conf change adding itself, at term 1. */
  bootstrap(): void {
    const id = this.writer.identity;
    const confChange = Messages.raftConfChange.encode(Messages.raftConfChange.create({
      ID: u64(this.random.uint64()), Type: 0, NodeID: u64(id.raftId), Context: encodeRaftMember(id),
    })).finish();
    this.append([this.next(confChange, 1)]);
  }

  /** A new leader term starts with an empty entry. */
  election(): void {
    this.term += 1n;
    this.append([this.next(undefined)]);
  }
}

function generateBig(o: Options, dir: string): Summary {
  const started = performance.now();
  const writer = SwarmStateWriter.create(dir, stateSpec(o, 'big'));
  const random = new SeededRandom(`${o.seed}/big/log`);
  const log = new LogAppender(writer, random);
  const cluster = new SyntheticCluster(random.fork('cluster'), writer.identity.clusterId, writer.identity.nodeId, writer.identity.raftId, START.getTime() / 1000);
  log.bootstrap();
  for (let request; (request = cluster.at(log.index + 1n).nextInitialRequest()); ) log.append([log.next(cluster.encodeRequest(request))]);
  const snapshotIndex = log.index;
  const snapshotStarted = performance.now();
  const members = [{ raftId: writer.identity.raftId, nodeId: writer.identity.nodeId, addr: writer.identity.addr }];
  const snapshotData = cluster.encodeSnapshot(members);
  writer.writeSnapshot({ index: snapshotIndex, term: log.term, confStateNodes: [writer.identity.raftId], data: snapshotData });
  const snapshotMs = performance.now() - snapshotStarted;
  const snapshotObjects = cluster.objectCount();

  // Fill `segments` segments, then a little of the next one (the newest segment is rarely empty).
  let tail = -1;
  while (tail !== 0) {
    if (random.chance(0.00005)) log.election();
    const batch: EntryInput[] = [];
    for (let n = random.int(1, 4); n > 0; n--) batch.push(log.next(cluster.at(log.index + 1n).encodeRequest(cluster.nextRequest())));
    log.append(batch);
    if (tail < 0 && writer.wal.segmentCount > o.segments) tail = 2000;
    else if (tail > 0) tail = Math.max(0, tail - batch.length);
  }
  const result = writer.close();
  return { name: 'big', result, entries: log.entries, lastIndex: log.index, snapshot: { index: snapshotIndex, objects: snapshotObjects, bytes: snapshotData.length, ms: snapshotMs }, ms: performance.now() - started };
}

function generateTiny(o: Options, dir: string): Summary {
  const started = performance.now();
  const writer = SwarmStateWriter.create(dir, stateSpec(o, 'tiny'));
  const random = new SeededRandom(`${o.seed}/tiny/log`);
  const log = new LogAppender(writer, random);
  log.bootstrap();
  const nodeIds = Array.from({ length: 50 }, () => random.id());
  const target = log.entries + o.tinyEntries;
  while (log.entries < target) {
    const batch: EntryInput[] = [];
    for (let n = Math.min(random.int(1, 8), target - log.entries); n > 0; n--) {
      const index = log.index + 1n;
      // A minimal node status change: tens of bytes of plaintext.
      const request = { id: u64(random.uint64()), action: [{ action: ACTION.update, node: { id: random.pick(nodeIds), meta: { version: { index: u64(index) } }, status: { state: random.chance(0.9) ? 2 : 3 } } }] };
      batch.push(log.next(Messages.internalRaftRequest.encode(request as never).finish()));
    }
    log.append(batch);
  }
  const result = writer.close();
  return { name: 'tiny', result, entries: log.entries, lastIndex: log.index, ms: performance.now() - started };
}

interface Summary {
  name: string;
  result: StateWriteResult;
  entries: number;
  lastIndex: bigint;
  snapshot?: { index: bigint; objects: number; bytes: number; ms: number };
  ms: number;
}

function report(out: string, s: Summary): object {
  const r = s.result;
  console.log(`${s.name}: ${relative(process.cwd(), r.stateDir) || '.'} in ${(s.ms / 1000).toFixed(1)} s`);
  console.log(`  node ${r.identity.nodeId}, cluster ${r.identity.clusterId}, raft id ${r.identity.raftId.toString(16)}${r.unlockKey ? `, unlock key ${r.unlockKey}` : ''}`);
  console.log(`  ${s.entries} entries (index 1..${s.lastIndex}), ${r.wal.records} records, ${r.wal.segments.length} WAL segment(s):`);
  for (const seg of r.wal.segments) console.log(`    ${seg.name}  ${seg.end} bytes of records, file ${statSync(seg.path).size} bytes`);
  if (s.snapshot) {
    console.log(`  snapshot at index ${s.snapshot.index}: ${s.snapshot.objects} objects, ${s.snapshot.bytes} bytes plaintext, ${r.snapshots.map((p) => `${relative(r.stateDir, p)} ${statSync(p).size} bytes`).join(', ')} (${s.snapshot.ms.toFixed(0)} ms)`);
  }
  const walBytes = r.wal.segments.reduce((n, seg) => n + seg.end, 0);
  console.log(`  ${(walBytes / 1e6).toFixed(1)} MB of WAL records, ${(walBytes / 1e6 / (s.ms / 1000)).toFixed(1)} MB/s, ${Math.round(s.entries / (s.ms / 1000))} entries/s`);
  return {
    name: s.name, stateDir: relative(out, r.stateDir), nodeId: r.identity.nodeId, clusterId: r.identity.clusterId, raftId: r.identity.raftId.toString(),
    unlockKey: r.unlockKey ?? null, entries: s.entries, lastIndex: s.lastIndex.toString(),
    segments: r.wal.segments.map((seg) => ({ name: seg.name, recordBytes: seg.end })),
    snapshot: s.snapshot ? { index: s.snapshot.index.toString(), objects: s.snapshot.objects, plaintextBytes: s.snapshot.bytes } : null,
    seconds: Number((s.ms / 1000).toFixed(2)),
  };
}

function main(): void {
  const o = parseOptions();
  const started = performance.now();
  const out = prepareEmptyDir(o.out);
  const summaries: object[] = [];
  if (o.only !== 'tiny') summaries.push(report(out, generateBig(o, join(out, 'big'))));
  if (o.only !== 'big') summaries.push(report(out, generateTiny(o, join(out, 'tiny'))));
  const manifest = { generator: 'scripts/genlog.ts', seed: o.seed, options: { segments: o.segments, tinyEntries: o.tinyEntries, lock: o.lock, fernet: o.fernet, preallocate: o.preallocate }, states: summaries };
  writeFileSync(join(out, 'genlog.json'), JSON.stringify(manifest, null, 2) + '\n', { flag: 'wx' });
  console.log(`wrote ${join(relative(process.cwd(), out) || '.', 'genlog.json')}; total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main();
