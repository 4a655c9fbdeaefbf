// Issue #7, named cases not covered by wal.test.ts / beyondReference.test.ts: damaged and foreign files
// each give one clear fault with file and offset, and everything else is still read.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatFault } from '../../src/core/errors';
import { withFile } from '../../src/core/io/fileWindow';
import { readSnapshotFile } from '../../src/core/snap/snapshotFile';
import { SwarmState } from '../../src/core/state/swarmState';
import { readFrame } from '../../src/core/wal/framing';
import { readWalDirectory } from '../../src/core/wal/walLog';
import { manifestUnlockKey, runCli } from '../support/cli';
import { corpusCase, generatedCase, hasGeneratedCase } from '../support/fixtures';
import { scratchCopy } from '../support/scratch';
import { JEST_SNAP, sqliteWal } from './hardening.support';

const WAL_DIR = 'raft/wal-v3-encrypted';
const SNAP_DIR = 'raft/snap-v3-encrypted';
const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const entryHeaders = (out: string) => out.split('\n').filter((l) => l.startsWith('Entry Index='));

describe('truncated and zero-length snapshot files', () => {
  const snapshots = () => scratchCopy(join(corpusCase('snapshots'), 'swarm'), 'snap');
  const names = (swarm: string) => readdirSync(join(swarm, SNAP_DIR)).sort();

  it('every strict prefix of a snapshot file is a fault, never an exception', () => {
    const swarm = snapshots();
    const newest = join(swarm, SNAP_DIR, names(swarm).at(-1)!);
    const whole = readFileSync(newest);
    for (let n = 0; n < whole.length; n++) {
      writeFileSync(newest, whole.subarray(0, n));
      const f = readSnapshotFile(newest);
      assert.equal(f.snapshot, undefined, `prefix of ${n} bytes`);
      assert.equal(f.fault?.file, newest);
      assert.ok(f.fault!.offset >= 0 && f.fault!.offset <= n, `offset within the file (${n})`);
      assert.match(f.fault!.message, n === 0 ? /empty snapshot file/ : /truncated|CRC|not a snappb/);
    }
  });

  for (const damage of ['truncated', 'zero-length'] as const) {
    it(`a ${damage} newest snapshot: the older one is used, and one fault says why`, () => {
      const swarm = snapshots();
      const [, older, newest] = names(swarm);
      const path = join(swarm, SNAP_DIR, newest);
      const expected = runCli(['-d', swarm, 'dump-snapshot', '--snapshot', older]).stdout;
      truncateSync(path, damage === 'zero-length' ? 0 : Math.floor(readFileSync(path).length / 2));

      const state = SwarmState.open(swarm);
      try {
        assert.equal(state.newestSnapshot?.name, older);
        assert.deepEqual(state.faults.map((f) => [f.file, f.severity]), [[path, 'error']]);
        assert.match(state.faults[0].message, damage === 'zero-length' ? /empty snapshot file/ : /truncated: the data field claims \d+ bytes, but only \d+ follow/);
        assert.match(state.faults[0].message, /older snapshots are used instead/);
        // The entries listed start after the older snapshot, as the reference would with only that one.
        assert.equal(state.entriesAfter().at(0).index, state.newestSnapshot!.snapshot!.index + 1n);
      } finally {
        state.close();
      }

      const r = runCli(['-d', swarm, 'dump-snapshot']);
      assert.equal(r.code, 3, 'output printed, some data unreadable');
      assert.equal(r.stdout, expected);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.ok(r.stderr.startsWith(`${path}:`), r.stderr);
    });
  }
});

