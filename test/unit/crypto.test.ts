// Byte-exact vectors for the primitives under the reader: CRC-32C (format notes), NaCl secretbox (the
// NaCl distribution's crypto_secretbox vector), Fernet (the Fernet specification's vector).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { crc32c, crc32cAddon, crc32cBackend, crc32cPortable, NATIVE_CRC_FROM_BYTES } from '../../src/core/crypto/crc32c';
import { fernetOpen, fernetSeal } from '../../src/core/crypto/fernet';
import { Algorithm, decodeByProtobufjs, decodeEncryptedRecord, encodeEncryptedRecord, openRecord, type EncryptedRecord } from '../../src/core/crypto/maybeEncrypted';
import { libsodiumOpenPaths, loadFastSecretbox, loadLibsodium, NATIVE_FROM_BYTES, PlainScratch, secretboxBackend, secretboxImplementations, secretboxOpen, secretboxSeal } from '../../src/core/crypto/secretbox';
import { SeededRandom } from '../../src/core/writer/seededRandom';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('crc32c', () => {
  it('matches the Castagnoli vectors, chained', () => {
    const first = crc32c(0, Buffer.from('somedata'));
    assert.equal(first, 0x741f6a05);
    assert.equal(crc32c(first, Uint8Array.from([0x08, 0x00, 0x10, 0x00])), 0x18206d80);
  });
  it('differs from the IEEE polynomial', () => {
    assert.notEqual(crc32c(0, Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32c(0, Buffer.from('123456789')), 0xe3069283);
  });
  it('uses the native addon where it is installed, and it agrees with the portable code on views, seeds and lengths', () => {
    let installed = true;
    try {
      require.resolve('@node-rs/crc32');
    } catch {
      installed = false;
    }
    assert.equal(crc32cBackend(), installed ? 'native' : 'portable');
    assert.equal(crc32cPortable(0, Buffer.from('123456789')), 0xe3069283);
    const random = new SeededRandom('crc32c');
    const bytes = random.bytes(70_000);
    for (let i = 0; i < 300; i++) {
      const start = random.int(0, 1000);
      const view = new Uint8Array(bytes.buffer, bytes.byteOffset + start, random.int(0, i < 10 ? 69_000 : 300)); // a plain view at any alignment
      const seed = i === 0 ? 0xffffffff : i === 1 ? 0 : random.int(0, 0xffffffff);
      assert.equal(crc32c(seed, view), crc32cPortable(seed, view), `seed ${seed}, ${view.length} bytes at ${start}`);
      const addon = crc32cAddon();
      if (addon) assert.equal(addon(seed, view), crc32cPortable(seed, view), `addon: seed ${seed}, ${view.length} bytes at ${start}`);
    }
  });
  it("loads the glibc build's binary itself where it is installed, not through the package's entry (which reads /usr/bin/ldd first)", (t) => {
    const build = `linux-${process.arch}-gnu`;
    try {
      require.resolve(`@node-rs/crc32-${build}/package.json`);
    } catch {
      t.skip(`@node-rs/crc32-${build} is not installed here (${process.platform}-${process.arch})`);
      return;
    }
    assert.ok(crc32cAddon(), 'the addon loads');
    const entry = require.resolve('@node-rs/crc32');
    assert.ok(!(entry in require.cache), `${entry} was not required`);
  });
  it('gives the same CRC on either side of the length where it switches to the addon', () => {
    const bytes = new SeededRandom('crc32c-threshold').bytes(NATIVE_CRC_FROM_BYTES + 2);
    for (const n of [NATIVE_CRC_FROM_BYTES - 1, NATIVE_CRC_FROM_BYTES, NATIVE_CRC_FROM_BYTES + 1]) {
      const view = bytes.subarray(1, 1 + n);
      assert.equal(crc32c(0x12345678, view), crc32cPortable(0x12345678, view), `${n} bytes`);
    }
  });
});

describe('secretbox', () => {
  const key = hex('1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389');
  const nonce = hex('69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37');
  const message = hex('be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705');
  const box = hex('f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5');
  before(() => loadLibsodium());
  it('loadFastSecretbox: the native addon for every box where it is installed, else libsodium (WebAssembly)', async () => {
    let installed = true;
    try {
      require.resolve('sodium-native');
    } catch {
      installed = false;
    }
    const used = installed && process.env.SWARM_RAFT_SECRETBOX !== 'libsodium'; // the variable pins libsodium for comparisons
    await loadFastSecretbox();
    for (const size of [0, NATIVE_FROM_BYTES - 1, NATIVE_FROM_BYTES]) assert.equal(secretboxBackend(size), used ? 'native' : 'libsodium', `${size} bytes`);
    // The WebAssembly build is loaded here too (before(), for the comparisons below); the addon still opens every box.
    assert.deepEqual(Object.keys(secretboxImplementations()).sort(), used ? ['libsodium', 'native', 'tweetnacl'] : ['libsodium', 'tweetnacl']);
    // Either side of the threshold, through the dispatching functions: what tweetnacl makes and opens.
    const reference = secretboxImplementations().tweetnacl!;
    for (const size of [0, 100, NATIVE_FROM_BYTES - 17, NATIVE_FROM_BYTES - 16, 1 << 20]) {
      const plain = new Uint8Array(size).fill(size & 0xff);
      const sealed = secretboxSeal(plain, nonce, key);
      assert.deepEqual(Buffer.from(sealed), Buffer.from(reference.seal(plain, nonce, key)), `${size} bytes`);
      assert.deepEqual(Buffer.from(secretboxOpen(sealed, nonce, key)!), Buffer.from(plain), `${size} bytes`);
      assert.equal(secretboxOpen(flip(sealed, size >> 1), nonce, key), undefined, `${size} bytes, tampered`);
    }
  });
  it('in a fresh process: tweetnacl and the addon for big boxes until loadFastSecretbox, then one fast backend; the WebAssembly build where libsodium is pinned', () => {
    const probe = `
      const sb = require(${JSON.stringify(require.resolve('../../src/core/crypto/secretbox'))});
      (async () => {
        const before = [sb.secretboxBackend(100), sb.secretboxBackend(1 << 20)];
        await sb.loadFastSecretbox();
        console.log(JSON.stringify([...before, sb.secretboxBackend(100), sb.secretboxBackend(1 << 20)]));
      })();`;
    const env = { ...process.env };
    delete env.SWARM_RAFT_SECRETBOX;
    const run = (extra: Record<string, string>) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', probe], { env: { ...env, ...extra }, encoding: 'utf8' })) as string[];
    let installed = true;
    try {
      require.resolve('sodium-native');
    } catch {
      installed = false;
    }
    assert.deepEqual(run({}), installed ? ['tweetnacl', 'native', 'native', 'native'] : ['tweetnacl', 'tweetnacl', 'libsodium', 'libsodium']);
    assert.deepEqual(run({ SWARM_RAFT_SECRETBOX: 'libsodium' }), ['tweetnacl', 'tweetnacl', 'libsodium', 'libsodium']);
  });
  it('with a PlainScratch, the addon opens every box into the same memory; a failure does not touch it', () => {
    const scratch = new PlainScratch();
    const reference = secretboxImplementations().tweetnacl!;
    const big = (fill: number) => new Uint8Array(NATIVE_FROM_BYTES + 1000).fill(fill);
    const first = secretboxOpen(reference.seal(big(1), nonce, key), nonce, key, scratch)!;
    assert.deepEqual(Buffer.from(first), Buffer.from(big(1)));
    const second = secretboxOpen(reference.seal(big(2), nonce, key), nonce, key, scratch)!;
    assert.deepEqual(Buffer.from(second), Buffer.from(big(2)));
    const small = secretboxOpen(reference.seal(new Uint8Array(100).fill(3), nonce, key), nonce, key, scratch)!;
    assert.deepEqual(Buffer.from(small), Buffer.from(new Uint8Array(100).fill(3)));
    const native = secretboxBackend(0) === 'native'; // else (pinned, not installed) the scratch is not used
    if (native) {
      assert.equal(second.buffer, first.buffer, 'the scratch memory, again');
      assert.equal(small.buffer, first.buffer, 'a small box too');
      assert.equal(first[0], 3, 'the earlier views were overwritten: valid until the next open');
    }
    assert.equal(secretboxOpen(flip(reference.seal(big(4), nonce, key), 5), nonce, key, scratch), undefined);
    if (native) assert.deepEqual(Buffer.from(scratch.view(200)), Buffer.from([...new Uint8Array(100).fill(3), ...big(2).subarray(100, 200)]), 'a box that did not open left the memory alone');
  });
  it('secretboxOpen rejects a flipped bit, a wrong key, a short nonce and a short box', () => {
    assert.deepEqual(Buffer.from(secretboxOpen(box, nonce, key)!), message);
    const tampered = Buffer.from(box);
    tampered[40] ^= 1;
    assert.equal(secretboxOpen(tampered, nonce, key), undefined);
    assert.equal(secretboxOpen(box, nonce, Buffer.alloc(32)), undefined);
    assert.equal(secretboxOpen(box, nonce.subarray(0, 23), key), undefined);
    assert.equal(secretboxOpen(box.subarray(0, 15), nonce, key), undefined);
    assert.deepEqual(Buffer.from(secretboxSeal(message, nonce, key)), box);
  });
  // Each implementation on its own: the vector, then against tweetnacl (the reference port) on random boxes.
  for (const backend of ['tweetnacl', 'libsodium', 'native'] as const) {
    // Native is missing where its prebuilt binary is (the packaged extension's case) or when libsodium is pinned.
    const missing = backend === 'native' && !secretboxImplementations().native;
    describe(backend, { skip: missing && 'sodium-native is not loaded here' }, () => {
      const implementation = () => {
        const found = secretboxImplementations()[backend];
        if (!found) assert.fail(`${backend} is not available here`);
        return found;
      };
      it('seals to the NaCl vector (tag first, then ciphertext) and opens it', () => {
        assert.deepEqual(Buffer.from(implementation().seal(message, nonce, key)), box);
        assert.deepEqual(Buffer.from(implementation().open(box, nonce, key)!), message);
      });
      it('agrees with tweetnacl from 0 bytes to 1 MiB, on views at any alignment, and rejects wrong keys and tampered boxes', () => {
        const reference = secretboxImplementations().tweetnacl!;
        const random = new SeededRandom(`secretbox ${backend}`);
        for (const size of [0, 1, 15, 16, 17, 150, 4096, 65_536, 450_000, 1 << 20]) {
          const k = random.bytes(32);
          const n = random.bytes(24);
          const plain = random.bytes(size);
          const sealed = implementation().seal(plain, n, k);
          assert.deepEqual(Buffer.from(sealed), Buffer.from(reference.seal(plain, n, k)), `${size} bytes sealed`);
          const shifted = new Uint8Array(sealed.length + 7);
          shifted.set(sealed, 3);
          const view = shifted.subarray(3, 3 + sealed.length); // a view whose offset is not a multiple of anything
          assert.deepEqual(Buffer.from(implementation().open(view, n, k)!), Buffer.from(plain), `${size} bytes opened`);
          assert.equal(implementation().open(sealed, n, random.bytes(32)), undefined, `${size} bytes, wrong key`);
          assert.equal(implementation().open(flip(sealed, random.int(0, sealed.length - 1)), n, k), undefined, `${size} bytes, tampered`);
        }
      });
    });
  }
});

describe('PlainScratch', () => {
  it('gives zeroed views after any mix of whole views and reported writes, zeroing only what was written', () => {
    const random = new SeededRandom('plain-scratch');
    const scratch = new PlainScratch();
    let lastLength = 0;
    for (let step = 0; step < 400; step++) {
      const length = random.int(1, 3_000_000);
      if (random.int(0, 3) === 0) {
        scratch.view(length).fill(0xa5); // a caller that writes its whole view (an opened box)
      } else {
        const view = scratch.zeroedView(length);
        assert.ok(view.every((b) => b === 0), `step ${step}: ${length} zero bytes after a view of ${lastLength}`);
        for (let k = random.int(0, 4); k > 0; k--) {
          const from = random.int(0, length);
          const to = Math.min(length, from + random.int(0, 5000));
          view.fill(0x5a, from, to);
          scratch.wrote(from, to);
        }
      }
      lastLength = length;
    }
  });
});

describe('secretbox through libsodium: the heap-reusing call and the wrapper agree', () => {
  it('on boxes from 0 bytes to 3 MiB (the heap area grows), under the right and a wrong key, and on tampered boxes', async () => {
    await loadLibsodium();
    assert.ok(libsodiumOpenPaths.hasDirect(), 'the wrapper exposes its module (else the wrapper path is used)');
    const random = new SeededRandom('secretbox paths');
    let opened = 0;
    for (const size of [0, 1, 15, 16, 17, 150, 4096, 65_536, 450_000, 3 << 20, 100]) {
      const key = random.bytes(32);
      const nonce = random.bytes(24);
      const plain = random.bytes(size);
      const box = secretboxSeal(plain, nonce, key);
      for (const [label, k, b] of [['right key', key, box], ['wrong key', random.bytes(32), box], ['tampered', key, flip(box, random.int(0, box.length - 1))]] as const) {
        const direct = libsodiumOpenPaths.direct(b, nonce, k);
        const wrapped = libsodiumOpenPaths.wrapper(b, nonce, k);
        assert.deepEqual(direct && Buffer.from(direct), wrapped && Buffer.from(wrapped), `${size} bytes, ${label}`);
        if (label === 'right key') {
          assert.deepEqual(Buffer.from(direct!), Buffer.from(plain));
          opened++;
        } else {
          assert.equal(direct, undefined, `${size} bytes, ${label}`);
        }
      }
    }
    assert.equal(opened, 11);
  });
});

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] ^= 0x10;
  return copy;
}

