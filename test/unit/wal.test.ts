// The WAL layers on real segments: framing and padding, the CRC chain, log semantics, and what happens
// to damaged files (faults with file and offset; everything readable still listed).
import assert from 'node:assert/strict';
import { existsSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync, writeSync, closeSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileWindow, WindowMemory, withFile } from '../../src/core/io/fileWindow';
import { decodeLengthWord, encodeLengthWord, firstNonZero, frameSlot, isAllZero, readFrame } from '../../src/core/wal/framing';
import { decodeWalRecord, isPlainHardState, readEntryHeader, readEntryHeaderByReader, readScanHeader, viewWalRecord, viewWalRecordByReader } from '../../src/core/wal/records';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { Messages, toU64 } from '../../src/core/codec';
import { entryDataView, scanSegment, segmentEntries } from '../../src/core/wal/segment';
import { readWalDirectory, readWalDirectorySteps, type WalLog } from '../../src/core/wal/walLog';
import { SwarmState } from '../../src/core/state/swarmState';
import { SwarmStateWriter } from '../../src/core/writer/stateWriter';
import { corpusCase, generatedCase, repoRoot } from '../support/fixtures';
import { scratchCopy } from '../support/scratch';
import { cleanupTempDirs, tempDir } from './writer.support';

const GOLDEN = join(repoRoot, 'test/fixtures/golden/0000000000000001-0000000000000007.wal');
const WAL_DIR = 'raft/wal-v3-encrypted';
const SEG0 = '0000000000000000-0000000000000000.wal';
const SEG1 = '0000000000000001-0000000000000007.wal';

describe('framing', () => {
  it('finds the first non-zero byte as a byte loop does, at every place around the 4 KB steps it compares', () => {
    for (const length of [0, 1, 511, 4095, 4096, 4097, 65536, 70_000]) {
      const bytes = new Uint8Array(length);
      assert.equal(firstNonZero(bytes), length);
      assert.ok(isAllZero(bytes));
      for (const at of [0, 1, 4095, 4096, 4097, 8191, 65535, length - 1].filter((a) => a >= 0 && a < length)) {
        const one = new Uint8Array(length);
        one[at] = 0x80;
        if (at + 5 < length) one[at + 5] = 1;
        assert.equal(firstNonZero(one), at, `length ${length}, byte ${at}`);
        assert.equal(firstNonZero(one.subarray(1)), at === 0 ? (at + 5 < length ? 4 : length - 1) : at - 1, `from 1: length ${length}, byte ${at}`);
        assert.equal(isAllZero(one), false);
      }
    }
  });
  it('decodes the length word: low 56 bits length, top byte padding when its high bit is set', () => {
    const word = Buffer.from('3f00000000000081', 'hex');
    assert.deepEqual(decodeLengthWord(word), { recordLength: 63, paddingLength: 1 });
    assert.deepEqual(decodeLengthWord(Buffer.from('1800000000000000', 'hex')), { recordLength: 24, paddingLength: 0 });
    // Padding bits without the flag are ignored, as etcd does.
    assert.deepEqual(decodeLengthWord(Buffer.from('1800000000000007', 'hex')), { recordLength: 24, paddingLength: 0 });
  });
  it('encodes what etcd writes (pads to 8 bytes)', () => {
    assert.deepEqual(encodeLengthWord(63), { word: Buffer.from('3f00000000000081', 'hex'), paddingLength: 1 });
    assert.deepEqual(encodeLengthWord(209), { word: Buffer.from('d100000000000087', 'hex'), paddingLength: 7 });
    assert.deepEqual(encodeLengthWord(24), { word: Buffer.from('1800000000000000', 'hex'), paddingLength: 0 });
  });
  it('reads the golden segment frame by frame, byte-exact', () => {
    const frames: string[] = [];
    withFile(GOLDEN, (f) => {
      for (let offset = 0; ;) {
        const r = readFrame(f, offset);
        if (r.kind !== 'frame') {
          frames.push(`${r.kind}@${r.offset}`);
          break;
        }
        const rec = decodeWalRecord(f.read(r.frame.dataOffset, r.frame.recordLength));
        frames.push(`${r.frame.offset}+${r.frame.recordLength}+${r.frame.paddingLength} type=${rec.type} crc=${rec.crc.toString(16)}`);
        offset = r.frame.end;
      }
    });
    assert.deepEqual(frames, [
      '0+8+0 type=4 crc=6e69a918', '16+63+1 type=1 crc=531c81ce', '88+23+1 type=3 crc=66cc7f6',
      '120+209+7 type=2 crc=2ce0e83f', '344+73+7 type=2 crc=61ce122e', '432+24+0 type=3 crc=f540f8ba',
      '464+122+6 type=2 crc=9ce4c508', '600+119+1 type=2 crc=766aef33', '728+64+0 type=2 crc=74cd1cbf',
      '800+24+0 type=3 crc=38251fa9', 'end@832',
    ]);
  });
  it('checks the golden segment alone: its crc record carries the previous segment\'s final CRC', () => {
    const scan = withFile(GOLDEN, (f) => scanSegment(f, 'golden.wal', { isLast: true }));
    assert.deepEqual(scan.faults, []);
    assert.equal(scan.startCrc, 0x6e69a918);
    assert.equal(scan.endCrc, 0x38251fa9);
    assert.deepEqual(segmentEntries(scan).map((e) => `${e.index}/${e.term}/${e.type}`), ['6/3/0', '7/3/1', '8/3/1', '9/3/0', '10/3/0']);
    const seg0 = withFile(join(corpusCase('synth-nosnap'), 'swarm', WAL_DIR, SEG0), (f) => scanSegment(f, SEG0, { isLast: false }));
    assert.equal(seg0.endCrc, scan.startCrc, 'the chain continues across segments');
  });
});

