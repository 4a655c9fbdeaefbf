// The store keeps replayed objects as their wire bytes (src/core/store/objectBytes.ts). Held to the plain
// path: on every corpus case, each action's and each snapshot object's bytes decode to the object the
// whole request or snapshot decodes to, and a replay that keeps bytes rebuilds the same state, at every
// index and with kinds left out, as one that keeps the decoded objects. Wire this reader does not follow
// is left to the decoded messages.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Writer, type Message, type Type } from 'protobufjs';
import { OBJECT_KINDS, STORE_SNAPSHOT_FIELDS, type ObjectKind } from '../../src/core/model/objects';
import { ProtoTypes, STORE_OBJECT_TYPES } from '../../src/core/proto/schema';
import { SwarmState } from '../../src/core/state/swarmState';
import { replayStore, type ReplayedStore } from '../../src/core/store';
import { actionObjectBytes, snapshotObjectBytes } from '../../src/core/store/objectBytes';
import { actionTarget } from '../../src/core/store/rules';
import { EntryType } from '../../src/core/wal/segment';
import { formatMessage } from '../../src/core/text/protoText';
import { corpusCase, corpusCases } from '../support/fixtures';
import { named } from './store.support';

const typeOf = (kind: ObjectKind): Type => STORE_OBJECT_TYPES.find((t) => t.kind === kind)!.type;

const states = corpusCases().flatMap((name) => {
  const dir = corpusCase(name);
  if (!existsSync(join(dir, 'swarm'))) return [];
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return [{ name, state: SwarmState.open(join(dir, 'swarm'), { unlockKey: manifest.unlock_key ?? manifest.unlock_keys?.current ?? undefined }) }];
});
after(() => states.forEach(({ state }) => state.close()));

/** Every object of every kind printed, with when it last changed: two stores are equal when this is. */
function fingerprint(store: ReplayedStore): string {
  return OBJECT_KINDS.map((k) => `${k}:\n` + store.list(k).map((o) => `${store.lastChangedAt(k, (o as unknown as { id: string }).id)} ${formatMessage(o)}`).join('\n')).join('\n');
}

/** A length-delimited field. */
function field(w: Writer, id: number, bytes: Uint8Array): Writer {
  return w.uint32((id << 3) | 2).bytes(bytes);
}

describe('object bytes on the corpus', () => {
  it('each action of every entry: one object on the wire, of the kind the action targets, decoding to its object', () => {
    let actions = 0;
    for (const { name, state } of states) {
      for (const entry of state.wal.effective) {
        if (entry.type !== EntryType.Normal) continue;
        const decoded = state.decodeEntry(entry);
        if (!decoded.ok || decoded.kind !== 'normal') continue;
        const list = ((decoded.request as unknown as { action?: Message[] }).action ?? []) as Message[];
        const found = actionObjectBytes(decoded.plain);
        assert.ok(found, `${name} #${entry.index}`);
        assert.equal(found.length, list.length, `${name} #${entry.index}`);
        list.forEach((action, i) => {
          const kind = actionTarget(action)!;
          assert.equal(found[i]?.kind, kind, `${name} #${entry.index} action ${i}`);
          const object = (action as unknown as Record<string, Message>)[kind];
          assert.equal(formatMessage(typeOf(kind).decode(found[i]!.bytes)), formatMessage(object), `${name} #${entry.index} action ${i}`);
          actions++;
        });
      }
    }
    assert.ok(actions > 100, `${actions} actions checked`);
  });

  it('each object of every snapshot, in the decoded lists\' order', () => {
    let objects = 0;
    for (const { name, state } of states) {
      for (const file of state.snapshotFiles) {
        const decoded = state.decodeSnapshot(file);
        if (!decoded.ok) continue;
        const store = (decoded.snapshot as unknown as { store?: Record<string, Message[]> }).store ?? {};
        const found = snapshotObjectBytes(decoded.plain);
        assert.ok(found, `${name} ${file.name}`);
        for (const kind of OBJECT_KINDS) {
          const list = store[STORE_SNAPSHOT_FIELDS[kind]] ?? [];
          assert.equal(found[kind]?.length ?? 0, list.length, `${name} ${file.name} ${kind}`);
          list.forEach((o, i) => assert.equal(formatMessage(typeOf(kind).decode(found[kind]![i])), formatMessage(o)));
          objects += list.length;
        }
      }
    }
    assert.ok(objects > 50, `${objects} snapshot objects checked`);
  });
});

