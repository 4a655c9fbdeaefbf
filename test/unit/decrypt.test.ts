// `decrypt -o DIR` (runDecrypt): the reference's output layout, read back with no key to the same dumps
// as the encrypted original (and as the reference's own dump-wal); never writing into the source.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DECRYPTED_SNAP_DIR, DECRYPTED_WAL_DIR, runDecrypt } from '../../src/cli/commands/decrypt';
import { Messages } from '../../src/core/codec';
import { Algorithm } from '../../src/core/crypto/maybeEncrypted';
import { SwarmState } from '../../src/core/state/swarmState';
import { nodeKeyPem } from '../../src/core/writer/nodeKeyFile';
import { p256KeyFromSeed } from '../../src/core/writer/p256';
import { p256PrivateKeyInfo } from '../../src/core/writer/pkcs8';
import { sealerFor } from '../../src/core/writer/sealer';
import { SeededRandom } from '../../src/core/writer/seededRandom';
import { SEGMENT_BYTES, WalWriter } from '../../src/core/writer/walWriter';
import { corpusCases } from '../support/fixtures';
import { treeDiff, treeSnapshot } from '../support/treeSnapshot';
import { cleanupTempDirs, corpusState, openState, readerText, recordTypes, tempDir } from './writer.support';

after(cleanupTempDirs);

describe('decrypt on the corpus', () => {
  for (const name of corpusCases()) {
    it(`${name}: the plain output reads with no key to the same dumps, and to the reference's dump-wal`, () => {
      const c = corpusState(name);
      const source = openState(c.stateDir, { unlockKey: c.unlockKey });
      const out = tempDir('decrypt');
      const before = treeSnapshot(c.stateDir);
      const result = runDecrypt(source, out);
      const plain = SwarmState.open(out);
      try {
        assert.deepEqual(treeDiff(before, treeSnapshot(c.stateDir)), [], 'the source is untouched');
        assert.deepEqual(readdirSync(out).sort(), [DECRYPTED_SNAP_DIR, DECRYPTED_WAL_DIR]);
        assert.deepEqual(readdirSync(join(out, DECRYPTED_WAL_DIR)), ['0000000000000000-0000000000000000.wal']);
        assert.deepEqual(readdirSync(join(out, DECRYPTED_SNAP_DIR)), source.newestSnapshot ? [source.newestSnapshot.name] : []);
        assert.equal(statSync(result.walFiles[0]).size, SEGMENT_BYTES, 'preallocated as etcd does');
        assert.equal(plain.layout.encrypted, false);
        assert.equal(plain.keyRing.status.state, 'not-encrypted');
        assert.deepEqual(plain.faults, []);
        const [a, b] = [readerText(source), readerText(plain)];
        assert.equal(b.wal, a.wal);
        assert.equal(b.snapshot, a.snapshot);
        assert.equal(b.wal, readFileSync(join(c.dir, 'expected', 'swarm', 'dump-wal.txt'), 'utf8'));
        assert.equal(result.entries, source.entriesAfter().length);
        // The reference's WAL: crc, metadata, snapshot {0,0}, the snapshot's mark, the entries, the hard state.
        const snap = source.newestSnapshot?.snapshot;
        assert.deepEqual(plain.wal.snapshots.map((s) => [s.index, s.term]), [[0n, 0n], [snap?.index ?? 0n, snap?.term ?? 0n]]);
        assert.deepEqual(recordTypes(result.walFiles[0]), [4, 1, 5, 5, ...Array(result.entries).fill(2), 3]);
        assert.deepEqual(plain.wal.hardState && [plain.wal.hardState.term, plain.wal.hardState.commit], source.wal.hardState && [source.wal.hardState.term, source.wal.hardState.commit]);
      } finally {
        source.close();
        plain.close();
      }
    });
  }
});

