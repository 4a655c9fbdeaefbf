// SwarmKit's store rules as the replay applies them: generic create/update/remove, name checks and
// name lookups (case-insensitive; nodes by hostname, tasks by derived name), resources and
// extensions, atomic entries, snapshot restore, listing order, and dump-object's selection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectObjects } from '../../src/core/report/dumpObject';
import { MemoryStore } from '../../src/core/store/memoryStore';
import { goTaskName } from '../../src/core/store/objectKeys';
import { applyStoreActions, restoreStoreSnapshot } from '../../src/core/store/rules';
import { StoreError } from '../../src/core/store/storeErrors';
import { goToLower } from '../../src/core/store/goText';
import { action, CREATE, ids, named, obj, REMOVE, storeSnapshot, UPDATE } from './store.support';

/** Applies one entry's actions; returns the store error message, or undefined. */
function apply(store: MemoryStore, ...actions: ReturnType<typeof action>[]): string | undefined {
  try {
    applyStoreActions(store, actions);
    return undefined;
  } catch (e) {
    assert.ok(e instanceof StoreError, String(e));
    return e.message;
  }
}

describe('store: generic create/update/remove', () => {
  it('refuses a taken id, and an update or remove of an id that does not exist', () => {
    const s = new MemoryStore();
    assert.equal(apply(s, action('task', CREATE, obj('task', { id: 't1' }))), undefined);
    assert.equal(apply(s, action('task', CREATE, obj('task', { id: 't1' }))), 'object already exists');
    assert.equal(apply(s, action('task', UPDATE, obj('task', { id: 't2' }))), 'object does not exist');
    assert.equal(apply(s, action('task', REMOVE, obj('task', { id: 't2' }))), 'object does not exist');
    assert.equal(apply(s, action('node', REMOVE, obj('node', { id: 't1' }))), 'object does not exist', 'tables are per kind');
    assert.equal(apply(s, action('task', REMOVE, obj('task', { id: 't1' }))), undefined);
    assert.equal(s.count('task'), 0);
  });

  it('an update replaces the object; a remove goes by the id of the object it carries', () => {
    const s = new MemoryStore();
    apply(s, action('secret', CREATE, named('secret', 's1', 'a')));
    apply(s, action('secret', UPDATE, named('secret', 's1', 'a', { internal: true })));
    assert.equal((s.get('secret', 's1') as unknown as { internal: boolean }).internal, true);
    assert.equal(apply(s, action('secret', REMOVE, named('secret', 's1', 'some other name'))), undefined);
    assert.equal(s.get('secret', 's1'), undefined);
  });

  it('applies an entry all or nothing', () => {
    const s = new MemoryStore();
    apply(s, action('secret', CREATE, named('secret', 'keep', 'keep')));
    const err = apply(s,
      action('secret', CREATE, named('secret', 'new', 'new')),
      action('secret', UPDATE, named('secret', 'keep', 'renamed')),
      action('secret', REMOVE, named('secret', 'keep', 'keep')),
      action('secret', UPDATE, named('secret', 'missing', 'x')));
    assert.equal(err, 'object does not exist');
    assert.deepEqual(ids(s.list('secret')), ['keep']);
    assert.deepEqual(ids(s.findByName('secret', 'keep')), ['keep'], 'indexes are rolled back too');
    assert.deepEqual(s.findByName('secret', 'renamed'), []);
    assert.deepEqual(s.findByName('secret', 'new'), []);
  });

  it('fails on an action without a target or with an unknown verb', () => {
    const s = new MemoryStore();
    assert.equal(apply(s, action('secret', 0, named('secret', 's', 's'))), 'unrecognized action type');
    assert.equal(apply(s, action('secret', 7, named('secret', 's', 's'))), 'unrecognized action type');
    const empty = action('secret', CREATE, named('secret', 's', 's'));
    (empty as unknown as Record<string, unknown>).secret = null;
    assert.equal(apply(s, empty), 'unrecognized action type');
  });

  it('lists objects by id, bytewise (upper case before lower case, prefixes first)', () => {
    const s = new MemoryStore();
    for (const id of ['b', 'ab', 'B', 'a', 'a0', 'é']) apply(s, action('node', CREATE, obj('node', { id })));
    assert.deepEqual(ids(s.list('node')), ['B', 'a', 'a0', 'ab', 'b', 'é']);
  });
});

