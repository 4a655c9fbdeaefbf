// The parallel text export (worker threads) prints exactly what the serial one prints — the reference's
// text — whatever the batching, with the same faults in the same order.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Fault } from '../../src/core/errors';
import { dumpWalTextChunks, dumpWalTextParallel, parallelDumpLikely, parallelDumpWorthwhile } from '../../src/core/parallel/parallelDump';
import { dumpWalBatches, dumpWalText } from '../../src/core/report/dumpWal';
import { EntryTable } from '../../src/core/wal/entryTable';
import { EntryList } from '../../src/core/wal/walLog';
import { SeqList } from '../../src/core/wal/seqList';
import { SwarmState } from '../../src/core/state/swarmState';
import { manifestUnlockKey } from '../support/cli';
import { corpusCase, generatedCase, repoRoot } from '../support/fixtures';
import { scratchCopy } from '../support/scratch';

const workerScript = join(repoRoot, 'dist', 'textWorker.js');

/** The workers' text arrives as UTF-8 bytes, batch by batch. */
async function collect(gen: AsyncGenerator<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of gen) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('what goes to the workers, and the serial byte batches', () => {
  it('a batch of the index travels to a worker as columns and comes back equal, every field (two-managers: an uncommitted entry; big-wal: two files; every flag, uint64 extremes)', () => {
    let compared = 0;
    let uncommitted = 0;
    for (const dir of [join(generatedCase('two-managers'), 'm1', 'swarm'), join(generatedCase('big-wal'), 'swarm')]) {
      const state = SwarmState.open(dir, {});
      try {
        const source = state.wal.table;
        // A table of the log's rows plus eight with every flag combination and huge indexes and terms.
        const table = new EntryTable(16);
        for (let seq = 0; seq < source.length; seq++) table.add(source.file(seq), { ...source.entry(seq) });
        for (let i = 0; i < 8; i++) {
          const seq = table.add(source.file(i % source.length), { ...source.entry(i % source.length), crcOk: (i & 1) === 0, index: (1n << 60n) + BigInt(i), term: (1n << 64n) - 1n });
          if (i & 2) table.markOverwritten(seq);
          if (i & 4) table.markUncommitted(seq);
        }
        for (let seq = 0; seq < source.length; seq++) if (source.entry(seq).uncommitted) table.markUncommitted(seq);
        const all = Array.from({ length: table.length }, (_, seq) => seq);
        for (const [from, to] of [[0, all.length], [1, Math.min(all.length, 40)], [all.length - 8, all.length]]) {
          const sent = table.select(SeqList.of(all), from, to).transfer();
          assert.equal(sent.memory.length, 9, 'nine columns, their memory transferred');
          const received = EntryTable.received(structuredClone(sent.table, { transfer: sent.memory }));
          assert.equal(received.length, to - from);
          for (let i = 0; i < received.length; i++) {
            const expected = table.entry(from + i);
            assert.deepEqual(received.entry(i), { ...expected, seq: i }, `row ${from + i}`);
            if (expected.uncommitted) uncommitted++;
            compared++;
          }
          assert.ok(received.files.length >= 1 && received.files.length <= state.wal.segments.length);
        }
      } finally {
        state.close();
      }
    }
    assert.ok(compared > 300, `${compared} entries`);
    assert.ok(uncommitted > 8, "the fixture's uncommitted entry besides the hand-set ones");
  });
  it('dumpWalBatches gives the text dumpWalText gives, in batches of about the size asked, reusing released memory', () => {
    const state = SwarmState.open(join(generatedCase('big-wal'), 'swarm'), {});
    try {
      const text = [...dumpWalText(state, {}, [])].join('');
      // Held batches keep their bytes while later ones are written (each is its own memory).
      const held = [...dumpWalBatches(state, {}, [], 64 * 1024)].map((b) => b.text);
      assert.equal(Buffer.concat(held).toString('utf8'), text);
      assert.ok(held.length > 10 && held.slice(0, -1).every((b) => b.length >= 64 * 1024), `${held.length} batches`);
      assert.equal(new Set(held.map((b) => b.buffer)).size, held.length, 'nothing released: no memory written twice');
      // Released as soon as written (the CLI's way): the same text, in a few buffers used again and again.
      const written: Buffer[] = [];
      const memories = new Set<ArrayBufferLike>();
      for (const batch of dumpWalBatches(state, {}, [], 64 * 1024)) {
        written.push(Buffer.from(batch.text)); // a copy, as a stream's write has taken it
        memories.add(batch.text.buffer);
        batch.release();
      }
      assert.equal(Buffer.concat(written).toString('utf8'), text);
      assert.ok(memories.size <= 3, `${memories.size} buffers for ${written.length} batches`);
    } finally {
      state.close();
    }
  });
});

