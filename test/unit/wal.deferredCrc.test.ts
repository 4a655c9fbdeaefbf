// A text export of a log of big entries checks their CRCs as it reads them instead of in an index scan
// that reads every byte first (src/core/wal/deferredCrc.ts). Held here to the plain scan: the same index
// (every column, every segment's counts and faults), the same header from the first bytes as from the
// whole record, and from the CLI the same stdout, stderr and exit code with the deferral and without it
// (SWARM_RAFT_DEFER_CRC=off) on the real log of big configs, intact and damaged where the check fails
// while printing, while opening (the key check), after printing (an entry not printed) and at a torn write.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileWindow, SMALL_WINDOW_BYTES, withFile } from '../../src/core/io/fileWindow';
import { dumpWalTextChunks } from '../../src/core/parallel/parallelDump';
import { dumpWalBatches, dumpWalText, heldUntilChecked, type TextBatch } from '../../src/core/report/dumpWal';
import { SwarmState } from '../../src/core/state/swarmState';
import { DeferredCrcMismatch, DEFER_CRC_FROM_BYTES, type DeferredCrcs } from '../../src/core/wal/deferredCrc';
import { frameSlot, readFrame } from '../../src/core/wal/framing';
import { readEntryRecordPrefix, readScanHeader, RecordType, viewWalRecord, type EntryRecordPrefix, type ScanEntryHeader } from '../../src/core/wal/records';
import type { WalLog } from '../../src/core/wal/walLog';
import { runCli } from '../support/cli';
import { flipByte, zeroFill } from '../support/damage';
import { corpusCases, generatedCase, repoRoot } from '../support/fixtures';
import { scratchCopy } from '../support/scratch';
import { corpusState } from './writer.support';

const bigWal = () => join(generatedCase('big-wal'), 'swarm');
const SEG0 = 'raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal';
const SEG1 = 'raft/wal-v3-encrypted/0000000000000001-000000000000009b.wal';
const scratch: string[] = [];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
after(() => {
  for (const dir of scratch.splice(0)) rmSync(dirname(dir), { recursive: true, force: true });
});

/** Every entry row of the log's table, and every segment's scan but its table (what the index is). */
function indexOf(log: WalLog): unknown {
  const rows = Array.from({ length: log.table.length }, (_, seq) => log.table.entry(seq));
  const segments = log.segments.map(({ scan: { table: _table, hardStateOffsets, ...scan }, ...segment }) => ({ ...segment, ...scan, hardStateOffsets: hardStateOffsets.toArray() }));
  return { rows, segments, effective: [...log.effectiveSeqs], hardState: log.hardState, snapshots: log.snapshots, faults: log.faults };
}

/** Entry records of a segment: the whole record's view and where it is. */
function entryRecords(path: string): { offset: number; length: number; bytes: Uint8Array }[] {
  const found: { offset: number; length: number; bytes: Uint8Array }[] = [];
  withFile(path, (file) => {
    for (let offset = 0; ;) {
      const r = readFrame(file, offset, frameSlot());
      if (r.kind !== 'frame') break;
      const bytes = Uint8Array.from(file.read(r.frame.dataOffset, r.frame.recordLength));
      if (viewWalRecord(bytes).type === RecordType.Entry) found.push({ offset: r.frame.offset, length: r.frame.recordLength, bytes });
      offset = r.frame.end;
    }
  });
  return found;
}

const prefixSlot = (): EntryRecordPrefix => ({ crc: 0, entryStart: 0, type: 0, termNumber: 0, indexNumber: 0, dataStart: -1, dataLength: 0 });
const headerSlot = (): ScanEntryHeader => ({ term: 0n, index: 0n, termNumber: -1, indexNumber: -1, type: 0, dataLength: 0, dataStart: -1 });

