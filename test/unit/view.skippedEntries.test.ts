// The State view's "N entries skipped" tooltip: every fault up to 20, then a count of the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SKIPPED_LINES, skippedEntriesDetail } from '../../src/core/view/skippedEntries';

const faults = (n: number) => Array.from({ length: n }, (_, i) => ({ index: BigInt(i + 1), message: `entry ${i + 1}: no node n${i + 1} to update` }));

describe("the State view's skipped entries", () => {
  it('lists every fault while there are at most 20', () => {
    assert.equal(skippedEntriesDetail(faults(1)), '#1: entry 1: no node n1 to update');
    const lines = skippedEntriesDetail(faults(SKIPPED_LINES)).split('\n');
    assert.equal(lines.length, SKIPPED_LINES);
    assert.equal(lines[SKIPPED_LINES - 1], '#20: entry 20: no node n20 to update');
  });
  it('lists the first 20 of 150,000 and counts the rest, in a short text', () => {
    const detail = skippedEntriesDetail(faults(150_000));
    const lines = detail.split('\n');
    assert.equal(lines.length, SKIPPED_LINES + 1);
    assert.equal(lines[0], '#1: entry 1: no node n1 to update');
    assert.equal(lines[SKIPPED_LINES], '… and 149,980 more');
    assert.ok(detail.length < 2000, `${detail.length} characters`);
  });
});