describe('store: names', () => {
  for (const kind of ['service', 'network', 'cluster', 'secret', 'config', 'volume'] as const) {
    it(`${kind}: a name (case-insensitive) is taken until its holder lets it go`, () => {
      const s = new MemoryStore();
      assert.equal(apply(s, action(kind, CREATE, named(kind, 'x1', 'Web'))), undefined);
      assert.equal(apply(s, action(kind, CREATE, named(kind, 'x2', 'wEB'))), 'name conflicts with an existing object');
      assert.equal(apply(s, action(kind, CREATE, named(kind, 'x2', 'other'))), undefined);
      assert.equal(apply(s, action(kind, UPDATE, named(kind, 'x2', 'WEB'))), 'name conflicts with an existing object');
      assert.equal(apply(s, action(kind, UPDATE, named(kind, 'x1', 'WEB'))), undefined, 'an object may keep (and re-case) its own name');
      assert.equal(apply(s, action(kind, UPDATE, named(kind, 'x1', 'renamed'))), undefined);
      assert.equal(apply(s, action(kind, UPDATE, named(kind, 'x2', 'web'))), undefined, 'the old name is free again');
      assert.deepEqual(ids(s.findByName(kind, 'Web')), ['x2']);
      assert.deepEqual(ids(s.findByName(kind, 'RENAMED')), ['x1']);
    });
  }

  it('finds by the whole name only, not a prefix', () => {
    const s = new MemoryStore();
    apply(s, action('secret', CREATE, named('secret', 's1', 'db_password')));
    assert.deepEqual(s.findByName('secret', 'db_'), []);
    assert.deepEqual(s.findByName('secret', 'db_password2'), []);
    assert.deepEqual(ids(s.findByName('secret', 'DB_PASSWORD')), ['s1']);
  });

  it('lower-cases as Go does (per code point, simple mapping)', () => {
    assert.equal(goToLower('ABC-xyz_09'), 'abc-xyz_09');
    assert.equal(goToLower('ÉTÉ'), 'été');
    assert.equal(goToLower('\u0130'), 'i', 'Go maps U+0130 to i, JavaScript to i + combining dot');
    assert.equal(goToLower('ΟΔΟΣ'), 'οδοσ', 'no final sigma in Go');
    const s = new MemoryStore();
    apply(s, action('config', CREATE, named('config', 'c1', 'ΟΔΟΣ')));
    assert.deepEqual(ids(s.findByName('config', 'οδοσ')), ['c1']);
    assert.deepEqual(s.findByName('config', 'οδος'), []);
    assert.equal(apply(s, action('config', CREATE, named('config', 'c2', 'Οδοσ'))), 'name conflicts with an existing object');
  });

  it('nodes: found by hostname (case-insensitive), several may share it, none without a description', () => {
    const s = new MemoryStore();
    apply(s,
      action('node', CREATE, obj('node', { id: 'n2', description: { hostname: 'Worker' } })),
      action('node', CREATE, obj('node', { id: 'n1', description: { hostname: 'worker' } })),
      action('node', CREATE, obj('node', { id: 'n3', spec: { annotations: { name: 'worker' } } })),
      action('node', CREATE, obj('node', { id: 'n4', description: { hostname: 'worker2' } })));
    assert.deepEqual(ids(s.findByName('node', 'WORKER')), ['n1', 'n2'], 'in index order: name, then id');
    assert.deepEqual(s.findByName('node', 'n3'), []);
    apply(s, action('node', UPDATE, obj('node', { id: 'n1', description: { hostname: 'renamed' } })));
    assert.deepEqual(ids(s.findByName('node', 'worker')), ['n2']);
    assert.deepEqual(ids(s.findByName('node', 'Renamed')), ['n1']);
    apply(s, action('node', UPDATE, obj('node', { id: 'n1' })));
    assert.deepEqual(s.findByName('node', 'renamed'), [], 'losing the description drops the node from the name index');
  });

  it('tasks: named <service>.<slot>.<id>, or <service>.<node id>.<id> without a slot, unless annotated', () => {
    const slotted = obj('task', { id: 'tid1', slot: 3, node_id: 'nodeA', service_annotations: { name: 'Web' } });
    const global = obj('task', { id: 'tid2', node_id: 'nodeA', service_annotations: { name: 'web' } });
    const annotated = obj('task', { id: 'tid3', slot: 1, annotations: { name: 'Custom' }, service_annotations: { name: 'web' } });
    const huge = obj('task', { id: 't4', slot: '18446744073709551615', service_annotations: { name: 's' } });
    assert.equal(goTaskName(slotted as never), 'Web.3.tid1');
    assert.equal(goTaskName(global as never), 'web.nodeA.tid2');
    assert.equal(goTaskName(annotated as never), 'Custom');
    assert.equal(goTaskName(huge as never), 's.18446744073709551615.t4');
    const s = new MemoryStore();
    apply(s, ...[slotted, global, annotated].map((t) => action('task', CREATE, t)));
    assert.deepEqual(ids(s.findByName('task', 'web.3.TID1')), ['tid1']);
    assert.deepEqual(ids(s.findByName('task', 'WEB.nodea.tid2')), ['tid2']);
    assert.deepEqual(ids(s.findByName('task', 'custom')), ['tid3']);
    assert.deepEqual(s.findByName('task', 'web.1.tid3'), [], 'an annotated task is only known by its annotation');
    assert.equal(apply(s, action('task', CREATE, obj('task', { id: 'tid5', annotations: { name: 'custom' } }))), undefined, 'task names may repeat');
  });
});