describe('object bytes: wire the decoded message must decide', () => {
  const node = (id: string, name: string): Uint8Array => typeOf('node').encode(named('node', id, name)).finish();
  const request = (action: Uint8Array): Uint8Array => field(Writer.create(), ProtoTypes.InternalRaftRequest.fields.action.id, action).finish();

  it('an object on the wire twice: none (protobufjs merges the two into the object the store keeps)', () => {
    const action = field(field(Writer.create().uint32(8).uint32(1), 2, node('n1', 'first')), 2, node('n1', 'second')).finish();
    assert.deepEqual(actionObjectBytes(request(action)), [undefined]);
    const merged = ProtoTypes.StoreAction.decode(action) as unknown as { node: { description: { hostname: string } } };
    assert.equal(merged.node.description.hostname, 'second');
  });

  it('two different objects in one action: none', () => {
    const task = typeOf('task').encode(named('task', 't1', 'x')).finish();
    const action = field(field(Writer.create().uint32(8).uint32(1), 2, node('n1', 'a')), 4, task).finish();
    assert.deepEqual(actionObjectBytes(request(action)), [undefined]);
  });

  it('one plain action: its object; an unknown field beside it is skipped', () => {
    const object = node('n1', 'a');
    const action = field(Writer.create().uint32(8).uint32(2).uint32((15 << 3) | 5).fixed32(7), 2, object).finish();
    const found = actionObjectBytes(request(action));
    assert.equal(found?.length, 1);
    assert.equal(found[0]?.kind, 'node');
    assert.deepEqual([...found[0]!.bytes], [...object]);
  });

  it('a group, a cut-off length or a varint too long: the whole request is left to the decoded messages', () => {
    const object = node('n1', 'a');
    const good = request(field(Writer.create().uint32(8).uint32(1), 2, object).finish());
    assert.equal(actionObjectBytes(Uint8Array.of(...good, (9 << 3) | 3))?.length, undefined);
    assert.equal(actionObjectBytes(good.subarray(0, good.length - 1)), undefined);
    assert.equal(actionObjectBytes(Uint8Array.of((9 << 3) | 0, ...new Array(10).fill(0xff), 1)), undefined);
  });

  it('a snapshot whose store is on the wire twice: both lists, appended, as protobufjs merges them', () => {
    const storeA = field(Writer.create(), ProtoTypes.StoreSnapshot.fields.nodes.id, node('a', 'a')).finish();
    const storeB = field(Writer.create(), ProtoTypes.StoreSnapshot.fields.nodes.id, node('b', 'b')).finish();
    const storeId = ProtoTypes.Snapshot.fields.store.id;
    const snapshot = field(field(Writer.create(), storeId, storeA), storeId, storeB).finish();
    const decoded = ProtoTypes.Snapshot.decode(snapshot) as unknown as { store: { nodes: { id: string }[] } };
    assert.deepEqual(decoded.store.nodes.map((n) => n.id), ['a', 'b']);
    const found = snapshotObjectBytes(snapshot);
    assert.deepEqual(found?.node?.map((b) => (typeOf('node').decode(b) as unknown as { id: string }).id), ['a', 'b']);
  });
});

describe('a replay keeping bytes rebuilds the state a replay keeping decoded objects does', () => {
  it('at the end of every corpus log, from every starting point', () => {
    for (const { name, state } of states) {
      const starts: (string | false | undefined)[] = [undefined, ...state.snapshotFiles.filter((f) => f.snapshot).map((f) => f.name)];
      if (state.wal.effective[0]?.index === 1n) starts.push(false);
      for (const snapshot of starts) {
        const plain = fingerprint(replayStore(state, { lenient: true, snapshot, decodedObjects: true }));
        assert.equal(fingerprint(replayStore(state, { lenient: true, snapshot })), plain, `${name} from ${snapshot}`);
      }
    }
  });

  it('at every index of the objects case, and without tasks', () => {
    const { state } = states.find((s) => s.name === 'objects')!;
    const log = state.wal.effective;
    for (const entry of log) {
      const at = entry.index;
      const plain = fingerprint(replayStore(state, { lenient: true, at, decodedObjects: true }));
      assert.equal(fingerprint(replayStore(state, { lenient: true, at })), plain, `at ${at}`);
    }
    const without = ['task'] as const;
    assert.equal(fingerprint(replayStore(state, { lenient: true, without })), fingerprint(replayStore(state, { lenient: true, without, decodedObjects: true })));
  });

  it('an object read twice is the same object (decoded once)', () => {
    const { state } = states.find((s) => s.name === 'objects')!;
    const store = replayStore(state, { lenient: true });
    const services = store.list('service');
    assert.ok(services.length > 0);
    const id = (services[0] as unknown as { id: string }).id;
    assert.equal(store.get('service', id), services[0]);
    assert.equal(store.list('service')[0], services[0]);
  });
});