describe('a state directory without certificates', () => {
  it('lists every entry header and says the node key is missing; --node-key opens it', () => {
    const dir = corpusCase('synth-unlocked');
    const swarm = scratchCopy(join(dir, 'swarm'), 'nocerts');
    rmSync(join(swarm, 'certificates'), { recursive: true });
    const keyFile = join(dir, 'swarm', 'certificates', 'swarm-node.key');

    const state = SwarmState.open(swarm);
    try {
      assert.deepEqual(state.identity, {});
      assert.equal(state.keyRing.status.state, 'no-key-file');
      const status = state.keyRing.status as { message: string };
      assert.match(status.message, /^no node key: .*certificates\/swarm-node\.key does not exist/);
      assert.equal(state.wal.effective.length, 10, 'the plaintext headers are all listed');
      for (const e of state.wal.effective) {
        const d = state.decodeEntry(e);
        assert.ok(!d.ok && d.problem === 'locked');
        assert.match(d.message, /encrypted; no readable node key/);
      }
    } finally {
      state.close();
    }

    const r = runCli(['-d', swarm, 'dump-wal']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: no node key: .*swarm-node\.key does not exist/);
    const withKey = runCli(['-d', swarm, '--node-key', keyFile, 'dump-wal']);
    assert.equal(withKey.code, 0, withKey.stderr);
    assert.equal(withKey.stdout, runCli(['-d', join(dir, 'swarm'), 'dump-wal']).stdout);
  });
});

describe("another manager's node key", { skip: !hasGeneratedCase('two-managers') }, () => {
  it("every entry is 'undecryptable' with a clear message, and one fault names the key file", () => {
    const dir = generatedCase('two-managers');
    const m1 = join(dir, 'm1', 'swarm');
    const m2Key = join(dir, 'm2', 'swarm', 'certificates', 'swarm-node.key');
    const state = SwarmState.open(m1, { nodeKeyFile: m2Key });
    try {
      assert.equal(state.keyRing.status.state, 'open', 'the key itself opens: it is a valid node key');
      assert.deepEqual(state.faults.map((f) => [f.file, f.offset, f.severity]), [[m2Key, 0, 'error']]);
      assert.match(state.faults[0].message, /its data keys open none of the \d+ newest record\(s\) of .*: the node key is probably another manager's/);
      assert.ok(state.wal.effective.length > 20);
      for (const e of state.wal.raw) {
        const d = state.decodeEntry(e);
        assert.ok(!d.ok && d.problem === 'undecryptable', `entry ${e.index}`);
        assert.match(d.message, /^.*\.wal:\d+: none of the 1 data key\(s\) opens this .* record: the node key is probably another manager's$/);
      }
    } finally {
      state.close();
    }
    const r = runCli(['-d', m1, '--node-key', m2Key, 'dump-wal', '--format', 'json']);
    assert.equal(r.code, 3);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length > 20 && lines.every((l) => l.status === 'undecryptable'));
    assert.ok(r.stderr.startsWith(`${m2Key}:0: its data keys open none`), r.stderr.slice(0, 300));
  });

  it('its own key opens every entry, with no fault', () => {
    const dir = generatedCase('two-managers');
    const state = SwarmState.open(join(dir, 'm2', 'swarm'));
    try {
      assert.deepEqual(state.faults, []);
      assert.ok(state.wal.effective.every((e) => state.decodeEntry(e).ok));
    } finally {
      state.close();
    }
  });
});

describe('a non-Swarm .wal file', () => {
  const foreignSegment = (content: Buffer | string) => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'), 'foreign');
    const path = join(swarm, WAL_DIR, '0000000000000002-000000000000000b.wal');
    writeFileSync(path, content);
    return { swarm, path };
  };

  for (const [name, content, what] of [
    ['an SQLite write-ahead log', sqliteWal(), /SQLite write-ahead log/],
    ['a text file', 'these are my notes about the cluster\nsecond line\n', /starts with text: "these are my notes/],
    ['random bytes', Buffer.from('c3a1f08e77d2104b5e9a0c11d2e3f4a5b6c7', 'hex'), /starts with bytes c3a1f08e77d2104b/],
  ] as const) {
    it(`${name} under a segment name: "not Swarm Raft data" at offset 0; the real segments are still read`, () => {
      const { swarm, path } = foreignSegment(content);
      const log = readWalDirectory(join(swarm, WAL_DIR));
      assert.equal(log.faults.length, 1, log.faults.map(formatFault).join('\n'));
      assert.deepEqual([log.faults[0].file, log.faults[0].offset, log.faults[0].severity], [path, 0, 'error']);
      assert.match(log.faults[0].message, /^not Swarm Raft data: /);
      assert.match(log.faults[0].message, what);
      assert.equal(log.effective.length, 10);
    });
  }

  it('the CLI prints every real entry and the fault (exit 3)', () => {
    const { swarm, path } = foreignSegment(sqliteWal());
    const r = runCli(['-d', swarm, 'dump-wal'], { SWARM_UNLOCK_KEY: manifestUnlockKey(manifestOf(corpusCase('synth-nosnap')))! });
    assert.equal(r.code, 3);
    assert.equal(entryHeaders(r.stdout).length, 10);
    assert.equal(r.stderr, `${path}:0: not Swarm Raft data: the first frame is not an etcd WAL frame (max entry size limit exceeded: record of ${readFrameLength(path)} bytes (+0 padding) runs past the end of the segment (${sqliteWal().length} bytes)); it starts like an SQLite write-ahead log (magic 0x377f0682)\n`);
  });

  it('a damaged first length word of a real segment is still told as such, not as foreign data', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'), 'firstword');
    const seg = join(swarm, WAL_DIR, '0000000000000000-0000000000000000.wal');
    const bytes = readFileSync(seg);
    bytes.writeUInt32LE(0xffffff, 4);
    writeFileSync(seg, bytes);
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.match(log.faults[0].message, /^max entry size limit exceeded/);
  });
});

