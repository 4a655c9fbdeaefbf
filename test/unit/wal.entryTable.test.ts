// The columnar WAL index: what goes in comes out exactly (uint64 extremes, every flag, growth past the
// first capacity), the overwrite rule over seqs agrees with raft's rule on objects, and the log's lists
// make objects on demand (shared ones where views keep them).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fault } from '../../src/core/errors';
import { EntryTable, type EntryColumnsInput } from '../../src/core/wal/entryTable';
import type { EntryRef } from '../../src/core/wal/segment';
import { OffsetList } from '../../src/core/wal/offsetList';
import { SeqList } from '../../src/core/wal/seqList';
import { effectiveSeqs, EntryList, WalLog } from '../../src/core/wal/walLog';
import { SeededRandom } from '../../src/core/writer/seededRandom';

const U64_MAX = (1n << 64n) - 1n;

function input(index: bigint, overrides: Partial<EntryColumnsInput> = {}): EntryColumnsInput {
  return { index, term: 1n, type: 0, offset: 8, recordLength: 20, dataLength: 10, dataAt: 16, crcOk: true, ...overrides };
}

/** raft's rule as the log applied it before the index had columns: entry objects and Array.splice. */
function effectiveByObjects(indexes: bigint[]): { kept: number[]; overwritten: Set<number>; gaps: number } {
  const out: { seq: number; index: bigint }[] = [];
  const overwritten = new Set<number>();
  let gaps = 0;
  indexes.forEach((index, seq) => {
    if (out.length > 0) {
      const first = out[0].index;
      const last = out[out.length - 1].index;
      if (index <= last) {
        const keep = index < first ? 0 : Number(index - first);
        for (const dropped of out.splice(keep)) overwritten.add(dropped.seq);
      } else if (index > last + 1n) {
        gaps++;
      }
    }
    out.push({ seq, index });
  });
  return { kept: out.map((e) => e.seq), overwritten, gaps };
}

/** termChanges the slow way: every row's term, compared. */
function termChangesByRow(table: EntryTable, first: number, count: number): { seq: number; term: bigint }[] {
  const runs: { seq: number; term: bigint }[] = [];
  for (let seq = first; seq < first + count; seq++) if (runs.length === 0 || runs[runs.length - 1].term !== table.term(seq)) runs.push({ seq, term: table.term(seq) });
  return runs;
}

