// The pure mapping from the core to the protocol models (src/core/view): rows and summaries, overview,
// field trees with hidden secret data, detail text/JSON with placeholders, reveal, links and grouping,
// on real corpus state directories.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Long from 'long';
import type { FieldNode } from '../../src/shared/protocol';
import { SwarmState } from '../../src/core/state/swarmState';
import { FileModel, rowTextMatcher } from '../../src/core/view/fileModel';
import { parseRevealPath } from '../../src/core/view/detail';
import { bytesText, durationText, timestampText, valueAtPath } from '../../src/core/view/fieldTree';
import { hideInJson, hideInMessage, isHiddenPath } from '../../src/core/view/hidden';
import { groupByIndex, groupEntries, groupTermRuns, type GroupItem } from '../../src/core/view/grouping';
import { objectLinks } from '../../src/core/view/links';
import { corpusCase } from '../support/fixtures';

const KEY = (name: string): string => {
  const m = JSON.parse(readFileSync(join(corpusCase(name), 'manifest.json'), 'utf8')) as { unlock_key?: string; unlock_keys?: { current: string } };
  return m.unlock_key ?? m.unlock_keys!.current;
};

function open(name: string, unlock = true): SwarmState {
  return SwarmState.open(join(corpusCase(name), 'swarm'), unlock ? { unlockKey: KEY(name) } : {});
}

function walModel(state: SwarmState, segment = 0): FileModel {
  const seg = state.wal.segments[segment];
  return new FileModel(state, seg.path, 'wal', seg.scan.size);
}

function find(node: FieldNode, ...path: string[]): FieldNode | undefined {
  let cur: FieldNode | undefined = node;
  for (const p of path) cur = cur?.children?.find((c) => c.name === p);
  return cur;
}

function allValues(node: FieldNode): string[] {
  return [...(node.value !== undefined ? [node.value] : []), ...(node.children ?? []).flatMap(allValues)];
}

describe('view: entry rows', () => {
  it('summarizes every kind of entry of synth-nosnap, per segment, with the log flags', () => {
    const state = open('synth-nosnap');
    try {
      const first = walModel(state, 0).rows(0, 100);
      assert.deepEqual(first.map((r) => [r.index, r.term, r.type, r.summary]), [
        ['1', '1', 'EntryConfChange', 'AddNode 1122334455667788 (10.0.0.1:2377)'],
        ['2', '2', 'EntryNormal', 'empty entry (no store actions)'],
        ['3', '2', 'EntryNormal', 'CREATE service webé"q'],
        ['4', '2', 'EntryNormal', 'CREATE task web.1.task1bbbbbbbbbbbbbbbbbbbb (+2 more)'],
        ['5', '2', 'EntryNormal', 'CREATE extension myext'],
        ['6', '2', 'EntryNormal', 'REMOVE secret s'],
      ]);
      assert.equal(first[5].overwritten, true, 'entry 6 of term 2 was replaced by term 3');
      assert.deepEqual(first[3].actions.map((a) => `${a.action} ${a.kind} ${a.name}`), ['CREATE task web.1.task1bbbbbbbbbbbbbbbbbbbb', 'CREATE config Cfg', 'CREATE secret s']);
      const second = walModel(state, 1).rows(0, 100);
      assert.deepEqual(second.map((r) => r.seq), [6, 7, 8, 9, 10], 'seq numbers continue over segments');
      assert.equal(second[0].summary, 'CREATE resource myres');
      assert.equal(second[1].summary, 'RemoveNode abcdef');
      assert.ok(second.every((r) => r.status === 'ok' && r.crcOk));
    } finally {
      state.close();
    }
  });

  it('without the unlock key: headers listed, every payload "locked"', () => {
    const state = open('seed-sample', false);
    try {
      const rows = walModel(state).rows(0, 100);
      assert.equal(rows.length, 15);
      assert.ok(rows.every((r) => r.status === 'locked' && r.actions.length === 0));
      assert.deepEqual(rows.map((r) => r.index), Array.from({ length: 15 }, (_, i) => String(i + 1)));
    } finally {
      state.close();
    }
  });

  it('entries under a retired data key say so; the rest decode', () => {
    const state = open('seed-sample');
    try {
      const model = walModel(state);
      const rows = model.rows(0, 100);
      assert.ok(rows.slice(0, 13).every((r) => r.status === 'earlier-key' && r.summary === 'encrypted with an earlier data key'));
      assert.deepEqual(rows.slice(13).map((r) => r.summary), ['UPDATE node vm', 'UPDATE node vm']);
      assert.match(model.summary(0).message ?? '', /0000000000000000-0000000000000000\.wal:\d+: encrypted with an earlier data key/);
      assert.deepEqual(model.filterRows('update').map((r) => rows[r].index), ['14', '15']);
      assert.deepEqual(model.filterRows('#3').map((r) => rows[r].index), ['3']);
    } finally {
      state.close();
    }
  });

  it('selects rows in slices as filterRows does, and stops when cancelled', async () => {
    const state = open('seed-sample');
    try {
      const model = walModel(state);
      assert.deepEqual(await model.selectRows(rowTextMatcher('update'), undefined, 0), model.filterRows('update'));
      assert.deepEqual(await model.selectRows(rowTextMatcher('  #3 ')), model.filterRows('#3'));
      assert.deepEqual(await model.selectRows(() => true), [...Array(model.rowCount).keys()]);
      assert.equal(await model.selectRows(() => true, () => true), undefined);
    } finally {
      state.close();
    }
  });
});

