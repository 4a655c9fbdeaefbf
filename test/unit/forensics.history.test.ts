// History of one object and version diffs, on real fixtures against their manifests: secrets and a
// service of two managers, churned secrets across snapshots, and an autolocked swarm whose early entries
// need an older node key (the history then starts from the snapshot's copy).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diffVersions, historyJson, historyText, objectCatalog, objectVersions, resolveObjectRef, searchCatalog, unifiedDiff, versionLabel } from '../../src/core/forensics';
import { SwarmState } from '../../src/core/state/swarmState';
import { replayStore } from '../../src/core/store';
import { formatMessage } from '../../src/core/text/protoText';
import { manifestUnlockKey, runCli } from '../support/cli';
import { corpusCase, generatedCase } from '../support/fixtures';

interface Value { kind: string; name: string; id: string; base64: string; removed?: boolean }
interface Inspected { ID: string; Version: { Index: number }; Spec: { Name: string } }
type Fields = Record<string, unknown>;

const metaIndex = (o: unknown) => Number(((o as { meta?: { version?: { index?: unknown } } }).meta?.version?.index ?? 0).toString());
const specData = (o: unknown) => Buffer.from((o as { spec: { data: Uint8Array } }).spec.data).toString('base64');

describe('history on two managers (m1)', () => {
  const dir = generatedCase('two-managers');
  const stateDir = join(dir, 'm1', 'swarm');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const values = manifest.values as Value[];
  const inspected = manifest.objects.m1 as { secrets: Inspected[]; services: Inspected[] };
  const state = SwarmState.open(stateDir);
  after(() => state.close());

  it('a kept secret: one CREATE whose object is the one docker inspected (version, data)', () => {
    for (const s of inspected.secrets) {
      const h = objectVersions(state, s.ID);
      assert.deepEqual(h.versions.map((v) => [v.action, v.kind, v.name, v.source]), [['CREATE', 'secret', s.Spec.Name, 'entry']]);
      assert.equal(metaIndex(h.versions[0].object), s.Version.Index);
      assert.equal(specData(h.versions[0].object), values.find((v) => v.id === s.ID)!.base64);
      assert.deepEqual(h.faults, []);
    }
  });

  it('the removed secret: CREATE then REMOVE (which carries the whole object)', () => {
    const gone = values.find((v) => v.kind === 'secret' && v.removed)!;
    const h = objectVersions(state, gone.id, { kind: 'secret' });
    assert.deepEqual(h.versions.map((v) => v.action), ['CREATE', 'REMOVE']);
    assert.ok(h.versions[0].index < h.versions[1].index);
    for (const v of h.versions) assert.equal(specData(v.object), gone.base64);
    assert.equal(objectVersions(state, gone.id, { kind: 'config' }).versions.length, 0, 'kind narrows the search');
  });

  it('service spread: created with 4 replicas; the inspected version has STAGE=2 and 2 replicas (operations 14, 16, 17)', () => {
    const spread = inspected.services.find((s) => s.Spec.Name === 'spread')!;
    const h = objectVersions(state, spread.ID);
    assert.equal(h.versions[0].action, 'CREATE');
    assert.ok(h.versions.slice(1).every((v) => v.action === 'UPDATE'));
    const created = formatMessage(h.versions[0].object);
    assert.match(created, /^ {4}replicas: 4$/m);
    assert.doesNotMatch(created, /STAGE=2/);
    const seen = h.versions.find((v) => metaIndex(v.object) === spread.Version.Index);
    assert.ok(seen, `a version at meta index ${spread.Version.Index}`);
    const diff = diffVersions(h.versions[0], seen);
    assert.equal(diff.identical, false);
    assert.equal(diff.left.text, created);
    assert.equal(diff.left.label, `service spread @ ${h.versions[0].index} (CREATE)`);
    const unified = unifiedDiff(diff.left, diff.right);
    assert.match(unified, /^--- service spread @ \d+ \(CREATE\)\n\+\+\+ service spread @ \d+ \(UPDATE\)\n@@ -1,/);
    assert.match(unified, /^\+ {6}env: "STAGE=2"$/m);
    assert.match(unified, /^- {4}replicas: 4\n\+ {4}replicas: 2$/m);
    // The last version is the service as the replayed store holds it.
    assert.equal(formatMessage(h.versions.at(-1)!.object), formatMessage(replayStore(state).get('service', spread.ID)!));
  });

  it('diffs in JSON: both sides are indented JSON with exact uint64 strings; a version against itself is identical', () => {
    const spread = inspected.services.find((s) => s.Spec.Name === 'spread')!;
    const [first, second] = objectVersions(state, spread.ID).versions;
    const diff = diffVersions(first, second, { format: 'json' });
    const left = JSON.parse(diff.left.text) as Fields;
    assert.equal(left.id, spread.ID);
    assert.equal(((left.meta as Fields).version as Fields).index, String(metaIndex(first.object)));
    assert.ok(diff.left.text.startsWith('{\n  "id": '));
    assert.equal(diffVersions(first, first).identical, true);
    assert.equal(unifiedDiff(diff.left, diff.left), '');
  });

  it('compare with another object: any two revisions (here two secrets, redacted)', () => {
    const [a, b] = inspected.secrets.map((s) => objectVersions(state, s.ID).versions[0]);
    const diff = diffVersions({ ...a, label: 'left' }, b, { redact: true });
    assert.equal(diff.left.label, 'left');
    assert.match(diff.left.text, /data: "SECRET REDACTED"/);
    assert.doesNotMatch(diff.right.text, new RegExp(Buffer.from(values.find((v) => v.id === b.id)!.base64, 'base64').toString().trim()));
    assert.equal(versionLabel({ kind: 'secret', id: b.id, name: b.name, object: b.object }), `secret ${b.name}`);
  });

  it('the catalog lists every object with its first and last index; refs resolve by id, prefix and name', () => {
    const catalog = objectCatalog(state);
    for (const v of values) {
      const o = catalog.find((c) => c.id === v.id)!;
      assert.equal(o.kind, v.kind);
      assert.equal(o.name, v.name);
      assert.equal(o.present, !v.removed);
    }
    const spread = inspected.services.find((s) => s.Spec.Name === 'spread')!;
    assert.deepEqual(resolveObjectRef(catalog, spread.ID.slice(0, 12)).map((o) => o.id), [spread.ID]);
    assert.deepEqual(resolveObjectRef(catalog, 'SPREAD', 'service').map((o) => o.id), [spread.ID]);
    // Both nodes are called "vm": a name can be ambiguous.
    assert.equal(resolveObjectRef(catalog, 'vm', 'node').length, 2);
    assert.deepEqual(searchCatalog(catalog, 'm2', 'secret').map((o) => o.name).sort(), ['from-m2', 'utf8-m2']);
  });

  it('CLI: history ID prints each version (index, term, action) and the object in text format; JSON lines; errors', () => {
    const gone = values.find((v) => v.kind === 'secret' && v.removed)!;
    const text = runCli(['-d', stateDir, 'history', gone.id]);
    assert.equal(text.code, 0, text.stderr);
    const h = objectVersions(state, gone.id);
    assert.equal(text.stdout, [...historyText(h)].join(''));
    assert.match(text.stdout, new RegExp(`^History of secret ${gone.id} \\(${gone.name}\\): 2 versions\n\nVersion 1: Index=\\d+, Term=2, Action=CREATE, Kind=secret, Name=${gone.name}\nid: "${gone.id}"\n`));
    assert.match(text.stdout, /\nVersion 2: Index=\d+, Term=2, Action=REMOVE, Kind=secret/);
    const json = runCli(['-d', stateDir, 'history', gone.name, '--format', 'json', '--redact']);
    assert.equal(json.code, 0, json.stderr);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Fields);
    assert.deepEqual(lines.map((l) => [l.version, l.action, l.id, l.source]), [[1, 'CREATE', gone.id, 'entry'], [2, 'REMOVE', gone.id, 'entry']]);
    assert.equal(((lines[0].object as Fields).spec as Fields).data, Buffer.from('SECRET REDACTED').toString('base64'));
    assert.equal(json.stdout, [...historyJson(h, { redact: true })].join(''));
    const diff = runCli(['-d', stateDir, 'history', gone.id, '--diff']);
    assert.match(diff.stdout, /\nVersion 2: Index=\d+, Term=2, Action=REMOVE, Kind=secret, Name=utf8-m2\n\(removed from the store at index \d+\)\n\n/);
    const ambiguous = runCli(['-d', stateDir, 'history', 'vm']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /^Error: vm is ambiguous: 2 objects match: node /);
    const none = runCli(['-d', stateDir, 'history', 'no-such-thing']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'Error: no object with the id or name no-such-thing in the log or the snapshots\n');
    assert.equal(runCli(['-d', stateDir, 'history', 'x', '--kind', 'secrets']).code, 2);
  });
});

