// Repair into a copy (issue #15), on scratch copies of real corpus logs damaged as recovery.md records:
// CRC flips before and after the snapshot, a torn last record, zero-filled sectors at the tail and in
// the middle, a lost newest segment, a truncated newest snapshot, locked swarms; an undamaged log comes
// out with identical dumps. Every repair leaves its source untouched (checked in repair()).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkRepairOutput, planRepair, repairReportJson, repairReportText, writeRepair } from '../../src/core/repair';
import { runDecrypt } from '../../src/cli/commands/decrypt';
import { SwarmState } from '../../src/core/state/swarmState';
import { corpusCases, generatedCase } from '../support/fixtures';
import { scratchCopy } from '../support/scratch';
import { flipByte, truncateTo, zeroFill } from '../support/damage';
import { dumps, repair, OBJECT_TYPES } from './repair.support';
import { cleanupTempDirs, corpusState, tempDir } from './writer.support';

after(cleanupTempDirs);

const WAL = 'raft/wal-v3-encrypted';
const SNAP = 'raft/snap-v3-encrypted';
const SEGMENT0 = '0000000000000000-0000000000000000.wal';

/** Where entry `index` (effective log) starts, and its record length. */
function entryAt(dir: string, index: bigint, unlockKey?: string): { file: string; offset: number; recordLength: number } {
  const state = SwarmState.open(dir, { unlockKey });
  try {
    const e = state.wal.effective.find((x) => x.index === index);
    assert.ok(e, `entry ${index} exists`);
    return { file: e.file, offset: e.offset, recordLength: e.recordLength };
  } finally {
    state.close();
  }
}

/** A byte inside the entry's sealed payload. */
function payloadByte(dir: string, index: bigint, unlockKey?: string): { file: string; offset: number } {
  const e = entryAt(dir, index, unlockKey);
  return { file: e.file, offset: e.offset + 8 + e.recordLength - 40 };
}

function assertClean(r: { result: { verification: string[] }; out: string }): void {
  assertCleanAt(r, WAL);
}

function assertCleanAt(r: { result: { verification: string[] }; out: string }, walDir: string): void {
  assert.deepEqual(r.result.verification, [], 'the copy reads back clean');
  assert.deepEqual(readdirSync(join(r.out, walDir)).filter((n) => !n.endsWith('.wal')), [], 'only segments in the WAL dir (no .tmp, no .broken)');
}

describe('repair of an undamaged corpus case gives identical dumps', () => {
  for (const name of corpusCases()) {
    it(name, () => {
      const c = corpusState(name);
      const r = repair(c.stateDir, c.unlockKey);
      assertClean(r);
      assert.equal(r.plan.cut, undefined);
      assert.deepEqual(r.plan.dropped, []);
      assert.equal(r.plan.hardState.appended, false);
      assert.equal(r.plan.appendSnapshotMark, false);
      assert.deepEqual(r.plan.lost.objects, []);
      assert.deepEqual(dumps(r.out, c.unlockKey), dumps(c.stateDir, c.unlockKey));
      assert.match(repairReportText(r.plan, r.result), /The cluster loses: nothing/);
    });
  }
});

