// Redacted exports open a big sealed entry in parts (src/core/report/redactedOpening.ts): the box's tag is
// checked whole, and only what the redacted text prints is decrypted. Held here to libsodium (the HSalsa20
// subkey, the keystream at every block), to the plain opening (same plaintext, same failures) and to the
// redacted text of every sealed entry of the corpus and of a real log of big configs (same bytes).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Messages } from '../../src/core/codec';
import { Algorithm, encodeEncryptedRecord } from '../../src/core/crypto/maybeEncrypted';
import { hsalsa20 } from '../../src/core/crypto/hsalsa20';
import { nativeStream, PlainScratch, secretboxOpen, secretboxSeal } from '../../src/core/crypto/secretbox';
import { authenticateSecretbox, secretboxPartsAvailable } from '../../src/core/crypto/secretboxParts';
import { dumpWalText } from '../../src/core/report/dumpWal';
import { setPartialOpeningFrom, unsealForRedactedText } from '../../src/core/report/redactedOpening';
import { unsealPayload, type PayloadContext } from '../../src/core/state/entryPayload';
import { SwarmState } from '../../src/core/state/swarmState';
import { findRedactedRanges } from '../../src/core/text/redactedRanges';
import { wireRequestRedaction } from '../../src/core/text/redact';
import { TextSink } from '../../src/core/text/textSink';
import { writeWireText } from '../../src/core/text/wireText';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { corpusCase, corpusCases, generatedCase } from '../support/fixtures';

const random = new SeededRandom('redacted-opening');
const randomBytes = (n: number) => new Uint8Array(random.bytes(n));
const hex = (s: string) => Buffer.from(s, 'hex');

describe('HSalsa20 and boxes opened in parts', () => {
  it('sodium-native is installed here, with the keystream and Poly1305 functions', () => {
    assert.ok(secretboxPartsAvailable());
  });
  it('HSalsa20 matches the NaCl distribution\'s vector (tests/core2.c)', () => {
    const shared = hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
    assert.equal(Buffer.from(hsalsa20(shared, new Uint8Array(16))).toString('hex'), '1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389');
  });
  it('Salsa20 under the HSalsa20 subkey continues XSalsa20\'s keystream from any block', () => {
    const lib = nativeStream()!;
    for (let i = 0; i < 20; i++) {
      const key = randomBytes(32);
      const nonce = randomBytes(24);
      const xsalsa = new Uint8Array(64 * 6);
      lib.crypto_stream(xsalsa, nonce, key);
      const subkey = hsalsa20(key, nonce.subarray(0, 16));
      for (let block = 0; block < 6; block++) {
        const salsa = new Uint8Array(64);
        lib.crypto_stream_salsa20_xor_ic(salsa, new Uint8Array(64), nonce.subarray(16), block, subkey);
        assert.deepEqual(salsa, xsalsa.subarray(64 * block, 64 * block + 64), `key ${i}, block ${block}`);
      }
    }
  });
  it('decrypts any part of a box as opening it whole does, around every block border', () => {
    for (const length of [0, 1, 31, 32, 33, 63, 64, 65, 95, 96, 97, 160, 1000, 70_000]) {
      const key = randomBytes(32);
      const nonce = randomBytes(24);
      const plain = randomBytes(length);
      const box = authenticateSecretbox(secretboxSeal(plain, nonce, key), nonce, key);
      assert.ok(box, `length ${length}`);
      assert.equal(box.length, length);
      const whole = new Uint8Array(length);
      box.decrypt(whole, 0, length);
      assert.deepEqual(whole, plain);
      for (let k = 0; k < 40 && length > 0; k++) {
        const from = random.int(0, length - 1);
        const to = random.int(from, length);
        const part = new Uint8Array(length);
        box.decrypt(part, from, to);
        assert.deepEqual(part.subarray(from, to), plain.subarray(from, to), `length ${length}: [${from}, ${to})`);
      }
      box.dispose();
    }
  });
  it('refuses a box whose tag or any ciphertext byte was changed, or under another key, as opening does', () => {
    const key = randomBytes(32);
    const nonce = randomBytes(24);
    const sealed = secretboxSeal(randomBytes(5000), nonce, key);
    for (const at of [0, 15, 16, 17, 48, 49, 2500, sealed.length - 1]) {
      const changed = Uint8Array.from(sealed);
      changed[at] ^= 0x01;
      assert.equal(authenticateSecretbox(changed, nonce, key), undefined, `byte ${at}`);
      assert.equal(secretboxOpen(changed, nonce, key), undefined);
    }
    assert.equal(authenticateSecretbox(sealed, nonce, randomBytes(32)), undefined);
    assert.equal(authenticateSecretbox(sealed.subarray(0, 15), nonce, key), undefined);
  });
});

