// Types decode through a decoder made on first use (src/core/proto/lazyDecoders.ts): the same messages
// protobufjs's full setup decodes, without generating the rest, which still works when first asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs/light';
import { installLazyDecoders } from '../../src/core/proto/lazyDecoders';
import schemaJson from '../../src/core/proto/schema.json';

const SERVICE = 'docker.swarmkit.v1.Service';

function freshRoot(lazy: boolean): protobuf.Root {
  const root = protobuf.Root.fromJSON(schemaJson as protobuf.INamespace);
  root.resolveAll();
  if (lazy) installLazyDecoders(root);
  return root;
}

// A service with nested messages, a map, repeated fields, a oneof member, an enum and a 64-bit index past 2^53.
const sample = {
  id: 'svc1',
  meta: { version: { index: '9007199254740993' } },
  spec: {
    annotations: { name: 'web', labels: { tier: 'front', owner: 'ops' } },
    task: { container: { image: 'nginx:1', args: ['-g', 'daemon off;'], env: ['A=1', 'B=2'] }, restart: { condition: 1, maxAttempts: '3' } },
    replicated: { replicas: '3' },
    endpoint: { ports: [{ name: 'http', protocol: 0, targetPort: 80, publishedPort: 8080 }] },
  },
  pendingDelete: true,
};

const asPlain = (type: protobuf.Type, message: protobuf.Message) => type.toObject(message, { longs: String, enums: String, defaults: false });
const hasOwn = (type: protobuf.Type, name: string) => Object.prototype.hasOwnProperty.call(type, name);

describe('proto: lazy decoders', () => {
  const plain = freshRoot(false);
  const plainType = plain.lookupType(SERVICE);
  const bytes = plainType.encode(plainType.fromObject(sample)).finish();

  it('decode what the full setup decodes, 64-bit values exact, and generate nothing else', () => {
    const lazy = freshRoot(true);
    const type = lazy.lookupType(SERVICE);
    const spec = lazy.lookupType('docker.swarmkit.v1.ServiceSpec');
    const decoded = type.decode(bytes);
    for (const t of [type, spec]) {
      assert.ok(hasOwn(t, 'decode'), `${t.name} has its decoder`);
      for (const name of ['encode', 'verify', 'fromObject', 'toObject']) assert.equal(hasOwn(t, name), false, `${t.name}.${name} not generated`);
    }
    assert.deepEqual(asPlain(type, decoded), asPlain(plainType, plainType.decode(bytes)));
    assert.equal(asPlain(type, decoded).meta.version.index, '9007199254740993');
  });

  it('leave encoding, verifying and converting to the full setup, after which decoding is unchanged', () => {
    const lazy = freshRoot(true);
    const type = lazy.lookupType(SERVICE);
    const first = type.decode(bytes);
    assert.deepEqual([...type.encode(first).finish()], [...bytes]);
    assert.ok(hasOwn(type, 'encode') && hasOwn(type, 'toObject'), 'the full setup ran');
    assert.equal(type.verify(first), null);
    assert.deepEqual(asPlain(type, type.decode(bytes)), asPlain(type, first));
  });

  it('reject bad input as protobufjs does', () => {
    const lazy = freshRoot(true).lookupType(SERVICE);
    const cut = bytes.subarray(0, bytes.length - 3);
    assert.throws(() => plainType.decode(cut), RangeError);
    assert.throws(() => lazy.decode(cut), RangeError);
  });
});