describe('log semantics', () => {
  it('a later entry at an existing index replaces it and drops what follows', () => {
    const log = readWalDirectory(join(corpusCase('synth-nosnap'), 'swarm', WAL_DIR));
    assert.equal(log.raw.length, 11);
    assert.deepEqual(log.effective.map((e) => Number(e.index)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const replaced = log.raw.filter((e) => e.overwritten);
    assert.deepEqual(replaced.map((e) => `${e.index}/${e.term}`), ['6/2']);
    assert.equal(log.effective[5].term, 3n);
    assert.equal(log.hardState?.commit, 10n);
    assert.ok(log.effective.every((e) => !e.uncommitted));
    assert.deepEqual(log.faults, []);
  });
  it('marks entries above the commit index and ignores .tmp and .broken files', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'), 'commit');
    writeFileSync(join(swarm, WAL_DIR, '0.tmp'), Buffer.alloc(4096));
    writeFileSync(join(swarm, WAL_DIR, 'x.wal.broken'), 'junk');
    // Drop the last hard state (commit=10) so the previous one (commit 8) is the last word.
    truncateSync(join(swarm, WAL_DIR, SEG1), 800);
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.deepEqual(log.ignored.map((i) => i.name), ['0.tmp', 'x.wal.broken']);
    assert.equal(log.hardState?.commit, 7n);
    assert.equal(log.hardState?.offset, 432);
    assert.deepEqual(log.effective.filter((e) => e.uncommitted).map((e) => Number(e.index)), [8, 9, 10]);
  });
});

describe('damaged segments', () => {
  const fresh = () => scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'), 'damage');
  const patch = (file: string, offset: number, bytes: Buffer) => {
    const fd = openSync(file, 'r+');
    writeSync(fd, bytes, 0, bytes.length, offset);
    closeSync(fd);
  };

  it('a CRC mismatch in the middle flags that record only; what follows is still listed', () => {
    const swarm = fresh();
    const seg = join(swarm, WAL_DIR, SEG1);
    const data = readFileSync(seg);
    patch(seg, 464 + 8 + 121, Buffer.from([data[464 + 8 + 121] ^ 0xff])); // last byte of entry 8's record
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.deepEqual(log.faults.map((f) => [f.file.endsWith(SEG1), f.offset, f.severity]), [[true, 464, 'error']]);
    assert.match(log.faults[0].message, /CRC mismatch/);
    assert.deepEqual(log.effective.filter((e) => !e.crcOk).map((e) => Number(e.index)), [8]);
    assert.equal(log.effective.length, 10, 'entries after the bad record are still read');
  });
  it('a record length running past the end of a segment is reported with its offset', () => {
    const swarm = fresh();
    patch(join(swarm, WAL_DIR, SEG0), 0, Buffer.from('ffffffffffff0000', 'hex'));
    const log = readWalDirectory(join(swarm, WAL_DIR));
    const f = log.faults.find((x) => x.file.endsWith(SEG0))!;
    assert.equal(f.offset, 0);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /max entry size limit exceeded/);
    assert.ok(log.raw.some((e) => e.file.endsWith(SEG1)), 'the next segment is still read');
  });
  it('a torn write (record covering an all-zero sector) at the end of the last segment is a warning', () => {
    const swarm = fresh();
    const seg = join(swarm, WAL_DIR, SEG1);
    patch(seg, 512, Buffer.alloc(832 - 512));
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.deepEqual(log.faults.map((f) => [f.offset, f.severity]), [[464, 'warning']]);
    assert.match(log.faults[0].message, /torn write/);
    assert.deepEqual(log.raw.filter((e) => e.file.endsWith(SEG1)).map((e) => Number(e.index)), [6, 7]);
  });
  it('a truncated last record is a torn tail, reported, with everything before it listed', () => {
    const swarm = fresh();
    truncateSync(join(swarm, WAL_DIR, SEG1), 700);
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.deepEqual(log.faults.map((f) => [f.offset, f.severity]), [[600, 'warning']]);
    assert.equal(log.effective[log.effective.length - 1].index, 8n);
  });
  it('a missing segment in the sequence is reported', () => {
    const swarm = fresh();
    renameSync(join(swarm, WAL_DIR, SEG1), join(swarm, WAL_DIR, '0000000000000002-0000000000000007.wal'));
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.equal(log.faults.length, 1);
    assert.match(log.faults[0].message, /sequence gap/);
    assert.equal(log.effective.length, 10);
  });
  it('a zero-length segment ends at once without faults', () => {
    const swarm = fresh();
    rmSync(join(swarm, WAL_DIR, SEG1));
    writeFileSync(join(swarm, WAL_DIR, SEG1), Buffer.alloc(0));
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.deepEqual(log.faults, []);
    assert.equal(log.segments[1].scan.records, 0);
  });
});

