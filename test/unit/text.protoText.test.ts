// Byte-exact vectors for the reference's text format, on messages encoded here and decoded back
// (so presence looks exactly as it does for data read from disk).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Long from 'long';
import type { Message, Type } from 'protobufjs/light';
import { ProtoTypes, root } from '../../src/core/proto/schema';
import { formatGoFileMode, formatGoFloat, quoteBytes } from '../../src/core/text/goFormat';
import { formatMessage } from '../../src/core/text/protoText';
import { collectUnknownFields, type UnknownField } from '../../src/core/text/unknownFields';

const swarm = (name: string): Type => root.lookupType(`docker.swarmkit.v1.${name}`);
/** Through the wire and back, as the reader produces messages. */
const roundTrip = (type: Type, object: Record<string, unknown>): Message => type.decode(type.encode(type.fromObject(object)).finish());
const text = (type: Type, object: Record<string, unknown>): string => formatMessage(roundTrip(type, object));
const lines = (...l: string[]): string => l.map((s) => s + '\n').join('');

describe('protobuf text format', () => {
  it('prints messages embedded by value even when empty, and omits absent nullable ones', () => {
    assert.equal(text(swarm('Secret'), { id: 's1' }), lines(
      'id: "s1"',
      'meta: <',
      '  version: <',
      '  >',
      '>',
      'spec: <',
      '  annotations: <',
      '  >',
      '>',
    ));
    // templating/driver (nullable) absent: nothing; an empty message gives no text at all.
    assert.equal(text(ProtoTypes.InternalRaftRequest, {}), '');
  });

  it('omits proto3 zero scalars but prints set values, 64-bit ones exactly', () => {
    assert.equal(text(ProtoTypes.InternalRaftRequest, { id: '18446744073709551615' }), 'id: 18446744073709551615\n');
    assert.equal(text(swarm('OrchestrationConfig'), { task_history_retention_limit: -1 }), 'task_history_retention_limit: -1\n');
    assert.equal(text(swarm('ContainerStatus'), { container_id: '', pid: 0, exit_code: -1 }), 'exit_code: -1\n');
    assert.equal(text(swarm('RaftConfig'), { snapshot_interval: 10000, keep_old_snapshots: 0, heartbeat_tick: 1 }), 'snapshot_interval: 10000\nheartbeat_tick: 1\n');
    assert.equal(text(swarm('EncryptionConfig'), { auto_lock_managers: false }), '');
    assert.equal(text(swarm('EncryptionConfig'), { auto_lock_managers: true }), 'auto_lock_managers: true\n');
  });

  it('prints fields in declaration order, oneof members where declared', () => {
    const service = text(swarm('Service'), {
      id: 'x',
      endpoint: { spec: {} },
      spec_version: { index: 3 },
      previous_spec: { annotations: { name: 'old' } },
      pending_delete: true,
    });
    const order = service.split('\n').filter((l) => /^\w/.test(l)).map((l) => l.split(':')[0]);
    assert.deepEqual(order, ['id', 'meta', 'spec', 'spec_version', 'previous_spec', 'endpoint', 'pending_delete']);

    assert.equal(text(ProtoTypes.StoreAction, { action: 3, extension: { id: 'e', description: 'd' } }), lines(
      'action: STORE_ACTION_REMOVE',
      'extension: <',
      '  id: "e"',
      '  meta: <',
      '    version: <',
      '    >',
      '  >',
      '  annotations: <',
      '  >',
      '  description: "d"',
      '>',
    ));
    assert.equal(text(swarm('TaskSpec'), { force_update: 2, container: { image: 'i' } }), lines(
      'container: <',
      '  image: "i"',
      '>',
      'force_update: 2',
    ));
  });

  it('prints a set scalar oneof member even when it is zero', () => {
    assert.equal(text(swarm('NetworkSpec'), { network: '' }), lines('annotations: <', '>', 'network: ""'));
    assert.equal(text(swarm('NetworkSpec'), {}), lines('annotations: <', '>'));
    assert.equal(text(swarm('NetworkSpec'), { network: 'n', ingress: true }), lines('annotations: <', '>', 'ingress: true', 'network: "n"'));
  });

  it('prints enums by name, unknown numbers as numbers', () => {
    assert.equal(text(swarm('Task'), { desired_state: 512 }).split('\n').find((l) => l.startsWith('desired_state')), 'desired_state: RUNNING');
    assert.equal(text(swarm('Task'), { desired_state: 513 }).split('\n').find((l) => l.startsWith('desired_state')), 'desired_state: 513');
    assert.equal(text(ProtoTypes.raftpb.ConfChange, { Type: 2, NodeID: 255 }), 'ID: 0\nType: ConfChangeUpdateNode\nNodeID: 255\n');
  });

  it('prints maps as key/value blocks sorted bytewise by key, empty values included', () => {
    assert.equal(text(swarm('Annotations'), { name: 'n', labels: { b: '2', a: '1\n', z: '', '\u{1F600}': 'e', '\uFF5A': 'f' } }), lines(
      'name: "n"',
      'labels: <', '  key: "a"', '  value: "1\\n"', '>',
      'labels: <', '  key: "b"', '  value: "2"', '>',
      'labels: <', '  key: "z"', '  value: ""', '>',
      // U+FF5A is EF BD 9A, U+1F600 is F0 9F 98 80: bytewise order, not UTF-16 order.
      'labels: <', '  key: "\\357\\275\\232"', '  value: "f"', '>',
      'labels: <', '  key: "\\360\\237\\230\\200"', '  value: "e"', '>',
    ));
    assert.equal(text(swarm('Cluster'), { blacklisted_certificates: { cn1: { expiry: { seconds: 5 } } } }).split('blacklisted')[1], lines(
      '_certificates: <',
      '  key: "cn1"',
      '  value: <',
      '    expiry: <',
      '      seconds: 5',
      '    >',
      '  >',
      '>',
    ));
  });

  it('quotes strings and bytes byte by byte', () => {
    assert.equal(text(swarm('SecretSpec'), { data: Buffer.from([0, 1, 9, 10, 13, 0x22, 0x5c, 0x27, 0x7e, 0x7f, 0x80, 0xff]).toString('base64') }).split('\n')[2],
      'data: "\\000\\001\\t\\n\\r\\"\\\\\'~\\177\\200\\377"');
    assert.equal(text(swarm('Annotations'), { name: 'web\u00e9"q \u2713' }), 'name: "web\\303\\251\\"q \\342\\234\\223"\n');
    assert.equal(text(swarm('SecretSpec'), { data: '' }), lines('annotations: <', '>'));
  });

  it('accepts string fields that are not UTF-8, as Go does, instead of rejecting the entry', () => {
    const annotations = swarm('Annotations').decode(Uint8Array.from([0x0a, 0x02, 0xff, 0x41]));
    // Known divergence: the reference prints the raw byte ("\377A"); the decoded string holds U+FFFD.
    assert.equal(formatMessage(annotations), 'name: "\\357\\277\\275A"\n');
  });

  it('prints Timestamp, Duration, Any and wrappers as plain messages', () => {
    assert.equal(text(swarm('Resource'), { kind: 'k', payload: { type_url: 'x/y', value: Buffer.from('pl').toString('base64') } }).split('kind')[1], lines(
      ': "k"',
      'payload: <',
      '  type_url: "x/y"',
      '  value: "pl"',
      '>',
    ));
    assert.equal(text(swarm('ContainerSpec'), { init: { value: false }, stop_grace_period: { seconds: 10 } }), lines(
      'init: <', '>', 'stop_grace_period: <', '  seconds: 10', '>',
    ));
    assert.equal(text(swarm('ContainerSpec'), { init: { value: true } }), lines('init: <', '  value: true', '>'));
    assert.equal(text(swarm('Meta'), { created_at: { seconds: 1700000000, nanos: 5 } }), lines(
      'version: <', '>', 'created_at: <', '  seconds: 1700000000', '  nanos: 5', '>',
    ));
  });

  it('prints a by-value Go duration only when non-zero, floats as Go does', () => {
    assert.equal(text(swarm('UpdateConfig'), { parallelism: 1, delay: { seconds: 0 }, max_failure_ratio: 0.1 }), 'parallelism: 1\nmax_failure_ratio: 0.1\n');
    assert.equal(text(swarm('UpdateConfig'), { delay: { seconds: 1, nanos: 500000000 }, failure_action: 2, order: 1 }), lines(
      'delay: <', '  seconds: 1', '  nanos: 500000000', '>', 'failure_action: ROLLBACK', 'order: START_FIRST',
    ));
  });

  it('prints os.FileMode fields symbolically', () => {
    assert.equal(text(swarm('FileTarget'), { name: 'f', uid: '0', gid: '0', mode: 0o444 }), lines('name: "f"', 'uid: "0"', 'gid: "0"', 'mode: -r--r--r--'));
    assert.equal(text(swarm('FileTarget'), { name: 'f', mode: 0 }), 'name: "f"\n');
  });

  it('prints proto2 fields Go embeds by value even when zero', () => {
    assert.equal(text(ProtoTypes.raftpb.Entry, { Term: 1, Index: 2 }), 'Term: 1\nIndex: 2\nType: EntryNormal\n');
    assert.equal(text(ProtoTypes.raftpb.Entry, { Term: 1, Index: 2, Type: 1, Data: 'AA==' }), 'Term: 1\nIndex: 2\nType: EntryConfChange\nData: "\\000"\n');
  });

  it('prints repeated fields one line each, nested in order', () => {
    assert.equal(text(swarm('ContainerSpec'), { image: 'i', env: ['A=1', 'B=2'], args: ['x'] }), lines('image: "i"', 'args: "x"', 'env: "A=1"', 'env: "B=2"'));
    assert.equal(text(swarm('ClusterSnapshot'), { removed: ['18446744073709551615', 3] }), 'removed: 18446744073709551615\nremoved: 3\n');
  });

  it('does not print unknown fields, and reports them', () => {
    const known = ProtoTypes.InternalRaftRequest.encode({ id: 7, action: [{ action: 1, secret: { id: 's' } }] }).finish();
    // Append field 15 (varint 1) at the top level.
    const request = ProtoTypes.InternalRaftRequest.decode(Uint8Array.from([...known, 0x78, 0x01]));
    const reported: UnknownField[] = [];
    const printed = formatMessage(request, undefined, { unknownFields: reported });
    assert.equal(printed, formatMessage(ProtoTypes.InternalRaftRequest.decode(known)));
    assert.deepEqual(reported, [{ path: 'InternalRaftRequest', fieldNumber: 15, wireType: 0, size: 2 }]);
    assert.deepEqual(collectUnknownFields(request), reported);
  });

  it('works on messages made with create() and plain objects given their type', () => {
    assert.equal(formatMessage(ProtoTypes.InternalRaftRequest.create({ id: Long.fromNumber(5, true) })), 'id: 5\n');
    assert.equal(formatMessage({ id: 6n }, ProtoTypes.InternalRaftRequest), 'id: 6\n');
    assert.throws(() => formatMessage({}), /no type/);
  });
});

