// State at any index: `dump-object TYPE --at N` and the State tree's API (timeline, objects by kind,
// range) on real fixtures, against their manifests: two managers (objects created and removed through
// either manager) and several snapshots (every starting snapshot gives the same state).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { StateTimeline, stateObjects, stateObjectsSteps, timeTravelRange } from '../../src/core/forensics';
import { OBJECT_KINDS, objectId, objectName } from '../../src/core/model/objects';
import { SwarmState } from '../../src/core/state/swarmState';
import { replayStore, storeActions, type ReplayedStore } from '../../src/core/store';
import { formatMessage } from '../../src/core/text/protoText';
import { runCli } from '../support/cli';
import { corpusCase, generatedCase } from '../support/fixtures';

interface Listed { ID?: string; Id?: string; Name?: string; Spec?: { Name: string }; Description?: { Hostname: string } }
const idOf = (o: Listed) => o.ID ?? o.Id ?? '';
const ids = (list: Listed[]) => list.map(idOf).sort();

function fingerprint(store: ReplayedStore): string {
  return OBJECT_KINDS.map((k) => `${k}:\n` + store.list(k).map((o) => formatMessage(o)).join('\n')).join('\n');
}

function kindIds(store: ReplayedStore, kind: (typeof OBJECT_KINDS)[number]): string[] {
  return stateObjects(store).find((g) => g.kind === kind)!.objects.map((o) => o.id).sort();
}

describe('time travel on two managers (m1)', () => {
  const dir = generatedCase('two-managers');
  const stateDir = join(dir, 'm1', 'swarm');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const listed = manifest.objects.m1 as Record<string, Listed[]>;
  const values = manifest.values as { kind: string; name: string; id: string; removed?: boolean }[];
  const state = SwarmState.open(stateDir);
  after(() => state.close());
  const removal = (id: string) => [...storeActions(state)].find((r) => r.id === id && r.action === 'REMOVE')!.entry.index;

  it('at the latest index: the objects the manifest lists (secrets, configs, services, nodes, networks, tasks)', () => {
    const end = new StateTimeline(state).at();
    assert.deepEqual(kindIds(end, 'secret'), ids(listed.secrets));
    assert.deepEqual(kindIds(end, 'config'), ids(listed.configs));
    assert.deepEqual(kindIds(end, 'service'), ids(listed.services));
    assert.deepEqual(kindIds(end, 'node'), ids(listed.nodes));
    assert.deepEqual(kindIds(end, 'task'), ids(listed.tasks));
    for (const n of listed.networks) assert.ok(kindIds(end, 'network').includes(idOf(n)), n.Name);
    const secrets = stateObjects(end).find((g) => g.kind === 'secret')!;
    assert.deepEqual(secrets.objects.map((o) => o.name).sort(), listed.secrets.map((s) => s.Spec!.Name).sort());
    assert.ok(secrets.objects.every((o) => o.lastChangedAt !== undefined), 'no snapshot: every object came from an entry');
  });

  it('lists the objects in steps of at most N decodes, as list() gives them at once (the State tree slices them)', () => {
    const store = new StateTimeline(state).at();
    const expected = OBJECT_KINDS.map((kind) => {
      const objects = store.list(kind).map((o) => {
        const at = store.lastChangedAt(kind, objectId(o));
        return { kind, id: objectId(o), name: objectName(kind, o), ...(at !== undefined ? { lastChangedAt: at.toString() } : {}) };
      });
      return { kind, count: objects.length, objects };
    });
    const total = expected.reduce((n, g) => n + g.count, 0);
    assert.ok(total > 14 && total % 7 !== 0, `objects for two steps and a rest (${total})`);
    const fresh = new StateTimeline(state).at(); // nothing decoded yet: every get() decodes
    const get = fresh.get.bind(fresh);
    let gets = 0;
    fresh.get = (kind, id) => (gets++, get(kind, id));
    const steps = stateObjectsSteps(fresh, 7);
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) {
      assert.equal(gets, 7, `step ${yields}: seven objects read`);
      gets = 0;
      yields++;
    }
    assert.ok(gets <= 7);
    assert.equal(yields, Math.floor(total / 7));
    assert.deepEqual(r.value, expected);
    assert.deepEqual(stateObjects(fresh), expected);
  });

  it('a removed secret is there just before its REMOVE entry and gone at it', () => {
    const gone = values.find((v) => v.kind === 'secret' && v.removed)!;
    const at = removal(gone.id);
    const timeline = new StateTimeline(state);
    assert.ok(kindIds(timeline.at(at - 1n), 'secret').includes(gone.id));
    assert.ok(!kindIds(timeline.at(at), 'secret').includes(gone.id));
    // dump-object --at: the same, by name (case-insensitive) and by id.
    const before = runCli(['-d', stateDir, 'dump-object', 'secret', '--name', gone.name.toUpperCase(), '--at', String(at - 1n)]);
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, new RegExp(`^id: "${gone.id}"\n`));
    assert.ok(before.stdout.includes(`name: "${gone.name}"`));
    const atRemoval = runCli(['-d', stateDir, 'dump-object', 'secret', '--id', gone.id, '--at', String(at)]);
    assert.equal(atRemoval.code, 1);
    assert.equal(atRemoval.stderr, 'Error: no matching objects found\n');
  });

  it('a service created and removed (short-lived, operations 18-19) exists only in between', () => {
    const short = [...storeActions(state)].filter((r) => r.kind === 'service' && (r.action === 'CREATE' || r.action === 'REMOVE'));
    const created = short.find((r) => r.action === 'CREATE' && formatMessage(r.object).includes('name: "short-lived"'))!;
    const removedAt = removal(created.id);
    const serviceIds = (at: bigint) => [...runCli(['-d', stateDir, 'dump-object', 'service', '--at', String(at)]).stdout.matchAll(/^id: "([^"]+)"/gm)].map((m) => m[1]).sort();
    assert.ok(!serviceIds(created.entry.index - 1n).includes(created.id));
    assert.ok(serviceIds(created.entry.index).includes(created.id));
    assert.ok(!serviceIds(removedAt).includes(created.id));
    assert.deepEqual(serviceIds(removedAt), ids(listed.services));
  });

  it('the timeline moving forward, back and to the end equals a fresh replay each time', () => {
    const timeline = new StateTimeline(state);
    for (const at of [30n, 55n, 20n, undefined, 77n, 5n, undefined, 1000n]) {
      const store = timeline.at(at);
      assert.equal(fingerprint(store), fingerprint(replayStore(state, { at })), `at ${at}`);
    }
    assert.deepEqual(timeTravelRange(state), { min: 0n, max: 77n, starts: [0n] });
  });
});

