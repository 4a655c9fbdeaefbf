// Two managers: the generated two-managers case (m2 lags m1 by its uncommitted entry 77), and copies of
// m2 rewritten with the writer into what a real incident leaves behind: a new leader's entry in a later
// term (diverged tail), committed entries that disagree, a changed payload, a compacted log. Also two
// captures of one manager, different swarms, and `swarm-raft compare`.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Messages } from '../../src/core/codec';
import { RaftReadError } from '../../src/core/errors';
import { compareManagers, type ComparisonReport } from '../../src/core/forensics';
import { decodeRaftMember, SwarmState } from '../../src/core/state/swarmState';
import { secretboxSealer, SeededRandom, WalWriter, type EntryInput, type HardStateFields } from '../../src/core/writer';
import { manifestUnlockKey, runCli } from '../support/cli';
import { corpusCase, generatedCase } from '../support/fixtures';

const dir = generatedCase('two-managers');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
  instances: { name: string; node_id: string; cluster_id: string }[];
  key_history: { instance: string; headers: Record<string, string> }[];
};
const m1Dir = join(dir, 'm1', 'swarm');
const m2Dir = join(dir, 'm2', 'swarm');
const [i1, i2] = manifest.instances;
const m1 = SwarmState.open(m1Dir);
const m2 = SwarmState.open(m2Dir);
const scratch = mkdtempSync(join(tmpdir(), 'swarm-raft-compare-'));
const opened: SwarmState[] = [m1, m2];
after(() => {
  for (const s of opened) s.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** m2's effective log as writer input (decrypted payloads; the writer seals them again with m2's key). */
function m2Entries(): EntryInput[] {
  return m2.wal.effective.map((e) => {
    const d = m2.decodeEntry(e);
    assert.ok(d.ok);
    return { index: e.index, term: e.term, type: e.type, data: d.plain.length ? d.plain : undefined };
  });
}

/** A state dir holding m2's certificates and a WAL of `entries`, sealed with m2's own data key. */
function m2Variant(name: string, entries: EntryInput[], hardState: HardStateFields, resume?: { sequence: bigint; firstIndex: bigint }): SwarmState {
  const out = join(scratch, name);
  cpSync(join(m2Dir, 'certificates'), join(out, 'certificates'), { recursive: true });
  mkdirSync(join(out, 'raft', 'snap-v3-encrypted'), { recursive: true });
  const writer = WalWriter.create(join(out, 'raft', 'wal-v3-encrypted'), {
    metadata: m2.wal.metadata!, sealer: secretboxSealer(m2.keyRing.keys[0].key, new SeededRandom(name)), preallocate: false,
    ...(resume ? { resume: { ...resume, crc: 0 } } : {}),
  });
  writer.save(hardState, entries);
  writer.close();
  const state = SwarmState.open(out);
  opened.push(state);
  return state;
}

/** m2's raft id, from its WAL metadata: a new leader votes for itself. */
const m2Raft = (): bigint => decodeRaftMember(m2.wal.metadata!).raftId;
const request = (id: bigint) => Messages.internalRaftRequest.encode(Messages.internalRaftRequest.fromObject({ id: id.toString() })).finish();

describe('compare: the two managers as captured', () => {
  const report = compareManagers(m1, m2);

  it('same cluster, two nodes, each manager with its own data key', () => {
    assert.equal(i1.cluster_id, i2.cluster_id);
    assert.deepEqual([report.a.clusterId, report.b.clusterId, report.sameCluster, report.sameNode], [i1.cluster_id, i2.cluster_id, true, false]);
    assert.deepEqual([report.a.nodeId, report.b.nodeId], [i1.node_id, i2.node_id]);
    const dek = (name: string) => manifest.key_history.filter((k) => k.instance === name && k.headers['raft-dek']).map((k) => k.headers['raft-dek']);
    assert.notDeepEqual(dek('m1'), dek('m2'));
    assert.equal(report.a.keyState, 'open');
  });

  it('m2 lags m1 by entry 77, which m1 has not committed; 1..76 agree, payloads decrypted and equal', () => {
    assert.equal(report.verdict, 'lagging');
    assert.deepEqual([report.a.lastIndex, report.a.commit, report.b.lastIndex, report.b.commit], ['77', '76', '76', '76']);
    assert.deepEqual(report.overlap, { from: '1', to: '76', count: 76 });
    assert.deepEqual(report.agreed, { from: '1', to: '76', count: 76 });
    assert.equal(report.divergence, undefined);
    assert.deepEqual(report.onlyInA, [{ from: '77', to: '77', count: 1, uncommitted: 1 }]);
    assert.deepEqual(report.onlyInB, []);
    assert.deepEqual(report.lagging, { side: 'b', behindBy: 1 });
    assert.equal(report.commitAhead, undefined);
    assert.deepEqual(report.payloads, { compared: 76, equal: 76, different: [], differentCount: 0, unchecked: [] });
    assert.equal(report.summary, "B lags A by 1 entry: they agree on entries 1..76 (76 decrypted payloads equal); A's 77 (1 uncommitted) is not on B. Both have committed up to 76.");
  });

  it('the other way round, A lags', () => {
    const r = compareManagers(m2, m1);
    assert.deepEqual([r.verdict, r.lagging, r.onlyInA, r.onlyInB.length], ['lagging', { side: 'a', behindBy: 1 }, [], 1]);
  });

  it('a manager against itself is identical', () => {
    const r = compareManagers(m1, m1);
    assert.deepEqual([r.verdict, r.sameNode, r.lagging, r.payloads.equal], ['identical', true, undefined, 77]);
  });

  it('without payloads: index and term only', () => {
    const r = compareManagers(m1, m2, { payloads: false });
    assert.deepEqual([r.verdict, r.payloads.compared, r.agreed?.count], ['lagging', 0, 76]);
  });
});

describe('compare: rewritten copies of m2', () => {
  it('a new leader (m2, term 3) wrote its own entry 77: the uncommitted tails diverge', () => {
    const b = m2Variant('new-leader', [...m2Entries(), { index: 77n, term: 3n }], { term: 3n, vote: m2Raft(), commit: 76n });
    const r = compareManagers(m1, b);
    assert.equal(r.verdict, 'diverged');
    assert.deepEqual(r.divergence, {
      index: '77',
      a: { term: '2', committed: false, entries: { from: '77', to: '77', count: 1, uncommitted: 1 } },
      b: { term: '3', committed: false, entries: { from: '77', to: '77', count: 1, uncommitted: 1 } },
    });
    assert.deepEqual(r.agreed, { from: '1', to: '76', count: 76 });
    assert.deepEqual([r.onlyInA, r.onlyInB, r.lagging], [[], [], undefined]);
    assert.equal(r.payloads.equal, 76);
    assert.match(r.summary, /^The logs diverge at index 77 \(term 2 on A, 3 on B\); they agree on entries 1\.\.76 .*the uncommitted side's tail is replaced/);
  });

  it('committed entries that disagree (a term change at 71 on both sides of a commit at 76)', () => {
    const entries = m2Entries().map((e) => (e.index >= 71n ? { ...e, term: 3n } : e));
    const b = m2Variant('committed-split', entries, { term: 3n, vote: m2Raft(), commit: 76n });
    const r = compareManagers(m1, b);
    assert.equal(r.verdict, 'diverged');
    assert.equal(r.divergence!.index, '71');
    assert.deepEqual([r.divergence!.a.committed, r.divergence!.b.committed], [true, true]);
    assert.deepEqual(r.divergence!.a.entries, { from: '71', to: '77', count: 7, uncommitted: 1 });
    assert.deepEqual(r.divergence!.b.entries, { from: '71', to: '76', count: 6 });
    assert.deepEqual(r.agreed, { from: '1', to: '70', count: 70 });
    assert.deepEqual(r.overlap, { from: '1', to: '76', count: 76 });
    assert.match(r.summary, /never happens in a healthy swarm/);
  });

  it('same index and term with another payload: inconsistent, and which index', () => {
    const entries = m2Entries().map((e) => (e.index === 50n ? { ...e, data: request(42n) } : e));
    const b = m2Variant('payload', entries, { term: 2n, vote: 0n, commit: 76n });
    const r = compareManagers(m1, b);
    assert.equal(r.verdict, 'inconsistent');
    assert.deepEqual([r.payloads.compared, r.payloads.equal, r.payloads.different, r.payloads.differentCount], [76, 75, ['50'], 1]);
  });

  it('a compacted log (entries from 30 on): the early entries are only in A, and the logs still align', () => {
    const b = m2Variant('compacted', m2Entries().filter((e) => e.index >= 30n), { term: 2n, vote: 0n, commit: 76n }, { sequence: 1n, firstIndex: 30n });
    assert.equal(b.wal.effective[0].index, 30n);
    const r = compareManagers(m1, b);
    assert.equal(r.verdict, 'lagging');
    assert.deepEqual(r.onlyInA, [{ from: '1', to: '29', count: 29 }, { from: '77', to: '77', count: 1, uncommitted: 1 }]);
    assert.deepEqual(r.agreed, { from: '30', to: '76', count: 47 });
    assert.equal(r.payloads.equal, 47);
    assert.deepEqual(r.lagging, { side: 'b', behindBy: 1 });
  });
});

describe('compare: other pairs', () => {
  it('different swarms are refused unless allowed', () => {
    const other = SwarmState.open(join(corpusCase('objects'), 'swarm'));
    opened.push(other);
    assert.notEqual(other.identity.clusterId, i1.cluster_id);
    assert.throws(() => compareManagers(m1, other), (e: Error) => e instanceof RaftReadError && e.message === `not the same swarm: ${m1Dir} belongs to cluster ${i1.cluster_id}, ${other.layout.stateDir} to cluster ${other.identity.clusterId}`);
    const r = compareManagers(m1, other, { allowDifferentClusters: true });
    assert.equal(r.sameCluster, false);
    assert.ok(r.verdict === 'inconsistent' || r.verdict === 'diverged', r.verdict);
  });

  it('two captures of one autolocked manager (stopped, and live a few seconds earlier)', () => {
    const locked = corpusCase('locked');
    const unlockKey = manifestUnlockKey(JSON.parse(readFileSync(join(locked, 'manifest.json'), 'utf8')))!;
    const stopped = SwarmState.open(join(locked, 'swarm'), { unlockKey });
    const live = SwarmState.open(join(locked, 'swarm-live'), { unlockKey });
    opened.push(stopped, live);
    const r: ComparisonReport = compareManagers(stopped, live);
    assert.equal(r.sameNode, true);
    assert.equal(r.divergence, undefined);
    assert.ok(r.verdict === 'identical' || (r.verdict === 'lagging' && r.lagging?.side === 'b'), `${r.verdict} ${JSON.stringify(r.lagging)}`);
    // Entries up to the autolock snapshot are sealed with the retired key on both sides.
    const snapIndex = stopped.newestSnapshot!.snapshot!.index;
    const covered = stopped.wal.effective.filter((e) => e.index <= snapIndex).length;
    assert.deepEqual(r.payloads.unchecked, [{ reason: 'a: earlier-key, b: earlier-key', count: covered }]);
    assert.deepEqual(r.snapshots.map((s) => [s.side, s.index, s.matches]), [['a', snapIndex.toString(), true], ['b', snapIndex.toString(), true]]);
  });
});

describe('compare: CLI', () => {
  it('text and JSON on the two managers', () => {
    const text = runCli(['-d', m1Dir, 'compare', '--other', m2Dir]);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.startsWith(`A: ${m1Dir} (node ${i1.node_id}, raft id `));
    assert.ok(text.stdout.includes(`\nCluster: same (${i1.cluster_id})\n\nVerdict: lagging\nB lags A by 1 entry: `));
    assert.ok(text.stdout.includes('\nOnly in A: 77 (1 uncommitted)\nOnly in B: none\nLagging: B by 1\n'));
    const json = runCli(['-d', m1Dir, 'compare', '--other', m2Dir, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), compareManagers(m1, m2));
  });

  it('the other unlock key: the same by default, or from --other-unlock-key-file', () => {
    const locked = corpusCase('locked');
    const unlockKey = manifestUnlockKey(JSON.parse(readFileSync(join(locked, 'manifest.json'), 'utf8')))!;
    const keyFile = join(scratch, 'unlock.key');
    writeFileSync(keyFile, unlockKey + '\n');
    const base = ['-d', join(locked, 'swarm'), 'compare', '--other', join(locked, 'swarm-live'), '--format', 'json'];
    const same = runCli(base, { SWARM_UNLOCK_KEY: unlockKey });
    assert.equal(same.code, 0, same.stderr);
    assert.equal((JSON.parse(same.stdout) as ComparisonReport).sameNode, true);
    const explicit = runCli(['--unlock-key-file', keyFile, ...base, '--other-unlock-key-file', keyFile]);
    assert.equal(explicit.stdout, same.stdout);
    const noKey = runCli(base);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /^Error: the swarm is autolocked/);
    const headersOnly = runCli([...base, '--no-payloads']);
    assert.equal(headersOnly.code, 0, headersOnly.stderr);
    assert.equal((JSON.parse(headersOnly.stdout) as ComparisonReport).payloads.compared, 0);
  });

  it('different swarms: exit 1 with one line', () => {
    const r = runCli(['-d', m1Dir, 'compare', '--other', join(corpusCase('objects'), 'swarm')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: not the same swarm: .* belongs to cluster y2tyre4ikmu4c2jqh7dbtfenk, .*\n$/);
    assert.equal(runCli(['-d', m1Dir, 'compare']).code, 2, '--other is required');
  });
});
