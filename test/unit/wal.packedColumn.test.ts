// A packed column of the WAL index: each shape (implied by the row, constant, residuals of 1 to 32 bits,
// a base per group of rows) is chosen where it is the smallest, and every value reads back exactly, for
// 32-bit extremes, with rows that are don't-cares, and unpacked again to full width.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnBytes, columnMemory, columnValue, packColumn, unpackColumn, type Column, type ColumnData, type Shapes } from '../../src/core/wal/packedColumn';
import { SeededRandom } from '../../src/core/writer/seededRandom';

const ALL: Shapes = { step: true, anchors: true };

function column(data: Uint32Array): Column {
  return { base: 0, step: 0, anchors: undefined, anchorShift: 0, data: Uint32Array.from(data), bits: undefined, width: 0 };
}

function readAll(c: Column, n: number): number[] {
  return Array.from({ length: n }, (_, i) => columnValue(c, i));
}

/** Packs `values`, checks that each reads back (but the skipped), and returns the column. */
function packed(values: ColumnData, shapes: Shapes = ALL, skip?: Uint8Array): Column {
  const c = packColumn(values, values.length, skip, shapes);
  readAll(c, values.length).forEach((v, i) => {
    if (!skip?.[i]) assert.equal(v, values[i], `row ${i}`);
  });
  return c;
}