describe('a Jest .snap file', () => {
  it('under a snapshot name: "not Swarm Raft data" with file and offset; the real snapshot is used', () => {
    const swarm = scratchCopy(join(corpusCase('synth-snap'), 'swarm'), 'jest');
    const real = readdirSync(join(swarm, SNAP_DIR))[0];
    const jest = join(swarm, SNAP_DIR, 'ffffffffffffffff-ffffffffffffffff.snap');
    writeFileSync(jest, JEST_SNAP);
    const state = SwarmState.open(swarm);
    try {
      assert.equal(state.newestSnapshot?.name, real);
      assert.deepEqual(state.faults.map((f) => [f.file, f.offset, f.severity]), [[jest, 0, 'error']]);
      assert.match(state.faults[0].message, /^not Swarm Raft data: an etcd snapshot file starts with its crc field \(byte 0x08\); it is a Jest snapshot file; older snapshots are used instead$/);
    } finally {
      state.close();
    }
  });
  it('under its own name (App.test.js.snap) it is not a snapshot of the directory and is left alone', () => {
    const swarm = scratchCopy(join(corpusCase('synth-snap'), 'swarm'), 'jest2');
    writeFileSync(join(swarm, SNAP_DIR, 'App.test.js.snap'), JEST_SNAP);
    const state = SwarmState.open(swarm);
    try {
      assert.deepEqual(state.faults, []);
      assert.equal(state.snapshotFiles.length, 1);
    } finally {
      state.close();
    }
  });
});

describe('a zeroed length word in the middle of a segment', () => {
  it('ends the segment as etcd does, with a warning that data follows (offset of the word)', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'), 'zeroword');
    const seg = join(swarm, WAL_DIR, '0000000000000000-0000000000000000.wal');
    const bytes = readFileSync(seg);
    const frames = withFile(seg, (f) => {
      const out: number[] = [];
      for (let offset = 0, r = readFrame(f, 0); r.kind === 'frame'; offset = r.frame.end, r = readFrame(f, offset)) out.push(offset);
      return out;
    });
    const at = frames[Math.floor(frames.length / 2)];
    bytes.fill(0, at, at + 8);
    writeFileSync(seg, bytes);
    const log = readWalDirectory(join(swarm, WAL_DIR));
    assert.deepEqual([log.faults[0].file, log.faults[0].offset, log.faults[0].severity], [seg, at, 'warning']);
    assert.match(log.faults[0].message, new RegExp(`non-zero data follows at offset ${at + 8}`));
    // The entries it hid leave an index gap before the next segment.
    assert.deepEqual(log.faults.slice(1).map((f) => [f.severity, /^index gap/.test(f.message)]), [['warning', true]]);
    assert.ok(log.raw.every((e) => !e.file.endsWith('0000.wal') || e.offset < at));
  });
});