/** An InternalRaftRequest creating a secret and a config with `size` bytes of data each, and a service. */
function bigRequest(size: number): { bytes: Uint8Array; secretData: Uint8Array; configData: Uint8Array } {
  const secretData = randomBytes(size);
  const configData = randomBytes(size);
  const request = Messages.internalRaftRequest.fromObject({
    id: '18446744073709551615',
    action: [
      { action: 1, secret: { id: 's1', spec: { annotations: { name: 'passwd' }, data: secretData } } },
      { action: 1, config: { id: 'c1', spec: { annotations: { name: 'nginx.conf', labels: { a: 'b' } }, data: configData } } },
      { action: 2, service: { id: 'v1', spec: { annotations: { name: 'web' }, task: { container: { image: 'nginx', env: ['A=1'] } } } } },
    ],
  });
  return { bytes: new Uint8Array(Messages.internalRaftRequest.encode(request).finish()), secretData, configData };
}

function redactedText(plain: Uint8Array): string {
  const out = new TextSink(1 << 16);
  writeWireText(out, plain, Messages.internalRaftRequest, wireRequestRedaction);
  return out.toString();
}

describe('the ranges the redacted text does not read', () => {
  it('are the secret\'s and the config\'s data, found reading only what the walk asked for', () => {
    const { bytes, secretData, configData } = bigRequest(3000);
    const readable = new Uint8Array(bytes.length).fill(0xee);
    const asked = new Uint8Array(bytes.length);
    const source = {
      bytes: readable,
      need(from: number, to: number) {
        readable.set(bytes.subarray(from, to), from);
        asked.fill(1, from, to);
      },
    };
    const ranges: number[] = [];
    assert.equal(findRedactedRanges(source, Messages.internalRaftRequest, wireRequestRedaction, 0, bytes.length, ranges), true);
    assert.equal(ranges.length, 4);
    assert.deepEqual(bytes.subarray(ranges[0], ranges[1]), secretData);
    assert.deepEqual(bytes.subarray(ranges[2], ranges[3]), configData);
    // Of either value the walk needed at most the few bytes it reads ahead of a tag (two varints' worth).
    for (let k = 0; k < ranges.length; k += 2) assert.ok(asked.subarray(ranges[k], ranges[k + 1]).reduce((n, b) => n + b, 0) <= 20);
  });
  it('hold anything without changing the redacted text; the plain text does show them', () => {
    const { bytes } = bigRequest(2000);
    const ranges: number[] = [];
    assert.ok(findRedactedRanges({ bytes, need() {} }, Messages.internalRaftRequest, wireRequestRedaction, 0, bytes.length, ranges));
    const scrambled = Uint8Array.from(bytes);
    for (let k = 0; k < ranges.length; k += 2) scrambled.set(randomBytes(ranges[k + 1] - ranges[k]), ranges[k]);
    assert.equal(redactedText(scrambled), redactedText(bytes));
    assert.match(redactedText(bytes), /data: "SECRET REDACTED"[\s\S]*data: "CONFIG REDACTED"[\s\S]*ENVVARS REDACTED/);
    const plainText = (b: Uint8Array) => {
      const out = new TextSink(1 << 16);
      writeWireText(out, b, Messages.internalRaftRequest);
      return out.toString();
    };
    assert.notEqual(plainText(scrambled), plainText(bytes));
  });
  it('are given up on (nothing skipped) where the bytes do not parse', () => {
    const { bytes } = bigRequest(100);
    for (const cut of [1, 5, 40, bytes.length - 1]) {
      const ranges: number[] = [];
      const part = bytes.subarray(0, cut);
      assert.equal(findRedactedRanges({ bytes: part, need() {} }, Messages.internalRaftRequest, wireRequestRedaction, 0, part.length, ranges), false, `cut at ${cut}`);
    }
  });
});

