// Size statistics on real fixtures: counts per kind and action against the manifests' operations, the
// largest entry and object (the 100 KiB secret), task churn per service, growth per term, breakdowns
// that add up, a plain-JSON model, and `swarm-raft stats` in text and JSON.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { computeStats, formatBytes, type SizeRow, type StatsModel } from '../../src/core/forensics';
import { shareOut } from '../../src/core/forensics/stats';
import { actionFieldSizes } from '../../src/core/forensics/wireSizes';
import { Messages } from '../../src/core/codec';
import { OBJECT_KINDS } from '../../src/core/model/objects';
import { SwarmState } from '../../src/core/state/swarmState';
import { replayStore } from '../../src/core/store';
import { manifestUnlockKey, runCli } from '../support/cli';
import { corpusCase, generatedCase } from '../support/fixtures';

interface Manifest {
  values: { kind: string; name: string; id: string; size: number }[];
  operations: { argv: string[]; rc: number }[];
  objects: { m1: { tasks: { ID: string; Name: string }[] } };
  key_history: { file: string; headers: Record<string, string> }[];
  unlock_keys?: { current?: string | null };
}

const row = (rows: SizeRow[], key: string) => rows.find((r) => r.key === key);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const ops = (m: Manifest, ...argv: string[]) => m.operations.filter((o) => o.rc === 0 && argv.every((a, i) => o.argv[i + 1] === a)).length;

/** The breakdowns share out every stored byte of the readable entries, and count every entry once. */
function assertConsistent(m: StatsModel, state: SwarmState): void {
  const t = m.totals;
  assert.equal(t.entries, state.wal.effective.length);
  assert.equal(t.encryptedBytes, sum(state.wal.effective.map((e) => e.dataLength)));
  const storeActions = m.byAction.filter((r) => r.key !== 'conf change' && r.key !== 'empty');
  assert.equal(sum(m.byKind.map((r) => r.encryptedBytes)), sum(storeActions.map((r) => r.encryptedBytes)));
  assert.equal(sum(m.byKind.map((r) => r.encryptedBytes)) + sum(m.byAction.filter((r) => !storeActions.includes(r)).map((r) => r.encryptedBytes)) + sum(m.unreadable.map((r) => r.encryptedBytes)), t.encryptedBytes);
  assert.equal(sum(m.byKind.map((r) => r.actions)), t.actions);
  assert.equal(sum(m.byKindAndAction.map((r) => r.actions)), t.actions);
  assert.ok(sum(m.byKind.map((r) => r.decryptedBytes)) <= t.decryptedBytes);
  assert.equal(sum(m.growthByTerm.map((g) => g.entries)), t.entries);
  assert.equal(sum(m.growthByTerm.map((g) => g.encryptedBytes)), t.encryptedBytes);
  assert.equal(t.normal + t.confChange, t.entries);
  assert.deepEqual(JSON.parse(JSON.stringify(m)), m, 'plain JSON: no bigint, no undefined');
  for (let i = 1; i < m.largestEntries.length; i++) assert.ok(m.largestEntries[i - 1].encryptedBytes >= m.largestEntries[i].encryptedBytes);
}