describe('EntryTable', () => {
  it('gives back every field exactly, across growth, for uint64 extremes and every flag', () => {
    const table = new EntryTable(64);
    const inputs: [string, EntryColumnsInput][] = [];
    for (let i = 0; i < 2500; i++) {
      const e = input(i === 7 ? U64_MAX : BigInt(i) * 0x1_0000_0001n, {
        term: i === 9 ? U64_MAX : (1n << 53n) + BigInt(i), type: i % 5 === 0 ? -1 : i % 3, offset: i * 4096 + 8,
        recordLength: 100 + i, dataLength: i % 7 === 0 ? 0 : 60 + i, dataAt: i % 7 === 0 ? -1 : i * 4096 + 20, crcOk: i % 11 !== 0,
      });
      const file = `/wal/${i < 1000 ? 'a' : i < 2000 ? 'b' : 'a'}.wal`;
      inputs.push([file, e]);
      assert.equal(table.add(file, e), i);
    }
    table.trim();
    assert.equal(table.length, 2500);
    assert.deepEqual(table.files, ['/wal/a.wal', '/wal/b.wal']);
    inputs.forEach(([file, e], seq) => {
      const entry = table.entry(seq);
      assert.deepEqual(entry, { ...e, file, seq, overwritten: false, uncommitted: false });
      assert.equal(table.index(seq), e.index);
      assert.equal(table.dataLength(seq), e.dataLength);
      assert.equal(table.crcOk(seq), e.crcOk);
    });
    assert.equal(table.entry(7).index, U64_MAX, 'a raft index above 2^53 stays exact');
    table.markOverwritten(3);
    table.markUncommitted(4);
    assert.deepEqual([table.entry(3).overwritten, table.entry(3).uncommitted, table.entry(4).overwritten, table.entry(4).uncommitted], [true, false, false, true]);
    assert.equal(table.entry(3).crcOk, true, 'a flag leaves the others alone');
  });

  it('refuses a position outside the table instead of reading zeros', () => {
    const table = new EntryTable();
    table.add('f', input(1n));
    for (const seq of [-1, 1, 1.5, NaN]) assert.throws(() => table.entry(seq), /no entry at position/);
    assert.throws(() => table.markOverwritten(5), /no entry at position 5 \(the log has 1\)/);
  });

  it('packs full blocks to under 1.5 bytes per entry on contiguous records, and takes 22 in the block being filled', () => {
    const table = new EntryTable(1024, 0);
    for (let i = 0; i < 10_000; i++) table.add('f', input(BigInt(i + 1), { offset: 8 + 20 * i, dataAt: 16 + 20 * i }));
    // Index: the row's position; term, type, flags, file, lengths and gaps: constant; offsets: 9 bits off
    // a base (4 bytes) per 16 rows. 9 full blocks, the tenth (784 rows) at full width until trim().
    assert.equal(table.byteLength, 9 * (1024 * 9 / 8 + 64 * 4) + 1024 * 22);
    table.trim();
    assert.equal(table.byteLength, 9 * (1024 * 9 / 8 + 64 * 4) + 4 * Math.ceil(784 * 9 / 32) + 49 * 4);
    assert.equal(table.wideRows, 0, 'a log SwarmKit writes fits the columns');
    assert.deepEqual([table.index(9_999), table.offset(9_999), table.index(5000), table.offset(5000)], [10_000n, 8 + 20 * 9_999, 5001n, 8 + 20 * 5000], 'the packed blocks read');
    table.add('f', input(10_001n));
    assert.deepEqual([table.index(9_999), table.index(10_000)], [10_000n, 10_001n], 'and the trimmed one takes more entries');
    assert.throws(() => new EntryTable(1000), /not a power of two/);
  });

  it('keeps the first blocks at full width (a log of up to 131,072 entries is never packed), trimmed to their rows', () => {
    const table = new EntryTable(64);
    for (let i = 0; i < 64 * 20 + 10; i++) table.add('f', input(BigInt(i + 1)));
    assert.equal(table.byteLength, 16 * 64 * 22 + 64 * 22, '16 blocks at full width, 4 packed to nothing, the one being filled');
    table.trim();
    assert.equal(table.byteLength, 16 * 64 * 22 + 0, 'the last one packed');
    const small = new EntryTable(64);
    for (let i = 0; i < 100; i++) small.add('f', input(BigInt(i + 1)));
    small.trim();
    assert.equal(small.byteLength, 100 * 22, 'trimmed to its rows at full width');
    small.add('f', input(101n));
    small.markOverwritten(99);
    assert.deepEqual([small.index(99), small.index(100), small.overwritten(99), small.overwritten(100), small.length], [100n, 101n, true, false, 101]);
  });

  it('turns a packed constant flags column into a byte a row when one row\'s flag changes', () => {
    const table = new EntryTable(256, 0);
    for (let i = 0; i < 512; i++) table.add('f', input(BigInt(i + 1)));
    assert.equal(table.byteLength, 0, 'two full blocks of constant columns');
    table.markOverwritten(300);
    assert.equal(table.byteLength, 256, 'the second block\'s flags');
    table.markUncommitted(301);
    table.markUncommitted(302);
    table.markCommitted(302);
    table.markUncommitted(3);
    assert.equal(table.byteLength, 512);
    for (let seq = 0; seq < 512; seq++) {
      assert.deepEqual([table.overwritten(seq), table.uncommitted(seq), table.crcOk(seq)], [seq === 300, seq === 301 || seq === 3, true], `row ${seq}`);
    }
  });

  it('reads a block added to after trim() and packed again as it is now, flags included', () => {
    const table = new EntryTable(16, 0);
    const offset = (i: number): number => 8 + 100 * i + (i % 3);
    for (let i = 0; i < 20; i++) table.add('f', input(BigInt(i + 1), { offset: offset(i), dataAt: offset(i) + 8 }));
    table.trim();
    assert.deepEqual([table.index(19), table.index(3), table.offset(19)], [20n, 4n, offset(19)], 'both blocks decoded to read');
    table.markUncommitted(18);
    for (let i = 20; i < 40; i++) table.add('f', input(BigInt(i + 1), { offset: offset(i), dataAt: offset(i) + 8, crcOk: i !== 25 }));
    for (let seq = 0; seq < 40; seq++) {
      assert.deepEqual([table.index(seq), table.offset(seq), table.crcOk(seq), table.uncommitted(seq)], [BigInt(seq + 1), offset(seq), seq !== 25, seq === 18], `row ${seq}`);
    }
  });

  it('takes 60 bytes more for a row it keeps whole, in a side table, so a crafted log stays bounded', () => {
    const table = new EntryTable(1024, 0);
    for (let i = 0; i < 2048; i++) table.add('f', input(i % 2 === 0 ? 1n : 1n << 40n, { type: -i }));
    assert.equal(table.wideRows, 2047, 'every row but the very first (index 1, type 0) has an index 2^40 from its block\'s first or a negative type');
    // The first block's value columns hold one row (constant: no bytes), its flags say which rows are
    // whole (1 or 9: 4 bits a row); the second's flags are constant. Full side tables keep no room.
    assert.equal(table.byteLength, 1024 / 2 + 1023 * 60 + 1024 * 60);
    assert.deepEqual([table.index(2047), table.type(2047), table.index(1024), table.type(1024), table.index(0), table.type(0)], [1n << 40n, -2047, 1n, -1024, 1n, 0]);
  });

  it('keeps rows the columns cannot hold whole, exactly, through trim, add, select, transfer and received', () => {
    const random = new SeededRandom('wide rows');
    const big = (): bigint => BigInt(random.int(0, 2 ** 30)) * BigInt(random.int(0, 2 ** 30)) * BigInt(random.int(0, 2 ** 4));
    const values: [string, EntryColumnsInput, { overwritten: boolean; uncommitted: boolean }][] = [];
    const odd: EntryColumnsInput[] = [
      input(U64_MAX, { term: U64_MAX }), // uint64 extremes
      input(0n, { term: 0n }), // the index falls from U64_MAX to 0
      input((1n << 31n) - 1n), input(1n << 31n), input(-(1n << 31n) + 1n + (1n << 32n)), // at and past the Int32 delta
      input(5n, { term: 1n << 40n }), input(6n, { term: 2n }), // a term that jumps, then goes down
      input(7n, { offset: 2 ** 32, dataAt: 2 ** 32 + 20 }), input(8n, { offset: 2 ** 32 - 1, dataAt: 2 ** 32 + 30 }), // offsets past 4 GB
      input(9n, { recordLength: 2 ** 32 + 5, dataLength: 2 ** 32 }), input(10n, { recordLength: 2 ** 53 - 1, dataLength: 0 }),
      input(11n, { type: -1 }), input(12n, { type: 256 }), input(13n, { type: 2 ** 31 }), input(14n, { type: 255 }),
      input(15n, { dataLength: 21 }), input(16n, { recordLength: 300, dataLength: 44 }), input(17n, { recordLength: 300, dataLength: 45 }),
      input(18n, { dataAt: 8 }), input(19n, { dataAt: -2 }), input(20n, { dataAt: 8 + 255 }), input(21n, { dataAt: 8 + 256 }),
      input(22n, { dataAt: -1, dataLength: 0 }), input(23n, { offset: 0.5 }), input(24n, { dataAt: 16.5 }),
    ];
    for (let i = 0; i < 700; i++) {
      const e = i < odd.length ? odd[i] : input(random.int(0, 3) === 0 ? big() : BigInt(1000 + i), {
        term: random.int(0, 3) === 0 ? big() : BigInt(random.int(1, 9)), type: random.int(-2, 300), offset: random.int(0, 2 ** 33),
        recordLength: random.int(0, 2 ** 33), dataLength: random.int(0, 300), crcOk: random.int(0, 1) === 0,
      });
      if (i >= odd.length) e.dataAt = random.int(0, 9) === 0 ? -1 : e.offset + random.int(-5, 300);
      values.push([`/wal/${i % 3}.wal`, e, { overwritten: i % 7 === 0, uncommitted: i % 5 === 1 }]);
    }
    const table = new EntryTable(16);
    values.slice(0, 500).forEach(([file, e]) => table.add(file, e));
    table.trim();
    values.slice(500).forEach(([file, e]) => table.add(file, e)); // into the trimmed block, then new ones
    values.forEach(([, , marks], seq) => {
      if (marks.overwritten) table.markOverwritten(seq);
      if (marks.uncommitted) table.markUncommitted(seq);
    });
    assert.ok(table.wideRows > 300, `${table.wideRows} rows kept whole`);
    const expected = (seq: number, at = seq): EntryRef => {
      const [file, e, marks] = values[seq];
      return { ...e, file, seq: at, ...marks };
    };
    const check = (t: EntryTable, seqs: number[]): void => seqs.forEach((seq, at) => {
      const want = expected(seq, at);
      assert.deepEqual(t.entry(at), want, `row ${seq}`);
      assert.deepEqual([t.index(at), t.term(at), t.type(at), t.file(at), t.offset(at), t.dataLength(at), t.crcOk(at), t.overwritten(at), t.uncommitted(at)],
        [want.index, want.term, want.type, want.file, want.offset, want.dataLength, want.crcOk, want.overwritten, want.uncommitted], `row ${seq}`);
    });
    check(table, values.map((_, seq) => seq));
    for (const [first, count] of [[0, 700], [0, 0], [5, 1], [13, 40], [499, 3], [650, 50]]) assert.deepEqual(table.termChanges(first, count), termChangesByRow(table, first, count), `${first}+${count}`);
    const picked = [3, 0, 1, 2, 499, 500, 501, 640, 699, ...Array.from({ length: 40 }, () => random.int(0, 699))];
    const { table: sent, memory } = table.select(SeqList.of(picked), 1, picked.length - 2).transfer();
    const received = EntryTable.received(structuredClone(sent, { transfer: memory }));
    check(received, picked.slice(1, picked.length - 2));
    assert.equal(received.length, picked.length - 3);
    check(table, values.map((_, seq) => seq)); // selecting leaves the table as it was
  });
  it('reads every accessor back exactly from blocks of every shape, mixed with rows kept whole, through trim, marks, select and transfer', () => {
    const random = new SeededRandom('packed blocks');
    const rows: [string, EntryColumnsInput, { overwritten: boolean; uncommitted: boolean }][] = [];
    let index = 1n << 50n;
    let offset = 0;
    // Each block of 64 rows has its own regime, so each column is implied, constant, or 8/16/32 bits wide.
    for (let block = 0; block < 40; block++) {
      const pick = (k: number): number => (block >> k) % 4;
      const term = BigInt(random.int(1, 2 ** 20));
      const file = `/wal/${block % 3}.wal`;
      for (let row = 0; row < 64; row++) {
        index += [1n, 1n, BigInt(random.int(0, 3)), BigInt(random.int(-5, 300))][pick(0)];
        const recordLength = [24, random.int(24, 200), random.int(24, 60_000), random.int(24, 2 ** 32 - 1)][pick(1)];
        const gap = [0, 0, random.int(0, 40), random.int(0, 2 ** 20)][pick(2)];
        offset = (offset + gap) % 2 ** 32;
        const dataAtGap = [20, random.int(1, 255), 20, random.int(1, 40)][pick(3)];
        const dataLength = random.int(0, 9) === 0 ? 0 : Math.max(0, recordLength - random.int(0, 255));
        const e: EntryColumnsInput = {
          index, term: term + BigInt([0, 0, random.int(0, 2), random.int(0, 2 ** 31)][pick(4)]), type: [0, 1, random.int(0, 255), 2][pick(5)],
          offset, recordLength, dataLength, dataAt: dataLength === 0 && row % 2 ? -1 : offset + dataAtGap, crcOk: block % 5 !== 4 || row % 3 !== 0,
        };
        if (block % 7 === 6 && row % 9 === 0) Object.assign(e, random.int(0, 1) ? { offset: 2 ** 32 + row } : { index: U64_MAX - BigInt(row) }); // kept whole
        rows.push([block % 4 === 3 && row === 40 ? '/wal/other.wal' : file, e, { overwritten: false, uncommitted: false }]);
        offset = (offset + recordLength) % 2 ** 32;
      }
    }
    const table = new EntryTable(64, 8); // the first 8 blocks at full width, the others packed
    rows.slice(0, 2000).forEach(([file, e]) => table.add(file, e));
    table.trim();
    rows.slice(2000).forEach(([file, e]) => table.add(file, e));
    table.trim();
    for (let k = 0; k < 60; k++) {
      const seq = random.int(0, rows.length - 1);
      const marks = rows[seq][2];
      const roll = random.int(0, 3);
      if (roll < 2) {
        table.markOverwritten(seq);
        marks.overwritten = true;
      } else if (roll === 2) {
        table.markUncommitted(seq);
        marks.uncommitted = true;
      } else {
        table.markCommitted(seq);
        marks.uncommitted = false;
      }
    }
    assert.ok(table.wideRows > 10, `${table.wideRows} rows kept whole`);
    assert.ok(table.byteLength < rows.length * 22 + table.wideRows * 60, `${table.byteLength} bytes for ${rows.length} rows: never more than the filled width`);
    const check = (t: EntryTable, seqs: number[]): void => seqs.forEach((seq, at) => {
      const [file, e, marks] = rows[seq];
      const want: EntryRef = { ...e, file, seq: at, ...marks };
      assert.deepEqual(t.entry(at), want, `row ${seq}`);
      assert.deepEqual([t.index(at), t.term(at), t.type(at), t.file(at), t.offset(at), t.dataLength(at), t.crcOk(at), t.overwritten(at), t.uncommitted(at)],
        [want.index, want.term, want.type, want.file, want.offset, want.dataLength, want.crcOk, want.overwritten, want.uncommitted], `row ${seq}`);
    });
    const all = rows.map((_, seq) => seq);
    check(table, all);
    for (const [first, count] of [[0, rows.length], [63, 2], [100, 1000], [rows.length - 1, 1]]) assert.deepEqual(table.termChanges(first, count), termChangesByRow(table, first, count), `${first}+${count}`);
    const picked = Array.from({ length: 100 }, () => random.int(0, rows.length - 1));
    check(table.select(SeqList.of(picked)), picked);
    const { table: sent, memory } = table.transfer();
    check(EntryTable.received(structuredClone(sent, { transfer: memory })), all);
  });
});