describe('view: overview', () => {
  it('describes the file, the directory, the key state and the counts', () => {
    const state = open('synth-snap');
    try {
      const model = walModel(state);
      for (let r = 0; r < model.rowCount; r++) model.summary(r);
      const o = model.overview();
      assert.equal(o.fileKind, 'wal');
      assert.equal(o.keyState, 'open');
      assert.equal(o.clusterId, 'szdffmtgpn9ky991h7t0it002');
      assert.deepEqual(o.hardState, { term: '3', vote: '1122334455667788', commit: '10' });
      assert.deepEqual(o.member, { raftId: '1122334455667788', nodeId: 'fixturenode0000000000000', addr: '10.0.0.1:2377' });
      assert.deepEqual(o.segments.map((s) => s.entries), [6, 5]);
      assert.deepEqual(o.snapshots.map((s) => [s.index, s.term, s.valid]), [['4', '2', true]]);
      assert.equal(o.entryCount, 6);
      // Entries, not store actions: the 6 entries are 3 with CREATEs (5 actions), a REMOVE, a conf change and an empty one.
      assert.deepEqual(o.byAction, [{ label: 'CREATE', count: 3 }, { label: 'REMOVE', count: 1 }, { label: 'conf change', count: 1 }, { label: 'empty', count: 1 }]);
      assert.equal(o.counting, undefined);
    } finally {
      state.close();
    }
  });

  it('a snapshot file: its metadata, members and objects by kind', () => {
    const state = open('seed-sample');
    try {
      const f = state.snapshotFiles[0];
      const model = new FileModel(state, f.path, 'snap', f.size);
      const o = model.overview();
      assert.equal(o.fileKind, 'snap');
      assert.deepEqual(o.snapshot?.members, [{ raftId: '23dddccef9e0d451', nodeId: '85rvkxzel0tuff4dz3l6fsv1n', addr: '127.0.0.1:2377' }]);
      assert.equal(o.snapshot?.index, '13');
      assert.deepEqual(o.byKind, [{ label: 'node', count: 1 }, { label: 'network', count: 3 }, { label: 'cluster', count: 1 }, { label: 'secret', count: 1 }]);
      assert.deepEqual(model.rows(0, 10).map((r) => r.summary), ['node vm', 'network host', 'network ingress', 'network bridge', 'cluster default', 'secret passwd']);
    } finally {
      state.close();
    }
  });
});

