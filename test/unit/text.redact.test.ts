// The reference's --redact rules, on messages encoded here; the decoded input must stay intact.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message, Type } from 'protobufjs/light';
import { ProtoTypes, root } from '../../src/core/proto/schema';
import { formatMessage } from '../../src/core/text/protoText';
import { redactRequest, redactStoreSnapshot } from '../../src/core/text/redact';

const swarm = (name: string): Type => root.lookupType(`docker.swarmkit.v1.${name}`);
const decoded = (type: Type, object: Record<string, unknown>): Message => type.decode(type.encode(type.fromObject(object)).finish());
const lines = (...l: string[]): string => l.map((s) => s + '\n').join('');
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const cluster = {
  id: 'c',
  spec: { annotations: { name: 'default' }, ca_config: { node_cert_expiry: { seconds: 7776000 } }, raft: { snapshot_interval: 10000 } },
  root_ca: { ca_key: b64('KEY'), ca_cert: b64('CERT'), ca_cert_hash: 'sha256:x', join_tokens: { worker: 'W', manager: 'M' } },
  network_bootstrap_keys: [{ subsystem: 'networking:gossip', key: b64('k1'), lamport_time: 1 }],
  unlock_keys: [{ subsystem: 'swarm-manager', key: b64('k2') }],
  encryption_key_lamport_clock: 1,
};
const container = (extra: Record<string, unknown> = {}) => ({ image: 'nginx', env: ['A=1', 'PASS=x'], ...extra });

function requestWith(actions: Record<string, unknown>[]): Message {
  return decoded(ProtoTypes.InternalRaftRequest, { id: 9, action: actions });
}

describe('--redact', () => {
  it('replaces secret and config data', () => {
    const request = requestWith([
      { action: 1, secret: { id: 's', spec: { annotations: { name: 's' }, data: b64('hunter2') } } },
      { action: 1, config: { id: 'c', spec: { data: b64('\0\x01') } } },
      { action: 1, secret: { id: 'e' } },
    ]);
    const out = formatMessage(redactRequest(request));
    assert.deepEqual(out.split('\n').filter((l) => l.includes('data:')).map((l) => l.trim()), ['data: "SECRET REDACTED"', 'data: "CONFIG REDACTED"', 'data: "SECRET REDACTED"']);
  });

  it('empties a cluster\'s keys, root CA and CA config', () => {
    const out = formatMessage(redactRequest(requestWith([{ action: 2, cluster }])));
    assert.equal(out, lines(
      'id: 9',
      'action: <',
      '  action: STORE_ACTION_UPDATE',
      '  cluster: <',
      '    id: "c"',
      '    meta: <',
      '      version: <',
      '      >',
      '    >',
      '    spec: <',
      '      annotations: <',
      '        name: "default"',
      '      >',
      '      acceptance_policy: <',
      '      >',
      '      orchestration: <',
      '      >',
      '      raft: <',
      '        snapshot_interval: 10000',
      '      >',
      '      dispatcher: <',
      '      >',
      '      ca_config: <',
      '      >',
      '      task_defaults: <',
      '      >',
      '      encryption_config: <',
      '      >',
      '    >',
      '    root_ca: <',
      '      join_tokens: <',
      '      >',
      '    >',
      '    encryption_key_lamport_clock: 1',
      '  >',
      '>',
    ));
  });

  it('redacts container env (even when empty) and registry auth (only when pull options exist)', () => {
    const request = requestWith([
      { action: 1, task: { id: 't1', spec: { container: container({ pull_options: { registry_auth: 'tok' } }) } } },
      { action: 1, task: { id: 't2', spec: { container: { image: 'nginx' } } } },
      { action: 1, service: { id: 's', spec: { task: { container: container() } }, previous_spec: { task: { container: container() } } } },
    ]);
    const out = formatMessage(redactRequest(request));
    const env = out.split('\n').filter((l) => l.includes('env:')).map((l) => l.trim());
    // t1, t2 (added), service spec; previous_spec is left alone, as by the reference.
    assert.deepEqual(env, ['env: "ENVVARS REDACTED"', 'env: "ENVVARS REDACTED"', 'env: "ENVVARS REDACTED"', 'env: "A=1"', 'env: "PASS=x"']);
    assert.deepEqual(out.split('\n').filter((l) => l.includes('registry_auth')).map((l) => l.trim()), ['registry_auth: "REDACTED"']);
    assert.equal(out.split('pull_options').length, 2);
  });

  it('leaves other runtimes and object kinds alone', () => {
    const request = requestWith([
      { action: 1, task: { id: 't', spec: { attachment: { container_id: 'abc' } } } },
      { action: 1, node: { id: 'n', description: { hostname: 'h' } } },
      { action: 1, network: { id: 'net' } },
    ]);
    assert.equal(formatMessage(redactRequest(request)), formatMessage(request));
  });

  it('never modifies the decoded input', () => {
    const request = requestWith([
      { action: 1, cluster },
      { action: 1, secret: { id: 's', spec: { data: b64('hunter2') } } },
      { action: 1, task: { id: 't1', spec: { container: container({ pull_options: { registry_auth: 'tok' } }) } } },
    ]);
    const before = formatMessage(request);
    const redacted = redactRequest(request);
    assert.notEqual(formatMessage(redacted), before);
    assert.equal(formatMessage(request), before);
  });

  it('applies the same rules to a snapshot store', () => {
    const store = decoded(ProtoTypes.StoreSnapshot, {
      clusters: [cluster],
      secrets: [{ id: 's', spec: { data: b64('x') } }],
      configs: [{ id: 'c', spec: { data: b64('y') } }],
      tasks: [{ id: 't', spec: { container: container() } }],
      services: [{ id: 'v', spec: { task: { container: container({ pull_options: { registry_auth: 'tok' } }) } } }],
      nodes: [{ id: 'n' }],
    });
    const out = formatMessage(redactStoreSnapshot(store));
    for (const secret of ['KEY', 'CERT', 'W', 'hunter2', 'A=1', 'tok', 'networking:gossip', 'swarm-manager', '7776000']) {
      assert.ok(!out.includes(`"${secret}"`) && !out.includes(`${secret}\n`), secret);
    }
    for (const mark of ['data: "SECRET REDACTED"', 'data: "CONFIG REDACTED"', 'env: "ENVVARS REDACTED"', 'registry_auth: "REDACTED"', 'id: "n"']) {
      assert.ok(out.includes(mark), mark);
    }
    assert.ok(formatMessage(store).includes('data: "x"'), 'the input keeps its data');
  });

  it('types the copies like their originals', () => {
    const request = requestWith([{ action: 1, secret: { id: 's' } }]);
    const redacted = redactRequest(request) as unknown as { $type: Type; action: { $type: Type; secret: { $type: Type } }[] };
    assert.equal(redacted.$type, ProtoTypes.InternalRaftRequest);
    assert.equal(redacted.action[0].$type, ProtoTypes.StoreAction);
    assert.equal(redacted.action[0].secret.$type, swarm('Secret'));
  });
});