describe('EntryTable rows given as numbers (the index scan\'s form)', () => {
  it('make the same table as the same rows given as bigints, the bigints beside them unread, for any base and delta', () => {
    const random = new SeededRandom('rows as numbers');
    const bases = [1n, 1n << 40n, BigInt(Number.MAX_SAFE_INTEGER) - 100n, 1n << 60n];
    const rows: EntryColumnsInput[] = [];
    for (let block = 0; block < 24; block++) {
      let index = bases[block % bases.length] + BigInt(random.int(0, 1000));
      let term = BigInt(random.int(1, 2 ** 20)) + (block % 5 === 4 ? 1n << 55n : 0n);
      for (let row = 0; row < 64; row++) {
        index += [1n, BigInt(random.int(-3, 3)), BigInt(random.int(0, 2 ** 33))][random.int(0, 9) === 0 ? 2 : random.int(0, 1)];
        if (index < 1n) index = 1n;
        term += random.int(0, 20) === 0 ? BigInt(random.int(1, 2 ** 32)) : 0n;
        const offset = row * 100;
        rows.push({ index, term, type: random.int(0, 1), offset, recordLength: 90, dataLength: 70, dataAt: offset + 28, crcOk: true });
      }
    }
    const asNumber = (x: bigint) => (x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : -1);
    const byBigint = new EntryTable(64, 8);
    const byNumber = new EntryTable(64, 8);
    let numbers = 0;
    for (const e of rows) {
      byBigint.add('/wal/0.wal', e);
      const indexNumber = asNumber(e.index);
      const termNumber = asNumber(e.term);
      numbers += indexNumber >= 0 && termNumber >= 0 ? 1 : 0;
      // Where a number is given, the bigint beside it is stale (as in the scan's reused row).
      byNumber.add('/wal/0.wal', { ...e, indexNumber, termNumber, index: indexNumber >= 0 ? -7n : e.index, term: termNumber >= 0 ? -7n : e.term });
    }
    byBigint.trim();
    byNumber.trim();
    assert.ok(numbers > rows.length / 4 && numbers < rows.length, `${numbers} of ${rows.length} rows as numbers`);
    assert.ok(byBigint.wideRows > 10, `${byBigint.wideRows} rows kept whole`);
    assert.equal(byNumber.wideRows, byBigint.wideRows);
    assert.equal(byNumber.byteLength, byBigint.byteLength);
    rows.forEach((e, seq) => {
      assert.deepEqual(byNumber.entry(seq), byBigint.entry(seq), `row ${seq}`);
      assert.equal(byNumber.index(seq), e.index, `row ${seq}`);
      assert.equal(byNumber.term(seq), e.term, `row ${seq}`);
    });
  });
});

