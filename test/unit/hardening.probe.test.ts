// probeRaftFile: the single-file check an editor runs before showing any .wal/.snap as Swarm Raft data.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { probeRaftFile } from '../../src/core/state/probe';
import { corpusCase } from '../support/fixtures';
import { JEST_SNAP, sqliteWal } from './hardening.support';

const scratch = mkdtempSync(join(tmpdir(), 'swarm-raft-probe-'));
const put = (name: string, content: Buffer | string) => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};

describe('probeRaftFile', () => {
  it('recognizes every real segment and snapshot of the corpus, and a preallocated 0.tmp as an empty segment', () => {
    for (const name of ['seed-sample', 'snapshots', 'synth-nosnap', 'synth-snap']) {
      const raft = join(corpusCase(name), 'swarm', 'raft');
      for (const f of readdirSync(join(raft, 'wal-v3-encrypted'))) {
        const r = probeRaftFile(join(raft, 'wal-v3-encrypted', f));
        assert.deepEqual(r, f.endsWith('.tmp') ? { kind: 'wal', reason: 'an empty segment: no records (zero-filled)', offset: 0 } : { kind: 'wal' }, f);
      }
      for (const f of readdirSync(join(raft, 'snap-v3-encrypted'))) assert.deepEqual(probeRaftFile(join(raft, 'snap-v3-encrypted', f)), { kind: 'snap' }, f);
    }
  });

  it('says "not Swarm Raft data" and what the file looks like for foreign files', () => {
    const cases: [string, Buffer | string, RegExp][] = [
      ['app.db-wal.wal', sqliteWal(), /^not Swarm Raft data: it starts like an SQLite write-ahead log \(magic 0x377f0682\); as an etcd WAL segment, the first frame is not a WAL frame \(max entry size limit exceeded/],
      ['App.test.js.snap', JEST_SNAP, /^not Swarm Raft data: it is a Jest snapshot file; as an etcd snapshot, an etcd snapshot file starts with its crc field \(byte 0x08\)$/],
      ['notes.wal', 'just some text\n', /^not Swarm Raft data: it starts with text: "just some text"; as an etcd WAL segment/],
      ['empty.wal', '', /^not Swarm Raft data: the file is empty$/],
      ['noise.snap', Buffer.from('ff00ff00ff00ff00ff00ff00', 'hex'), /^not Swarm Raft data: it starts with bytes ff00ff00ff00ff00; as an etcd snapshot/],
    ];
    for (const [name, content, reason] of cases) {
      const r = probeRaftFile(put(name, content));
      assert.equal(r.kind, 'unknown', name);
      assert.equal(r.offset, 0, name);
      assert.match(r.reason!, reason, name);
    }
    assert.match(probeRaftFile(join(scratch, 'missing.wal')).reason!, /^cannot read .*missing\.wal: ENOENT/);
  });

  it('a truncated snapshot is still a snapshot, with what is missing', () => {
    const raft = join(corpusCase('synth-snap'), 'swarm', 'raft', 'snap-v3-encrypted');
    const bytes = readFileSync(join(raft, readdirSync(raft)[0]));
    const r = probeRaftFile(put('0000000000000002-0000000000000004.snap', bytes.subarray(0, 100)));
    assert.equal(r.kind, 'snap');
    assert.match(r.reason!, /^truncated: the data field claims \d+ bytes, but only 9\d follow$/);
  });

  it('reads only the first bytes: a 16 GiB sparse segment is probed at once', () => {
    const seg = join(corpusCase('synth-nosnap'), 'swarm', 'raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal');
    const big = put('0000000000000000-0000000000000000.wal', readFileSync(seg));
    truncateSync(big, 16 * 2 ** 30);
    const started = process.hrtime.bigint();
    assert.deepEqual(probeRaftFile(big), { kind: 'wal' });
    assert.ok(process.hrtime.bigint() - started < 1_000_000_000n);
  });
});