describe('an entry record read from its first bytes', () => {
  it('gives what parsing the whole record gives, on every entry record of the real log and of every corpus case', () => {
    const paths = [join(bigWal(), SEG0), join(bigWal(), SEG1)];
    for (const name of corpusCases()) {
      const state = SwarmState.open(corpusState(name).stateDir, { unlockKey: corpusState(name).unlockKey });
      paths.push(...state.wal.segments.map((s) => s.path));
      state.close();
    }
    let taken = 0;
    for (const path of paths) {
      for (const { offset, length, bytes } of entryRecords(path)) {
        const prefix = prefixSlot();
        if (!readEntryRecordPrefix(bytes, 0, 64, length, prefix)) continue;
        taken++;
        const record = viewWalRecord(bytes);
        const header = readScanHeader(bytes, record.dataStart, record.dataEnd, headerSlot());
        const where = `${path}:${offset}`;
        assert.equal(prefix.crc, record.crc, where);
        assert.equal(prefix.entryStart, record.dataStart, where);
        assert.equal(record.dataEnd, length, where);
        assert.deepEqual([prefix.type, prefix.termNumber, prefix.indexNumber, prefix.dataStart, prefix.dataLength], [header.type, header.termNumber, header.indexNumber, header.dataStart, header.dataLength], where);
      }
    }
    assert.ok(taken > 1000, `${taken} records read from their first bytes`);
  });
  it('leaves to the whole parse every record whose layout is not the plain one, or whose first bytes are cut short', () => {
    const [{ bytes, length }] = entryRecords(join(bigWal(), SEG1)).filter((r) => r.length >= DEFER_CRC_FROM_BYTES);
    const prefix = prefixSlot();
    assert.ok(readEntryRecordPrefix(bytes, 0, 64, length, prefix));
    const changed = (at: number, value: number) => {
      const copy = Uint8Array.from(bytes.subarray(0, 64));
      copy[at] = value;
      return copy;
    };
    assert.equal(readEntryRecordPrefix(changed(1, RecordType.HardState), 0, 64, length, prefixSlot()), false, 'not an entry record');
    assert.equal(readEntryRecordPrefix(bytes, 0, 64, length + 1, prefixSlot()), false, 'a field after the data');
    assert.equal(readEntryRecordPrefix(bytes, 0, 64, length - 1, prefixSlot()), false, 'data past the record');
    assert.equal(readEntryRecordPrefix(changed(prefix.entryStart + 1, 0x80), 0, 64, length, prefixSlot()), false, 'a multi-byte type');
    assert.equal(readEntryRecordPrefix(changed(prefix.entryStart + 2, 0x18), 0, 64, length, prefixSlot()), false, 'index before term');
    for (let available = 0; available < prefix.dataStart; available++) {
      assert.equal(readEntryRecordPrefix(bytes, 0, available, length, prefixSlot()), false, `only ${available} bytes`);
    }
  });
});

describe('a scan that defers the CRC checks of big records', () => {
  it('builds the index the plain scan builds, on the real log of big configs (every big entry deferred, each check passing)', () => {
    const plain = SwarmState.open(bigWal());
    const deferred = SwarmState.open(bigWal(), { deferCrcFrom: DEFER_CRC_FROM_BYTES });
    try {
      assert.deepEqual(indexOf(deferred.wal), indexOf(plain.wal));
      const big = Array.from({ length: plain.wal.table.length }, (_, seq) => plain.wal.table.entry(seq)).filter((e) => e.recordLength >= DEFER_CRC_FROM_BYTES);
      assert.ok(big.length > 100);
      // The key check read (and settled) the newest one while opening.
      assert.equal(deferred.wal.deferredCrcs.size, big.length - 1);
      deferred.wal.deferredCrcs.settleAll();
      assert.equal(deferred.wal.deferredCrcs.size, 0);
    } finally {
      plain.close();
      deferred.close();
    }
  });
  it('builds the index the plain scan builds on every corpus case with every entry record deferred, and their export is the same', () => {
    for (const name of corpusCases()) {
      const { stateDir, unlockKey } = corpusState(name);
      const plain = SwarmState.open(stateDir, { unlockKey });
      const deferred = SwarmState.open(stateDir, { unlockKey, deferCrcFrom: 1 });
      try {
        assert.deepEqual(indexOf(deferred.wal), indexOf(plain.wal), name);
        for (const options of [{}, { redact: true }, { all: true }]) {
          const text = (state: SwarmState) => [...dumpWalBatches(state, options, [])].map((b) => Buffer.from(b.text).toString('latin1')).join('');
          assert.equal(text(deferred), text(plain), `${name} ${JSON.stringify(options)}`);
        }
        assert.equal(deferred.wal.deferredCrcs.size, 0, `${name}: every check settled by the export`);
      } finally {
        plain.close();
        deferred.close();
      }
    }
  });
  it('reads small windows after a skipped record, and windows of the usual size elsewhere', () => {
    const file = new FileWindow(join(bigWal(), SEG0));
    try {
      file.smallWindowsBefore = 1_000_000;
      assert.equal(file.read(500_000, 10).length, 10);
      assert.equal(file.bytes.length, SMALL_WINDOW_BYTES);
      assert.equal(file.read(900_000, 20_000).length, 20_000, 'a longer read still gets its bytes');
      assert.equal(file.bytes.length, 20_000);
      file.read(1_000_000, 10);
      assert.equal(file.bytes.length, 4 * 1024 * 1024);
    } finally {
      file.close();
    }
  });
});