describe('record views', () => {
  it('the copy-free record and entry header readers agree with the schema decoders on every record of a real log', () => {
    let compared = 0;
    for (const seg of [SEG0, SEG1]) {
      withFile(join(corpusCase('synth-nosnap'), 'swarm', WAL_DIR, seg), (f) => {
        for (let offset = 0; ;) {
          const r = readFrame(f, offset);
          if (r.kind !== 'frame') break;
          const bytes = f.read(r.frame.dataOffset, r.frame.recordLength);
          const view = viewWalRecord(bytes);
          const full = decodeWalRecord(bytes);
          assert.equal(view.type, full.type);
          assert.equal(view.crc, full.crc);
          assert.deepEqual(Buffer.from(bytes.subarray(view.dataStart, view.dataEnd)), Buffer.from(full.data));
          if (full.type === 2) {
            const header = readEntryHeader(full.data);
            const e = Messages.raftEntry.decode(full.data) as unknown as { Term: never; Index: never; Type?: number; Data?: Uint8Array };
            const { dataStart, ...fields } = header;
            assert.deepEqual(fields, { term: toU64(e.Term), index: toU64(e.Index), type: e.Type ?? 0, dataLength: e.Data?.length ?? 0 });
            // Where Data starts: the bytes there are the decoder's Data.
            if (e.Data?.length) assert.deepEqual(Buffer.from(full.data.subarray(dataStart, dataStart + header.dataLength)), Buffer.from(e.Data));
            else assert.ok(dataStart === -1 || header.dataLength === 0);
          }
          compared++;
          offset = r.frame.end;
        }
      });
    }
    assert.equal(compared, 23, "every record of both segments");
  });
  it('the index says where each entry\'s data is: reading it there gives what decoding the record again gives', () => {
    let compared = 0;
    for (const dir of [join(corpusCase('synth-nosnap'), 'swarm'), join(generatedCase('big-wal'), 'swarm')]) {
      const log = readWalDirectory(join(dir, WAL_DIR));
      for (const e of log.raw) {
        withFile(e.file, (f) => {
          const direct = Buffer.from(entryDataView(f, e));
          const decoded = Buffer.from(entryDataView(f, { offset: e.offset, recordLength: e.recordLength }));
          assert.deepEqual(direct, decoded, `${e.file}:${e.offset}`);
        });
        compared++;
      }
    }
    assert.ok(compared > 150, `${compared} entries`);
  });
  it('the hand-read fast path and the Reader agree on mutated records and entries (both throw, or give the same)', () => {
    const records: Uint8Array[] = [];
    for (const seg of [SEG0, SEG1]) {
      withFile(join(corpusCase('synth-nosnap'), 'swarm', WAL_DIR, seg), (f) => {
        for (let offset = 0; ;) {
          const r = readFrame(f, offset);
          if (r.kind !== 'frame') break;
          records.push(Uint8Array.from(f.read(r.frame.dataOffset, r.frame.recordLength)));
          offset = r.frame.end;
        }
      });
    }
    const entries = records.map((r) => decodeWalRecord(r)).filter((r) => r.type === 2).map((r) => Uint8Array.from(r.data));
    const outcome = (read: () => unknown) => {
      try {
        return read();
      } catch (e) {
        return `throws ${(e as Error).constructor.name}`;
      }
    };
    // Crafted: long and negative varints, a non-minimal tag, unknown fields, a cut-off varint.
    const crafted = [
      [0x08, 0x02, 0x10, 0xff, 0xff, 0xff, 0xff, 0x0f], [0x08, 0x02, 0x10, 0xff, 0xff, 0xff, 0xff, 0x7f], [0x08, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      [0x88, 0x00, 0x02, 0x1a, 0x01, 0x05], [0x08, 0x02, 0x28, 0x05, 0x1a, 0x00], [0x10, 0xff, 0xff], [0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x22, 0x00],
      [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [0x22, 0x85, 0x00, 1, 2, 3, 4, 5], [0x22, 0x02, 1],
      // Lengths and a crc in 6 bytes (non-canonical: left to protobufjs).
      [0x1a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x07, 0x08, 0x02, 0x08, 0x03, 0x08, 0x04], [0x10, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x08, 0x02, 0x08, 0x03, 0x08, 0x04],
      [0x22, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x07, 0x08, 0x02, 0x08, 0x03, 0x08, 0x04], [0x1a, 0x81, 0x80, 0x80, 0x80, 0x10, 1],
    ].map((b) => Uint8Array.from(b));
    const random = new SeededRandom('record views');
    const below = (n: number) => random.int(0, n - 1);
    let compared = 0;
    let fast = 0;
    let scanNumbers = 0;
    const staleScanHeader = { term: -1n, index: -1n, termNumber: -9, indexNumber: -9, type: -1, dataLength: -1, dataStart: -9 };
    for (let round = 0; round < 4000; round++) {
      const pool = round % 2 === 0 ? records : entries;
      const bytes = Uint8Array.from(round < crafted.length ? crafted[round] : pool[below(pool.length)]);
      for (let m = round < crafted.length ? 0 : 1 + below(3); m > 0; m--) bytes[below(bytes.length)] = below(4) === 0 ? 0x80 | below(128) : below(256);
      const start = below(3);
      const padded = new Uint8Array(start + bytes.length + 2).fill(0xff);
      padded.set(bytes, start); // a range inside a larger window, as the scan reads it
      const end = start + bytes.length;
      assert.deepEqual(outcome(() => viewWalRecord(padded, start, end)), outcome(() => viewWalRecordByReader(padded, start, end)), `record ${Buffer.from(bytes).toString('hex')}`);
      assert.deepEqual(outcome(() => readEntryHeader(padded, start, end)), outcome(() => readEntryHeaderByReader(padded, start, end)), `entry ${Buffer.from(bytes).toString('hex')}`);
      // The scan's form: numbers where it read them so (its bigints then stale), the same header.
      const scanned = outcome(() => {
        const h = readScanHeader(padded, start, end, { ...staleScanHeader });
        if (h.indexNumber >= 0) scanNumbers++;
        const { termNumber, indexNumber, ...rest } = h;
        return { ...rest, term: termNumber >= 0 ? BigInt(termNumber) : h.term, index: indexNumber >= 0 ? BigInt(indexNumber) : h.index };
      });
      assert.deepEqual(scanned, outcome(() => readEntryHeaderByReader(padded, start, end)), `scanned entry ${Buffer.from(bytes).toString('hex')}`);
      if (typeof outcome(() => viewWalRecord(bytes)) === 'object') fast++;
      compared++;
    }
    assert.equal(compared, 4000);
    assert.ok(fast > 1000, `${fast} inputs read without error`);
    assert.ok(scanNumbers > 500, `${scanNumbers} entry headers read as numbers`);
  });
  it('takes a hard state as plain only when protobufjs reads it the same; reusing result objects changes nothing', () => {
    const random = new SeededRandom('hard states');
    const plain = (term: bigint, vote: bigint, commit: bigint) => Messages.raftHardState.encode({ term, vote, commit } as never).finish();
    const samples = [plain(3n, (1n << 64n) - 1n, 17n), plain(0n, 0n, 0n), plain(1n << 63n, 2n, 3n)];
    let plainSeen = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = Uint8Array.from(round < samples.length ? samples[round] : plain(random.uint64(), random.uint64() >> BigInt(random.int(0, 63)), BigInt(random.int(0, 1e9))));
      for (let m = round < samples.length ? 0 : random.int(0, 2); m > 0; m--) bytes[random.int(0, bytes.length - 1)] = random.int(0, 255);
      if (!isPlainHardState(bytes, 0, bytes.length)) continue;
      plainSeen++;
      const decoded = Messages.raftHardState.decode(bytes) as unknown as Record<string, unknown>; // throws if the check let a bad one through
      const words = Messages.raftHardState.encode(decoded as never).finish();
      assert.ok(words.length <= bytes.length, `a plain hard state decodes: ${Buffer.from(bytes).toString('hex')}`);
    }
    assert.ok(plainSeen > 1000, `${plainSeen} plain`);
    for (const bad of [[0x08], [0x08, 0x80], [0x20, 0x01], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02], [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00]]) {
      assert.equal(isPlainHardState(Uint8Array.from(bad), 0, bad.length), false, Buffer.from(bad).toString('hex'));
    }

    const frame = frameSlot();
    const view = { type: 0, crc: 0, dataStart: 0, dataEnd: 0 };
    const header = { term: 0n, index: 0n, termNumber: -1, indexNumber: -1, type: 0, dataLength: 0, dataStart: -1 };
    withFile(GOLDEN, (f) => {
      for (let offset = 0, r = readFrame(f, 0, frame); r.kind === 'frame'; offset = r.frame.end, r = readFrame(f, offset, frame)) {
        assert.equal(r, frame, 'the slot is returned');
        assert.deepEqual(r, readFrame(f, offset));
        const bytes = f.read(r.frame.dataOffset, r.frame.recordLength);
        const rec = viewWalRecord(bytes, 0, bytes.length, view);
        assert.deepEqual({ ...rec }, viewWalRecord(bytes));
        if (rec.type === 2) assert.deepEqual({ ...readScanHeader(bytes, rec.dataStart, rec.dataEnd, header) }, readScanHeader(bytes, rec.dataStart, rec.dataEnd, { ...header }));
      }
    });
  });
  it('rejects a data length running past the record', () => {
    assert.throws(() => viewWalRecord(Uint8Array.from([0x08, 0x02, 0x1a, 0x05, 0x01])), RangeError);
  });
});