describe('stats of the objects case', () => {
  const dir = corpusCase('objects');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const state = SwarmState.open(join(dir, 'swarm'));
  after(() => state.close());
  const model = computeStats(state);

  it('adds up', () => assertConsistent(model, state));

  it('counts secret and config creates and removes as the manifest ran them', () => {
    const count = (kind: string, action: string) => model.byKindAndAction.find((r) => r.kind === kind && r.action === action)?.actions ?? 0;
    assert.equal(count('secret', 'CREATE'), manifest.values.filter((v) => v.kind === 'secret').length);
    assert.equal(count('secret', 'CREATE'), ops(manifest, 'secret', 'create'));
    assert.equal(count('secret', 'REMOVE'), ops(manifest, 'secret', 'rm'));
    assert.equal(count('config', 'CREATE'), ops(manifest, 'config', 'create'));
    assert.equal(count('config', 'REMOVE'), ops(manifest, 'config', 'rm'));
    assert.equal(count('service', 'CREATE'), ops(manifest, 'service', 'create'));
    assert.equal(count('service', 'REMOVE'), ops(manifest, 'service', 'rm'));
    assert.equal(count('network', 'REMOVE'), ops(manifest, 'network', 'rm'));
    assert.equal(row(model.byKind, 'secret')!.actions, count('secret', 'CREATE') + count('secret', 'UPDATE') + count('secret', 'REMOVE'));
  });

  it('the largest entry and object are the 100 KiB secret (the largest value of the manifest)', () => {
    const largest = [...manifest.values].sort((a, b) => b.size - a.size)[0];
    assert.equal(largest.name, 'large-100k');
    const entry = model.largestEntries[0];
    assert.equal(entry.summary, `CREATE secret ${largest.name}`);
    assert.ok(entry.decryptedBytes! > largest.size && entry.encryptedBytes > entry.decryptedBytes!);
    const object = model.state!.largestObjects[0];
    assert.deepEqual([object.kind, object.id, object.name], ['secret', largest.id, largest.name]);
    assert.ok(object.bytes > largest.size && object.bytes < entry.decryptedBytes!);
    assert.equal(object.lastChangedAt, entry.index);
    assert.ok(row(model.byKind, 'secret')!.decryptedBytes > sum(manifest.values.filter((v) => v.kind === 'secret').map((v) => v.size)));
  });

  it('the state sizes are those of the replayed store', () => {
    const store = replayStore(state);
    const s = model.state!;
    assert.equal(s.index, state.wal.effective.at(-1)!.index.toString());
    assert.equal(s.skipped, 0);
    for (const kind of OBJECT_KINDS) assert.equal(s.byKind.find((k) => k.kind === kind)?.objects ?? 0, store.count(kind), kind);
    assert.equal(model.files.segments.length, 1);
    assert.equal(model.files.segments[0].entries, state.wal.effective.length);
  });

  it('top limits the lists; --after-snapshot equals all without a snapshot', () => {
    const small = computeStats(state, { top: 3, state: false });
    assert.equal(small.largestEntries.length, 3);
    assert.equal(small.state, undefined);
    assert.deepEqual(small.largestEntries, model.largestEntries.slice(0, 3));
    assert.equal(computeStats(state, { all: false, state: false }).totals.entries, model.totals.entries);
  });
});

