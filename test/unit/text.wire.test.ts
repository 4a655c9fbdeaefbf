// The wire printer (src/core/text/wireText.ts) against the object printer it stands in for: on every
// entry of every real fixture, on crafted messages for each rule it models, and on thousands of mutated
// entries. The property: whenever the wire printer prints, protobufjs decodes the same bytes and
// formatMessage gives the same text; where it cannot, it throws WireTextError (the caller then prints
// the entry the object way).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Messages } from '../../src/core/codec';
import { SwarmState } from '../../src/core/state/swarmState';
import { formatMessage } from '../../src/core/text/protoText';
import { TextSink } from '../../src/core/text/textSink';
import { WireRedaction as WireRedactionClass, WireTextError, writeWireText, type WireRedaction, type WireRule } from '../../src/core/text/wireText';
import { redactRequest, wireRequestRedaction } from '../../src/core/text/redact';
import { objectSnapshotText, wireSnapshotText } from '../../src/core/report/dumpSnapshot';
import { corpusCase, corpusCases, generatedCase, generatedCases } from '../support/fixtures';
import { manifestUnlockKey } from '../support/cli';

const request = Messages.internalRaftRequest;

/** The wire printer's text, or the WireTextError it threw. */
function wireText(bytes: Uint8Array, redaction?: WireRedaction): string | WireTextError {
  const sink = new TextSink(16);
  sink.write('keep|');
  try {
    writeWireText(sink, bytes, request, redaction);
  } catch (e) {
    if (!(e instanceof WireTextError)) throw e;
    assert.equal(sink.toString(), 'keep|', 'a failed print leaves the sink as it was');
    return e;
  }
  return sink.toString().slice('keep|'.length);
}

function objectText(bytes: Uint8Array, redact = false): string | Error {
  try {
    const decoded = request.decode(bytes);
    return formatMessage(redact ? redactRequest(decoded) : decoded);
  } catch (e) {
    return e as Error;
  }
}

/** Every state directory under a fixture case (some cases hold several captures). */
function stateDirs(dir: string): string[] {
  if (existsSync(join(dir, 'raft'))) return [dir];
  return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => stateDirs(join(dir, d.name)));
}

/** Opens every state directory of every real fixture (corpus and generated) with its unlock key, one at a time. */
function forEachRealState(use: (state: SwarmState, dir: string) => void): void {
  const cases = [...corpusCases().map((c) => corpusCase(c)), ...generatedCases().map((c) => generatedCase(c))];
  for (const caseDir of cases) {
    const manifestFile = join(caseDir, 'manifest.json');
    const key = existsSync(manifestFile) ? manifestUnlockKey(JSON.parse(readFileSync(manifestFile, 'utf8'))) : undefined;
    for (const dir of stateDirs(caseDir)) {
      const state = SwarmState.open(dir, { unlockKey: key });
      try {
        use(state, dir);
      } finally {
        state.close();
      }
    }
  }
}

/** The decrypted payload of every normal entry of every real fixture. */
function realPayloads(): { label: string; plain: Uint8Array }[] {
  const payloads: { label: string; plain: Uint8Array }[] = [];
  forEachRealState((state, dir) => {
    for (const entry of state.wal.effective) {
      const decoded = state.decodeEntry(entry);
      if (decoded.ok && decoded.kind === 'normal') payloads.push({ label: `${dir} entry ${entry.index}`, plain: decoded.plain });
    }
  });
  return payloads;
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + Math.floor(random() * 3);
  for (let i = 0; i < edits && out.length > 0; i++) {
    const at = Math.floor(random() * out.length);
    switch (Math.floor(random() * 5)) {
      case 0: out[at] ^= 1 << Math.floor(random() * 8); break;
      case 1: out[at] = Math.floor(random() * 256); break;
      case 2: out.splice(at, 1 + Math.floor(random() * 4)); break;
      case 3: out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * 256))); break;
      default: out.length = at; break;
    }
  }
  return Uint8Array.from(out);
}

