// Where the reference swarm-rafttool is wrong, the CLI is right. Each test would fail on the reference:
// it writes to the state dir, never tries raft-dek-pending, aborts on one undecryptable entry, stops at
// the first damaged record, and has no JSON output.
import assert from 'node:assert/strict';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manifestUnlockKey, runCli } from '../support/cli';
import { corpusCase } from '../support/fixtures';
import { scratchCopy } from '../support/scratch';
import { treeDiff, treeSnapshot } from '../support/treeSnapshot';

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const keyHistory = (dir: string) => readdirSync(join(dir, 'key-history')).sort().map((f) => join(dir, 'key-history', f));
const entryHeaders = (out: string) => out.split('\n').filter((l) => l.startsWith('Entry Index='));

describe('1. read-only', () => {
  it('a live capture (with 0.tmp and a zero-filled tail) is left exactly as it was by every command', () => {
    const dir = corpusCase('locked');
    const live = join(dir, 'swarm-live');
    const before = treeSnapshot(live);
    const env = { SWARM_UNLOCK_KEY: manifestUnlockKey(manifestOf(dir))! };
    for (const args of [['dump-wal', '--all'], ['dump-snapshot'], ['dump-object', 'secret'], ['dump-wal', '--format', 'json']]) {
      const r = runCli(['-d', live, ...args], env);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.ok(before.has('raft/wal-v3-encrypted/0.tmp'));
    assert.deepEqual(treeDiff(before, treeSnapshot(live)), []);
  });
});

describe('2. raft-dek-pending', () => {
  it('entries and the snapshot written under the pending data key decrypt', () => {
    const dir = corpusCase('rotated');
    const midRotation = keyHistory(dir).find((f) => readFileSync(f, 'latin1').includes('raft-dek-pending'))!;
    // The key file written mid-rotation is sealed with the first unlock key.
    const firstKey = manifestOf(dir).unlock_keys.distinct.find((k: string) =>
      runCli(['-d', join(dir, 'swarm'), '--node-key', midRotation, '--unlock-key', k, 'dump-snapshot']).code === 0);
    assert.ok(firstKey, 'the snapshot (written under the pending key) opens');
    const r = runCli(['-d', join(dir, 'swarm'), '--node-key', midRotation, '--unlock-key', firstKey, 'dump-wal', '--all', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length > 20);
    assert.ok(lines.every((l) => l.status === 'ok'), 'every entry decrypts');
    assert.ok(lines.some((l) => l.dataKey === 'raft-dek-pending'));
    assert.ok(lines.some((l) => l.dataKey === 'raft-dek'));
  });
});

describe('3. undecryptable entries never abort', () => {
  it('dump-wal --all lists entries under an earlier data key with a note, and the rest decrypted', () => {
    const dir = corpusCase('locked');
    const r = runCli(['-d', join(dir, 'swarm'), 'dump-wal', '--all'], { SWARM_UNLOCK_KEY: manifestUnlockKey(manifestOf(dir))! });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(entryHeaders(r.stdout)[0], 'Entry Index=1, Term=1, Type=EntryConfChange:');
    const notes = r.stdout.split('\n').filter((l) => l === '(encrypted with an earlier data key)').length;
    assert.equal(notes, 120, 'entries 1..120 precede the autolock snapshot at index 120');
    // One warning for the whole run of such entries, at the first one's place.
    assert.equal(r.stderr, `${join(dir, 'swarm/raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal')}:120: warning: entries 1..120 (120) are encrypted with an earlier data key (covered by a snapshot); give an older copy of swarm-node.key with --key-file to read them\n`);
    // The entries after the snapshot are exactly the reference's dump-wal.
    const reference = readFileSync(join(dir, 'expected/swarm/dump-wal.txt'), 'utf8');
    assert.ok(r.stdout.endsWith(reference));
  });
  it('--key-file with the node key history decrypts every entry of locked and rotated', () => {
    for (const name of ['locked', 'rotated']) {
      const dir = corpusCase(name);
      const args = ['-d', join(dir, 'swarm'), 'dump-wal', '--all', '--format', 'json'];
      for (const f of keyHistory(dir)) args.push('--key-file', f);
      const r = runCli(args, { SWARM_UNLOCK_KEY: manifestUnlockKey(manifestOf(dir))! });
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.ok(lines.length > 25, name);
      assert.deepEqual(lines.filter((l) => l.status !== 'ok').map((l) => l.index), [], `${name}: all entries decrypt`);
      // Entry 1 adds the first manager; the first store action creates the cluster, long before autolock.
      assert.equal(lines[0].confChange.type, 'ConfChangeAddNode');
      assert.equal(lines.find((l) => l.actions?.length).actions[0].kind, 'cluster');
    }
  });
});

describe('4. damaged files', () => {
  const patch = (file: string, offset: number, bytes: Buffer) => {
    const fd = openSync(file, 'r+');
    writeSync(fd, bytes, 0, bytes.length, offset);
    closeSync(fd);
  };
  const seg1 = 'raft/wal-v3-encrypted/0000000000000001-0000000000000007.wal';
  const key = () => manifestUnlockKey(manifestOf(corpusCase('synth-nosnap')))!;

  it('a CRC mismatch: every entry printed, the fault on stderr as file:offset, exit code 3', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'));
    const data = readFileSync(join(swarm, seg1));
    patch(join(swarm, seg1), 593, Buffer.from([data[593] ^ 0xff]));
    const r = runCli(['-d', swarm, 'dump-wal'], { SWARM_UNLOCK_KEY: key() });
    assert.equal(r.code, 3);
    assert.equal(entryHeaders(r.stdout).length, 10);
    assert.match(r.stderr, new RegExp(`${seg1.replace(/\./g, '\\.')}:464: CRC mismatch`));
  });
  it('a torn tail: everything before it printed, a warning, exit code 0', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'));
    patch(join(swarm, seg1), 512, Buffer.alloc(320));
    const r = runCli(['-d', swarm, 'dump-wal'], { SWARM_UNLOCK_KEY: key() });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(entryHeaders(r.stdout).map((l) => l.split(',')[0]), [1, 2, 3, 4, 5, 6, 7].map((i) => `Entry Index=${i}`));
    assert.match(r.stderr, /0007\.wal:464: warning: torn write/);
  });
  it('a bad record length: reported with its offset; the next segment is still read', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'));
    patch(join(swarm, 'raft/wal-v3-encrypted/0000000000000000-0000000000000000.wal'), 0, Buffer.from('ffffffffffff0000', 'hex'));
    const r = runCli(['-d', swarm, 'dump-wal'], { SWARM_UNLOCK_KEY: key() });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /0000\.wal:0: max entry size limit exceeded/);
    assert.equal(entryHeaders(r.stdout)[0], 'Entry Index=6, Term=3, Type=EntryNormal:');
  });
  it('an undecryptable entry in range: header plus reason, exit code 3', () => {
    const swarm = scratchCopy(join(corpusCase('synth-nosnap'), 'swarm'));
    // Damage the ciphertext inside entry 9's record and fix up nothing: CRC mismatch plus a failed MAC.
    const data = readFileSync(join(swarm, seg1));
    patch(join(swarm, seg1), 700, Buffer.from([data[700] ^ 0x01]));
    const r = runCli(['-d', swarm, 'dump-wal', '--start', '9', '--end', '9'], { SWARM_UNLOCK_KEY: key() });
    assert.equal(r.code, 3);
    assert.match(r.stdout, /^Entry Index=9, Term=3, Type=EntryNormal:\n\(.*\)\n\n$/);
  });
  it('dump-snapshot does not depend on the WAL: with every segment damaged it prints the snapshot exactly, exit 0', () => {
    const dir = corpusCase('synth-snap');
    const swarm = scratchCopy(join(dir, 'swarm'));
    const walDir = join(swarm, 'raft/wal-v3-encrypted');
    for (const name of readdirSync(walDir)) patch(join(walDir, name), 0, Buffer.from('ffffffffffff0000', 'hex'));
    const env = { SWARM_UNLOCK_KEY: manifestUnlockKey(manifestOf(dir))! };
    assert.equal(runCli(['-d', swarm, 'dump-wal'], env).code, 3, 'the damage is seen where the WAL is read');
    for (const cmd of ['dump-snapshot', 'dump-snapshot-redact']) {
      const r = runCli(['-d', swarm, 'dump-snapshot', ...(cmd.endsWith('redact') ? ['--redact'] : [])], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, readFileSync(join(dir, 'expected/swarm', `${cmd}.txt`), 'utf8'));
    }
  });
  it('usage and key errors: exit 2 and 1 with one Error line', () => {
    const swarm = join(corpusCase('seed-sample'), 'swarm');
    const usage = runCli(['dump-wal', '--start', 'x', '-d', swarm]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^Error: /);
    const locked = runCli(['dump-wal', '-d', swarm]);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /^Error: the swarm is autolocked/);
    const malformed = runCli(['dump-wal', '-d', swarm, '--unlock-key', 'SWMKEY-1-abc']);
    assert.match(malformed.stderr, /^Error: not a valid unlock key/);
    const wrong = runCli(['dump-wal', '-d', swarm, '--unlock-key', manifestUnlockKey(manifestOf(corpusCase('locked')))!]);
    assert.match(wrong.stderr, /^Error: the unlock key does not open this swarm/);
  });
  it('the unlock key from a file works like the flag', () => {
    const dir = corpusCase('seed-sample');
    const keyFile = join(scratchCopy(join(dir, 'swarm')), '..', 'key.txt');
    writeFileSync(keyFile, manifestUnlockKey(manifestOf(dir))! + '\n');
    const r = runCli(['--unlock-key-file', keyFile, 'dump-wal', '-d', join(dir, 'swarm')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(join(dir, 'expected/swarm/dump-wal.txt'), 'utf8'));
  });
});