describe('history across snapshots (churned secrets)', () => {
  const dir = corpusCase('snapshots');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const state = SwarmState.open(join(dir, 'swarm'));
  after(() => state.close());
  const kept = manifest.objects.m1.secrets as Inspected[];

  it('kept secrets: one CREATE at the inspected version, even where snapshots hold them too', () => {
    for (const s of kept) {
      const h = objectVersions(state, s.ID);
      assert.deepEqual(h.versions.map((v) => v.action), ['CREATE'], s.Spec.Name);
      assert.equal(metaIndex(h.versions[0].object), s.Version.Index);
    }
  });

  it('a removed churn secret: CREATE then REMOVE, absent from the catalog\'s present objects', () => {
    const first = (manifest.values as Value[]).find((v) => v.name === 'churn-main-secret-1')!;
    assert.deepEqual(objectVersions(state, first.id).versions.map((v) => v.action), ['CREATE', 'REMOVE']);
    const catalog = objectCatalog(state);
    assert.equal(catalog.find((o) => o.id === first.id)!.present, false);
    assert.deepEqual(catalog.filter((o) => o.kind === 'secret' && o.present).map((o) => o.id).sort(), kept.map((s) => s.ID).sort());
  });
});

describe('history of an autolocked swarm (entries before the rotation need an older node key)', () => {
  const dir = corpusCase('locked');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const unlockKey = manifestUnlockKey(manifest)!;
  // The key history's copy of swarm-node.key holding the data key from before autolock (kek-version 0).
  const older = (manifest.key_history as { file: string; headers: Record<string, string> }[]).find((k) => k.headers['raft-dek'] && k.headers['kek-version'] === '0')!;
  const dbPassword = (manifest.values as Value[]).find((v) => v.name === 'db_password')!;
  const snapName = '0000000000000002-0000000000000078.snap';

  it('without the older key: the snapshot copy heads the history, and the unreadable entries are reported', () => {
    const state = SwarmState.open(join(dir, 'swarm'), { unlockKey });
    try {
      const h = objectVersions(state, dbPassword.id);
      assert.deepEqual(h.versions.map((v) => [v.action, v.source, v.index, v.snapshot?.name]), [['SNAPSHOT', 'snapshot', 120n, snapName]]);
      assert.equal(specData(h.versions[0].object), dbPassword.base64);
      assert.equal(versionLabel(h.versions[0]), `secret db_password @ 120 (SNAPSHOT ${snapName})`);
      assert.ok(h.faults.length > 0);
      assert.ok(h.faults.every((f) => f.index <= 120n && /earlier data key/.test(f.message)));
    } finally {
      state.close();
    }
    const r = runCli(['-d', join(dir, 'swarm'), 'history', 'db_password'], { SWARM_UNLOCK_KEY: unlockKey });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^History of secret ${dbPassword.id} \\(db_password\\): 1 version\n\nVersion 1: Index=120, Term=2, Action=SNAPSHOT, Kind=secret, Name=db_password, Snapshot=${snapName}\n`));
    assert.match(r.stderr, /warning: entries \d+\.\.120 \(\d+\) are encrypted with an earlier data key/);
  });

  it('with the older key (--key-file): the CREATE entry, and no snapshot copy', () => {
    const keyFile = join(dir, older.file);
    const state = SwarmState.open(join(dir, 'swarm'), { unlockKey, keyFiles: [keyFile] });
    try {
      const h = objectVersions(state, dbPassword.id);
      assert.equal(h.versions[0].action, 'CREATE');
      assert.equal(h.versions[0].source, 'entry');
      assert.ok(h.versions[0].index < 120n);
      assert.equal(specData(h.versions[0].object), dbPassword.base64);
      assert.ok(h.versions.every((v) => v.source === 'entry'));
    } finally {
      state.close();
    }
    const r = runCli(['-d', join(dir, 'swarm'), '--key-file', keyFile, 'history', dbPassword.id, '--format', 'json'], { SWARM_UNLOCK_KEY: unlockKey });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout.split('\n')[0]) as Fields).action, 'CREATE');
  });

  it('an object removed before the rotation: found only with the older key', () => {
    const toDelete = (manifest.values as Value[]).find((v) => v.kind === 'secret' && v.name === 'to-delete')!;
    const r = runCli(['-d', join(dir, 'swarm'), 'history', toDelete.id], { SWARM_UNLOCK_KEY: unlockKey });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: no object with the id or name \S+ in the log or the snapshots; \d+ entries could not be read/);
    const withKey = runCli(['-d', join(dir, 'swarm'), '--key-file', join(dir, older.file), 'history', toDelete.id], { SWARM_UNLOCK_KEY: unlockKey });
    assert.equal(withKey.code, 0, withKey.stderr);
    assert.match(withKey.stdout, /Action=CREATE[^\n]*\n[\s\S]*Action=REMOVE/);
  });
});