describe('Go value spellings', () => {
  it('formats floats like fmt %v at their own width', () => {
    const f32: [number, string][] = [
      [0.1, '0.1'], [0.5, '0.5'], [0.3, '0.3'], [1 / 3, '0.33333334'], [100, '100'], [123456, '123456'],
      [1e6, '1e+06'], [1234567, '1.234567e+06'], [16777216, '1.6777216e+07'], [0.0001, '0.0001'], [0.00001, '1e-05'], [-2.5, '-2.5'],
    ];
    for (const [v, want] of f32) assert.equal(formatGoFloat(Math.fround(v), 32), want, `float32 ${v}`);
    const f64: [number, string][] = [[0.1, '0.1'], [1 / 3, '0.3333333333333333'], [1e21, '1e+21'], [123456789, '1.23456789e+08'], [-0, '-0'], [1e-300, '1e-300']];
    for (const [v, want] of f64) assert.equal(formatGoFloat(v, 64), want, `float64 ${v}`);
    assert.deepEqual([NaN, Infinity, -Infinity].map((v) => formatGoFloat(v, 64)), ['nan', 'inf', '-inf']);
  });

  it('formats os.FileMode like its String method', () => {
    assert.equal(formatGoFileMode(0o444), '-r--r--r--');
    assert.equal(formatGoFileMode(0o755 | 2 ** 31), 'drwxr-xr-x');
    assert.equal(formatGoFileMode(0o777 | 2 ** 31 | 2 ** 20), 'dtrwxrwxrwx');
    assert.equal(formatGoFileMode(0), '----------');
  });

  it('escapes every byte outside printable ASCII as three octal digits', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const quoted = quoteBytes(all);
    assert.ok(quoted.startsWith('"\\000\\001\\002\\003\\004\\005\\006\\007\\010\\t\\n\\013\\014\\r\\016\\017\\020'));
    assert.ok(quoted.includes('\\037 !\\"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\177\\200'));
    assert.ok(quoted.endsWith('\\375\\376\\377"'));
  });
});
