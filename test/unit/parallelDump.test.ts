// The parallel text export (worker threads) prints exactly what the serial one prints — the reference's
// text — whatever the batching, with the same faults in the same order.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Fault } from '../../src/core/errors';
import { dumpWalTextParallel } from '../../src/core/parallel/parallelDump';
import { dumpWalText } from '../../src/core/report/dumpWal';
import { SwarmState } from '../../src/core/state/swarmState';
import { manifestUnlockKey } from '../support/cli';
import { corpusCase, repoRoot } from '../support/fixtures';

const workerScript = join(repoRoot, 'dist', 'textWorker.js');

/** The workers' text arrives as UTF-8 bytes, batch by batch. */
async function collect(gen: AsyncGenerator<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of gen) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe('parallel dump-wal', () => {
  for (const name of ['objects', 'locked', 'synth-snap']) {
    it(`${name}: byte-identical to the reference with small batches on two workers`, async () => {
      const dir = corpusCase(name);
      const key = manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
      const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: key });
      try {
        const text = await collect(dumpWalTextParallel(state, {}, [], { workerScript, workers: 2, batchBytes: 4096 }));
        assert.equal(text, readFileSync(join(dir, 'expected/swarm/dump-wal.txt'), 'utf8'));
        const redacted = await collect(dumpWalTextParallel(state, { redact: true }, [], { workerScript, workers: 2, batchBytes: 4096 }));
        assert.equal(redacted, readFileSync(join(dir, 'expected/swarm/dump-wal-redact.txt'), 'utf8'));
      } finally {
        state.close();
      }
    });
  }
  it('entries under an earlier key: same text and the same single warning as the serial dump', async () => {
    const dir = corpusCase('locked');
    const key = manifestUnlockKey(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
    const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: key });
    try {
      const serialFaults: Fault[] = [];
      const serial = [...dumpWalText(state, { all: true }, serialFaults)].join('');
      const parallelFaults: Fault[] = [];
      const parallel = await collect(dumpWalTextParallel(state, { all: true }, parallelFaults, { workerScript, workers: 2, batchBytes: 2048 }));
      assert.equal(parallel, serial);
      assert.deepEqual(parallelFaults, serialFaults);
      assert.equal(serialFaults.length, 1);
    } finally {
      state.close();
    }
  });
  it('the worker bundle exists (built by npm run build)', () => {
    assert.ok(readdirSync(join(repoRoot, 'dist')).includes('textWorker.js'));
  });
});