describe('packColumn', () => {
  it('drops a column that is constant or counts up with the row', () => {
    const constant = packed(new Int32Array(100).fill(-7));
    assert.deepEqual([constant.base, constant.step, constant.bits, constant.anchors, columnBytes(constant)], [-7, 0, undefined, undefined, 0]);
    const counting = packed(Int32Array.from({ length: 100 }, (_, i) => 5 + i));
    assert.deepEqual([counting.base, counting.step, counting.bits, columnBytes(counting)], [5, 1, undefined, 0]);
    const notAllowed = packed(Int32Array.from({ length: 100 }, (_, i) => 5 + i), {});
    assert.equal(notAllowed.step, 0, 'a row step only where the column may take one');
    assert.deepEqual([notAllowed.width, columnBytes(notAllowed)], [7, 4 * Math.ceil(700 / 32)], 'residuals 0..99: 7 bits each');
  });

  it('takes the fewest bits that hold the spread, up to 32, straddling words', () => {
    const cases: [ColumnData, number, number][] = [
      [Uint8Array.of(5, 6, 5), 1, 5],
      [Uint8Array.of(3, 0, 1, 2), 2, 0],
      [Uint32Array.of(1000, 1255, 1100), 8, 1000],
      [Uint32Array.of(1000, 1256, 1100), 9, 1000],
      [Uint32Array.of(7, 7 + 0xffff), 16, 7],
      [Uint32Array.of(7, 7 + 0x10000), 17, 7],
      [Uint32Array.of(0xffff_ffff, 0), 32, 0],
      [Uint32Array.from({ length: 40 }, (_, i) => (i * 0x1234_5677) % 0x8000_0000), 31, 0],
      [Int32Array.of(-0x8000_0000, 0x7fff_ffff, 3), 32, -0x8000_0000],
      [Int32Array.of(-0x8000_0000, -0x8000_0000 + 255), 8, -0x8000_0000],
    ];
    for (const [values, width, base] of cases) {
      const c = packed(values, {});
      assert.deepEqual([c.width, c.base, columnBytes(c)], [width, base, 4 * Math.ceil((values.length * width) / 32)], values.join(','));
    }
    for (let width = 1; width <= 32; width++) { // every width, residuals at both ends of it, across word edges
      const values = Uint32Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? 2 ** width - 1 : i % 3 === 1 ? 0 : (i * 2_654_435_761) % 2 ** width));
      assert.equal(packed(values, {}).width, width);
    }
  });

  it('steps only where the step makes residuals smaller, and never past 32 bits', () => {
    const almost = Int32Array.from({ length: 300 }, (_, i) => 10 + i + (i % 3)); // 300 apart, 2 off the step
    const c = packed(almost);
    assert.deepEqual([c.step, c.width], [1, 2]);
    const wild = Int32Array.of(0x7fff_ffff, -0x8000_0000 + 1, 0x7fff_ffff); // minus the row: a 33-bit spread
    assert.equal(packed(wild).step, 0);
  });

  it('takes a base per group of rows for values that grow through the block (offsets)', () => {
    const offsets = Uint32Array.from({ length: 1000 }, (_, i) => 4_000_000_000 - 2_000_000 + i * 3000 + (i % 5));
    // One base: 22 bits (2752 bytes); per 8 rows 15 bits (1876 + 500), per 16 rows 16 bits (2000 + 252),
    // per 32 rows 17 bits (2128 + 128), per 64 rows 18 bits (2252 + 64).
    const c = packed(offsets);
    assert.deepEqual([c.anchorShift, c.width, columnBytes(c)], [4, 16, 2000 + 63 * 4]);
    // 20-byte records: one base 15 bits (1876); per 8 rows 8 bits (1000 + 500), per 16 rows 9 bits
    // (1128 + 252), per 32 rows 10 bits (1252 + 128), per 64 rows 11 bits (1376 + 64).
    const small = packed(Uint32Array.from({ length: 1000 }, (_, i) => 8 + i * 20));
    assert.deepEqual([small.anchorShift, small.width, columnBytes(small)], [4, 9, 1128 + 63 * 4]);
    assert.equal(packed(offsets, {}).anchors, undefined, 'only where the column may take them');
    assert.equal(packed(Uint32Array.from({ length: 1000 }, (_, i) => (i * 7919) % 200)).anchors, undefined, 'nor where one base is as small');
  });

  it('ignores skipped rows (they read back as anything), even when every row is skipped', () => {
    const values = Uint32Array.from({ length: 200 }, (_, i) => (i % 50 === 0 ? 0xffff_ffff : 300 + i));
    const skip = Uint8Array.from(values, (v) => (v === 0xffff_ffff ? 8 : 0));
    const c = packed(values, ALL, skip);
    assert.deepEqual([c.base, c.step, c.bits], [300, 1, undefined]);
    const none = packed(values, ALL, new Uint8Array(200).fill(1));
    assert.equal(columnBytes(none), 0);
    const groups = Uint32Array.from({ length: 64 }, (_, i) => (i < 8 || i >= 56 ? 0 : 1_000_000 + i * 300)); // whole groups skipped
    packed(groups, { anchors: true }, Uint8Array.from(groups, (v) => (v === 0 ? 1 : 0)));
  });

  it('reads back random columns of every kind exactly, and unpacks them to full width', () => {
    const random = new SeededRandom('packed columns');
    for (let round = 0; round < 200; round++) {
      const n = random.int(1, 300);
      const spread = 2 ** random.int(0, 32) - 1;
      const start = random.int(0, 2 ** 32 - 1 - spread);
      const stepped = random.int(0, 1);
      const values = Uint32Array.from({ length: n }, (_, i) => Math.min(2 ** 32 - 1, start + random.int(0, spread) + stepped * i));
      const skip = random.int(0, 1) ? Uint8Array.from({ length: n }, () => (random.int(0, 9) === 0 ? 1 : 0)) : undefined;
      const c = packed(values, ALL, skip);
      const full = unpackColumn(c, Uint32Array, n, n + 5);
      assert.ok(full.data instanceof Uint32Array && full.data.length === n + 5 && full.base === 0 && full.step === 0 && full.bits === undefined);
      values.forEach((v, i) => {
        if (!skip?.[i]) assert.equal(full.data![i], v, `round ${round}, row ${i}`);
      });
      assert.deepEqual(unpackColumn(full, Uint32Array, n, n), column(full.data!.subarray(0, n)), 'a plain column is copied');
      assert.equal(columnMemory(c).length, (c.bits ? 1 : 0) + (c.anchors ? 1 : 0));
    }
  });
});