describe('repair of damaged copies', () => {
  const snapshots = corpusState('snapshots'); // snapshots at 500, 550, 600; entries 1..636
  const original = snapshots.stateDir;

  it('(a1) a CRC flip in an entry the snapshot covers: nothing lost, every dump as before', () => {
    const dir = scratchCopy(original, 'a1');
    const at = payloadByte(dir, 580n);
    flipByte(at.file, at.offset);
    const r = repair(dir, undefined);
    assertClean(r);
    assert.equal(r.plan.cut, undefined);
    assert.equal(r.plan.dropped.length, 1);
    const d = r.plan.dropped[0];
    assert.deepEqual([d.what, d.index, d.covered, d.file], ['entry', 580n, true, at.file]);
    assert.equal(r.plan.kept.lastIndex, 636n);
    const before = dumps(original, undefined);
    const copy = dumps(r.out, undefined);
    for (const key of Object.keys(before)) if (key !== 'dump-wal --all') assert.equal(copy[key], before[key], key);
    assert.doesNotMatch(copy['dump-wal --all'], /Index=580\b/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('(a2) a CRC flip after the snapshot: cut before it, commit clamped, losses per object', () => {
    const dir = scratchCopy(original, 'a2');
    const at = payloadByte(dir, 620n);
    flipByte(at.file, at.offset);
    const r = repair(dir, undefined);
    assertClean(r);
    assert.equal(r.plan.cut?.index, 620n);
    assert.equal(r.plan.cut?.offset, entryAt(dir, 620n).offset);
    assert.match(r.plan.cut?.reason ?? '', /CRC mismatch/);
    assert.equal(r.plan.kept.lastIndex, 619n);
    assert.equal(r.plan.hardState.final.commit, 619n); // the hard state after entry 619 is kept as it is
    assert.deepEqual([r.plan.lost.count, r.plan.lost.firstIndex, r.plan.lost.lastIndex], [17, 620n, 636n]);
    assert.ok(r.plan.lost.objects.length > 0, 'the lost entries changed objects');
    assert.ok(r.plan.lost.objects.some((o) => o.lastKeptVersion !== undefined));
    const text = repairReportText(r.plan, r.result);
    assert.match(text, new RegExp(`Cut: ${at.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+ \\(entry 620, term \\d+\\)`));
    assert.match(text, /: \d+ updates?.* lost, last kept version \d+|: creation lost, not in the copy/);
    assert.deepEqual(dumps(r.out, undefined, undefined)['dump-object service'], dumps(original, undefined, 619n)['dump-object service']);
    const copy = dumps(r.out, undefined);
    const expected = dumps(original, undefined, 619n);
    for (const type of OBJECT_TYPES) assert.equal(copy[`dump-object ${type}`], expected[`dump-object ${type}`], type);
    rmSync(dir, { recursive: true, force: true });
  });

  it('(b1) a torn last record: the copy ends at the entry before it', () => {
    const dir = scratchCopy(original, 'b1');
    const last = entryAt(dir, 636n);
    truncateTo(last.file, last.offset + 100);
    const r = repair(dir, undefined);
    assertClean(r);
    assert.equal(r.plan.kept.lastIndex, 635n);
    assert.equal(r.plan.dropped.at(-1)?.what, 'damage');
    assert.equal(r.plan.dropped.at(-1)?.offset, last.offset);
    assert.equal(r.plan.dropped.at(-1)?.covered, false, 'the torn record is lost');
    const copy = dumps(r.out, undefined);
    const expected = dumps(original, undefined, 635n);
    for (const type of OBJECT_TYPES) assert.equal(copy[`dump-object ${type}`], expected[`dump-object ${type}`], type);
    rmSync(dir, { recursive: true, force: true });
  });

  it('(c) a zero-filled sector at the tail: the copy ends before it', () => {
    const dir = scratchCopy(original, 'c');
    const e = entryAt(dir, 630n);
    const sector = Math.ceil(e.offset / 4096) * 4096;
    zeroFill(e.file, sector, 4096);
    const r = repair(dir, undefined);
    assertClean(r);
    assert.ok(r.plan.kept.lastIndex >= 629n && r.plan.kept.lastIndex < 636n, `kept up to ${r.plan.kept.lastIndex}`);
    const copy = dumps(r.out, undefined);
    const expected = dumps(original, undefined, r.plan.kept.lastIndex);
    for (const type of OBJECT_TYPES) assert.equal(copy[`dump-object ${type}`], expected[`dump-object ${type}`], type);
    rmSync(dir, { recursive: true, force: true });
  });

  it('(d1) a zero-filled 4 KiB in the middle, under the snapshot: the log is picked up after it, nothing lost', () => {
    const dir = scratchCopy(original, 'd1');
    const e = entryAt(dir, 560n);
    zeroFill(e.file, Math.floor(e.offset / 4096) * 4096, 4096);
    const r = repair(dir, undefined);
    assertClean(r);
    assert.equal(r.plan.cut, undefined);
    assert.equal(r.plan.kept.lastIndex, 636n);
    assert.ok(r.plan.dropped.some((d) => d.what === 'damage'));
    assert.ok(r.plan.dropped.every((d) => d.covered), 'the damaged stretch and the record after it held nothing the copy lacks');
    assert.match(repairReportText(r.plan, r.result), /The cluster loses: nothing/);
    assert.equal(r.plan.hardState.final.commit, 636n);
    const before = dumps(original, undefined);
    const copy = dumps(r.out, undefined);
    for (const key of Object.keys(before)) if (key !== 'dump-wal --all') assert.equal(copy[key], before[key], key);
    rmSync(dir, { recursive: true, force: true });
  });

  it('(d2) a zero-filled 512 bytes inside an entry after the snapshot: cut at the hole', () => {
    const dir = scratchCopy(original, 'd2');
    const e = entryAt(dir, 610n);
    zeroFill(e.file, Math.floor((e.offset + 100) / 512) * 512, 512);
    const r = repair(dir, undefined);
    assertClean(r);
    assert.ok(r.plan.cut, 'the log is cut');
    assert.ok(r.plan.kept.lastIndex < 612n && r.plan.kept.lastIndex >= 608n, `kept up to ${r.plan.kept.lastIndex}`);
    assert.equal(r.plan.hardState.final.commit, r.plan.kept.lastIndex);
    const copy = dumps(r.out, undefined);
    const expected = dumps(original, undefined, r.plan.kept.lastIndex);
    for (const type of OBJECT_TYPES) assert.equal(copy[`dump-object ${type}`], expected[`dump-object ${type}`], type);
    rmSync(dir, { recursive: true, force: true });
  });

  it('(f3) a zeroed length word with records after it: the engine would stop there silently; the copy says what is lost', () => {
    const dir = scratchCopy(original, 'f3');
    const e = entryAt(dir, 630n);
    zeroFill(e.file, e.offset, 8 + e.recordLength); // the whole frame: the scan sees a zero length word
    const r = repair(dir, undefined);
    assertClean(r);
    assert.equal(r.plan.kept.lastIndex, 629n);
    assert.equal(r.plan.cut?.index, 631n);
    assert.match(r.plan.cut?.reason ?? '', /entries 630\.\.630 are missing/);
    assert.ok(r.plan.dropped.some((d) => d.what === 'damage' && d.offset === e.offset && /zero length word/.test(d.reason) && !d.covered));
    assert.equal(r.plan.lost.firstIndex, 631n);
    rmSync(dir, { recursive: true, force: true });
  });

  it('(e2) a truncated newest snapshot: left out, the older one and the WAL give every object', () => {
    const dir = scratchCopy(original, 'e2');
    const newest = join(dir, SNAP, readdirSync(join(dir, SNAP)).sort().at(-1) ?? '');
    truncateTo(newest, 1000);
    const r = repair(dir, undefined);
    assertClean(r);
    assert.equal(r.plan.snapshot?.index, 550n);
    assert.equal(r.plan.snapshotsLeftOut.length, 1);
    assert.ok(!existsSync(join(r.out, SNAP, newest.split('/').at(-1) ?? '')));
    assert.equal(r.plan.kept.lastIndex, 636n);
    const before = dumps(original, undefined);
    const copy = dumps(r.out, undefined);
    for (const type of OBJECT_TYPES) assert.equal(copy[`dump-object ${type}`], before[`dump-object ${type}`], type);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--at N keeps the log up to N and the newest snapshot at or below it', () => {
    const r = repair(original, undefined, { at: 560n });
    assertClean(r);
    assert.equal(r.plan.snapshot?.index, 550n);
    assert.equal(r.plan.kept.lastIndex, 560n);
    assert.ok(r.plan.snapshotsLeftOut.some((s) => /above --at 560/.test(s.reason)));
    const copy = dumps(r.out, undefined);
    const expected = dumps(original, undefined, 560n);
    for (const type of OBJECT_TYPES) assert.equal(copy[`dump-object ${type}`], expected[`dump-object ${type}`], type);
  });

  it('(f1) a lost newest segment: the copy ends with the older one (nothing tells what the lost one held)', () => {
    const c = corpusState('synth-snap');
    const dir = scratchCopy(c.stateDir, 'f1');
    const segments = readdirSync(join(dir, WAL)).filter((n) => n.endsWith('.wal')).sort();
    rmSync(join(dir, WAL, segments.at(-1) ?? ''));
    const r = repair(dir, c.unlockKey);
    assertClean(r);
    assert.ok(r.plan.kept.lastIndex < 10n);
    const commit = r.plan.hardState.final.commit;
    assert.ok(commit <= r.plan.kept.lastIndex && commit >= (r.plan.snapshot?.index ?? 0n), `commit ${commit} within [snapshot, ${r.plan.kept.lastIndex}]`);
    assert.equal(r.plan.kept.lastIndex, 6n);
    assert.deepEqual(readdirSync(join(r.out, WAL)).sort(), [SEGMENT0]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a locked swarm: repaired with its key (the copy opens with the same key), refused without it', () => {
    const c = corpusState('locked'); // snapshot 120, entries 121..161
    const dir = scratchCopy(c.stateDir, 'locked');
    const at = payloadByte(dir, 150n, c.unlockKey);
    flipByte(at.file, at.offset);
    const r = repair(dir, c.unlockKey);
    assertClean(r);
    assert.equal(r.plan.kept.lastIndex, 149n);
    const copy = dumps(r.out, c.unlockKey);
    const expected = dumps(c.stateDir, c.unlockKey, 149n);
    for (const type of OBJECT_TYPES) assert.equal(copy[`dump-object ${type}`], expected[`dump-object ${type}`], type);
    const state = SwarmState.open(dir);
    try {
      assert.throws(() => planRepair(state), (e: Error) => e.message.startsWith(`${join(dir, 'certificates', 'swarm-node.key')}:0: the swarm is autolocked`));
    } finally {
      state.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a plain layout (the output of decrypt)', () => {
  it('keeps its folders and dumps as before', () => {
    const c = corpusState('seed-sample');
    const source = SwarmState.open(c.stateDir, { unlockKey: c.unlockKey });
    const plain = join(tempDir('plain'), 'plain');
    try {
      runDecrypt(source, plain);
    } finally {
      source.close();
    }
    const r = repair(plain, undefined);
    assertCleanAt(r, 'wal-decrypted');
    assert.deepEqual(readdirSync(r.out).sort(), ['snap-decrypted', 'wal-decrypted']);
    assert.deepEqual(dumps(r.out, undefined), dumps(plain, undefined));
  });
});

describe('a copy of one manager of several', () => {
  it('says it comes up without a leader, and that --force-new-cluster is next', () => {
    const dir = join(generatedCase('two-managers'), 'm2', 'swarm');
    const r = repair(dir, undefined);
    assertClean(r);
    assert.equal(r.plan.membership.raftIds.length, 2);
    assert.equal(r.plan.membership.leaderless, true);
    assert.ok(r.plan.membership.thisRaftId && r.plan.membership.raftIds.includes(r.plan.membership.thisRaftId));
    const text = repairReportText(r.plan, r.result);
    assert.match(text, /comes up without a leader/);
    assert.match(text, /docker swarm init --force-new-cluster` on it is the next step/);
    assert.deepEqual(dumps(r.out, undefined), dumps(dir, undefined));
  });
});

describe('repair refuses bad input and writes nothing', () => {
  it('an output inside the state directory, or one that is not empty', () => {
    const c = corpusState('fresh');
    assert.throws(() => checkRepairOutput(join(c.stateDir, 'raft', 'copy'), c.stateDir), /inside the source state directory/);
    const busy = tempDir('busy');
    writeFileSync(join(busy, 'x'), 'x');
    assert.throws(() => checkRepairOutput(busy, c.stateDir), /is not empty/);
  });

  it('nothing consistent (no snapshot and entry 1 damaged): names the file and offset, leaves no output', () => {
    const c = corpusState('objects');
    const dir = scratchCopy(c.stateDir, 'nothing');
    const at = payloadByte(dir, 1n);
    flipByte(at.file, at.offset);
    const state = SwarmState.open(dir);
    try {
      assert.throws(() => planRepair(state), (e: Error) => e.message.startsWith(`${join(dir, WAL, SEGMENT0)}:${entryAt(dir, 1n).offset}: nothing consistent to keep`));
    } finally {
      state.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('entries only an older key file opens are not kept: the engine has only the node key', () => {
    const c = corpusState('locked'); // snapshot 120; entries up to it under the data key autolock retired
    const keyFiles = readdirSync(join(c.dir, 'key-history')).sort().map((f) => join(c.dir, 'key-history', f));
    const state = SwarmState.open(c.stateDir, { unlockKey: c.unlockKey, keyFiles });
    try {
      assert.ok(state.decodeEntry(state.wal.effective[0]).ok, 'the key history opens entry 1');
      assert.throws(() => planRepair(state, { at: 100n }), /nothing consistent to keep: .*its payload does not open/);
    } finally {
      state.close();
    }
  });

  it('a failed write removes what it wrote', () => {
    const c = corpusState('fresh');
    const state = SwarmState.open(c.stateDir);
    const out = join(tempDir('fail'), 'made');
    try {
      const plan = planRepair(state);
      plan.snapshotFiles = ['no-such.snap']; // a file that vanished between plan and write
      assert.throws(() => writeRepair(state, plan, out), /no-such\.snap/);
      assert.equal(existsSync(out), false);
      mkdirSync(out);
      assert.throws(() => writeRepair(state, plan, out), /no-such\.snap/);
      assert.deepEqual(readdirSync(out), []);
    } finally {
      state.close();
    }
  });

  it('the JSON report carries indexes as strings and no writer decisions', () => {
    const c = corpusState('seed-sample');
    const state = SwarmState.open(c.stateDir, { unlockKey: c.unlockKey });
    try {
      const json = repairReportJson(planRepair(state)) as { kept: { lastIndex: string }; decisions?: unknown; dryRun: boolean };
      assert.equal(json.kept.lastIndex, '15');
      assert.equal(json.decisions, undefined);
      assert.equal(json.dryRun, true);
    } finally {
      state.close();
    }
  });
});
