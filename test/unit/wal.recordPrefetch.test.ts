// The redacted export's big records, read and checked ahead by the CLI addon's thread
// (src/native/recordPrefetch.c, src/core/wal/recordPrefetch.ts), held to the export without it
// (SWARM_RAFT_PREFETCH=off): the same text on the real log of big configs and on every corpus case with
// every record deferred, when the thread keeps all of a record, only a little of it (the entry is read
// again whole), is one record ahead at most, or checks the tags under a key that opens nothing. Also:
// the addon's CRC-32C against the JS library's, its argument checks, and that closing it leaves no view
// of its memory readable.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { crc32c } from '../../src/core/crypto/crc32c';
import { cliNative, type CliNative } from '../../src/core/native/cliNative';
import { dumpWalBatches } from '../../src/core/report/dumpWal';
import { SwarmState } from '../../src/core/state/swarmState';
import { DEFER_CRC_FROM_BYTES } from '../../src/core/wal/deferredCrc';
import { keptBytes, RecordPrefetch, setKeptBytes, type VerifiedBox } from '../../src/core/wal/recordPrefetch';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { corpusCases, generatedCase } from '../support/fixtures';
import { corpusState } from './writer.support';

const bigWal = () => join(generatedCase('big-wal'), 'swarm');
const random = new SeededRandom('record-prefetch');
const addon = cliNative();
const DEFAULT_KEPT: [number, number, number] = [8 * 1024, 2 * 1024, 128];

afterEach(() => setKeptBytes(...DEFAULT_KEPT));
after(() => setKeptBytes(...DEFAULT_KEPT));

/** What the thread reported for each record taken, and how many entries were read again whole. */
interface Observed {
  taken: number[];
  readAgain: number;
}

/** Runs `use` while counting the thread's reports and the entries read again. */
function observing<T>(use: () => T): { result: T; observed: Observed } {
  const observed: Observed = { taken: [], readAgain: 0 };
  const native = addon as CliNative;
  const take = native.recordPrefetch.take;
  const unsettle = RecordPrefetch.prototype.unsettleLast;
  native.recordPrefetch.take = (handle, record) => {
    const r = take(handle, record);
    observed.taken.push(r);
    return r;
  };
  RecordPrefetch.prototype.unsettleLast = function (this: RecordPrefetch, ...args) {
    observed.readAgain++;
    return unsettle.apply(this, args);
  };
  try {
    return { result: use(), observed };
  } finally {
    native.recordPrefetch.take = take;
    RecordPrefetch.prototype.unsettleLast = unsettle;
  }
}

/** The text export of the state, with the prefetch or (SWARM_RAFT_PREFETCH=off) without it. */
function exportText(dir: string, unlockKey: string | undefined, deferCrcFrom: number, options: { redact?: boolean; all?: boolean }, prefetch: boolean): string {
  const before = process.env.SWARM_RAFT_PREFETCH;
  if (prefetch) delete process.env.SWARM_RAFT_PREFETCH;
  else process.env.SWARM_RAFT_PREFETCH = 'off';
  const state = SwarmState.open(dir, { unlockKey, deferCrcFrom });
  try {
    const faults: unknown[] = [];
    const text = [...dumpWalBatches(state, options, faults as never)].map((b) => Buffer.from(b.text).toString('latin1')).join('');
    assert.equal(state.wal.deferredCrcs.size, 0, 'every deferred check settled');
    return `${text}\n-- faults --\n${JSON.stringify(faults)}`;
  } finally {
    state.close();
    if (before === undefined) delete process.env.SWARM_RAFT_PREFETCH;
    else process.env.SWARM_RAFT_PREFETCH = before;
  }
}

const TAG_OK = 2;
const TAG_BAD = 3;