describe('when the CLI prints on workers', () => {
  it('only for 32 MB of data in 10,000 entries or more: big-wal\'s 159 huge entries stay on the main thread', () => {
    const state = SwarmState.open(join(generatedCase('big-wal'), 'swarm'), {});
    try {
      const entries = state.effectiveEntries;
      assert.ok(entries.length < 200);
      assert.equal(parallelDumpWorthwhile(entries), false);
      // The same big entry listed many times: enough bytes either way; the count decides.
      const big = [...entries.seqs].reduce((best, seq) => (state.wal.table.dataLength(seq) > state.wal.table.dataLength(best) ? seq : best), entries.seqs.at(0));
      assert.ok(state.wal.table.dataLength(big) * 9_999 > 32 << 20);
      assert.equal(parallelDumpWorthwhile(new EntryList(state.wal, SeqList.of(new Uint32Array(9_999).fill(big)))), false);
      assert.equal(parallelDumpWorthwhile(new EntryList(state.wal, SeqList.of(new Uint32Array(10_000).fill(big)))), true);
      const small = [...entries.seqs].find((seq) => state.wal.table.dataLength(seq) < 1000)!;
      assert.equal(parallelDumpWorthwhile(new EntryList(state.wal, SeqList.of(new Uint32Array(20_000).fill(small)))), false, 'many entries, few bytes');
    } finally {
      state.close();
    }
  });

  it('never for a WAL of less than 32 MB, decided from what was read (the entries are not summed)', () => {
    const state = SwarmState.open(join(generatedCase('objects'), 'swarm'), {});
    try {
      const read = state.wal.segments.reduce((n, s) => n + s.scan.end, 0);
      assert.ok(read < 32 << 20, `${read} bytes read`);
      // Listed often enough, its biggest entry would add up to more than 32 MB: the bound decides first.
      const seqs = [...state.effectiveEntries.seqs];
      const big = seqs.reduce((best, seq) => (state.wal.table.dataLength(seq) > state.wal.table.dataLength(best) ? seq : best), seqs[0]);
      const count = Math.max(10_000, Math.ceil((33 << 20) / state.wal.table.dataLength(big)));
      assert.equal(parallelDumpWorthwhile(new EntryList(state.wal, SeqList.of(new Uint32Array(count).fill(big)))), false);
    } finally {
      state.close();
    }
  });

  it('starts them before the index only when the segment names say 10,000 entries came before the last segment', () => {
    assert.equal(parallelDumpLikely(join(generatedCase('big-wal'), 'swarm')), false, 'two segments, the second from index 155');
    assert.equal(parallelDumpLikely(join(corpusCase('synth-nosnap'), 'swarm')), false, 'one segment');
    const scratch = mkdtempSync(join(tmpdir(), 'swarm-raft-likely-'));
    try {
      const wal = join(scratch, 'raft', 'wal-v3-encrypted');
      mkdirSync(wal, { recursive: true });
      const names = (last: string) => ['0000000000000000-0000000000000000.wal', `0000000000000001-${last}.wal`];
      for (const name of names('000000000000270f')) writeFileSync(join(wal, name), ''); // 9,999
      assert.equal(parallelDumpLikely(scratch), false);
      rmSync(join(wal, names('000000000000270f')[1]));
      writeFileSync(join(wal, names('0000000000002710')[1]), ''); // 10,000
      assert.equal(parallelDumpLikely(scratch), true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('parallel dump-wal', () => {
  for (const name of ['objects', 'locked', 'synth-snap']) {
    it(`${name}: byte-identical to the reference with small batches on two workers`, async () => {
      const dir = corpusCase(name);
      const key = manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
      const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: key });
      try {
        const text = await collect(dumpWalTextParallel(state, {}, [], { workerScript, threads: 3, batchBytes: 4096 }));
        assert.equal(text, readFileSync(join(dir, 'expected/swarm/dump-wal.txt'), 'utf8'));
        const redacted = await collect(dumpWalTextParallel(state, { redact: true }, [], { workerScript, threads: 3, batchBytes: 4096 }));
        assert.equal(redacted, readFileSync(join(dir, 'expected/swarm/dump-wal-redact.txt'), 'utf8'));
      } finally {
        state.close();
      }
    });
  }
  it('the main thread prints batches while the worker loads and while it waits (none with mainAhead 0): the same text and faults in every split', async () => {
    const dir = corpusCase('locked');
    const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))) });
    try {
      const serialFaults: Fault[] = [];
      const serial = [...dumpWalText(state, { all: true }, serialFaults)].join('');
      for (const [threads, mainAhead] of [[2, undefined], [2, 0], [2, 64], [3, 1]] as const) {
        const faults: Fault[] = [];
        const chunks: Buffer[] = [];
        const printedOn: number[] = [];
        for await (const chunk of dumpWalTextChunks(state, { all: true }, faults, { workerScript, threads, mainAhead, batchBytes: 2048 })) {
          chunks.push(Buffer.from(chunk.text));
          printedOn.push(chunk.printedOn);
          chunk.release();
        }
        const split = `threads ${threads}, mainAhead ${mainAhead}`;
        assert.ok(Buffer.concat(chunks).toString('utf8') === serial, `${split}: text differs from the serial text`);
        assert.deepEqual(faults, serialFaults, split);
        assert.ok(printedOn.length > 20, `${split}: ${printedOn.length} batches`);
        if (mainAhead === 0) {
          assert.ok(printedOn.every((on) => on >= 0 && on < threads - 1), `${split}: ${[...new Set(printedOn)]}`);
        } else {
          // No worker has loaded when the first batch is due: the main thread prints it rather than wait.
          assert.equal(printedOn[0], -1, split);
        }
      }
    } finally {
      state.close();
    }
  });
  it('entries under an earlier key: same text and the same single warning as the serial dump', async () => {
    const dir = corpusCase('locked');
    const key = manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: key });
    try {
      const serialFaults: Fault[] = [];
      const serial = [...dumpWalText(state, { all: true }, serialFaults)].join('');
      const parallelFaults: Fault[] = [];
      const parallel = await collect(dumpWalTextParallel(state, { all: true }, parallelFaults, { workerScript, threads: 3, batchBytes: 2048 }));
      assert.equal(parallel, serial);
      assert.deepEqual(parallelFaults, serialFaults);
      assert.equal(serialFaults.length, 1);
    } finally {
      state.close();
    }
  });
  it('big-wal (450 KB entries over two 64 MB segments): the same text as the serial dump, batches crossing file windows', async () => {
    const state = SwarmState.open(join(generatedCase('big-wal'), 'swarm'), {});
    try {
      const serialFaults: Fault[] = [];
      const serial = [...dumpWalText(state, { all: true }, serialFaults)].join('');
      const parallelFaults: Fault[] = [];
      const parallel = await collect(dumpWalTextParallel(state, { all: true }, parallelFaults, { workerScript, threads: 3, batchBytes: 1 << 20 }));
      assert.ok(serial.length > 60_000_000, `${serial.length} chars`);
      assert.ok(parallel === serial, 'parallel text differs from the serial text');
      assert.deepEqual(parallelFaults, serialFaults);
    } finally {
      state.close();
    }
  });
  it('a writer-made full segment (~44k entries of typical size): the same text, every batch crossing file windows', async () => {
    const out = mkdtempSync(join(tmpdir(), 'swarm-raft-parallel-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join('scripts', 'genlog.ts'), '--out', out, '--only', 'big', '--segments', '1'], { cwd: repoRoot, stdio: 'pipe' });
      const state = SwarmState.open(join(out, 'big'), {});
      try {
        const serial = [...dumpWalText(state, {}, [])].join('');
        const parallel = await collect(dumpWalTextParallel(state, {}, [], { workerScript, threads: 3 }));
        assert.ok(state.entriesAfter().length > 40_000, `${state.entriesAfter().length} entries`);
        assert.ok(parallel === serial, 'parallel text differs from the serial text');
      } finally {
        state.close();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
  it('a record that no longer decodes when read again (its file was cut short after indexing): its header, the reason, and a fault with file and offset', async () => {
    const dir = corpusCase('objects');
    const swarm = scratchCopy(join(dir, 'swarm'), 'cut');
    const state = SwarmState.open(swarm, { unlockKey: manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))) });
    try {
      const entries = state.entriesAfter();
      const victim = entries.at(entries.length - 1);
      assert.ok(victim.dataAt > 0 && victim.dataLength > 2);
      truncateSync(victim.file, victim.dataAt + 2); // the scratch copy: a manager still writing, a copy cut off
      const faults: Fault[] = [];
      const text = await collect(dumpWalTextParallel(state, {}, faults, { workerScript, threads: 3, batchBytes: 512 }));
      const header = `Entry Index=${victim.index}, Term=${victim.term}, Type=EntryNormal:\n(${victim.file}:${victim.offset}: entry record does not decode (`;
      assert.ok(text.includes(header), text.slice(-300));
      assert.equal(faults.length, 1);
      assert.deepEqual([faults[0].file, faults[0].offset, faults[0].severity], [victim.file, victim.offset, 'error']);
      assert.match(faults[0].message, new RegExp(`^entry ${victim.index}: entry record does not decode \\(.+\\)$`));
      // Every other entry is printed as usual, and the serial dump says the same.
      assert.equal((text.match(/^Entry Index=/gm) ?? []).length, entries.length);
      assert.equal(text.slice(0, text.indexOf(header)), readFileSync(join(dir, 'expected/swarm/dump-wal.txt'), 'utf8').split(`Entry Index=${victim.index},`)[0]);
      const serialFaults: Fault[] = [];
      assert.equal([...dumpWalText(state, {}, serialFaults)].join(''), text);
      assert.deepEqual(serialFaults, faults);
    } finally {
      state.close();
      rmSync(dirname(swarm), { recursive: true, force: true });
    }
  });
  it('memory handed back with release() goes to the workers, or to the main thread\'s next batches, and the text stays exact', async () => {
    const dir = corpusCase('objects');
    const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))) });
    try {
      // Workers only (mainAhead 0), then as the CLI runs (the main thread prints while they load).
      for (const mainAhead of [0, undefined]) {
        const copies: Buffer[] = [];
        const released: { text: Uint8Array; memory: ArrayBufferLike; printedOn: number }[] = [];
        for await (const chunk of dumpWalTextChunks(state, {}, [], { workerScript, threads: 3, batchBytes: 2048, mainAhead })) {
          copies.push(Buffer.from(chunk.text));
          const memory = chunk.text.buffer;
          chunk.release();
          released.push({ text: chunk.text, memory, printedOn: chunk.printedOn });
        }
        assert.equal(Buffer.concat(copies).toString('utf8'), readFileSync(join(dir, 'expected/swarm/dump-wal.txt'), 'utf8'));
        const byWorkers = released.filter((r) => r.printedOn >= 0);
        const here = released.filter((r) => r.printedOn < 0);
        if (mainAhead === 0) {
          assert.ok(byWorkers.length > 4 && here.length === 0, `${byWorkers.length} batches by workers, ${here.length} here`);
        } else {
          assert.ok(here.length > 4, `${here.length} batches printed here`);
          // The main thread's batches are written into the memory of its earlier ones.
          const memories = new Set(here.map((r) => r.memory));
          assert.ok(memories.size < here.length / 2, `${memories.size} buffers for ${here.length} batches printed here`);
        }
        // Transferred back: the main thread no longer holds that memory.
        assert.ok(byWorkers.every((r) => r.text.buffer.byteLength === 0), 'every released worker batch was handed back');
      }
    } finally {
      state.close();
    }
  });
  it('the worker bundle exists (built by npm run build)', () => {
    assert.ok(readdirSync(join(repoRoot, 'dist')).includes('textWorker.js'));
  });
});
