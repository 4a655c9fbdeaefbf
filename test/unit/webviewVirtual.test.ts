// Virtualization math and the row page cache of the editor webview (pure logic, no DOM).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EntryRow } from '../../src/shared/protocol';
import {
  contentOffset, MAX_SCROLL_PX, moveCursor, revealScrollTop, rowsPerPage, rowTop, scrollHeight, scrollTopFor, visibleRange,
  type Viewport,
} from '../../webview/editor/virtualMath';
import { findPosition, RowCache } from '../../webview/editor/rowCache';

const v = (total: number, height = 220): Viewport => ({ rowHeight: 22, total, height });

describe('virtualMath', () => {
  test('visible range of a small list, with and without overscan', () => {
    assert.deepEqual(visibleRange(v(100), 0), { first: 0, last: 9 });
    assert.deepEqual(visibleRange(v(100), 11), { first: 0, last: 10 });
    assert.deepEqual(visibleRange(v(100), 44, 3), { first: 0, last: 14 });
    assert.deepEqual(visibleRange(v(5), 0), { first: 0, last: 4 });
    assert.deepEqual(visibleRange(v(0), 0), { first: 0, last: -1 });
  });

  test('a scrollTop past the end is clamped to the last screenful', () => {
    assert.deepEqual(visibleRange(v(100), 1e9), { first: 90, last: 99 });
    assert.equal(rowTop(v(100), 1e9, 99), 220 - 22);
  });

  test('huge lists compress the scroll height and still reach both ends', () => {
    const big = v(2_000_000, 600);
    assert.equal(scrollHeight(big), MAX_SCROLL_PX);
    const maxScroll = MAX_SCROLL_PX - 600;
    assert.deepEqual(visibleRange(big, 0), { first: 0, last: 27 });
    const end = visibleRange(big, maxScroll);
    assert.equal(end.last, 1_999_999);
    assert.equal(rowTop(big, maxScroll, 1_999_999), 600 - 22);
    // Round trip between scroll position and content offset.
    for (const offset of [0, 123_456, 22 * 1_000_000, 22 * 2_000_000 - 600]) {
      assert.ok(Math.abs(contentOffset(big, scrollTopFor(big, offset)) - offset) < 1e-3);
    }
  });

  test('reveal scrolls the least amount that shows the row', () => {
    const list = v(1000);
    assert.equal(revealScrollTop(list, 0, 5), 0, 'already visible');
    assert.equal(revealScrollTop(list, 0, 20), 21 * 22 - 220, 'below: row at the bottom');
    assert.equal(revealScrollTop(list, 5000, 3), 66, 'above: row at the top');
    const big = v(2_000_000, 600);
    const top = revealScrollTop(big, 0, 1_234_567);
    const range = visibleRange(big, top);
    assert.ok(range.first <= 1_234_567 && range.last >= 1_234_567);
    assert.ok(rowTop(big, top, 1_234_567) >= -1e-6 && rowTop(big, top, 1_234_567) + 22 <= 600 + 1e-6);
  });

  test('cursor keys', () => {
    const list = v(1000);
    assert.equal(rowsPerPage(list), 9);
    assert.equal(moveCursor(list, -1, 'ArrowDown'), 0);
    assert.equal(moveCursor(list, 5, 'ArrowDown'), 6);
    assert.equal(moveCursor(list, 0, 'ArrowUp'), 0);
    assert.equal(moveCursor(list, 5, 'PageDown'), 14);
    assert.equal(moveCursor(list, 995, 'PageDown'), 999);
    assert.equal(moveCursor(list, 5, 'PageUp'), 0);
    assert.equal(moveCursor(list, 5, 'End'), 999);
    assert.equal(moveCursor(list, 500, 'Home'), 0);
    assert.equal(moveCursor(list, 5, 'a'), undefined);
    assert.equal(moveCursor(v(0), 0, 'End'), undefined);
  });
});

function row(seq: number): EntryRow {
  return { seq, index: String(seq + 1), term: '1', type: 'EntryNormal', status: 'ok', summary: `s${seq}`, actions: [], size: 1, uncommitted: false, overwritten: false, crcOk: true };
}

/** A cache wired to an in-memory host holding `seqs` (already filtered); replies are synchronous or manual. */
function harness(seqs: number[], options: { auto?: boolean; pageSize?: number; maxPages?: number } = {}) {
  const sent: { requestId: number; start: number; count: number; filter?: string }[] = [];
  const cache: RowCache = new RowCache((requestId, start, count, filter) => {
    sent.push({ requestId, start, count, filter });
    if (options.auto !== false) queueMicrotask(() => cache.accept(requestId, seqs.length, seqs.slice(start, start + count).map(row)));
  }, options.pageSize ?? 10, options.maxPages ?? 100);
  return { cache, sent };
}