describe('text held back until every deferred check is settled', () => {
  const batch = (text: string, released: string[]): TextBatch => ({ text: Buffer.from(text), release: () => void released.push(text) });
  it('lets no batch out before the last check, then all of them in order', () => {
    const state = SwarmState.open(bigWal(), { deferCrcFrom: DEFER_CRC_FROM_BYTES });
    try {
      const crcs = state.wal.deferredCrcs;
      const seen: number[] = [];
      const source = function* (): Generator<TextBatch> {
        for (let i = 0; i < 5; i++) yield batch(`b${i}`, []);
      };
      for (const b of heldUntilChecked(source(), crcs)) {
        seen.push(crcs.size);
        assert.ok(Buffer.from(b.text).toString().startsWith('b'));
      }
      assert.deepEqual(seen, [0, 0, 0, 0, 0]);
    } finally {
      state.close();
    }
  });
  it('checks the rest at once when more than the limit is held, then streams', () => {
    const state = SwarmState.open(bigWal(), { deferCrcFrom: DEFER_CRC_FROM_BYTES });
    try {
      const crcs: DeferredCrcs = state.wal.deferredCrcs;
      const order: string[] = [];
      const source = function* (): Generator<TextBatch> {
        for (let i = 0; i < 4; i++) {
          order.push(`made b${i} with ${crcs.size} open`);
          yield batch(`b${i}`, []);
        }
      };
      const open = crcs.size;
      assert.ok(open > 0);
      for (const b of heldUntilChecked(source(), crcs, 4)) order.push(`out ${Buffer.from(b.text).toString()}`);
      // b0 and b1 (2 bytes each) reach the limit: the rest are checked, then both go out, and the rest stream.
      assert.deepEqual(order, [`made b0 with ${open} open`, `made b1 with ${open} open`, 'out b0', 'out b1', 'made b2 with 0 open', 'out b2', 'made b3 with 0 open', 'out b3']);
    } finally {
      state.close();
    }
  });
  it('throws DeferredCrcMismatch before any text when a record the export does not print fails its check', () => {
    const dir = scratchCopy(bigWal(), 'deferred-crc');
    scratch.push(dir);
    const first = entryRecords(join(dir, SEG0)).find((r) => r.length >= DEFER_CRC_FROM_BYTES)!;
    flipByte(join(dir, SEG0), first.offset + 8 + 1000);
    const state = SwarmState.open(dir, { deferCrcFrom: DEFER_CRC_FROM_BYTES });
    try {
      const out: TextBatch[] = [];
      assert.throws(() => {
        for (const b of dumpWalBatches(state, { start: 150n }, [])) out.push(b);
      }, (e: unknown) => e instanceof DeferredCrcMismatch && e.message.startsWith(`${join(dir, SEG0)}:${first.offset}: `));
      assert.equal(out.length, 0);
    } finally {
      state.close();
    }
  });
});

describe('the parallel export of a log whose checks were deferred', () => {
  const workerScript = join(repoRoot, 'dist', 'textWorker.js');
  const chunksOf = async (state: SwarmState): Promise<string> => {
    const parts: string[] = [];
    for await (const chunk of dumpWalTextChunks(state, { all: true }, [], { workerScript, threads: 2, batchBytes: 2048 })) {
      assert.equal(state.wal.deferredCrcs.size, 0, 'a chunk out before every check was settled');
      parts.push(Buffer.from(chunk.text).toString('utf8'));
      chunk.release();
    }
    return parts.join('');
  };
  it('settles every check before its first batch is out, and prints what the plain export prints', async () => {
    const { stateDir, unlockKey } = corpusState('objects');
    const state = SwarmState.open(stateDir, { unlockKey, deferCrcFrom: 1 });
    try {
      assert.ok(state.wal.deferredCrcs.size > 100);
      const plain = [...dumpWalText(state, { all: true }, [])].join(''); // reads (and settles) as it goes
      const again = SwarmState.open(stateDir, { unlockKey, deferCrcFrom: 1 });
      try {
        assert.equal(await chunksOf(again), plain);
      } finally {
        again.close();
      }
    } finally {
      state.close();
    }
  });
  it('throws DeferredCrcMismatch before any batch when a record fails its check', async () => {
    const { stateDir, unlockKey } = corpusState('objects');
    const dir = scratchCopy(stateDir, 'deferred-crc');
    scratch.push(dir);
    const segment = join(dir, 'raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal');
    const records = entryRecords(segment);
    flipByte(segment, records[5].offset + 8 + records[5].length - 1); // an old entry: the key check reads the newest
    const state = SwarmState.open(dir, { unlockKey, deferCrcFrom: 1 });
    try {
      await assert.rejects(chunksOf(state), (e: unknown) => e instanceof DeferredCrcMismatch);
    } finally {
      state.close();
    }
  });
});