describe('stats of two managers (m1): task churn and growth per term', () => {
  const dir = generatedCase('two-managers');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const state = SwarmState.open(join(dir, 'm1', 'swarm'));
  after(() => state.close());
  const model = computeStats(state);

  it('adds up', () => assertConsistent(model, state));

  it('one churn row per service the manifest created, holding the tasks docker listed', () => {
    const created = manifest.operations.filter((o) => o.rc === 0 && o.argv[1] === 'service' && o.argv[2] === 'create');
    const names = created.map((o) => o.argv[o.argv.indexOf('--name') + 1]);
    assert.deepEqual(model.taskChurn.map((c) => c.serviceName).sort(), [...names].sort());
    for (const t of manifest.objects.m1.tasks) {
      const service = t.Name.split('.')[0];
      const churn = model.taskChurn.find((c) => c.serviceName === service)!;
      assert.ok(churn.tasks >= manifest.objects.m1.tasks.filter((x) => x.Name.startsWith(`${service}.`)).length);
    }
    for (const o of created) {
      const name = o.argv[o.argv.indexOf('--name') + 1];
      const flag = o.argv.indexOf('--replicas');
      const replicas = flag < 0 ? 1 : Number(o.argv[flag + 1]);
      const churn = model.taskChurn.find((c) => c.serviceName === name)!;
      assert.ok(churn.created >= replicas, `${name}: ${churn.created} >= ${replicas}`);
      assert.equal(churn.actions, churn.created + churn.updated + churn.removed);
    }
    // short-lived was removed (operation 19): its task went with it.
    const short = model.taskChurn.find((c) => c.serviceName === 'short-lived')!;
    assert.equal(short.removed, short.created);
    assert.equal(sum(model.taskChurn.map((c) => c.actions)), row(model.byKind, 'task')!.actions);
  });

  it('growth per term: the founding conf change in term 1, the rest in term 2; one empty entry (the new leader)', () => {
    assert.deepEqual(model.growthByTerm.map((g) => [g.term, g.firstIndex, g.lastIndex, g.entries]), [['1', '1', '1', 1], ['2', '2', '77', 76]]);
    assert.equal(model.totals.confChange, 2, 'm1 added itself, then m2 (operation 3)');
    assert.equal(model.totals.empty, 1);
    assert.deepEqual(model.state!.byKind.find((k) => k.kind === 'task')!.objects, manifest.objects.m1.tasks.length);
  });

  it('CLI: stats --format json is the model; text has the tables', () => {
    const json = runCli(['-d', join(dir, 'm1', 'swarm'), 'stats', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { ...model, stateDir: join(dir, 'm1', 'swarm') });
    const text = runCli(['-d', join(dir, 'm1', 'swarm'), 'stats', '--top', '2']);
    assert.equal(text.code, 0, text.stderr);
    for (const heading of ['By object kind:', 'By action:', 'Largest entries:', 'Task churn by service:', 'Growth by term:', 'State at index 77:', 'Largest objects:', 'Files:']) {
      assert.ok(text.stdout.includes(`\n${heading}\n`), heading);
    }
    assert.match(text.stdout, /^ {2}spread +\d+ +\d+ +\d+ +\d+ +[\d.]+ (B|KiB)$/m);
    assert.equal(runCli(['-d', join(dir, 'm1', 'swarm'), 'stats', '--top', 'x']).code, 2);
  });
});

describe('stats of an autolocked swarm (entries under the retired data key)', () => {
  const dir = corpusCase('locked');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const unlockKey = manifestUnlockKey(manifest as never)!;
  const older = manifest.key_history.find((k) => k.headers['raft-dek'] && k.headers['kek-version'] === '0')!;

  it('counts the entries up to the snapshot as earlier-key, and reads them with the older key', () => {
    const state = SwarmState.open(join(dir, 'swarm'), { unlockKey });
    const withKey = SwarmState.open(join(dir, 'swarm'), { unlockKey, keyFiles: [join(dir, older.file)] });
    try {
      const snapIndex = state.newestSnapshot!.snapshot!.index;
      const covered = state.wal.effective.filter((e) => e.index <= snapIndex);
      const m = computeStats(state);
      assertConsistent(m, state);
      assert.deepEqual(m.unreadable.map((r) => [r.key, r.entries]), [['earlier-key', covered.length]]);
      assert.equal(m.state!.snapshot, state.newestSnapshot!.name);
      const full = computeStats(withKey);
      assertConsistent(full, withKey);
      assert.deepEqual(full.unreadable, []);
      assert.equal(full.totals.unreadable, 0);
      const secretCreates = full.byKindAndAction.find((r) => r.kind === 'secret' && r.action === 'CREATE')!.actions;
      assert.equal(secretCreates, manifest.values.filter((v) => v.kind === 'secret').length);
    } finally {
      state.close();
      withKey.close();
    }
  });
});

describe('stats helpers', () => {
  it('action sizes from the wire add up to the request without its id', () => {
    const request = Messages.internalRaftRequest.fromObject({ id: '18446744073709551615', action: [{ action: 1, secret: { id: 'a' } }, { action: 2, node: { id: 'bb' } }] });
    const bytes = Messages.internalRaftRequest.encode(request).finish();
    const sizes = actionFieldSizes(bytes)!;
    assert.equal(sizes.length, 2);
    assert.equal(sum(sizes), bytes.length - 11, 'the id field: a tag byte and a 10-byte varint');
    assert.equal(actionFieldSizes(new Uint8Array([0x12, 0x05, 0x00])), undefined, 'a length past the end');
  });

  it('shares out whole bytes that add up', () => {
    assert.deepEqual(shareOut(10, [1, 1, 1]), [3, 3, 4]);
    assert.deepEqual(shareOut(7, [0, 0]), [0, 7]);
    assert.deepEqual(shareOut(5, []), []);
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
  });
});

describe('stats of a log with an overwritten entry (synth-nosnap)', () => {
  it('counts the overwritten entries and their bytes, and the range of the effective log', () => {
    const state = SwarmState.open(join(corpusCase('synth-nosnap'), 'swarm'));
    try {
      const model = computeStats(state);
      const replaced = state.wal.raw.filter((e) => e.overwritten);
      assert.equal(replaced.length, 1);
      assert.equal(model.totals.overwrittenEntries, 1);
      assert.equal(model.totals.overwrittenBytes, replaced[0].dataLength);
      assert.ok(replaced[0].dataLength > 0);
      assert.deepEqual([model.firstIndex, model.lastIndex], ['1', '10']);
    } finally {
      state.close();
    }
  });
});