describe('wire printer', () => {
  const payloads = realPayloads();

  it('prints every entry of every real fixture exactly as the object printer', () => {
    assert.ok(payloads.length > 500, `${payloads.length} entries`);
    for (const { label, plain } of payloads) {
      const wire = wireText(plain);
      assert.equal(typeof wire, 'string', `${label}: ${String(wire)}`);
      assert.equal(wire, objectText(plain), label);
    }
  });

  it('on 20,000 mutated entries: prints only what protobufjs decodes, and then the same text', () => {
    const random = mulberry32(20261123);
    let printed = 0;
    let rejected = 0;
    let declinedDecodable = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = payloads[Math.floor(random() * payloads.length)].plain;
      const bytes = mutate(base, random);
      const wire = wireText(bytes);
      const object = objectText(bytes);
      if (typeof wire === 'string') {
        assert.equal(wire, object, `mutation ${i}: the object printer differs or protobufjs rejects the bytes`);
        printed++;
      } else if (typeof object === 'string') {
        declinedDecodable++;
      } else {
        rejected++;
      }
    }
    console.log(`    printed ${printed}, rejected by both ${rejected}, declined though decodable ${declinedDecodable}`);
    // Bytes protobufjs decodes are printed from the wire (a decline there would only cost speed).
    assert.ok(printed > 2_000 && rejected > 2_000, `printed ${printed}, rejected by both ${rejected}, declined though decodable ${declinedDecodable}`);
    assert.ok(declinedDecodable <= printed / 20, `declined ${declinedDecodable} decodable inputs (printed ${printed})`);
  });

  it('models each rule: zero scalars, oneof members, packed and 10-byte varints, maps out of order, odd bytes', () => {
    const StoreAction = Messages.internalRaftRequest.lookupType('docker.swarmkit.v1.StoreAction');
    const build = (fields: object): Uint8Array => request.encode(request.fromObject(fields)).finish();
    const cases: { label: string; bytes: Uint8Array }[] = [
      { label: 'empty request', bytes: new Uint8Array(0) },
      { label: 'uint64 id above 2^53', bytes: build({ id: '18446744073709551615' }) },
      {
        label: 'task with labels, a zero oneof-free scalar and a negative enum',
        bytes: build({ id: 1, action: [{ action: -1, task: { id: 'a', spec: { annotations: { name: 'x', labels: { zeta: '1', alpha: '', 'ünï': 'ç' } } }, slot: 0 } }] }),
      },
      { label: 'node with an empty embedded message', bytes: build({ action: [{ action: 1, node: { id: 'n', spec: {}, description: {} } }] }) },
    ];
    // Hand-made bytes: map entries out of order and a duplicate key; a string that is not UTF-8; an
    // unknown field; two members of the oneof; a group; wire type 7.
    const task = (inner: number[]): number[] => [0x12, inner.length, ...inner]; // action[0]
    const labels = (k: string, v: string): number[] => {
      const kb = [...Buffer.from(k)];
      const vb = [...Buffer.from(v)];
      const entry = [0x0a, kb.length, ...kb, 0x12, vb.length, ...vb];
      return [0x12, entry.length, ...entry];
    };
    const annotations = [...labels('b', '2'), ...labels('a', '1'), ...labels('b', '3')];
    const spec = [0x0a, annotations.length, ...annotations];
    const taskMsg = [0x0a, 1, 0x74, 0x1a, spec.length, ...spec];
    cases.push({ label: 'labels out of order with a duplicate', bytes: Uint8Array.from(task([0x08, 1, ...bytesField(StoreAction, 'task', taskMsg)])) });
    cases.push({ label: 'invalid UTF-8 in an id', bytes: Uint8Array.from(task([0x08, 1, ...bytesField(StoreAction, 'task', [0x0a, 2, 0xc3, 0x28])])) });
    cases.push({ label: 'unknown field', bytes: Uint8Array.from(task([0x08, 1, 0xf8, 0x3f, 0x01])) });
    cases.push({ label: 'two oneof members', bytes: Uint8Array.from(task([...bytesField(StoreAction, 'node', [0x0a, 1, 0x6e]), ...bytesField(StoreAction, 'task', [0x0a, 1, 0x74])])) });
    cases.push({ label: 'a group', bytes: Uint8Array.from(task([0x08, 1, 0xfb, 0x3f, 0xfc, 0x3f])) });
    cases.push({ label: 'wire type 7', bytes: Uint8Array.from(task([0x0f, 1])) });
    cases.push({ label: 'cut off', bytes: Uint8Array.from(task([0x08, 1, ...bytesField(StoreAction, 'task', taskMsg)]).slice(0, -3)) });
    for (const { label, bytes } of cases) {
      const wire = wireText(bytes);
      const object = objectText(bytes);
      if (typeof wire === 'string') assert.equal(wire, object, label);
      else assert.ok(object instanceof Error, `${label}: declined (${wire.message}) though protobufjs decodes it`);
    }
    // The duplicate key: the last value wins, and keys print in byte order.
    const dup = wireText(cases.find((c) => c.label.startsWith('labels'))!.bytes) as string;
    assert.match(dup, /key: "a"\n\s+value: "1"[\s\S]*key: "b"\n\s+value: "3"/);
  });

  it('prints fields in declaration order whatever order they come in: the single pass gives way where they are not in order', () => {
    const lookup = (name: string) => request.lookupType(`docker.swarmkit.v1.${name}`);
    const StoreAction = lookup('StoreAction');
    /** One field of a message, encoded alone (proto3 writes only what is set). */
    const piece = (type: ReturnType<typeof lookup>, fields: object): number[] => [...type.encode(type.fromObject(fields)).finish()];
    const inAction = (member: string, message: number[]): Uint8Array => {
      const action = [0x08, 1, ...bytesField(StoreAction, member, message)];
      return Uint8Array.from([...bytesField(request, 'action', action)]);
    };
    const Node = lookup('Node');
    const Task = lookup('Task');
    const id = (v: string) => piece(Node, { id: v });
    const spec = piece(Node, { spec: { annotations: { name: 'n1' }, availability: 1 } });
    const status = piece(Node, { status: { state: 2, message: 'ready' } });
    const role = piece(Node, { role: 1 });
    const network = (name: string) => piece(Task, { networks: [{ network: { id: name } }] });
    const taskId = piece(Task, { id: 't' });
    const serviceId = piece(Task, { service_id: 's' });
    const specVersion = piece(Task, { spec_version: { index: 3 } });
    const cases: { label: string; bytes: Uint8Array; expect?: RegExp }[] = [
      { label: 'in order', bytes: inAction('node', [...id('a'), ...spec, ...status, ...role]) },
      { label: 'in order, messages held by value absent around them', bytes: inAction('node', [...id('a'), ...role]) },
      { label: 'status before spec', bytes: inAction('node', [...id('a'), ...status, ...spec]), expect: /spec: <[\s\S]*status: </ },
      { label: 'role before id', bytes: inAction('node', [...role, ...id('a')]) },
      { label: 'id twice: the last one counts', bytes: inAction('node', [...id('a'), ...spec, ...id('b')]), expect: /id: "b"/ },
      { label: 'id twice in a row', bytes: inAction('node', [...id('a'), ...id('b')]), expect: /id: "b"/ },
      { label: 'a repeated field in a row', bytes: inAction('task', [...taskId, ...network('n1'), ...network('n2')]) },
      { label: 'a repeated field split by another', bytes: inAction('task', [...network('n1'), ...taskId, ...network('n2')]), expect: /id: "n1"[\s\S]*id: "n2"[\s\S]*\n {4}id: "t"|id: "t"[\s\S]*id: "n1"[\s\S]*id: "n2"/ },
      // Task declares spec_version (number 14) before service_id (4): printed in its declared place.
      { label: 'a task in number order', bytes: inAction('task', [...taskId, ...serviceId, ...piece(Task, { desired_state: 2 }), ...network('n1'), ...specVersion]), expect: /spec_version: <[\s\S]*service_id: "s"/ },
      { label: 'a task in declaration order (spec_version before service_id on the wire)', bytes: inAction('task', [...taskId, ...specVersion, ...serviceId]) },
      { label: 'a task spec: its oneof member container is declared after attachment', bytes: inAction('task', [...taskId, ...piece(Task, { spec: { container: { image: 'i', env: ['A=1'] }, resources: {}, networks: [{ target: 'n' }], force_update: 3 } }), ...specVersion]) },
    ];
    for (const { label, bytes, expect } of cases) {
      const wire = wireText(bytes);
      assert.equal(typeof wire, 'string', `${label}: ${String(wire)}`);
      assert.equal(wire, objectText(bytes), label);
      if (expect) assert.match(wire as string, expect, label);
      // Redacted: as the object printer prints the redacted copy (a task's env is a rule's).
      assert.equal(wireText(bytes, wireRequestRedaction), objectText(bytes, true), `${label} (--redact)`);
    }
    // A rule the single pass meets on a repeated field: one line for the field, in order or not.
    const rules = (byName: Record<string, WireRule>): WireRule => ({ nested: new WireRedactionClass(byName), absent: 'plain' });
    const hideNetworks = new WireRedactionClass({ action: rules({ node: rules({ attachments: { text: 'HIDDEN' } }) }) });
    const attachment = (name: string) => piece(Node, { attachments: [{ network: { id: name } }] });
    const inOrder = wireText(inAction('node', [...id('a'), ...attachment('n1'), ...attachment('n2')]), hideNetworks) as string;
    const split = wireText(inAction('node', [...attachment('n1'), ...id('a'), ...attachment('n2')]), hideNetworks) as string;
    assert.equal(inOrder.match(/attachments: "HIDDEN"/g)?.length, 1, inOrder);
    assert.doesNotMatch(inOrder, /n1|n2/);
    assert.equal(split, inOrder);
  });
});

