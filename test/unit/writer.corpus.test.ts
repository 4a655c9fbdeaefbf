// Corpus logs (written by real engines and by SwarmKit's own code) read and written back through the
// writer. Verbatim: every WAL segment and snapshot file comes out byte for byte as the original, which
// pins framing, padding, record field layout, the CRC chain, segment headers and preallocation to etcd's.
// Resealed under the case's own keys with fresh nonces: the reader decodes the copy identically.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readSnapshotFile } from '../../src/core/snap/snapshotFile';
import { rewriteState } from '../../src/core/writer/rewriteState';
import { corpusCases } from '../support/fixtures';
import { cleanupTempDirs, corpusState, decodedEntries, openState, readerText, tempDir } from './writer.support';

after(cleanupTempDirs);

const CASES = corpusCases();
/** Cases written by SwarmKit v2, whose etcd 3.5 snapshot files carry fields etcd 3.3 lacks. */
const ETCD_35_CASES = new Set(['v2-mixed']);

describe('corpus written back verbatim', () => {
  for (const name of CASES) {
    it(`${name}: every segment and snapshot file is byte-identical`, () => {
      const c = corpusState(name);
      const source = openState(c.stateDir, { unlockKey: c.unlockKey });
      try {
        const out = join(tempDir('rewrite'), 'swarm');
        const result = rewriteState(source, out, { mode: 'verbatim' });
        assert.equal(result.resealed, 0);
        assert.deepEqual(result.walFiles.map((f) => basename(f)), source.wal.segments.map((s) => s.name));
        assert.deepEqual(result.snapFiles.map((f) => basename(f)), source.snapshotFiles.map((s) => s.name));
        for (const s of source.wal.segments) {
          const copy = readFileSync(join(out, 'raft', basename(source.layout.walDir), s.name));
          assert.ok(copy.equals(readFileSync(s.path)), `${s.name} differs`);
        }
        for (const s of source.snapshotFiles) {
          const path = join(out, 'raft', basename(source.layout.snapDir), s.name);
          if (ETCD_35_CASES.has(name)) {
            // etcd 3.5 (SwarmKit v2) also writes ConfState.auto_leave, which etcd 3.3's ConfState (the
            // writer's) does not have: the snapshot must read back the same, field for field.
            assert.deepEqual(readSnapshotFile(path).snapshot, s.snapshot, `${s.name} reads differently`);
            continue;
          }
          assert.ok(readFileSync(path).equals(readFileSync(s.path)), `${s.name} differs`);
        }
      } finally {
        source.close();
      }
    });
  }
});

describe('corpus resealed under its own keys', () => {
  for (const name of CASES) {
    it(`${name}: same entries (index, term, type, plaintext), hard state, snapshot and dumps`, () => {
      const c = corpusState(name);
      const source = openState(c.stateDir, { unlockKey: c.unlockKey });
      const out = join(tempDir('reseal'), 'swarm');
      const result = rewriteState(source, out, { mode: 'reseal', seed: name });
      const copy = openState(out, { unlockKey: c.unlockKey });
      try {
        assert.ok(result.resealed > 0, 'payloads were sealed again');
        assert.deepEqual(copy.faults, source.faults.map((f) => ({ ...f, file: f.file.replace(c.stateDir, out) })));
        assert.deepEqual(decodedEntries(copy), decodedEntries(source));
        assert.deepEqual(copy.wal.hardState && [copy.wal.hardState.term, copy.wal.hardState.vote, copy.wal.hardState.commit],
          source.wal.hardState && [source.wal.hardState.term, source.wal.hardState.vote, source.wal.hardState.commit]);
        const [a, b] = [readerText(source), readerText(copy)];
        assert.equal(b.wal, a.wal);
        assert.equal(b.walAll, a.walAll);
        assert.equal(b.snapshot, a.snapshot);
        // Fresh nonces: the resealed segments differ from the originals.
        const first = source.wal.segments[0];
        assert.ok(!readFileSync(join(out, 'raft', basename(source.layout.walDir), first.name)).equals(readFileSync(first.path)));
      } finally {
        source.close();
        copy.close();
      }
    });
  }

  it('the key history decrypts every entry of the copy of locked, as it does the original', () => {
    const c = corpusState('locked');
    const keyFiles = readdirSync(join(c.dir, 'key-history')).sort().map((f) => join(c.dir, 'key-history', f));
    const source = openState(c.stateDir, { unlockKey: c.unlockKey, keyFiles });
    const out = join(tempDir('reseal'), 'swarm');
    rewriteState(source, out, { mode: 'reseal', seed: 'history' });
    const copy = openState(out, { unlockKey: c.unlockKey, keyFiles });
    try {
      const entries = decodedEntries(copy);
      assert.ok(entries.every((e) => !e.plain.startsWith('(')), 'every entry decrypts');
      assert.deepEqual(entries, decodedEntries(source));
    } finally {
      source.close();
      copy.close();
    }
  });
});