describe('5. --format json', () => {
  it('one object per line with exact uint64 strings, base64 bytes and the full objects', () => {
    const dir = corpusCase('locked');
    const r = runCli(['-d', join(dir, 'swarm'), 'dump-wal', '--all', '--format', 'json', '--key-file', keyHistory(dir)[1]],
      { SWARM_UNLOCK_KEY: manifestUnlockKey(manifestOf(dir))! });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    for (const l of lines) {
      assert.match(l.index, /^\d+$/);
      assert.match(l.term, /^\d+$/);
      assert.equal(l.status, 'ok');
    }
    // The reference's dump-snapshot prints this member's raft id as RaftID=4fab928bcf84164b (> 2^53).
    const add = lines[0].confChange;
    assert.deepEqual(add.member, { raftId: '4fab928bcf84164b', nodeId: 'vgmi1xcfrl8g75rlg3psvw6zg', addr: '127.0.0.1:2377' });
    assert.ok(BigInt('0x' + add.member.raftId) > 2n ** 53n);
    const cluster = lines.flatMap((l) => l.actions ?? []).find((a) => a.kind === 'cluster');
    assert.equal(cluster.object.meta.version.index, '2', 'uint64 fields of objects are strings too');
  });
  it('the passwd secret of synth-style logs carries its data as base64', () => {
    const dir = corpusCase('synth-unlocked');
    const r = runCli(['-d', join(dir, 'swarm'), 'dump-wal', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const actions = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).flatMap((l) => l.actions ?? []);
    const secret = actions.find((a) => a.kind === 'secret');
    assert.ok(secret && secret.id && secret.object.spec.data);
    assert.equal(Buffer.from(secret.object.spec.data, 'base64').toString(), 'hunter2');
  });
});