describe('opening an entry for its redacted text', () => {
  after(() => setPartialOpeningFrom(128 * 1024));
  const key = randomBytes(32);
  const other = randomBytes(32);
  const context = (keys: Uint8Array[]): PayloadContext => ({
    encrypted: true, keys: keys.map((k, i) => ({ key: k, label: `key ${i}` })), keyState: 'open', foreignKeys: false, snapshotIndexes: [],
  });
  const seal = (plain: Uint8Array, k: Uint8Array) => {
    const nonce = randomBytes(24);
    return encodeEncryptedRecord({ algorithm: Algorithm.Secretbox, data: secretboxSeal(plain, nonce, k), nonce });
  };

  it('gives the plaintext with the skipped data zeroed, under the key that opens it, and the same redacted text', () => {
    setPartialOpeningFrom(0);
    const { bytes, secretData } = bigRequest(200_000);
    const sealed = seal(bytes, key);
    const ctx = context([other, key]);
    const partial = unsealForRedactedText(ctx, sealed, 7n, wireRequestRedaction);
    const whole = unsealPayload(ctx, sealed, 7n);
    assert.ok(partial.ok && whole.ok);
    assert.equal(partial.keyLabel, 'key 1');
    assert.equal(partial.keyLabel, whole.keyLabel);
    assert.deepEqual(new Uint8Array(whole.plain), bytes);
    assert.notDeepEqual(partial.plain, bytes);
    const at = Buffer.from(bytes).indexOf(Buffer.from(secretData));
    assert.equal(partial.plain.subarray(at, at + secretData.length).every((b) => b === 0), true);
    assert.equal(redactedText(partial.plain), redactedText(whole.plain));
  });
  it('keeps the skipped data zeroed through one scratch memory, whatever the entries before left in it', () => {
    setPartialOpeningFrom(0);
    const scratch = new PlainScratch();
    const ctx = context([key]);
    // Every byte of the scratch written: a 450 KB entry opened whole into it.
    const filler = randomBytes(450_000);
    assert.ok(unsealPayload(ctx, seal(filler, key), 1n, scratch).ok);
    // Then entries whose printed parts and skipped data lie at other places each time.
    for (const [i, size] of [200_000, 3_000, 120_000, 300_000, 5_000, 200_000].entries()) {
      const { bytes, secretData, configData } = bigRequest(size);
      const partial = unsealForRedactedText(ctx, seal(bytes, key), BigInt(i + 2), wireRequestRedaction, scratch);
      assert.ok(partial.ok, `entry ${i}`);
      for (const data of [secretData, configData]) {
        const at = Buffer.from(bytes).indexOf(Buffer.from(data));
        assert.ok(partial.plain.subarray(at, at + data.length).every((b) => b === 0), `entry ${i} (${size} bytes of data): skipped data zeroed`);
      }
      assert.equal(redactedText(partial.plain), redactedText(bytes), `entry ${i}: its redacted text`);
    }
  });
  it('fails as opening fails: a changed byte, no key that opens it, a record that does not decode', () => {
    setPartialOpeningFrom(0);
    const sealed = seal(bigRequest(150_000).bytes, key);
    const changed = Uint8Array.from(sealed);
    changed[changed.length - 100] ^= 0x40;
    for (const [label, data, keys] of [['changed', changed, [key]], ['other key', sealed, [other]], ['cut', sealed.subarray(0, 1000), [key]]] as const) {
      const ctx = context([...keys]);
      assert.deepEqual(unsealForRedactedText(ctx, data, 3n, wireRequestRedaction), unsealPayload(ctx, data, 3n), label);
      assert.equal(unsealPayload(ctx, data, 3n).ok, false, label);
    }
  });
  it('opens small entries whole (below the size where skipping pays)', () => {
    setPartialOpeningFrom(128 * 1024);
    const { bytes } = bigRequest(10_000);
    const result = unsealForRedactedText(context([key]), seal(bytes, key), 1n, wireRequestRedaction);
    assert.ok(result.ok);
    assert.deepEqual(new Uint8Array(result.plain), bytes, 'nothing zeroed');
  });

  /** dump-wal --redact of a state directory, with entries opened in parts from `from` bytes. */
  function redactedDump(dir: string, unlockKey: string | undefined, from: number): string {
    setPartialOpeningFrom(from);
    const state = SwarmState.open(dir, { unlockKey });
    try {
      return [...dumpWalText(state, { redact: true, all: true }, [])].join('');
    } finally {
      state.close();
    }
  }
  it('prints every corpus case\'s and a real log of big configs\' redacted export as opening whole does', () => {
    const dirs = corpusCases().map((name) => {
      const manifest = JSON.parse(readFileSync(join(corpusCase(name), 'manifest.json'), 'utf8'));
      return { dir: join(corpusCase(name), 'swarm'), key: (manifest.unlock_key ?? manifest.unlock_keys?.current ?? undefined) as string | undefined };
    });
    dirs.push({ dir: join(generatedCase('big-wal'), 'swarm'), key: undefined });
    for (const { dir, key: unlockKey } of dirs) {
      const whole = redactedDump(dir, unlockKey, Infinity);
      assert.equal(redactedDump(dir, unlockKey, 0), whole, dir);
      assert.equal(redactedDump(dir, unlockKey, 128 * 1024), whole, dir);
    }
    assert.match(redactedDump(dirs[dirs.length - 1].dir, undefined, 0), /data: "CONFIG REDACTED"/);
  });
});