describe('reading in steps (the extension host reads the index in slices)', () => {
  after(cleanupTempDirs);

  /** What a log holds (its cached entry objects aside, which depend on what was asked of it). */
  function logContent(log: WalLog) {
    const { dir, ignored, segments, table, effectiveSeqs, hardState, snapshots, metadata, faults } = log;
    return { dir, ignored, segments, table, effectiveSeqs, hardState, snapshots, metadata, faults, raw: log.raw, effective: log.effective };
  }

  /** A state directory of 3,000 small entries over several segments. */
  function writeLog(): string {
    const w = SwarmStateWriter.create(join(tempDir('steps'), 'swarm'), { seed: 'steps', segmentBytes: 64 * 1024 });
    for (let index = 1n; index <= 3000n; index++) w.wal.save({ term: 1n, vote: w.identity.raftId, commit: index }, [{ index, term: 1n, data: new Uint8Array(24).fill(Number(index % 256n)) }]);
    return w.close().stateDir;
  }

  it('yields every few hundred records and gives the index that reading at once gives; an abandoned read closes its file', async () => {
    const stateDir = writeLog();
    const walDir = join(stateDir, WAL_DIR);
    const atOnce = readWalDirectory(walDir);
    assert.ok(atOnce.segments.length > 2 && atOnce.raw.length === 3000, `${atOnce.segments.length} segments, ${atOnce.raw.length} entries`);
    const steps = readWalDirectorySteps(walDir);
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    assert.deepEqual(logContent(r.value), logContent(atOnce));
    const records = atOnce.segments.reduce((n, s) => n + s.scan.records, 0);
    assert.ok(yields >= Math.floor(records / 512) - atOnce.segments.length && yields > 5, `${yields} yields for ${records} records`);

    const a = SwarmState.open(stateDir);
    const b = await SwarmState.openInSlices(stateDir, {}, 0);
    try {
      assert.deepEqual(logContent(b.wal), logContent(a.wal));
      assert.deepEqual(b.faults, a.faults);
      assert.deepEqual(b.keyRing.status, a.keyRing.status);
      assert.deepEqual(b.snapshotFiles.map((f) => f.name), a.snapshotFiles.map((f) => f.name));
    } finally {
      a.close();
      b.close();
    }

    if (existsSync('/proc/self/fd')) {
      const fds = () => readdirSync('/proc/self/fd').length;
      const before = fds();
      const abandoned = readWalDirectorySteps(walDir);
      abandoned.next();
      assert.equal(fds(), before + 1, 'the segment being read is open');
      abandoned.return(atOnce);
      assert.equal(fds(), before, 'and closed when the read is abandoned');
    }
  });
});

describe('FileWindow', () => {
  it('reads the same bytes whatever its window: own, shared between files, or small', () => {
    const whole = readFileSync(GOLDEN);
    const memory = new WindowMemory();
    const random = new SeededRandom('windows');
    const windows = [new FileWindow(GOLDEN), new FileWindow(GOLDEN, { reuseWindow: memory }), new FileWindow(GOLDEN, { windowBytes: 64 })];
    try {
      for (let i = 0; i < 500; i++) {
        const offset = random.int(0, whole.length);
        const length = random.int(0, 200);
        const expected = whole.subarray(offset, offset + length);
        for (const w of windows) {
          assert.deepEqual(Buffer.from(w.read(offset, length)), expected);
          const at = w.locate(offset, length);
          if (offset + length > whole.length) assert.equal(at, -1);
          else {
            assert.deepEqual(Buffer.from(w.plainBytes.subarray(at, at + length)), expected);
            assert.deepEqual(w.bytes.subarray(at, at + length), expected);
          }
        }
      }
    } finally {
      for (const w of windows) w.close();
    }
  });
});
