// Seq lists as runs: built seq by seq and cut back as raft's overwrite rule does, they read back the same
// seqs as a plain array would (by position, in order, from any position on, filtered), and take 8 bytes a
// run, or 4 a seq where that is smaller.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeqBuilder, SeqList } from '../../src/core/wal/seqList';
import { SeededRandom } from '../../src/core/writer/seededRandom';

/** Every way to read `list`, against the plain array `want`. */
function assertSame(list: SeqList, want: number[], what: string): void {
  assert.equal(list.length, want.length, what);
  assert.deepEqual([...list], want, what);
  // Out of order too: the run found last is only a hint.
  for (const i of [want.length - 1, 0, Math.floor(want.length / 2), 1].filter((i) => i >= 0 && i < want.length)) assert.equal(list.at(i), want[i], `${what}: at(${i})`);
  assert.equal(list.first, want[0], what);
  assert.throws(() => list.at(want.length), /no position/);
  assert.throws(() => list.at(-1), /no position/);
}

describe('SeqList', () => {
  it('reads back random lists built with pushes and cuts, as views, owned, sliced and filtered', () => {
    const random = new SeededRandom('seq lists');
    for (let round = 0; round < 200; round++) {
      const builder = new SeqBuilder();
      const want: number[] = [];
      let seq = random.int(0, 3);
      for (let k = random.int(0, 300); k > 0; k--) {
        const roll = random.int(0, 19);
        if (roll === 0) {
          const keep = random.int(0, want.length);
          builder.truncate(keep);
          want.length = keep;
        } else {
          if (roll === 1) seq += random.int(1, 2 ** 20);
          else if (roll === 2) seq = random.int(0, 2 ** 32 - 1);
          builder.push(seq);
          want.push(seq);
          seq = (seq + 1) % 2 ** 32;
        }
      }
      assertSame(builder.list(), want, `round ${round}, view`);
      const owned = builder.owned();
      assertSame(owned, want, `round ${round}, owned`);
      const from = random.int(0, want.length + 1);
      assertSame(owned.slice(from), want.slice(from), `round ${round}, slice(${from})`);
      assertSame(owned.slice(from).slice(1), want.slice(from + 1), `round ${round}, slice(${from}).slice(1)`);
      assertSame(owned.filter((s) => s % 3 !== 0), want.filter((s) => s % 3 !== 0), `round ${round}, filter`);
    }
  });

  it('takes 8 bytes a run, or 4 a seq where that is smaller', () => {
    const consecutive = SeqList.of(Array.from({ length: 100_000 }, (_, i) => i));
    assert.equal(consecutive.byteLength, 8, 'a log without overwrites: one run');
    const overwritten = SeqList.of([...Array.from({ length: 500 }, (_, i) => i), ...Array.from({ length: 500 }, (_, i) => 600 + i)]);
    assert.equal(overwritten.byteLength, 16);
    const scattered = SeqList.of([1, 5, 9, 13, 14, 20]);
    assert.equal(scattered.byteLength, 6 * 4, 'five runs of six seqs: the seqs themselves');
    assertSame(scattered, [1, 5, 9, 13, 14, 20], 'scattered');
    assertSame(SeqList.of([]), [], 'empty');
    assertSame(SeqList.empty.slice(3), [], 'empty slice');
  });

  it('keeps a view as it was while the builder only grows past it', () => {
    const builder = new SeqBuilder();
    for (let seq = 0; seq < 10; seq++) builder.push(seq);
    const view = builder.list();
    for (let seq = 10; seq < 20; seq++) builder.push(seq === 15 ? 40 : seq);
    assertSame(view, Array.from({ length: 10 }, (_, i) => i), 'view of the first 10');
    assertSame(builder.list(), [...Array.from({ length: 15 }, (_, i) => i), 40, 16, 17, 18, 19], 'after');
  });
});