describe('store: resources and extensions', () => {
  const ext = (id: string, name: string) => named('extension', id, name);
  const res = (id: string, name: string, kind: string) => named('resource', id, name, { kind });

  it('a resource needs an extension of its kind (case-insensitive)', () => {
    const s = new MemoryStore();
    assert.equal(apply(s, action('resource', CREATE, res('r1', 'a', 'MyExt'))), 'object kind MyExt is unregistered');
    apply(s, action('extension', CREATE, ext('e1', 'myext')));
    assert.equal(apply(s, action('resource', CREATE, res('r1', 'a', 'MyExt'))), undefined);
    assert.equal(apply(s, action('resource', UPDATE, res('r1', 'a', 'other'))), 'object kind other is unregistered');
  });

  it('resource names are not checked (20.10); the latest holder takes the name index', () => {
    const s = new MemoryStore();
    apply(s, action('extension', CREATE, ext('e1', 'k')));
    assert.equal(apply(s, action('resource', CREATE, res('r1', 'same', 'k'))), undefined);
    assert.equal(apply(s, action('resource', CREATE, res('r2', 'SAME', 'k'))), undefined);
    assert.deepEqual(ids(s.findByName('resource', 'same')), ['r2']);
    // go-memdb deletes a removed object's keys whoever holds them now: r1 loses its name too.
    apply(s, action('resource', REMOVE, res('r2', 'same', 'k')));
    assert.deepEqual(s.findByName('resource', 'same'), []);
    assert.deepEqual(ids(s.list('resource')), ['r1']);
  });

  it('extensions: unique names that are not built-in tables, immutable, not removable while in use', () => {
    const s = new MemoryStore();
    assert.equal(apply(s, action('extension', CREATE, ext('e1', 'task'))), 'name conflicts with an existing object');
    assert.equal(apply(s, action('extension', CREATE, ext('e1', 'Task'))), undefined, 'the table check is case-sensitive');
    assert.equal(apply(s, action('extension', CREATE, ext('e2', 'TASK'))), 'name conflicts with an existing object');
    assert.equal(apply(s, action('extension', UPDATE, ext('e1', 'Task'))), 'extensions are immutable');
    apply(s, action('resource', CREATE, res('r1', 'x', 'Task')));
    assert.equal(apply(s, action('extension', REMOVE, ext('e1', 'Task'))), 'cannot delete extension because objects of this type exist in the data store');
    assert.equal(apply(s, action('extension', REMOVE, ext('e9', 'Task'))), 'object does not exist');
    apply(s, action('resource', REMOVE, res('r1', 'x', 'Task')));
    assert.equal(apply(s, action('extension', REMOVE, ext('e1', 'whatever'))), undefined);
  });

  it('the in-use check matches the resource kind exactly (it is not lower-cased)', () => {
    const s = new MemoryStore();
    apply(s, action('extension', CREATE, ext('e1', 'Kind')), action('resource', CREATE, res('r1', 'x', 'kind')));
    assert.equal(apply(s, action('extension', REMOVE, ext('e1', 'Kind'))), undefined);
    assert.deepEqual(ids(s.findResourcesByKind('kind')), ['r1']);
  });
});

