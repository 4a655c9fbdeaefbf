// Replay beyond the reference, on the corpus: every starting point (each snapshot, or none) reaches the
// same final state; time travel picks the right snapshot and matches an incremental replay; lenient
// mode skips what cannot be read; --id/--name select from the replayed state; object history agrees
// with the replay.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Message } from 'protobufjs';
import { RaftReadError } from '../../src/core/errors';
import { OBJECT_KINDS } from '../../src/core/model/objects';
import { dumpObjectText } from '../../src/core/report/dumpObject';
import { SwarmState } from '../../src/core/state/swarmState';
import { objectHistory, replayStore, storeActions, StoreReplayError, type ReplayedStore } from '../../src/core/store';
import { formatMessage } from '../../src/core/text/protoText';
import { corpusCase } from '../support/fixtures';

function open(name: string, capture = 'swarm'): SwarmState {
  const dir = corpusCase(name);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return SwarmState.open(join(dir, capture), { unlockKey: manifest.unlock_key ?? manifest.unlock_keys?.current ?? undefined });
}

/** Every object of every kind, printed: two stores are equal when this is. */
function fingerprint(store: ReplayedStore): string {
  return OBJECT_KINDS.map((k) => `${k}:\n` + store.list(k).map((o) => formatMessage(o)).join('\n')).join('\n');
}

const snapshots = open('snapshots');
const objects = open('objects');
const seed = open('seed-sample');
after(() => [snapshots, objects, seed].forEach((s) => s.close()));

describe('store replay: starting points', () => {
  it('the newest snapshot, each older one and none at all lead to the same state', () => {
    assert.equal(snapshots.snapshotFiles.length, 3);
    const reference = fingerprint(replayStore(snapshots));
    for (const file of snapshots.snapshotFiles) {
      const store = replayStore(snapshots, { snapshot: file.name });
      assert.equal(store.base, file);
      assert.equal(fingerprint(store), reference, file.name);
    }
    const fromNothing = replayStore(snapshots, { snapshot: false });
    assert.equal(fromNothing.base, undefined);
    assert.equal(fingerprint(fromNothing), reference);
    assert.equal(fromNothing.appliedIndex, snapshots.wal.effective.at(-1)!.index);
  });

  it('names a snapshot by file name or path, and refuses unknown ones', () => {
    const file = snapshots.snapshotFiles[0];
    assert.equal(replayStore(snapshots, { snapshot: file.path }).base, file);
    assert.throws(() => replayStore(snapshots, { snapshot: 'nope.snap' }), (e: Error) => e instanceof RaftReadError && /no snapshot file named nope\.snap/.test(e.message));
    assert.throws(() => replayStore(snapshots, { snapshot: file.name, at: file.snapshot!.index - 1n }), /after the requested index/);
  });
});