describe('things that are not regular files, named like ours', () => {
  const kinds: [string, (path: string) => void, RegExp][] = [
    ['a directory', (p) => mkdirSync(p), /not a regular file \(a directory\)/],
    ['a FIFO (opening it must not wait for a writer)', (p) => execFileSync('mkfifo', [p]), /not a regular file \(a FIFO\)/],
    ['a dangling symlink', (p) => symlinkSync('nowhere', p), /ENOENT|does not exist/],
    ['a symlink to a device', (p) => symlinkSync('/dev/zero', p), /not a regular file \(a device\)/],
  ];
  for (const [what, make, message] of kinds) {
    it(`${what} as a segment, a snapshot and the node key: one fault or key message each, the rest read`, () => {
      const swarm = scratchCopy(join(corpusCase('synth-snap'), 'swarm'), 'special');
      const seg = join(swarm, WAL_DIR, '0000000000000002-000000000000000b.wal');
      const snap = join(swarm, SNAP_DIR, 'ffffffffffffffff-ffffffffffffffff.snap');
      const key = join(swarm, 'certificates', 'swarm-node.key');
      rmSync(key);
      for (const p of [seg, snap, key]) make(p);
      const state = SwarmState.open(swarm, { unlockKey: manifestUnlockKey(manifestOf(corpusCase('synth-snap'))) });
      try {
        assert.deepEqual(state.faults.map((f) => [f.file, f.offset, f.severity]), [[seg, 0, 'error'], [snap, 0, 'error']]);
        assert.match(state.faults[0].message, /^cannot read this segment: /);
        assert.match(state.faults[1].message, /^cannot read snapshot: /);
        for (const f of state.faults) assert.match(f.message, message);
        assert.equal(state.keyRing.status.state, 'no-key-file');
        assert.match((state.keyRing.status as { message: string }).message, message);
        assert.equal(state.wal.effective.length, 10);
        assert.equal(state.snapshotFiles.filter((f) => f.snapshot).length, 1);
      } finally {
        state.close();
      }
    });
  }
});

describe('every prefix of the last segment', () => {
  it('reads as a torn tail (a warning) with exactly the complete frames before the cut listed', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'), 'prefix');
    const seg = join(swarm, WAL_DIR, '0000000000000001-0000000000000007.wal');
    const whole = readFileSync(seg);
    const frames = withFile(seg, (f) => {
      const out: { end: number; entry: boolean }[] = [];
      for (let offset = 0; ;) {
        const r = readFrame(f, offset);
        if (r.kind !== 'frame') return out;
        out.push({ end: r.frame.end, entry: f.read(r.frame.dataOffset, 2)[1] === 2 });
        offset = r.frame.end;
      }
    });
    const before = readWalDirectory(join(swarm, WAL_DIR)).raw.filter((e) => !e.file.endsWith(seg.slice(-10))).length;
    for (let n = 0; n <= whole.length; n++) {
      writeFileSync(seg, whole.subarray(0, n));
      const log = readWalDirectory(join(swarm, WAL_DIR));
      assert.ok(log.faults.every((f) => f.severity === 'warning' && /torn write/.test(f.message)), `cut at ${n}: ${log.faults.map(formatFault)}`);
      const complete = frames.filter((f) => f.end <= n && f.entry).length;
      assert.equal(log.raw.length - before, complete, `cut at ${n}`);
    }
  });
});

function readFrameLength(path: string): number {
  return withFile(path, (f) => {
    const r = readFrame(f, 0);
    return r.kind === 'bad' ? Number(/record of (\d+) bytes/.exec(r.message)![1]) : -1;
  });
}