describe('view: detail and hidden values', () => {
  it('withholds secret data everywhere (tree, text, JSON) until revealed, then reveals it exactly', () => {
    const state = open('seed-sample');
    try {
      const f = state.snapshotFiles[0];
      const model = new FileModel(state, f.path, 'snap', f.size);
      const detail = model.detail(5)!;
      const action = detail.actions[0];
      assert.equal(action.action, 'SNAPSHOT');
      assert.equal(action.name, 'passwd');
      assert.equal(action.createdAt, '2026-11-23T12:14:11.112863755Z');
      assert.equal(action.version, '11');
      const data = find(action.fields, 'spec', 'data')!;
      assert.equal(data.value, undefined);
      assert.equal(data.hidden?.bytes, 9);
      const serialized = JSON.stringify(detail);
      assert.ok(!serialized.includes('A2e5bc21'), 'the secret never travels before it is revealed');
      assert.ok(!serialized.includes(Buffer.from('A2e5bc21\n').toString('base64')), 'not even in base64');
      assert.match(action.text, /data: "<hidden: 9 bytes, use Reveal>"/);
      assert.match(action.json, /"data": "<hidden: 9 bytes, use Reveal>"/);
      assert.deepEqual(model.reveal(5, data.hidden!.revealPath), { text: 'A2e5bc21\n', hex: Buffer.from('A2e5bc21\n').toString('hex'), isText: true, kind: 'secret', id: 'z1ysy4knhkyuuh3qph7zwx8q3', field: 'spec.data' });
      // Seen from the WAL (the snapshot node of its tree), the same object with a negative seq.
      const fromWal = walModel(state).snapshotObjectDetail(f.name, 5)!;
      assert.equal(fromWal.seq, -6);
      assert.equal(walModel(state).reveal(fromWal.seq, find(fromWal.actions[0].fields, 'spec', 'data')!.hidden!.revealPath)?.text, 'A2e5bc21\n');
    } finally {
      state.close();
    }
  });

  it('an entry: header, request id, links task -> service/node/secret/config, hidden secret data in an action', () => {
    const state = open('synth-nosnap');
    try {
      const model = walModel(state);
      for (let r = 0; r < model.rowCount; r++) model.summary(r);
      const task = model.detail(3)!;
      assert.equal(task.index, '4');
      assert.match(task.requestId!, /^\d+$/);
      assert.deepEqual(task.actions.map((a) => a.kind), ['task', 'config', 'secret']);
      const links = task.actions[0].links.map((l) => `${l.kind} ${l.id}`);
      assert.ok(links.includes('service svc1aaaaaaaaaaaaaaaaaaaaa'), links.join());
      assert.ok(links.includes('node fixturenode0000000000000'), links.join());
      assert.equal(task.actions[0].links.find((l) => l.kind === 'service')?.label, 'service webé"q', 'named from the entry that created it');
      const secret = task.actions[2];
      const hidden = find(secret.fields, 'spec', 'data')!.hidden!;
      assert.equal(hidden.revealPath, 'a2:spec.data');
      assert.ok(model.reveal(3, hidden.revealPath)!.hex.length > 0);
      assert.equal(model.reveal(3, 'a9:spec.data'), undefined, 'no such action');
      assert.equal(model.reveal(3, 'a2:spec.nothing')?.text, '', 'an absent field reveals as empty');
      const conf = model.detail(0)!;
      assert.deepEqual(conf.confChange, { type: 'ConfChangeAddNode', nodeId: '1122334455667788', member: { raftId: '1122334455667788', nodeId: 'fixturenode0000000000000', addr: '10.0.0.1:2377' } });
      assert.match(model.detail(5)!.message!, /overwritten/);
      const place = model.findObject('service', 'svc1aaaaaaaaaaaaaaaaaaaaa');
      assert.deepEqual(place, { kind: 'entry', seq: 2, action: 0 });
    } finally {
      state.close();
    }
  });

  it('keeps 64-bit integers exact in the field tree', () => {
    const state = open('synth-nosnap');
    try {
      const model = walModel(state);
      const values = model.detail(3)!.actions.flatMap((a) => allValues(a.fields));
      assert.ok(values.every((v) => !/e\+\d+$/.test(v)), 'no float notation');
    } finally {
      state.close();
    }
  });

  it('reveal paths parse strictly', () => {
    assert.deepEqual(parseRevealPath('a0:spec.data'), { source: 'entry', action: 0, path: ['spec', 'data'] });
    assert.deepEqual(parseRevealPath('o:0000000000000002-000000000000000d.snap:secret:abc:spec.data'), { source: 'snapshot', snapshot: '0000000000000002-000000000000000d.snap', kind: 'secret', id: 'abc', path: ['spec', 'data'] });
    assert.equal(parseRevealPath('spec.data'), undefined);
    assert.equal(parseRevealPath('a0:spec.data;rm -rf'), undefined);
  });
});

