// The CLI's Poly1305 addon (src/native/poly1305Verify.c: OpenSSL's code) against libsodium's (sodium-native):
// the same tags on every length, alignment and key, the same refusals, and clear errors on bad arguments.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { opensslPoly1305 } from '../../src/core/crypto/poly1305';
import { SeededRandom } from '../../src/core/writer/seededRandom';
// @ts-expect-error: an .mjs build script without type declarations
import { nodeHeadersDir } from '../../scripts/buildNative.mjs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sodium = require('sodium-native') as { crypto_onetimeauth(out: Uint8Array, message: Uint8Array, key: Uint8Array): void };
const root = join(__dirname, '..', '..');
const random = new SeededRandom('poly1305-addon');
const bytes = (n: number) => new Uint8Array(random.bytes(n));

function libsodiumTag(message: Uint8Array, key: Uint8Array): Uint8Array {
  const tag = new Uint8Array(16);
  sodium.crypto_onetimeauth(tag, message, key);
  return tag;
}

describe('Poly1305 through OpenSSL (the CLI addon)', () => {
  const verify = opensslPoly1305();

  it('is built by `npm run build` and loads wherever Node has its headers (as on the CI machines)', (t) => {
    if (!nodeHeadersDir()) {
      t.skip(`no Node headers beside ${process.execPath}: the build skips the addon and the CLI uses libsodium`);
      return;
    }
    assert.ok(existsSync(join(root, 'dist', 'native', 'cli_native.node')), 'dist/native/cli_native.node (run npm run build)');
    assert.ok(verify, 'the addon loads and OpenSSL has Poly1305');
  });

  it("accepts libsodium's tag and refuses every changed tag byte, on every length 0-300, bigger messages and unaligned views", (t) => {
    if (!verify) return t.skip('the addon is not built here');
    const lengths = [...Array.from({ length: 301 }, (_, i) => i), 1023, 1024, 4097, 65_535, 70_001, 460_800, 2 * 1024 * 1024 + 3];
    for (const n of lengths) {
      const key = bytes(32);
      const backing = bytes(n + 7);
      const offset = n % 8; // views at every alignment
      const message = backing.subarray(offset, offset + n);
      const tag = libsodiumTag(message, key);
      assert.equal(verify(tag, message, key), true, `${n} bytes at offset ${offset}`);
      const bad = tag.slice();
      bad[n % 16] ^= 1 << (n % 8);
      assert.equal(verify(bad, message, key), false, `${n} bytes: a changed tag byte`);
      if (n > 0) {
        const changed = message.slice();
        changed[n >> 1] ^= 0x80;
        assert.equal(verify(tag, changed, key), false, `${n} bytes: a changed message byte`);
      }
      const otherKey = key.slice();
      otherKey[16 + (n % 16)] ^= 1; // in s, which every tag adds (r alone leaves an empty message's tag as it is)
      assert.equal(verify(tag, message, otherKey), false, `${n} bytes: another key`);
    }
  });

  it('throws a TypeError on anything but a 16-byte tag, a Uint8Array message and a 32-byte key', (t) => {
    if (!verify) return t.skip('the addon is not built here');
    const key = bytes(32);
    const tag = libsodiumTag(new Uint8Array(10), key);
    assert.equal(verify(tag, new Uint8Array(10), key), true);
    for (const [what, args] of [
      ['a 15-byte tag', [tag.subarray(0, 15), new Uint8Array(10), key]],
      ['a 31-byte key', [tag, new Uint8Array(10), key.subarray(0, 31)]],
      ['a string message', [tag, 'abc', key]],
      ['a Uint16Array message', [tag, new Uint16Array(5), key]],
      ['two arguments', [tag, new Uint8Array(10)]],
    ] as [string, unknown[]][]) {
      assert.throws(() => (verify as (...a: unknown[]) => boolean)(...args), TypeError, what);
    }
  });

  it('SWARM_RAFT_POLY1305=libsodium leaves it unused', () => {
    const script = "const { opensslPoly1305 } = require('./src/core/crypto/poly1305.ts'); process.stdout.write(String(opensslPoly1305() === null));";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, env: { ...process.env, SWARM_RAFT_POLY1305: 'libsodium' }, encoding: 'utf8' });
    assert.equal(out, 'true');
  });
});