describe('the CLI with and without the deferral', () => {
  const both = (dir: string, args: string[]) => {
    const deferred = runCli(['-d', dir, ...args]);
    const plain = runCli(['-d', dir, ...args], { SWARM_RAFT_DEFER_CRC: 'off' });
    // Hashes: a failure would otherwise print megabytes of configs.
    assert.equal(sha256(deferred.stdout), sha256(plain.stdout), `stdout of ${args.join(' ')} (${deferred.stdout.length} and ${plain.stdout.length} chars)`);
    assert.equal(deferred.stderr, plain.stderr, `stderr of ${args.join(' ')}`);
    assert.equal(deferred.code, plain.code, `exit code of ${args.join(' ')}`);
    return plain;
  };
  it('prints the same on the intact log (a whole unredacted log is not deferred: its text is larger than its records)', () => {
    for (const [args, last] of [[['dump-wal'], 159], [['dump-wal', '--redact'], 159], [['dump-wal', '--all', '--start', '100', '--end', '140'], 140], [['dump-wal', '--redact', '--workers', '2'], 159]] as const) {
      const r = both(bigWal(), [...args]);
      assert.equal(r.code, 0);
      assert.ok(r.stdout.includes(`Entry Index=${last}, `) && !r.stdout.includes(`Entry Index=${last + 1}, `), `${args.join(' ')} ends at ${last}`);
    }
  });
  it('prints the same when a printed big record, the newest one (read by the key check) or one not printed fails its CRC', () => {
    const dir = scratchCopy(bigWal(), 'deferred-crc');
    scratch.push(dir);
    const big0 = entryRecords(join(dir, SEG0)).filter((r) => r.length >= DEFER_CRC_FROM_BYTES);
    const big1 = entryRecords(join(dir, SEG1)).filter((r) => r.length >= DEFER_CRC_FROM_BYTES);
    const damages: [string, string, number, string[]][] = [
      ['printed', SEG0, big0[40].offset + 8 + 5000, ['dump-wal', '--redact']],
      ['the newest', SEG1, big1[big1.length - 1].offset + 8 + 300_000, ['dump-wal', '--redact']],
      ['not printed', SEG0, big0[2].offset + 8 + 200_000, ['dump-wal', '--start', '150']],
      ['not printed, redacted', SEG0, big0[2].offset + 8 + 200_000, ['dump-wal', '--start', '150', '--redact']],
    ];
    for (const [what, segment, at, args] of damages) {
      flipByte(join(dir, segment), at);
      const r = both(dir, args);
      assert.match(r.stderr, /CRC mismatch/, what);
      flipByte(join(dir, segment), at); // back as it was
    }
  });
  it('prints the same when the newest big record is torn (a zeroed sector: the log ends before it)', () => {
    const dir = scratchCopy(bigWal(), 'deferred-crc');
    scratch.push(dir);
    const big1 = entryRecords(join(dir, SEG1)).filter((r) => r.length >= DEFER_CRC_FROM_BYTES);
    const newest = big1[big1.length - 1];
    const sector = Math.ceil((newest.offset + 100_000) / 512) * 512;
    zeroFill(join(dir, SEG1), sector, 512);
    const r = both(dir, ['dump-wal', '--redact']);
    assert.match(r.stderr, /torn write/);
    assert.ok(!r.stdout.includes('Entry Index=159, ') && r.stdout.includes('Entry Index=158, '), 'the log ends before the torn entry');
  });
});