describe('store: restoring a snapshot', () => {
  it('takes objects as they are: no name checks, a repeated id replaces the earlier one', () => {
    const s = new MemoryStore();
    restoreStoreSnapshot(s, storeSnapshot({
      secrets: [named('secret', 's1', 'dup'), named('secret', 's2', 'DUP'), named('secret', 's1', 'dup', { internal: true })],
      resources: [named('resource', 'r1', 'x', { kind: 'no-such-extension' })],
    }));
    assert.deepEqual(ids(s.list('secret')), ['s1', 's2']);
    assert.equal((s.get('secret', 's1') as unknown as { internal: boolean }).internal, true);
    assert.deepEqual(ids(s.findByName('secret', 'dup')), ['s1'], 's1 was inserted last');
    assert.deepEqual(ids(s.list('resource')), ['r1']);
  });

  it('replaces what the store held', () => {
    const s = new MemoryStore();
    apply(s, action('secret', CREATE, named('secret', 'old', 'old')), action('secret', CREATE, named('secret', 'kept', 'kept')));
    restoreStoreSnapshot(s, storeSnapshot({ secrets: [named('secret', 'kept', 'kept2')] }));
    assert.deepEqual(ids(s.list('secret')), ['kept']);
    assert.deepEqual(s.findByName('secret', 'kept'), []);
    assert.deepEqual(ids(s.findByName('secret', 'kept2')), ['kept']);
  });
});

describe('dump-object selection', () => {
  const s = new MemoryStore();
  apply(s, action('secret', CREATE, named('secret', 's2', 'two')), action('secret', CREATE, named('secret', 's1', 'One')));

  it('no flags: everything, by id; --name: case-insensitive; --id: exact', () => {
    assert.deepEqual(ids(selectObjects(s, { type: 'secret' })), ['s1', 's2']);
    assert.deepEqual(ids(selectObjects(s, { type: 'secret', name: 'ONE' })), ['s1']);
    assert.deepEqual(ids(selectObjects(s, { type: 'secret', id: 's2' })), ['s2']);
    assert.throws(() => selectObjects(s, { type: 'secret', id: 'S2' }), { message: 'no matching objects found' });
  });

  it('--id and --name: the id match first, then the name matches, even the same object twice', () => {
    assert.deepEqual(ids(selectObjects(s, { type: 'secret', id: 's2', name: 'one' })), ['s2', 's1']);
    assert.deepEqual(ids(selectObjects(s, { type: 'secret', id: 's1', name: 'one' })), ['s1', 's1']);
    assert.deepEqual(ids(selectObjects(s, { type: 'secret', id: 'nope', name: 'two' })), ['s2']);
  });

  it('fails with the reference messages', () => {
    assert.throws(() => selectObjects(s, { type: 'secret', name: 'three' }), { name: 'RaftReadError', message: 'no matching objects found' });
    assert.throws(() => selectObjects(s, { type: 'config' }), { message: 'no matching objects found' });
    assert.throws(() => selectObjects(s, { type: 'secrets' }), { message: 'unrecognized object type secrets' });
    assert.throws(() => selectObjects(s, { type: 'volume' }), { message: 'no matching objects found' }, 'volume is a known type');
  });
});