describe('OffsetList', () => {
  it('gives back every offset in order across growth and trim, widening for offsets past 4 GB', () => {
    const list = new OffsetList();
    const expected: number[] = [];
    const push = (offset: number): void => {
      list.push(offset);
      expected.push(offset);
    };
    for (let i = 0; i < 1000; i++) push(i * 4_000_003);
    list.trim();
    push(2 ** 32 - 1);
    assert.deepEqual(list.toArray(), expected);
    push(2 ** 32);
    push(2 ** 53 - 1);
    for (let i = 0; i < 200; i++) push(i);
    list.trim();
    assert.equal(list.length, expected.length);
    assert.deepEqual(list.toArray(), expected, 'exact after widening to doubles');
    assert.deepEqual(new OffsetList().toArray(), []);
  });

  it('packs full chunks as steps between neighbours (a dozen bits for records a few KB apart), exact for any step', () => {
    const random = new SeededRandom('offset list');
    const list = new OffsetList();
    const expected: number[] = [];
    let offset = 8;
    for (let i = 0; i < 10_000; i++) {
      expected.push(offset);
      list.push(offset);
      offset += random.int(100, 4000);
    }
    list.trim();
    assert.equal(list.length, 10_000);
    assert.deepEqual(list.toArray(), expected);
    assert.equal(list.byteLength, 4 * Math.ceil((4096 * 12) / 32) * 2 + 4 * Math.ceil((1808 * 12) / 32), 'three chunks, 12 bits an offset');
    // Crafted: steps back, a step past 2^31 (that chunk stays 4 bytes an offset), then the same again.
    const odd = [5, 3, 0, 0xffff_ffff, 7, 2 ** 31, 0, ...Array.from({ length: 5000 }, (_, i) => (i * 7919) % 100_000)];
    for (const o of odd) list.push(o);
    expected.push(...odd);
    assert.deepEqual(list.toArray(), expected);
    list.trim();
    for (const o of odd) list.push(o);
    expected.push(...odd);
    assert.deepEqual(list.toArray(), expected);
    const wandering = Array.from({ length: 4096 * 2 }, (_, i) => 2 ** 30 + ((i * 7919) % 100_000) - (i % 3) * 2 ** 29); // steps of ±2^30: packed
    const other = new OffsetList();
    for (const o of wandering) other.push(o);
    assert.deepEqual(other.toArray(), wandering);
    assert.ok(other.byteLength < wandering.length * 4);
  });
});