describe('store replay: leaving kinds out', () => {
  it('without tasks: the same other objects from every starting point and at every snapshot index, and no task', () => {
    const others = (store: ReplayedStore): string => OBJECT_KINDS.filter((k) => k !== 'task').map((k) => `${k}:\n` + store.list(k).map((o) => formatMessage(o)).join('\n')).join('\n');
    let tasksLeftOut = 0;
    for (const state of [snapshots, objects, seed]) {
      const points: { at?: bigint; snapshot?: string | false; lenient: true }[] = [{ lenient: true }, { snapshot: false, lenient: true }, ...state.snapshotFiles.flatMap((f) => (f.snapshot ? [{ at: f.snapshot.index, lenient: true as const }, { at: f.snapshot.index + 7n, lenient: true as const }] : []))];
      for (const p of points) {
        const full = replayStore(state, p);
        tasksLeftOut += full.list('task').length;
        const partial = replayStore(state, { ...p, without: ['task'] });
        assert.equal(partial.list('task').length, 0);
        assert.equal(others(partial), others(full), JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
        assert.equal(partial.appliedIndex, full.appliedIndex);
        assert.deepEqual(partial.faults.map((f) => f.message), full.faults.map((f) => f.message));
      }
    }
    assert.ok(tasksLeftOut > 0, 'the fixtures have tasks to leave out');
  });
});

describe('store replay: time travel', () => {
  it('starts from the newest snapshot at or below the index', () => {
    const [s500, s550, s600] = snapshots.snapshotFiles;
    assert.equal(replayStore(snapshots, { at: 499n }).base, undefined);
    assert.equal(replayStore(snapshots, { at: 500n }).base, s500);
    assert.equal(replayStore(snapshots, { at: 599n }).base, s550);
    assert.equal(replayStore(snapshots, { at: 10_000n }).base, s600);
  });

  it('equals an incremental replay at every index, and the end state past the end', () => {
    const incremental = replayStore(objects, { at: 0n });
    assert.equal(incremental.count('node'), 0);
    const last = objects.wal.effective.at(-1)!.index;
    for (let i = 1n; i <= last; i += 7n) {
      incremental.advanceTo(i);
      const fresh = replayStore(objects, { at: i });
      assert.equal(fresh.appliedIndex, i);
      assert.equal(fingerprint(incremental), fingerprint(fresh), `index ${i}`);
    }
    assert.equal(fingerprint(replayStore(objects, { at: last + 100n })), fingerprint(replayStore(objects)));
  });

  it('dump-object --at shows objects before they were removed', () => {
    // Secrets are created early and some are removed later: the count goes up then down.
    const walk = replayStore(objects, { at: 0n });
    const counts = objects.wal.effective.map((e) => walk.advanceTo(e.index).count('secret'));
    const peak = Math.max(...counts);
    assert.ok(peak > counts.at(-1)!, 'some secret was removed');
    const peakAt = objects.wal.effective[counts.indexOf(peak)].index;
    const text = dumpObjectText(objects, { type: 'secret', at: peakAt });
    assert.equal(text.split('\nid: ').length, peak, 'one object per id line');
    assert.throws(() => dumpObjectText(objects, { type: 'secret', at: 1n }), { message: 'no matching objects found' });
  });
});

describe('store replay: unreadable entries', () => {
  // seed-sample: entries 1-13 are sealed with a data key that was rotated away (covered by the snapshot at 13).
  // Entry 1 is a conf change, which the replay does not read: entry 2 is the first that fails.
  it('fails like the reference on an entry it cannot read, naming the entry', () => {
    assert.throws(() => replayStore(seed, { snapshot: false }), (e: Error) => e instanceof StoreReplayError && e.index === 2n && /earlier data key/.test(e.message));
    assert.throws(() => replayStore(seed, { at: 5n }), /earlier data key/);
  });

  it('lenient: records the entries it skipped and goes on', () => {
    const store = replayStore(seed, { snapshot: false, lenient: true });
    assert.ok(store.faults.length >= 12);
    assert.match(store.faults[0].message, /^entry 2: .*earlier data key/);
    assert.equal(store.appliedIndex, seed.wal.effective.at(-1)!.index);
    // With its snapshot the same log replays cleanly.
    assert.deepEqual(replayStore(seed).faults, []);
  });
});

describe('store replay: selection and history on real data', () => {
  const store = replayStore(objects);
  const services = store.list('service');

  it('--name finds each service (any case) and --id each task, as in the full dump', () => {
    assert.ok(services.length > 0);
    for (const service of services) {
      const name = (service as unknown as { spec: { annotations: { name: string } } }).spec.annotations.name;
      assert.equal(dumpObjectText(objects, { type: 'service', name: name.toUpperCase() }), formatMessage(service) + '\n');
    }
    for (const task of store.list('task').slice(0, 5)) {
      const id = (task as unknown as { id: string }).id;
      assert.equal(dumpObjectText(objects, { type: 'task', id }), formatMessage(task) + '\n');
      // --id plus a name that is the task's own: the reference prints it twice.
      const name = store.findByName('task', `${taskServiceName(task)}.${taskSlot(task)}.${id}`);
      assert.deepEqual(name, [task]);
      assert.equal(dumpObjectText(objects, { type: 'task', id, name: `${taskServiceName(task)}.${taskSlot(task)}.${id}` }), (formatMessage(task) + '\n').repeat(2));
    }
    assert.equal(dumpObjectText(objects, { type: 'node', name: 'VM' }), dumpObjectText(objects, { type: 'node' }), 'the node by its hostname');
  });

  it('object history ends with the object as the store holds it', () => {
    for (const kind of ['service', 'secret', 'network', 'task'] as const) {
      for (const object of store.list(kind)) {
        const id = (object as unknown as { id: string }).id;
        const history = objectHistory(objects, id, { kind });
        assert.ok(history.length > 0, `${kind} ${id} has a history`);
        const last = history.at(-1)!;
        assert.notEqual(last.action, 'REMOVE');
        assert.equal(formatMessage(last.object), formatMessage(object));
        assert.equal(store.lastChangedAt(kind, id), last.entry.index);
        assert.deepEqual(history.map((h) => h.entry.index), [...history.map((h) => h.entry.index)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      }
    }
  });

  it('a removed object: created, then removed, present just before and absent from then on', () => {
    const remove = [...storeActions(objects)].find((r) => r.kind === 'secret' && r.action === 'REMOVE');
    assert.ok(remove, 'the objects case removes a secret');
    const history = objectHistory(objects, remove.id);
    assert.equal(history[0].action, 'CREATE');
    assert.equal(history.at(-1), history.find((h) => h.action === 'REMOVE'));
    assert.ok(replayStore(objects, { at: remove.entry.index - 1n }).get('secret', remove.id));
    assert.equal(replayStore(objects, { at: remove.entry.index }).get('secret', remove.id), undefined);
    assert.equal(store.get('secret', remove.id), undefined);
  });
});

const taskServiceName = (t: Message): string => (t as unknown as { service_annotations: { name: string } }).service_annotations.name;
function taskSlot(t: Message): string {
  const task = t as unknown as { slot: { toString(): string } | number; node_id: string };
  const slot = String(task.slot);
  return slot === '0' ? task.node_id : slot;
}
