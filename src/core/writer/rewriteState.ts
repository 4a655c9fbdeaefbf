// Writes an opened state directory back out through the writer: the same record stream, segment by
// segment (entries, hard states and snapshot marks in file order), the same snapshots and the same key
// files. 'verbatim' keeps every stored payload as it is, so a faithful writer reproduces the files byte
// for byte; 'reseal' decrypts each payload and seals it again under the key and algorithm that opened it
// (fresh seeded nonces/IVs, the original Fernet time), which must read back identically.
import { copyFileSync, constants, existsSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fernetSeal } from '../crypto/fernet';
import { Algorithm, encodeEncryptedRecord } from '../crypto/maybeEncrypted';
import { withFile, type FileWindow } from '../io/fileWindow';
import { RaftReadError } from '../errors';
import type { SwarmState } from '../state/swarmState';
import type { SegmentInfo, WalEntry } from '../wal/walLog';
import { segmentEntries, segmentHardStates } from '../wal/segment';
import { assertOutsideOf, prepareEmptyDir } from './outputDir';
import { secretboxSealer } from './sealer';
import { SeededRandom } from './seededRandom';
import { openStoredPayload, readStoredEntryData } from './storedPayload';
import { writeSnapshotFile } from './snapshotWriter';
import { WalWriter, type EntryInput } from './walWriter';
import { encodeRecord, type HardStateFields } from './rawEncode';
import { crc32c } from '../crypto/crc32c';
import { encodeLengthWord, readFrame } from '../wal/framing';
import { decodeWalRecord, RecordType } from '../wal/records';

export interface RewriteOptions {
  mode: 'verbatim' | 'reseal';
  /** Seed of the nonces and IVs in 'reseal' mode. */
  seed?: string;
}

export interface RewriteResult {
  stateDir: string;
  walFiles: string[];
  snapFiles: string[];
  /** Payloads sealed again ('reseal'). */
  resealed: number;
  /** Payloads copied as stored (all in 'verbatim'; those no key opens in 'reseal'). */
  copied: number;
  /** Files of the source not carried over (preallocated .tmp, .broken, ...). */
  skipped: string[];
}

type StreamItem =
  | { offset: number; kind: 'entry'; ref: WalEntry }
  | { offset: number; kind: 'hardState'; state: HardStateFields }
  | { offset: number; kind: 'snapshot'; index: bigint; term: bigint };

export function rewriteState(state: SwarmState, outDir: string, options: RewriteOptions): RewriteResult {
  assertOutsideOf(outDir, state.layout.stateDir);
  const stateDir = prepareEmptyDir(outDir);
  const result: RewriteResult = { stateDir, walFiles: [], snapFiles: [], resealed: 0, copied: 0, skipped: state.wal.ignored.map((i) => i.name) };
  const reseal = makeResealer(state, options, result);

  copyCertificates(state, join(stateDir, 'certificates'));
  const walDir = join(stateDir, 'raft', basename(state.layout.walDir));
  const snapDir = join(stateDir, 'raft', basename(state.layout.snapDir));
  mkdirSync(snapDir, { recursive: true, mode: 0o700 });

  const segments = state.wal.segments;
  if (segments.length > 0) result.walFiles = rewriteWal(segments, walDir, reseal);
  else mkdirSync(walDir, { recursive: true, mode: 0o700 });

  for (const file of state.snapshotFiles) {
    if (!file.snapshot) {
      // A damaged snapshot is carried over as it is, damage included.
      copyFileSync(file.path, join(snapDir, file.name), constants.COPYFILE_EXCL);
      result.snapFiles.push(join(snapDir, file.name));
      continue;
    }
    const s = file.snapshot;
    const input = { index: s.index, term: s.term, confStateNodes: s.confStateNodes, confStateLearners: s.confStateLearners, data: reseal(s.data) };
    result.snapFiles.push(writeSnapshotFile(snapDir, input, undefined, file.name));
  }
  return result;
}