describe('decrypt refuses', () => {
  it('the source itself, a directory inside it (also through a symlink), and leaves nothing behind', () => {
    const c = corpusState('synth-snap');
    const source = openState(c.stateDir, { unlockKey: c.unlockKey });
    const before = treeSnapshot(c.stateDir);
    const link = join(tempDir('link'), 'to-raft');
    symlinkSync(join(c.stateDir, 'raft'), link);
    try {
      for (const target of [c.stateDir, join(c.stateDir, 'raft'), join(c.stateDir, 'new', 'dir'), join(link, 'out')]) {
        assert.throws(() => runDecrypt(source, target), /refusing to write/, target);
      }
      assert.deepEqual(treeDiff(before, treeSnapshot(c.stateDir)), []);
    } finally {
      source.close();
    }
  });

  it('an output whose wal-decrypted or snap-decrypted holds files (it never moves or replaces them)', () => {
    const c = corpusState('synth-snap');
    const source = openState(c.stateDir, { unlockKey: c.unlockKey });
    try {
      const out = tempDir('decrypt');
      mkdirSync(join(out, DECRYPTED_WAL_DIR));
      writeFileSync(join(out, DECRYPTED_WAL_DIR, 'old.wal'), 'previous output');
      assert.throws(() => runDecrypt(source, out), /not empty/);
      assert.equal(readFileSync(join(out, DECRYPTED_WAL_DIR, 'old.wal'), 'utf8'), 'previous output');
    } finally {
      source.close();
    }
  });

  it('a locked swarm without its unlock key', () => {
    const c = corpusState('init-locked');
    const source = openState(c.stateDir);
    try {
      assert.throws(() => runDecrypt(source, tempDir('decrypt')), /unlock key/);
    } finally {
      source.close();
    }
  });
});

describe('decrypt with an undecryptable entry above the snapshot', () => {
  /** A state dir whose entry 2 is sealed with a data key the node key does not hold. */
  function stateWithForeignEntry(): string {
    const dir = join(tempDir('foreign'), 'swarm');
    const random = new SeededRandom('foreign');
    const [dek, foreign] = [random.bytes(32), random.bytes(32)];
    mkdirSync(join(dir, 'certificates'), { recursive: true });
    const privateKeyInfo = p256PrivateKeyInfo(p256KeyFromSeed(random.bytes(32)));
    writeFileSync(join(dir, 'certificates', 'swarm-node.key'), nodeKeyPem({ privateKeyInfo, dek, random }));
    const [mine, theirs] = [sealerFor(Algorithm.Secretbox, dek, random), sealerFor(Algorithm.Secretbox, foreign, random)];
    const body = (id: number) => Messages.internalRaftRequest.encode(Messages.internalRaftRequest.create({ id })).finish();
    const w = WalWriter.create(join(dir, 'raft', 'wal-v3-encrypted'), { metadata: new Uint8Array(0), preallocate: false });
    w.save({ term: 1n, vote: 1n, commit: 3n }, [1, 2, 3].map((i) => ({ index: BigInt(i), term: 1n, data: (i === 2 ? theirs : mine).seal(body(i)) })));
    w.close();
    mkdirSync(join(dir, 'raft', 'snap-v3-encrypted'));
    return dir;
  }

  it('fails naming the entry, or with skipUndecryptable leaves it out and says so', () => {
    const source = openState(stateWithForeignEntry());
    try {
      const failed = tempDir('decrypt');
      assert.throws(() => runDecrypt(source, failed), /cannot decrypt entry 2/);
      assert.deepEqual(readdirSync(failed), [], 'a failed run leaves nothing behind');
      const out = tempDir('decrypt');
      const result = runDecrypt(source, out, { skipUndecryptable: true, preallocate: false });
      assert.deepEqual(result.skipped, [2n]);
      assert.equal(result.entries, 2);
      const plain = SwarmState.open(out);
      try {
        assert.deepEqual(plain.wal.effective.map((e) => e.index), [1n, 3n]);
        assert.ok(plain.faults.some((f) => /index gap/.test(f.message)), 'the reader reports the gap');
        assert.deepEqual(plain.wal.effective.map((e) => plain.decodeEntry(e).ok), [true, true]);
      } finally {
        plain.close();
      }
    } finally {
      source.close();
    }
  });
});
