// The WAL and snapshot writer against the reader: records, CRC chain, segment headers and roll-over,
// preallocation, exact uint64 values, and the guards that keep it from writing where it should not.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32c } from '../../src/core/crypto/crc32c';
import { withFile } from '../../src/core/io/fileWindow';
import { readSnapshotFile } from '../../src/core/snap/snapshotFile';
import { readFrame } from '../../src/core/wal/framing';
import { decodeWalRecord, RecordType } from '../../src/core/wal/records';
import { readWalDirectory } from '../../src/core/wal/walLog';
import { snapshotFileName, writeSnapshotFile } from '../../src/core/writer/snapshotWriter';
import { SEGMENT_BYTES, WalWriter, type EntryInput } from '../../src/core/writer/walWriter';
import { cleanupTempDirs, recordTypes, tempDir } from './writer.support';
import { segmentEntries, segmentHardStates } from '../../src/core/wal/segment';

after(cleanupTempDirs);

const metadata = Buffer.from('member metadata');
const entry = (index: bigint, term: bigint, size = 40, type = 0): EntryInput => ({ index, term, type, data: Buffer.alloc(size, Number(index % 251n)) });

describe('WAL writer', () => {
  it('writes what the reader reads: entries, hard state, snapshot marks, metadata, no faults', () => {
    const dir = join(tempDir('wal'), 'wal');
    const w = WalWriter.create(dir, { metadata });
    w.save({ term: 1n, vote: 1n, commit: 1n }, [entry(1n, 1n), { index: 2n, term: 1n }]);
    w.save({ term: 2n, vote: 1n, commit: 3n }, [entry(3n, 2n, 17, 1)]);
    w.saveSnapshot({ index: 3n, term: 2n });
    const result = w.close();
    assert.equal(result.entries, 3);
    const log = readWalDirectory(dir);
    assert.deepEqual(log.faults, []);
    assert.deepEqual(log.raw.map((e) => [e.index, e.term, e.type, e.dataLength]), [[1n, 1n, 0, 40], [2n, 1n, 0, 0], [3n, 2n, 1, 17]]);
    assert.deepEqual([log.hardState?.term, log.hardState?.vote, log.hardState?.commit], [2n, 1n, 3n]);
    assert.deepEqual(log.snapshots.map((s) => [s.index, s.term]), [[0n, 0n], [3n, 2n]]);
    assert.deepEqual(Buffer.from(log.metadata!), metadata);
    // etcd's order: crc, metadata, snapshot {0,0}, then each Save's entries followed by its hard state.
    assert.deepEqual(recordTypes(result.segments[0].path), [4, 1, 5, 2, 2, 3, 2, 3, 5]);
    assert.equal(log.segments[0].scan.endCrc, result.endCrc);
  });

  it('starts the CRC chain at 0 and chains every record through crc32c', () => {
    const dir = join(tempDir('wal'), 'wal');
    const w = WalWriter.create(dir, { metadata, preallocate: false });
    w.save({ term: 1n, vote: 0n, commit: 1n }, [entry(1n, 1n)]);
    const { segments } = w.close();
    const bytes = readFileSync(segments[0].path);
    // First frame: the crc record {type 4, crc 0}, 4 bytes padded to 8.
    assert.equal(bytes.subarray(0, 16).toString('hex'), '04000000000000840804100000000000');
    let running = 0;
    withFile(segments[0].path, (file) => {
      for (let offset = 0; ;) {
        const r = readFrame(file, offset);
        if (r.kind !== 'frame') break;
        const record = decodeWalRecord(file.read(r.frame.dataOffset, r.frame.recordLength));
        if (record.type !== RecordType.Crc) running = crc32c(running, record.data);
        assert.equal(record.crc, running);
        offset = r.frame.end;
      }
    });
  });

  it('rolls over like etcd: whole batches, next name = sequence+1 and last index+1, older segments truncated', () => {
    const dir = join(tempDir('wal'), 'wal');
    const segmentBytes = 4096;
    const w = WalWriter.create(dir, { metadata, segmentBytes });
    let index = 0n;
    for (let batch = 0; batch < 40; batch++) {
      const entries = Array.from({ length: 3 }, () => entry(++index, 3n, 200));
      w.save({ term: 3n, vote: 1n, commit: index }, entries);
    }
    const { segments } = w.close();
    assert.ok(segments.length >= 4, `${segments.length} segments`);
    const log = readWalDirectory(dir);
    assert.deepEqual(log.faults, []);
    assert.equal(log.effective.length, 120);
    assert.deepEqual(log.effective.map((e) => e.index), Array.from({ length: 120 }, (_, i) => BigInt(i + 1)));
    for (let i = 0; i < segments.length; i++) {
      const scan = log.segments[i].scan;
      assert.equal(log.segments[i].sequence, BigInt(i));
      if (i > 0) {
        // Named after the entry that follows the previous segment's last one; the chain carries over.
        const previousLast = segmentEntries(log.segments[i - 1].scan).at(-1)!.index;
        assert.equal(log.segments[i].firstIndex, previousLast + 1n);
        assert.equal(scan.startCrc, log.segments[i - 1].scan.endCrc);
        assert.deepEqual(recordTypes(segments[i].path).slice(0, 3), [4, 1, 3], 'crc, metadata, then the last hard state');
        assert.equal(segmentHardStates(scan)[0].commit, previousLast);
      }
      const size = statSync(segments[i].path).size;
      if (i < segments.length - 1) {
        assert.equal(size, scan.end, 'a rolled-over segment is truncated to its last record');
        assert.ok(scan.end >= segmentBytes && scan.end < segmentBytes + 3 * 300, 'it ends within one batch past the threshold');
      } else {
        assert.equal(size, segmentBytes, 'the newest segment keeps its zero-filled tail');
        assert.equal(scan.stop, 'zero-length');
      }
    }
  });

  it('preallocates the newest segment to 64,000,000 bytes by default, and not at all when asked', () => {
    const base = tempDir('wal');
    const a = WalWriter.create(join(base, 'a'), { metadata });
    a.save({ term: 1n, vote: 0n, commit: 1n }, [entry(1n, 1n)]);
    const b = WalWriter.create(join(base, 'b'), { metadata, preallocate: false });
    b.save({ term: 1n, vote: 0n, commit: 1n }, [entry(1n, 1n)]);
    const [sa, sb] = [a.close().segments[0], b.close().segments[0]];
    assert.equal(statSync(sa.path).size, SEGMENT_BYTES);
    assert.equal(statSync(sb.path).size, sb.end);
    assert.deepEqual(readFileSync(sa.path).subarray(0, sa.end), readFileSync(sb.path));
  });

  it('keeps uint64 indexes, terms and hard states exact above 2^53', () => {
    const dir = join(tempDir('wal'), 'wal');
    const big = (1n << 63n) + 12345n;
    const w = WalWriter.create(dir, { metadata });
    w.save({ term: big, vote: (1n << 64n) - 1n, commit: big + 1n }, [entry(big, big), entry(big + 1n, big)]);
    w.close();
    const log = readWalDirectory(dir);
    assert.deepEqual(log.raw.map((e) => [e.index, e.term]), [[big, big], [big + 1n, big]]);
    assert.deepEqual([log.hardState?.term, log.hardState?.vote, log.hardState?.commit], [big, (1n << 64n) - 1n, big + 1n]);
  });

  it('can start as a later segment (older ones purged): its name, carried CRC and hard state', () => {
    const dir = join(tempDir('wal'), 'wal');
    const w = WalWriter.create(dir, { metadata, resume: { sequence: 7n, firstIndex: 501n, crc: 0xdeadbeef, hardState: { term: 4n, vote: 2n, commit: 500n } } });
    w.save({ term: 4n, vote: 2n, commit: 501n }, [entry(501n, 4n)]);
    w.close();
    const log = readWalDirectory(dir);
    assert.deepEqual(readdirSync(dir), ['0000000000000007-00000000000001f5.wal']);
    assert.equal(log.segments[0].scan.startCrc, 0xdeadbeef);
    assert.deepEqual(segmentHardStates(log.segments[0].scan).map((h) => h.commit), [500n, 501n]);
    assert.equal(log.segments[0].scan.lastHardState?.commit, 501n);
    assert.deepEqual(log.faults, []);
  });

  it('is deterministic: the same input gives the same bytes', () => {
    const digest = () => {
      const dir = join(tempDir('wal'), 'wal');
      const w = WalWriter.create(dir, { metadata, segmentBytes: 2048 });
      for (let i = 1n; i <= 30n; i++) w.save({ term: 1n, vote: 0n, commit: i }, [entry(i, 1n, 100)]);
      return w.close().segments.map((s) => `${s.name}:${createHash('sha256').update(readFileSync(s.path)).digest('hex')}`);
    };
    assert.deepEqual(digest(), digest());
  });

  it('refuses a non-empty directory and never replaces a file', () => {
    const dir = tempDir('wal');
    writeFileSync(join(dir, 'precious'), 'keep me');
    assert.throws(() => WalWriter.create(dir, { metadata }), /not empty/);
    assert.equal(readFileSync(join(dir, 'precious'), 'utf8'), 'keep me');
    const snapDir = tempDir('snap');
    const snapshot = { index: 9n, term: 2n, confStateNodes: [1n], data: Buffer.from('x') };
    writeSnapshotFile(snapDir, snapshot);
    assert.throws(() => writeSnapshotFile(snapDir, snapshot), /EEXIST/);
  });
});

describe('snapshot writer', () => {
  it('writes <term>-<index>.snap with a CRC-32C the reader checks, conf state and payload intact', () => {
    const dir = tempDir('snap');
    const big = (1n << 62n) + 3n;
    const path = writeSnapshotFile(dir, { index: 0x1f4n, term: 2n, confStateNodes: [big, 5n], confStateLearners: [7n], data: Buffer.from('payload') });
    assert.equal(path, join(dir, snapshotFileName(2n, 0x1f4n)));
    assert.equal(snapshotFileName(2n, 0x1f4n), '0000000000000002-00000000000001f4.snap');
    const file = readSnapshotFile(path);
    assert.equal(file.fault, undefined);
    const s = file.snapshot!;
    assert.deepEqual([s.index, s.term, s.confStateNodes, s.confStateLearners], [0x1f4n, 2n, [big, 5n], [7n]]);
    assert.equal(Buffer.from(s.data).toString(), 'payload');
  });
});