function rewriteWal(segments: SegmentInfo[], walDir: string, reseal: (stored: Uint8Array) => Uint8Array): string[] {
  const first = segments[0];
  const last = segments[segments.length - 1];
  const fresh = first.sequence === 0n && first.firstIndex === 0n;
  const streams = segments.map(recordStream);
  // The writer emits each segment's header itself: after the crc and metadata records comes a snapshot
  // mark {0,0} (fresh log) or the last hard state (later segments); drop that record from the stream.
  const headerRecord = (segment: SegmentInfo, items: StreamItem[]): StreamItem | undefined => {
    const item = items[0];
    if (!item || item.offset !== headerEnd(segment)) return undefined;
    if (segment === first && fresh) return item.kind === 'snapshot' && item.index === 0n && item.term === 0n ? item : undefined;
    return item.kind === 'hardState' ? item : undefined;
  };
  const headerState = (segment: SegmentInfo, items: StreamItem[]) => {
    const item = headerRecord(segment, items);
    return item?.kind === 'hardState' ? item.state : undefined;
  };
  const writer = WalWriter.create(walDir, {
    metadata: first.scan.metadata ?? new Uint8Array(0),
    segmentBytes: Infinity, // segment boundaries come from the source
    preallocate: last.scan.size > last.scan.end,
    preallocateBytes: last.scan.size,
    resume: fresh ? undefined : { sequence: first.sequence, firstIndex: first.firstIndex, crc: first.scan.startCrc ?? 0, hardState: headerState(first, streams[0]) },
  });
  segments.forEach((segment, i) => {
    if (i > 0) writer.cut();
    const items = headerRecord(segment, streams[i]) ? streams[i].slice(1) : streams[i];
    withFile(segment.path, (file) => {
      for (const item of items) {
        // A mark's record data goes over as it is: etcd 3.5 (SwarmKit v2) adds the conf state to it.
        if (item.kind === 'snapshot') writer.saveRawSnapshot(item, recordData(file, item.offset));
        else if (item.kind === 'hardState') writer.save(item.state, []);
        else {
          const stored = readStoredEntryData(file, item.ref);
          const entry: EntryInput = { index: item.ref.index, term: item.ref.term, type: item.ref.type, data: stored && reseal(stored) };
          writer.save(undefined, [entry]);
        }
      }
    });
  });
  return writer.close().segments.map((s) => s.path);
}

/** The data of the record whose frame starts at `offset`. */
function recordData(file: FileWindow, offset: number): Uint8Array {
  const found = readFrame(file, offset);
  if (found.kind !== 'frame') throw new RaftReadError('the record is gone since the log was read', file.path, offset);
  return decodeWalRecord(file.read(found.frame.dataOffset, found.frame.recordLength)).data;
}

/** Offset just past a segment's crc and metadata records. */
function headerEnd(segment: SegmentInfo): number {
  const startCrc = segment.scan.startCrc ?? 0;
  const metadata = segment.scan.metadata ?? new Uint8Array(0);
  const frame = (record: Uint8Array) => 8 + record.length + encodeLengthWord(record.length).paddingLength;
  return frame(encodeRecord(RecordType.Crc, startCrc)) + frame(encodeRecord(RecordType.Metadata, crc32c(startCrc, metadata), metadata));
}

function recordStream(segment: SegmentInfo): StreamItem[] {
  const scan = segment.scan;
  const items: StreamItem[] = [
    ...segmentEntries(scan).map((ref) => ({ offset: ref.offset, kind: 'entry' as const, ref })),
    ...segmentHardStates(scan).map((h) => ({ offset: h.offset, kind: 'hardState' as const, state: { term: h.term, vote: h.vote, commit: h.commit } })),
    ...scan.snapshots.map((s) => ({ offset: s.offset, kind: 'snapshot' as const, index: s.index, term: s.term })),
  ];
  return items.sort((a, b) => a.offset - b.offset);
}

function makeResealer(state: SwarmState, options: RewriteOptions, result: RewriteResult): (stored: Uint8Array) => Uint8Array {
  if (options.mode === 'verbatim' || !state.layout.encrypted) {
    return (stored) => {
      result.copied++;
      return stored;
    };
  }
  const random = new SeededRandom(options.seed ?? 'rewrite');
  return (stored) => {
    const opened = openStoredPayload(state, stored);
    if (!opened.ok || !opened.sealedWith) {
      result.copied++; // no key opens it (an earlier data key) or it was never sealed: keep it as it is
      return stored;
    }
    result.resealed++;
    const { key, algorithm, fernetTime } = opened.sealedWith;
    if (algorithm === Algorithm.Fernet) {
      const token = fernetSeal(opened.plain, key, fernetTime ?? 0n, random.bytes(16));
      return encodeEncryptedRecord({ algorithm, data: token, nonce: new Uint8Array(0) });
    }
    return secretboxSealer(key, random).seal(opened.plain);
  };
}

function copyCertificates(state: SwarmState, dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const nodeKey = state.keyRing.nodeKey?.file ?? state.layout.nodeKeyFile;
  const sources: [string, string][] = [
    [nodeKey, 'swarm-node.key'],
    [state.layout.nodeCertFile, 'swarm-node.crt'],
    [join(state.layout.stateDir, 'certificates', 'swarm-root-ca.crt'), 'swarm-root-ca.crt'],
  ];
  for (const [from, name] of sources) if (existsSync(from)) copyFileSync(from, join(dir, name), constants.COPYFILE_EXCL);
}