describe('RowCache', () => {
  test('requests each missing page once and serves rows from it', async () => {
    const { cache, sent } = harness(Array.from({ length: 95 }, (_, i) => i), { auto: false });
    assert.equal(cache.slot(3).state, 'loading');
    cache.ensureRange(5, 25);
    cache.ensureRange(5, 25);
    assert.deepEqual(sent.map((s) => s.start), [0, 10, 20]);
    assert.equal(sent[0].filter, undefined);
    assert.ok(cache.accept(sent[1].requestId, 95, Array.from({ length: 10 }, (_, i) => row(10 + i))));
    assert.equal(cache.total, 95);
    const slot = cache.slot(12);
    assert.equal(slot.state === 'ready' && slot.row.seq, 12);
    assert.equal(cache.accept(999, 95, []), false, 'unknown request id');
  });

  test('replies to requests made under an older filter are dropped', () => {
    const { cache, sent } = harness([], { auto: false });
    cache.ensureRange(0, 0);
    cache.reset('web');
    assert.equal(cache.accept(sent[0].requestId, 1, [row(0)]), false);
    cache.ensureRange(0, 0);
    assert.equal(sent[1].filter, 'web');
    assert.equal(cache.total, undefined);
  });

  test('failed pages report their error and are asked again after retryFailed', () => {
    const { cache, sent } = harness([], { auto: false });
    cache.ensureRange(0, 0);
    assert.ok(cache.fail(sent[0].requestId, 'boom'));
    assert.deepEqual(cache.slot(0), { state: 'failed', message: 'boom' });
    cache.ensureRange(0, 0);
    assert.equal(sent.length, 1);
    cache.retryFailed();
    cache.ensureRange(0, 0);
    assert.equal(sent.length, 2);
  });

  test('refresh fetches every page again but keeps showing the old rows meanwhile', () => {
    const { cache, sent } = harness([], { auto: false });
    cache.ensureRange(0, 15);
    cache.accept(sent[0].requestId, 20, Array.from({ length: 10 }, (_, i) => row(i)));
    cache.accept(sent[1].requestId, 20, Array.from({ length: 10 }, (_, i) => row(10 + i)));
    cache.refresh();
    assert.equal(cache.total, 20);
    const old = cache.slot(3);
    assert.equal(old.state === 'ready' && old.row.summary, 's3');
    cache.ensureRange(0, 15);
    assert.equal(sent.length, 4, 'both pages asked again');
    cache.accept(sent[2].requestId, 5, Array.from({ length: 5 }, (_, i) => ({ ...row(i), summary: 'new' })));
    const fresh = cache.slot(3);
    assert.equal(fresh.state === 'ready' && fresh.row.summary, 'new');
    assert.equal(cache.slot(12).state, 'loading', 'old rows past the new total are dropped');
    assert.equal(cache.accept(sent[0].requestId, 20, []), false, 'pre-refresh replies are ignored');
  });

  test('refresh after an empty reply (the host had no model yet) forgets the zero count', () => {
    const { cache, sent } = harness([], { auto: false });
    cache.ensureRange(0, 0);
    cache.accept(sent[0].requestId, 0, []);
    assert.equal(cache.total, 0);
    cache.refresh();
    assert.equal(cache.total, undefined);
  });

  test('keeps at most maxPages pages, dropping the least recently used', async () => {
    const { cache } = harness(Array.from({ length: 1000 }, (_, i) => i), { maxPages: 3 });
    for (const page of [0, 1, 2]) await cache.loadPage(page);
    cache.slot(0); // page 0 becomes the most recent
    await cache.loadPage(3);
    assert.equal(cache.cachedPageCount, 3);
    assert.equal(cache.slot(5).state, 'ready');
    assert.equal(cache.slot(15).state, 'loading', 'page 1 was evicted');
  });
});

describe('findPosition', () => {
  test('unfiltered: the guess at position seq hits', async () => {
    const { cache, sent } = harness(Array.from({ length: 1000 }, (_, i) => i));
    assert.equal(await findPosition(cache, 567), 567);
    assert.ok(sent.length <= 2);
  });

  test('filtered: binary search over pages by seq', async () => {
    const seqs = Array.from({ length: 500 }, (_, i) => i * 7 + 3);
    const { cache, sent } = harness(seqs);
    assert.equal(await findPosition(cache, 7 * 321 + 3), 321);
    assert.ok(sent.length <= 9, `pages fetched: ${sent.length}`);
    assert.equal(await findPosition(cache, 8), -1, 'not in the filtered list');
    assert.equal(await findPosition(cache, 1e9), -1);
  });

  test('an empty list has no position', async () => {
    const { cache } = harness([]);
    assert.equal(await findPosition(cache, 0), -1);
  });
});