describe('fernet', () => {
  const key = Buffer.from('cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=', 'base64url');
  const token = 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
  const iv = Buffer.from([...Array(16).keys()]);
  const time = BigInt(Date.parse('1985-10-26T01:20:00-07:00') / 1000);
  it('seals to the specification vector (base64url with padding)', () => {
    assert.equal(Buffer.from(fernetSeal(Buffer.from('hello'), key, time, iv)).toString('latin1'), token);
  });
  it('opens it, with no TTL check, and rejects a wrong key or a bad HMAC', () => {
    assert.equal(Buffer.from(fernetOpen(Buffer.from(token), key)!).toString(), 'hello');
    assert.equal(fernetOpen(Buffer.from(token), Buffer.alloc(32)), undefined);
    assert.equal(fernetOpen(Buffer.from(token.replace('gAAA', 'gAAB')), key), undefined);
    assert.equal(fernetOpen(Buffer.from('not a token'), key), undefined);
  });
});

describe('MaybeEncryptedRecord', () => {
  const keyA = Buffer.alloc(32, 1);
  const keyB = Buffer.alloc(32, 2);
  const nonce = Buffer.alloc(24, 7);
  it('tries every key and both algorithms, and says which key opened it', () => {
    const nacl = encodeEncryptedRecord({ algorithm: Algorithm.Secretbox, data: secretboxSeal(Buffer.from('x'), nonce, keyB), nonce });
    const r = openRecord(nacl, [keyA, keyB]);
    assert.ok(r.ok && r.keyIndex === 1 && Buffer.from(r.plain).toString() === 'x');
    const fernet = encodeEncryptedRecord({ algorithm: Algorithm.Fernet, data: fernetSeal(Buffer.from('y'), keyA, 1n, Buffer.alloc(16)), nonce: new Uint8Array(0) });
    const f = openRecord(fernet, [keyB, keyA]);
    assert.ok(f.ok && f.keyIndex === 1 && Buffer.from(f.plain).toString() === 'y');
  });
  it('the hand-read fast path and protobufjs agree on mutated records (both throw, or give the same fields)', () => {
    const random = new SeededRandom('maybe encrypted');
    const outcome = (read: () => EncryptedRecord) => {
      try {
        const r = read();
        return { algorithm: r.algorithm, data: Buffer.from(r.data).toString('hex'), nonce: Buffer.from(r.nonce).toString('hex') };
      } catch (e) {
        return `throws ${(e as Error).constructor.name}`;
      }
    };
    let decoded = 0;
    // A length in 6 bytes and in 5 (non-canonical), a two-byte algorithm.
    const crafted = [[0x12, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x07, 0x08, 0x02, 0x08, 0x03, 0x08, 0x01], [0x1a, 0x82, 0x80, 0x80, 0x80, 0x00, 1, 2], [0x08, 0x81, 0x00, 0x12, 0x00]];
    for (let round = 0; round < 3000; round++) {
      const bytes = round < crafted.length ? Uint8Array.from(crafted[round])
        : Uint8Array.from(encodeEncryptedRecord({ algorithm: random.int(0, 3), data: random.bytes(random.int(0, 300)), nonce: random.bytes(24) }));
      for (let m = round < 100 ? 0 : random.int(1, 3); m > 0; m--) bytes[random.int(0, bytes.length - 1)] = random.int(0, 3) === 0 ? 0x80 | random.int(0, 127) : random.int(0, 255);
      const fast = outcome(() => decodeEncryptedRecord(bytes));
      assert.deepEqual(fast, outcome(() => decodeByProtobufjs(bytes)), Buffer.from(bytes).toString('hex'));
      if (typeof fast === 'object') decoded++;
    }
    assert.ok(decoded > 1000, `${decoded} decodable`);
  });
  it('passes NONE records through and names unknown algorithms and missing keys', () => {
    const plain = openRecord(encodeEncryptedRecord({ algorithm: Algorithm.None, data: Buffer.from('z'), nonce: new Uint8Array(0) }), []);
    assert.ok(plain.ok && plain.keyIndex === -1);
    const unknown = openRecord(encodeEncryptedRecord({ algorithm: 9, data: Buffer.from('z'), nonce: new Uint8Array(0) }), [keyA]);
    assert.ok(!unknown.ok && unknown.reason === 'unknown-algorithm');
    const none = openRecord(encodeEncryptedRecord({ algorithm: Algorithm.Secretbox, data: Buffer.alloc(40), nonce }), [keyA]);
    assert.ok(!none.ok && none.reason === 'no-key');
  });
});
