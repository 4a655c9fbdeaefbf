// The compiled schema: up to date with proto/, SwarmKit's field facts that printing depends on
// (names, numbers, declaration order, gogoproto options), and exact 64-bit decoding.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Long from 'long';
import type { Type } from 'protobufjs/light';
import { ProtoTypes, STORE_OBJECT_TYPES, root } from '../../src/core/proto/schema';
import { repoRoot } from '../support/fixtures';
import { assertGeneratedFileCurrent } from '../support/generated';

const swarm = (name: string): Type => root.lookupType(`docker.swarmkit.v1.${name}`);
const fieldList = (type: Type): string => type.fieldsArray.map((f) => `${f.name}=${f.id}`).join(' ');

describe('compiled schema', () => {
  it('src/core/proto/schema.json is what scripts/build-proto.mjs makes of proto/', () => {
    assertGeneratedFileCurrent('scripts/build-proto.mjs', 'src/core/proto/schema.json', 'run `npm run proto` and commit it');
  });

  it('keeps declaration order where it differs from number order', () => {
    assert.equal(fieldList(swarm('Service')), 'id=1 meta=2 spec=3 spec_version=10 previous_spec=6 previous_spec_version=11 endpoint=4 update_status=5 job_status=12 pending_delete=7');
    assert.equal(fieldList(ProtoTypes.raftpb.Entry), 'Term=2 Index=3 Type=1 Data=4');
    assert.equal(fieldList(swarm('TaskSpec')).split(' ').slice(0, 3).join(' '), 'attachment=8 container=1 generic=10');
    assert.equal(fieldList(swarm('Mount')), 'type=1 source=2 target=3 readonly=4 consistency=8 bind_options=5 volume_options=6 tmpfs_options=7');
    assert.equal(fieldList(swarm('TaskStatus')), 'timestamp=1 state=2 message=3 err=4 container=5 port_status=6 applied_by=7 applied_at=8');
  });

  it('has the store action targets and snapshot lists, volumes included', () => {
    assert.deepEqual(ProtoTypes.StoreAction.oneofs.target.oneof, ['node', 'service', 'task', 'network', 'cluster', 'secret', 'resource', 'extension', 'config', 'volume']);
    assert.equal(ProtoTypes.StoreAction.fields.volume.id, 11);
    assert.equal(ProtoTypes.StoreSnapshot.fields.volumes.id, 10);
    assert.deepEqual(STORE_OBJECT_TYPES.map((o) => [o.kind, ProtoTypes.StoreAction.fields[o.kind].resolve().resolvedType, ProtoTypes.StoreSnapshot.fields[o.snapshotField].resolve().resolvedType]),
      STORE_OBJECT_TYPES.map((o) => [o.kind, o.type, o.type]));
    assert.equal(ProtoTypes.ClusterSnapshot.fields.removed.packed, false);
  });

  it('uses SwarmKit 20.10 spellings the reference prints', () => {
    assert.equal(swarm('Cluster').fields.VXLANUDPPort.id, 13);
    assert.equal(swarm('Node').fields.VXLANUDPPort.id, 11);
    assert.equal(swarm('Cluster').fields.subnetSize.id, 12);
    assert.equal(swarm('Cluster').fields.defaultAddressPool.id, 11);
    assert.equal(swarm('ContainerSpec').fields.pidsLimit.id, 25);
  });

  it('keeps the gogoproto options that change printing', () => {
    assert.equal(swarm('Meta').fields.version.options?.['(gogoproto.nullable)'], false);
    assert.equal(swarm('Cluster').fields.root_ca.options?.['(gogoproto.nullable)'], false);
    assert.equal(swarm('FileTarget').fields.mode.options?.['(gogoproto.customtype)'], 'os.FileMode');
    assert.equal(swarm('UpdateConfig').fields.delay.options?.['(gogoproto.stdduration)'], true);
  });

  it('describes the encryption envelope', () => {
    const t = ProtoTypes.MaybeEncryptedRecord;
    assert.equal(fieldList(t), 'algorithm=1 data=2 nonce=3');
    assert.deepEqual({ ...(t.fields.algorithm.resolve().resolvedType as unknown as { values: object }).values }, { NONE: 0, SECRETBOX_SALSA20_POLY1305: 1, FERNET_AES_128_CBC: 2 });
  });

  it('decodes 64-bit integers exactly', () => {
    const bytes = ProtoTypes.InternalRaftRequest.encode({ id: Long.fromString('18446744073709551615', true) }).finish();
    const decoded = ProtoTypes.InternalRaftRequest.decode(bytes) as unknown as { id: Long };
    assert.equal(decoded.id.toString(), '18446744073709551615');
    const member = ProtoTypes.RaftMember.decode(ProtoTypes.RaftMember.encode({ raft_id: Long.fromString('9007199254740993', true) }).finish()) as unknown as { raft_id: Long };
    assert.equal(member.raft_id.toString(), '9007199254740993');
  });

  it('keeps unknown fields aside instead of dropping them', () => {
    // raft_id = 1, then field 111 (varint 1), unknown to the schema.
    const member = ProtoTypes.RaftMember.decode(Uint8Array.from([0x08, 0x01, 0xf8, 0x06, 0x01])) as unknown as { $unknowns?: Uint8Array[] };
    assert.deepEqual(member.$unknowns?.map((u) => [...u]), [[0xf8, 0x06, 0x01]]);
  });

  it('imports no vscode module from src/core/proto or src/core/text', () => {
    for (const dir of ['proto', 'text']) {
      const base = join(repoRoot, 'src', 'core', dir);
      for (const f of readdirSync(base).filter((n) => n.endsWith('.ts'))) {
        assert.doesNotMatch(readFileSync(join(base, f), 'utf8'), /from ['"]vscode['"]|require\(['"]vscode['"]\)/, f);
      }
    }
  });
});