describe('wire printer with the --redact rules', () => {
  const payloads = realPayloads();
  const redacted = (bytes: Uint8Array) => wireText(bytes, wireRequestRedaction);

  it('prints every entry of every real fixture as the object printer prints its redacted copy', () => {
    let printed = 0;
    let changed = 0;
    for (const { label, plain } of payloads) {
      const wire = redacted(plain);
      if (typeof wire !== 'string') continue; // left to the object printer: the caller prints it redacted
      assert.equal(wire, objectText(plain, true), label);
      printed++;
      if (wire !== objectText(plain)) changed++;
    }
    // Nearly all print from the wire, and the rules did redact something on real data.
    assert.ok(printed >= payloads.length * 0.95, `printed ${printed} of ${payloads.length}`);
    assert.ok(changed > 10, `${changed} entries redacted`);
  });

  it('on 20,000 mutated entries: what it prints is the redacted object text', () => {
    const random = mulberry32(20261206);
    let printed = 0;
    for (let i = 0; i < 20_000; i++) {
      const bytes = mutate(payloads[Math.floor(random() * payloads.length)].plain, random);
      const wire = redacted(bytes);
      if (typeof wire !== 'string') continue;
      assert.equal(wire, objectText(bytes, true), `mutation ${i}`);
      printed++;
    }
    assert.ok(printed > 2_000, `printed ${printed}`);
  });

  it('models each rule: secret and config data, env and registry auth of tasks and services, cluster keys; absent specs go the object way', () => {
    const build = (fields: object): Uint8Array => request.encode(request.fromObject(fields)).finish();
    const container = { image: 'img', env: ['A=1', 'B=2'], pull_options: { registry_auth: 'secret-auth' } };
    const cases: { label: string; bytes: Uint8Array; wire: boolean }[] = [
      { label: 'secret', bytes: build({ action: [{ action: 1, secret: { id: 's', spec: { annotations: { name: 'pw' }, data: Buffer.from('hunter2') } } }] }), wire: true },
      { label: 'secret without data', bytes: build({ action: [{ action: 1, secret: { id: 's', spec: { annotations: { name: 'pw' } } } }] }), wire: true },
      { label: 'secret without spec', bytes: build({ action: [{ action: 1, secret: { id: 's' } }] }), wire: false },
      { label: 'config', bytes: build({ action: [{ action: 2, config: { id: 'c', spec: { data: Buffer.from('cfg') } } }] }), wire: true },
      { label: 'task', bytes: build({ action: [{ action: 1, task: { id: 't', spec: { container } } }] }), wire: true },
      { label: 'task without env or pull options', bytes: build({ action: [{ action: 1, task: { id: 't', spec: { container: { image: 'i' } } } }] }), wire: true },
      { label: 'task without spec', bytes: build({ action: [{ action: 1, task: { id: 't' } }] }), wire: true },
      { label: 'task whose runtime is not a container', bytes: build({ action: [{ action: 1, task: { id: 't', spec: { generic: { kind: 'k' } } } }] }), wire: true },
      { label: 'service', bytes: build({ action: [{ action: 2, service: { id: 'v', spec: { task: { container } } } }] }), wire: true },
      { label: 'cluster', bytes: build({ action: [{ action: 2, cluster: { id: 'c', spec: { annotations: { name: 'default' }, ca_config: { node_cert_expiry: { seconds: 100 } } }, root_ca: { ca_key: Buffer.from('root-ca-key'), ca_cert: Buffer.from('c') }, unlock_keys: [{ key: Buffer.from('unlock-key'), lamport_time: 2 }], network_bootstrap_keys: [{ key: Buffer.from('bootstrap-key'), lamport_time: 3 }] } }] }), wire: true },
      { label: 'cluster without spec', bytes: build({ action: [{ action: 2, cluster: { id: 'c' } }] }), wire: false },
      { label: 'several actions', bytes: build({ action: [{ action: 1, node: { id: 'n' } }, { action: 1, secret: { id: 's', spec: { data: Buffer.from('x') } } }, { action: 1, task: { id: 't', spec: { container } } }] }), wire: true },
    ];
    for (const { label, bytes, wire } of cases) {
      const text = redacted(bytes);
      if (!wire) {
        assert.ok(text instanceof WireTextError, `${label}: left to the object printer`);
        continue;
      }
      assert.equal(typeof text, 'string', `${label}: ${String(text)}`);
      assert.equal(text, objectText(bytes, true), label);
      assert.doesNotMatch(text as string, /hunter2|secret-auth|A=1|"cfg"|unlock-key|bootstrap-key|root-ca-key/, label);
    }
  });
});

describe('dump-snapshot from the wire', () => {
  it('prints every snapshot of every real fixture (plain and redacted) as the decoded snapshot prints', () => {
    let printed = 0;
    let snapshots = 0;
    forEachRealState((state) => {
      for (const file of state.snapshotFiles) {
        try {
          objectSnapshotText(state, file, false);
        } catch {
          assert.equal(wireSnapshotText(state, file, false), undefined, `${file.path}: printed what does not decode`);
          continue;
        }
        snapshots++;
        for (const redact of [false, true]) {
          const wire = wireSnapshotText(state, file, redact);
          if (wire === undefined) continue;
          assert.equal(wire, objectSnapshotText(state, file, redact), `${file.path}${redact ? ' --redact' : ''}`);
          printed++;
        }
      }
    });
    assert.ok(snapshots > 5 && printed >= snapshots * 2 * 0.9, `printed ${printed} of ${snapshots} snapshots x 2`);
  });
});

/** A length-delimited field of StoreAction, by name. */
function bytesField(type: { fields: Record<string, { id: number }> }, name: string, value: number[]): number[] {
  return [(type.fields[name].id << 3) | 2, value.length, ...value];
}