describe('view: helpers', () => {
  it('hidden paths: secret/config data and cluster key material only', () => {
    assert.ok(isHiddenPath('secret', ['spec', 'data']));
    assert.ok(isHiddenPath('config', ['spec', 'data']));
    assert.ok(isHiddenPath('cluster', ['unlock_keys', '0', 'key']));
    assert.ok(isHiddenPath('cluster', ['root_ca', 'ca_key']));
    assert.ok(!isHiddenPath('secret', ['spec', 'annotations', 'name']));
    assert.ok(!isHiddenPath('service', ['spec', 'data']));
  });

  it('hiding copies, never mutates the decoded message', () => {
    const msg = { spec: { data: new TextEncoder().encode('topsecret'), annotations: { name: 'n' } } };
    const hidden = hideInMessage('secret', msg);
    assert.equal(new TextDecoder().decode(msg.spec.data), 'topsecret');
    assert.equal(new TextDecoder().decode(hidden.spec.data), '<hidden: 9 bytes, use Reveal>');
    assert.equal(hidden.spec.annotations, msg.spec.annotations);
    const json = hideInJson('cluster', { unlock_keys: [{ key: Buffer.from('abc').toString('base64'), version: 1 }] }) as { unlock_keys: { key: string }[] };
    assert.equal(json.unlock_keys[0].key, '<hidden: 3 bytes, use Reveal>');
  });

  it('formats timestamps, durations and bytes', () => {
    assert.equal(timestampText({ seconds: Long.fromNumber(1795436051, true), nanos: 112863755 }), '2026-11-23T12:14:11.112863755Z');
    assert.equal(timestampText({ seconds: 0 }), '1970-01-01T00:00:00Z');
    assert.equal(durationText({ seconds: 10 }), '10s');
    assert.equal(durationText({ seconds: 1, nanos: 500000000 }), '1.5s');
    assert.equal(bytesText(new TextEncoder().encode('hello\nworld')), 'hello\nworld');
    assert.equal(bytesText(Uint8Array.of(0, 1, 255)), '0x0001ff (3 bytes)');
    assert.equal(valueAtPath({ a: [{ b: 1 }] }, ['a', '0', 'b']), 1);
  });

  it('links: ids referenced anywhere in an object, without the object itself', () => {
    const task = { id: 't1', service_id: 's1', node_id: 'n1', spec: { container: { secrets: [{ secret_id: 'x1' }], configs: [{ config_id: 'c1' }] }, networks: [{ target: 'net1' }] } };
    assert.deepEqual(objectLinks(task, 't1', (kind, id) => (id === 's1' ? 'web' : undefined)).map((l) => l.label), ['service web', 'node n1', 'secret x1', 'config c1', 'network net1']);
  });

  it('groups by term, action, kind and index, in buckets', () => {
    const items: GroupItem[] = [];
    for (let i = 1; i <= 250; i++) {
      items.push({ seq: i - 1, term: i <= 100 ? 1n : 2n, status: i === 5 ? 'earlier-key' : 'ok', actions: i % 2 ? [{ action: 'CREATE', kind: 'task' }] : [{ action: 'UPDATE', kind: 'node' }] });
    }
    const byIndex = (seq: number) => BigInt(seq + 1);
    const term = groupEntries(items, 'term', 100, byIndex);
    assert.deepEqual(term.map((g) => [g.label, g.description, g.seqs.length, g.buckets?.length]), [['Term 1', '#1–#100 · 100 entries', 100, undefined], ['Term 2', '#101–#250 · 150 entries', 150, 2]]);
    assert.deepEqual(term[1].buckets!.map((b) => b.label), ['#101–#200', '#201–#250']);
    const back = groupEntries([1n, 2n, 2n, 1n, 3n].map((t, seq) => ({ seq, term: t })), 'term', 100, byIndex);
    assert.deepEqual(back.map((g) => [g.label, g.seqs]), [['Term 1', [0, 3]], ['Term 2', [1, 2]], ['Term 3', [4]]], 'a term seen again joins its group (crafted logs)');
    const action = groupEntries(items, 'action', 1000, byIndex);
    assert.deepEqual(action.map((g) => [g.label, g.seqs.length]), [['CREATE', 124], ['UPDATE', 125], ['Encrypted with an earlier data key', 1]]);
    const kind = groupEntries(items, 'kind', 1000, byIndex);
    assert.deepEqual(kind.map((g) => g.label), ['node', 'task', 'Encrypted with an earlier data key']);
    const index = groupEntries(items, 'index', 100, byIndex);
    assert.deepEqual(index.map((g) => g.label), ['#1–#100', '#101–#200', '#201–#250']);
    const big = groupEntries(Array.from({ length: 25_000 }, (_, i) => ({ seq: i, term: 1n })), 'index', 100, byIndex);
    assert.ok(big.length <= 100 && big.every((g) => (g.buckets?.length ?? 0) <= 100), 'no level holds more than the bucket size');
    assert.deepEqual(big[0].seqs, Array.from({ length: 10_000 }, (_, i) => i), 'a bucket of buckets holds their seqs, in order');
    assert.deepEqual(big[2].buckets!.at(-1)!.seqs, Array.from({ length: 100 }, (_, i) => 24_900 + i));
  });

  it('groups consecutive seqs by term from their term runs (what the tree does at open) as from an item per entry', () => {
    const byIndex = (seq: number) => BigInt(seq) * 3n + 7n;
    // Terms that go back (crafted logs), a run of one, and runs long enough for buckets of buckets.
    const terms = [...Array<bigint>(4).fill(5n), 6n, ...Array<bigint>(2345).fill(9n), 5n, 5n, ...Array<bigint>(31).fill(1n << 63n), 6n];
    const first = 17;
    const items: GroupItem[] = terms.map((term, i) => ({ seq: first + i, term }));
    const runs = items.filter((item, i) => i === 0 || item.term !== items[i - 1].term).map(({ seq, term }) => ({ seq, term }));
    for (const size of [10, 100, 5000]) {
      assert.deepEqual(groupTermRuns({ runs, end: first + terms.length }, size, byIndex), groupEntries(items, 'term', size, byIndex), `bucket size ${size}`);
      assert.deepEqual(groupByIndex(items.map((item) => item.seq), size, byIndex), groupEntries(items, 'index', size, byIndex), `bucket size ${size}`);
    }
    assert.deepEqual(groupTermRuns({ runs: [], end: 0 }, 100, byIndex), []);
  });

  it('a real segment\'s term runs and seqs group as its items do', () => {
    const state = open('synth-snap');
    try {
      assert.equal(state.wal.segments.length, 2);
      for (let segment = 0; segment < state.wal.segments.length; segment++) {
        const model = walModel(state, segment);
        const file = model.fileName;
        assert.ok(model.rowCount > 0, file);
        assert.deepEqual(groupTermRuns(model.termRuns(), 10, model.indexOfSeq), groupEntries(model.groupItems(), 'term', 10, model.indexOfSeq), file);
        assert.deepEqual(groupByIndex(model.rowSeqs(), 10, model.indexOfSeq), groupEntries(model.groupItems(), 'index', 10, model.indexOfSeq), file);
      }
    } finally {
      state.close();
    }
  });
});