describe('time travel over several snapshots', () => {
  const dir = corpusCase('snapshots');
  const stateDir = join(dir, 'swarm');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const state = SwarmState.open(stateDir);
  after(() => state.close());
  const kept = (manifest.objects.m1.secret_ls as Listed[]).map(idOf).sort();

  it('lists the snapshots (500, 550, 600) as starting points, below the log', () => {
    assert.deepEqual(state.snapshotFiles.map((f) => f.name), ['0000000000000002-00000000000001f4.snap', '0000000000000002-0000000000000226.snap', '0000000000000002-0000000000000258.snap']);
    assert.deepEqual(timeTravelRange(state), { min: 0n, max: state.wal.effective.at(-1)!.index, starts: [0n, 500n, 550n, 600n] });
  });

  it('each snapshot start gives the state a replay from no snapshot gives, at every later index', () => {
    const fromNothing = replayStore(state, { snapshot: false, at: 500n });
    const walks = state.snapshotFiles.map((f) => replayStore(state, { snapshot: f.name, at: f.snapshot!.index }));
    const last = state.wal.effective.at(-1)!.index;
    for (let at = 500n; at <= last; at += 13n) {
      fromNothing.advanceTo(at);
      const expected = fingerprint(fromNothing);
      state.snapshotFiles.forEach((f, i) => {
        if (f.snapshot!.index > at) return;
        assert.equal(fingerprint(walks[i].advanceTo(at)), expected, `${f.name} at ${at}`);
      });
    }
  });

  it('at the end, from every start: the secrets and configs the manifest lists (every 20th round kept)', () => {
    const configs = (manifest.objects.m1.config_ls as Listed[]).map(idOf).sort();
    for (const start of [false as const, ...state.snapshotFiles.map((f) => f.name)]) {
      const store = new StateTimeline(state, { snapshot: start }).at();
      assert.deepEqual(kindIds(store, 'secret'), kept, String(start));
      assert.deepEqual(kindIds(store, 'config'), configs, String(start));
    }
  });

  it('dump-object --at N --snapshot S equals --at N from the newest snapshot at or below N', () => {
    const [s500, s550] = state.snapshotFiles;
    for (const at of ['560', '600', '620']) {
      const plain = runCli(['-d', stateDir, 'dump-object', 'secret', '--at', at]);
      assert.equal(plain.code, 0, plain.stderr);
      for (const s of [s500, s550]) assert.equal(runCli(['-d', stateDir, 'dump-object', 'secret', '--at', at, '--snapshot', s.name]).stdout, plain.stdout, `${s.name} at ${at}`);
    }
    const early = runCli(['-d', stateDir, 'dump-object', 'secret', '--at', '520', '--snapshot', state.snapshotFiles[2].name]);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /after the requested index 520/);
  });

  it('dump-wal --all also lists (decrypted) the entries below the newest snapshot; without it, those after', () => {
    const index = (out: string) => [...out.matchAll(/^Entry Index=(\d+),/gm)].map((m) => BigInt(m[1]));
    const all = runCli(['-d', stateDir, 'dump-wal', '--all']);
    assert.equal(all.code, 0, all.stderr);
    assert.deepEqual(index(all.stdout), state.wal.effective.map((e) => e.index));
    assert.equal(index(all.stdout)[0], 1n);
    assert.doesNotMatch(all.stdout, /earlier data key|\(encrypted/);
    assert.equal(index(runCli(['-d', stateDir, 'dump-wal']).stdout)[0], 601n);
  });

  it('objects in a snapshot keep no lastChangedAt until an entry changes them', () => {
    const store = replayStore(state, { at: 600n });
    assert.equal(store.base?.name, state.snapshotFiles[2].name);
    const secrets = stateObjects(store).find((g) => g.kind === 'secret')!;
    assert.ok(secrets.count > 0);
    assert.ok(secrets.objects.every((o) => o.lastChangedAt === undefined));
  });
});