describe('the record prefetch of a redacted export', { skip: addon ? false : 'the CLI addon is not built here (npm run build)' }, () => {
  it("computes the JS library's CRC-32C on every length 0-300 and bigger, at every alignment, chained", () => {
    const native = addon as CliNative;
    // Around 3 x 4096: where the three-stream way starts.
    for (const n of [...Array.from({ length: 301 }, (_, i) => i), 4095, 12_287, 12_288, 12_289, 24_583, 65_536, 65_537, 450_158, 1_048_583]) {
      const backing = new Uint8Array(random.bytes(n + 8));
      const data = backing.subarray(n % 8, (n % 8) + n);
      const previous = random.int(0, 0xffffffff);
      const expected = crc32c(previous, data);
      assert.equal(native.crc32c(previous, data), expected, `${n} bytes from ${previous}`);
      assert.equal(native.crc32cTable(previous, data), expected, `${n} bytes from ${previous}, the portable way`);
      assert.equal(native.crc32c(0, data), crc32c(0, data), `${n} bytes from 0`);
    }
  });

  it('prints what the export without it prints on the real log of big configs, every big record checked by the thread', () => {
    const plain = exportText(bigWal(), undefined, DEFER_CRC_FROM_BYTES, { redact: true }, false);
    const { result, observed } = observing(() => exportText(bigWal(), undefined, DEFER_CRC_FROM_BYTES, { redact: true }, true));
    assert.equal(result, plain);
    assert.equal(observed.taken.length, 146, 'every printed big record taken from the thread');
    assert.ok(observed.taken.every((r) => r === TAG_OK), `every tag checked and good: ${[...new Set(observed.taken)]}`);
    assert.equal(observed.readAgain, 0, "a config's redacted text needs only its record's first and last bytes");
  });

  it('reads an entry again whole when its text needs more than was kept, and waits when it is one record ahead', () => {
    const plain = exportText(bigWal(), undefined, DEFER_CRC_FROM_BYTES, { redact: true }, false);
    for (const kept of [[100, 30, 2], [8192, 2048, 1], [0, 48, 3], [600_000, 0, 2]] as [number, number, number][]) {
      setKeptBytes(...kept);
      const { result, observed } = observing(() => exportText(bigWal(), undefined, DEFER_CRC_FROM_BYTES, { redact: true }, true));
      assert.equal(result, plain, `kept ${kept}`);
      assert.equal(observed.taken.length, 146, `kept ${kept}`);
      if (kept[0] <= 100) assert.ok(observed.readAgain > 0, `kept ${kept}: some entries read again (${observed.readAgain})`);
      if (kept[0] >= 450_158) assert.equal(observed.readAgain, 0, `kept ${kept}: records kept whole`);
    }
  });

  it('prints what the export without it prints on every corpus case with every entry record deferred', () => {
    let taken = 0;
    for (const name of corpusCases()) {
      const { stateDir, unlockKey } = corpusState(name);
      for (const kept of [DEFAULT_KEPT, [40, 40, 1]] as [number, number, number][]) {
        setKeptBytes(...kept);
        for (const options of [{ redact: true }, { redact: true, all: true }]) {
          const plain = exportText(stateDir, unlockKey, 1, options, false);
          const { result, observed } = observing(() => exportText(stateDir, unlockKey, 1, options, true));
          assert.equal(result, plain, `${name} ${JSON.stringify(options)} kept ${kept}`);
          taken += observed.taken.length;
        }
      }
    }
    assert.ok(taken > 1000, `records taken from the thread across the corpus: ${taken}`);
  });

  it('leaves every record to the usual way when the key checks no tag (as a key of another manager)', () => {
    const state = SwarmState.open(bigWal(), { deferCrcFrom: DEFER_CRC_FROM_BYTES });
    try {
      const wrong = { key: new Uint8Array(randomBytes(32)), label: 'wrong' };
      const entries = state.entriesAfter();
      const prefetch = RecordPrefetch.start(entries, state.wal.deferredCrcs, wrong);
      assert.ok(prefetch);
      const { observed } = observing(() => {
        for (const entry of entries) assert.equal(prefetch.dataView(entry, state.wal.deferredCrcs), undefined);
      });
      prefetch.close();
      assert.equal(observed.taken.length, 146);
      assert.ok(observed.taken.every((r) => r === TAG_BAD), 'the CRC matched, the tag did not');
      assert.equal(state.wal.deferredCrcs.size, 146, 'no check settled: the usual way checks them');
    } finally {
      state.close();
    }
  });

  it('leaves no view of its memory readable once closed, and reports nothing more', () => {
    setKeptBytes(460_000, 0, 2); // big-wal's records kept whole: the views are of the addon's memory
    const state = SwarmState.open(bigWal(), { deferCrcFrom: DEFER_CRC_FROM_BYTES });
    try {
      const entries = [...state.entriesAfter()];
      const prefetch = RecordPrefetch.start(state.entriesAfter(), state.wal.deferredCrcs, state.payloadContext.keys[0]);
      assert.ok(prefetch);
      const big = entries.findIndex((e) => state.wal.deferredCrcs.find(e.file, e.offset));
      for (const entry of entries.slice(0, big)) assert.equal(prefetch.dataView(entry, state.wal.deferredCrcs), undefined, 'a small entry is not its');
      const view = prefetch.dataView(entries[big], state.wal.deferredCrcs);
      assert.ok(view && view.length === entries[big].dataLength);
      prefetch.close();
      assert.equal(view.length, 0, 'detached with the memory');
      assert.equal(prefetch.dataView(entries[big + 1], state.wal.deferredCrcs), undefined);
    } finally {
      state.close();
    }
  });

  it('refuses bad arguments with a TypeError', () => {
    const start = (addon as CliNative).recordPrefetch.start as (...args: unknown[]) => unknown;
    const jobs = new Float64Array(7);
    const keys = new Uint8Array(32);
    for (const [what, args] of [
      ['jobs not in sevens', [new Float64Array(6), keys, 16, 16, 1]],
      ['keys of another length', [jobs, new Uint8Array(31), 16, 16, 1]],
      ['no kept bytes', [jobs, keys, 0, 0, 1]],
      ['a fractional size', [jobs, keys, 1.5, 16, 1]],
      ['too many records ahead', [jobs, keys, 16, 16, 5000]],
      ['four arguments', [jobs, keys, 16, 16]],
    ] as [string, unknown[]][]) {
      assert.throws(() => start(...args), TypeError, what);
    }
    assert.throws(() => (addon as CliNative).recordPrefetch.take({}, 0), TypeError, 'take of no handle');
  });
});

describe('which bytes of a record the prefetch kept', () => {
  const box = (headEnd: number, tailFrom: number): VerifiedBox => ({ key: new Uint8Array(32), boxAt: 3, boxLength: 100, nonce: new Uint8Array(24), headEnd, tailFrom });
  it('says a range is there when it lies in the head or the tail, or the record was kept whole', () => {
    assert.equal(keptBytes(box(100, 900), 0, 100), true);
    assert.equal(keptBytes(box(100, 900), 900, 1000), true);
    assert.equal(keptBytes(box(100, 900), 99, 101), false);
    assert.equal(keptBytes(box(100, 900), 899, 901), false);
    assert.equal(keptBytes(box(100, 900), 500, 501), false);
    assert.equal(keptBytes(box(1000, 1000), 0, 1000), true);
  });
});