describe('effectiveSeqs', () => {
  it('agrees with the rule on objects for random logs with overwrites, repeats and gaps', () => {
    const random = new SeededRandom('effective');
    for (let round = 0; round < 300; round++) {
      const indexes: bigint[] = [];
      let next = BigInt(random.int(1, 5));
      const length = random.int(1, 60);
      for (let i = 0; i < length; i++) {
        const roll = random.int(0, 9);
        if (roll === 0 && indexes.length > 0) next -= BigInt(random.int(1, 8)); // a new leader overwrites
        else if (roll === 1) next += BigInt(random.int(1, 3)); // a gap
        if (next < 1n) next = 1n;
        indexes.push(next++);
      }
      const table = new EntryTable(4);
      for (const index of indexes) table.add('f', input(index));
      const faults: Fault[] = [];
      const seqs = effectiveSeqs(table, faults);
      const expected = effectiveByObjects(indexes);
      assert.deepEqual([...seqs], expected.kept, `round ${round}: ${indexes.join(',')}`);
      for (let seq = 0; seq < indexes.length; seq++) assert.equal(table.overwritten(seq), expected.overwritten.has(seq), `round ${round}, seq ${seq}`);
      assert.equal(faults.length, expected.gaps);
    }
  });

  it('gives exactly the kept seqs whether or not an entry was overwritten, as runs of seqs (8 bytes a run)', () => {
    const cases: [number, bigint[]][] = [[1, [...Array(40).keys()].map((i) => BigInt(i + 1))], [2, [...Array(40).keys()].map((i) => BigInt(i < 30 ? i + 1 : i - 9))]];
    for (const [runs, indexes] of cases) {
      const table = new EntryTable(16);
      for (const index of indexes) table.add('f', input(index));
      const seqs = effectiveSeqs(table, []);
      assert.deepEqual([...seqs], effectiveByObjects(indexes).kept);
      assert.equal(seqs.byteLength, runs * 8, 'no room beyond the runs');
    }
  });

  it('names the file and offset of the entry after a gap', () => {
    const table = new EntryTable();
    table.add('/wal/0.wal', input(1n, { offset: 100 }));
    table.add('/wal/0.wal', input(5n, { offset: 200 }));
    const faults: Fault[] = [];
    assert.deepEqual([...effectiveSeqs(table, faults)], [0, 1]);
    assert.deepEqual(faults, [{ file: '/wal/0.wal', offset: 200, severity: 'warning', message: 'index gap: entry 5 follows entry 1 (entries 2..4 are missing)' }]);
  });
});

