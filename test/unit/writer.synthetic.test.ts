// The simulated cluster behind genlog, written with the state writer and read back: every request
// decodes, the snapshot holds the created objects, replay follows the store rules, output is
// deterministic; and the genlog script itself on a small run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dumpObjectText } from '../../src/core/report/dumpObject';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { SwarmStateWriter } from '../../src/core/writer/stateWriter';
import { SyntheticCluster, type ClusterSize } from '../../src/core/writer/syntheticCluster';
import { repoRoot } from '../support/fixtures';
import { cleanupTempDirs, openState, readerText, tempDir } from './writer.support';

after(cleanupTempDirs);

const SMALL: ClusterSize = { nodes: 5, managers: 1, services: 6, replicas: [1, 4], taskCreateBatch: 2, networks: 3, secrets: 4, configs: 3 };

function writeSynthetic(seed: string, updates: number) {
  const w = SwarmStateWriter.create(join(tempDir('synthetic'), 'swarm'), { seed, segmentBytes: 64 * 1024 });
  const cluster = new SyntheticCluster(new SeededRandom(seed), w.identity.clusterId, w.identity.nodeId, w.identity.raftId, 1767225600, SMALL);
  let index = 0n;
  const append = (data: Uint8Array) => w.wal.save({ term: 1n, vote: w.identity.raftId, commit: ++index }, [{ index, term: 1n, data }]);
  for (let request; (request = cluster.at(index + 1n).nextInitialRequest()); ) append(cluster.encodeRequest(request));
  const objects = cluster.objectCount();
  w.writeSnapshot({ index, term: 1n, confStateNodes: [w.identity.raftId], data: cluster.encodeSnapshot([{ raftId: w.identity.raftId, nodeId: w.identity.nodeId, addr: w.identity.addr }]) });
  for (let i = 0; i < updates; i++) append(cluster.at(index + 1n).encodeRequest(cluster.nextRequest()));
  return { result: w.close(), objects, entries: Number(index) };
}

describe('synthetic cluster', () => {
  it('writes a multi-segment log whose every entry decodes, with a snapshot of the created objects', () => {
    const { result, objects, entries } = writeSynthetic('synthetic', 600);
    assert.ok(result.wal.segments.length > 3, `${result.wal.segments.length} segments`);
    const state = openState(result.stateDir);
    try {
      assert.deepEqual(state.faults, []);
      assert.equal(state.wal.effective.length, entries);
      const decoded = state.wal.effective.map((e) => state.decodeEntry(e));
      assert.ok(decoded.every((d) => d.ok && d.kind === 'normal'));
      const sizes = decoded.map((d) => (d.ok ? d.plain.length : 0)).slice(-600);
      assert.ok(Math.min(...sizes) > 300 && Math.max(...sizes) < 8000, `update sizes ${Math.min(...sizes)}..${Math.max(...sizes)}`);
      const text = readerText(state);
      assert.equal(text.faults.length, 0);
      assert.equal((text.snapshot.match(/^(nodes|services|networks|tasks|clusters|secrets|configs): <$/gm) ?? []).length, objects);
      // Replaying snapshot + WAL through the store rules works (updates and removes refer to live objects).
      const services = dumpObjectText(state, { type: 'service' });
      assert.equal((services.match(/^id: /gm) ?? []).length, SMALL.services);
      assert.match(services, /previous_spec: </);
      assert.match(dumpObjectText(state, { type: 'task' }), /state: (RUNNING|PENDING|ASSIGNED|STARTING)/);
      // Objects carry the raft index of the entry that last changed them, as SwarmKit stamps meta.version.
      const first = state.decodeEntry(state.wal.effective[0]);
      assert.ok(first.ok && first.kind === 'normal');
      assert.match(JSON.stringify(first.request), /"version":\{"index":"1"\}/);
    } finally {
      state.close();
    }
  });

  it('is deterministic: the same seed writes the same bytes', () => {
    const read = (r: ReturnType<typeof writeSynthetic>['result']) => r.wal.segments.map((s) => readFileSync(s.path).subarray(0, s.end).toString('base64')).join();
    assert.equal(read(writeSynthetic('same', 50).result), read(writeSynthetic('same', 50).result));
  });
});

describe('genlog script', () => {
  it('writes a complete, readable state dir and a manifest into an empty output dir, and refuses a non-empty one', () => {
    const out = join(tempDir('genlog'), 'out');
    const args = ['--import', 'tsx', join(repoRoot, 'scripts', 'genlog.ts'), '--out', out, '--only', 'tiny', '--tiny-entries', '500', '--lock', '--no-preallocate'];
    const stdout = execFileSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
    assert.match(stdout, /tiny: .* in [\d.]+ s/);
    const manifest = JSON.parse(readFileSync(join(out, 'genlog.json'), 'utf8'));
    const tiny = manifest.states[0];
    assert.equal(tiny.entries, 501, '500 tiny entries after the bootstrap conf change');
    const state = openState(join(out, 'tiny'), { unlockKey: tiny.unlockKey });
    try {
      assert.deepEqual(state.keyRing.status, { state: 'open', locked: true });
      assert.deepEqual(state.faults, []);
      const first = state.decodeEntry(state.wal.effective[0]);
      assert.ok(first.ok && first.kind === 'confChange' && first.confChange.member?.nodeId === tiny.nodeId);
      assert.ok(state.wal.effective.slice(1).every((e) => { const d = state.decodeEntry(e); return d.ok && d.plain.length < 100; }));
    } finally {
      state.close();
    }
    assert.throws(() => execFileSync(process.execPath, args, { cwd: repoRoot, stdio: 'pipe' }), /not empty/);
  });
});