describe('WalLog entry objects', () => {
  function log(indexes: bigint[]): WalLog {
    const wal = new WalLog('/wal');
    for (const index of indexes) wal.table.add('/wal/0.wal', input(index));
    wal.effectiveSeqs = effectiveSeqs(wal.table, wal.faults);
    return wal;
  }

  it('shares one object per entry between entry(), raw and effective; lists make their own unless shared', () => {
    const wal = log([1n, 2n, 3n, 2n, 3n]);
    const list = new EntryList(wal, wal.effectiveSeqs);
    const once = list.at(0);
    assert.notEqual(once, list.at(0), 'nothing shared yet: a new object per read');
    assert.deepEqual(once, wal.table.entry(0));
    assert.equal(wal.entry(3), wal.entry(3));
    assert.deepEqual(wal.effective.map((e) => e.seq), [0, 3, 4]);
    assert.equal(wal.effective[1], wal.entry(3));
    assert.equal(list.at(1), wal.entry(3), 'a shared object is what the list gives from then on');
    assert.deepEqual(wal.raw.map((e) => e.overwritten), [false, true, true, false, false]);
    assert.deepEqual([...list].map((e) => e.index), [1n, 2n, 3n]);
    assert.throws(() => list.at(3), /no entry 3 in a list of 3/);
  });

  it('finds the effective tail above an index by bisection, and filters without objects', () => {
    const wal = log([1n, 2n, 3n, 4n, 5n, 6n, 3n, 4n]);
    assert.deepEqual([...wal.effectiveSeqsAfter(0n)], [0, 1, 6, 7]);
    assert.deepEqual([...wal.effectiveSeqsAfter(2n)], [6, 7]);
    assert.deepEqual([...wal.effectiveSeqsAfter(4n)], []);
    assert.deepEqual([...wal.effectiveSeqsAfter(U64_MAX)], []);
    const odd = new EntryList(wal, wal.effectiveSeqs).filter((table, seq) => table.index(seq) % 2n === 1n);
    assert.deepEqual([...odd].map((e) => e.index), [1n, 3n]);
  });
});
