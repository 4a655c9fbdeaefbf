// Following a state directory while the project's writer appends to it: each poll indexes only the new
// records, picks up a segment roll-over and a new snapshot, treats a half-written record as a write in
// progress (no fault) until it stays torn, and ends with exactly the index, text and faults a fresh open
// of the same directory gives. Nothing in the directory is changed by the reader.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { dumpWalText } from '../../src/core/report/dumpWal';
import { ChangeWait } from '../../src/core/state/changeWait';
import { StateFollower } from '../../src/core/state/stateFollower';
import { SwarmState } from '../../src/core/state/swarmState';
import { LiveWriter } from '../support/liveWriter';
import { runCli } from '../support/cli';
import { repoRoot } from '../support/fixtures';

const root = mkdtempSync(join(tmpdir(), 'swarm-raft-follow-'));
after(() => rmSync(root, { recursive: true, force: true }));

function newestSegment(state: SwarmState): string {
  return state.wal.segments[state.wal.segments.length - 1].path;
}

/** Every column of the index, the effective log, hard state and faults: what must match a fresh open. */
function indexOf(state: SwarmState): unknown {
  const t = state.wal.table;
  const rows = Array.from({ length: t.length }, (_, seq) => {
    const e = t.entry(seq);
    return `${e.index}/${e.term}/${e.type} ${e.file.split('/').pop()}@${e.offset}+${e.recordLength} d${e.dataAt}+${e.dataLength} ${e.crcOk} ${e.overwritten} ${e.uncommitted}`;
  });
  return {
    rows, effective: Array.from(state.wal.effectiveSeqs), hardState: state.wal.hardState, marks: state.wal.snapshots,
    segments: state.wal.segments.map((s) => [s.name, s.scan.end, s.scan.endCrc, s.scan.records, s.scan.entryCount]),
    snapshots: state.snapshotFiles.map((f) => f.name), faults: state.faults,
  };
}

function text(state: SwarmState): string {
  return [...dumpWalText(state, { all: true }, [])].join('');
}

/** Reads `length` bytes at `offset`, then overwrites them with zeros (a write the disk has not finished). */
function blank(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r+');
  try {
    const saved = Buffer.alloc(length);
    readSync(fd, saved, 0, length, offset);
    writeSync(fd, Buffer.alloc(length), 0, length, offset);
    return saved;
  } finally {
    closeSync(fd);
  }
}

function restore(path: string, offset: number, bytes: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

describe('following a state directory being written', () => {
  it('indexes appended entries, roll-overs, snapshots and torn-then-completed records as a fresh open does', () => {
    const live = new LiveWriter(join(root, 'a'), { segmentBytes: 96 * 1024 });
    live.append(20);
    const state = SwarmState.open(live.stateDir);
    const follower = new StateFollower(state);
    const t0 = 1_000_000;
    assert.equal(follower.poll(t0).changed, false, 'nothing written: nothing changes');

    // Appended batches: exactly the new records, commit moving behind them.
    const firstBefore = state.wal.table.length;
    live.append(5);
    live.append(3);
    let u = follower.poll(t0 + 10);
    assert.equal(u.changed, true);
    assert.equal(u.firstNewSeq, firstBefore);
    assert.equal(u.newRecords, 8);
    assert.equal(u.commitAfter, live.commit);
    const last = state.wal.effectiveSeqs.at(state.wal.effectiveSeqs.length - 1);
    assert.equal(state.wal.table.index(last), live.index);
    assert.equal(state.wal.table.uncommitted(last), true, 'the last batch is above the commit');
    live.commitAll();
    u = follower.poll(t0 + 20);
    assert.equal(u.newRecords, 0);
    assert.equal(u.commitAfter, live.index);
    assert.equal(state.wal.table.uncommitted(last), false, 'the commit reached it');

    // A batch whose second half is not on disk yet: a write in progress, not a fault.
    const segment = newestSegment(state);
    const end = state.wal.segments[state.wal.segments.length - 1].scan.end;
    const indexBefore = live.index;
    live.append(4);
    const written = statSync(segment).size; // preallocated: the size says nothing; find the records' end
    assert.ok(written > end);
    const tornAt = end + 200;
    const saved = blank(segment, tornAt, 600);
    u = follower.poll(t0 + 30);
    assert.ok(u.pending, 'the half-written record is pending');
    assert.deepEqual(u.faults, [], 'and not a fault');
    assert.ok(state.faults.every((f) => !/torn/.test(f.message)));
    restore(segment, tornAt, saved);
    u = follower.poll(t0 + 40);
    assert.equal(u.pending, undefined);
    assert.deepEqual(u.faults, []);
    assert.equal(state.wal.table.index(state.wal.effectiveSeqs.at(state.wal.effectiveSeqs.length - 1)), indexBefore + 4n, 'the completed records are read');

    // One that stays bad becomes a fault after the grace period, as a fresh open reports it.
    const end2 = state.wal.segments[state.wal.segments.length - 1].scan.end;
    live.append(2);
    blank(segment, end2 + 100, 400);
    assert.ok(follower.poll(t0 + 50).pending);
    assert.deepEqual(state.faults, SwarmState.open(live.stateDir).faults.filter((f) => f.offset < end2), 'not yet');
    u = follower.poll(t0 + 50 + 2500);
    assert.equal(u.pending, undefined);
    assert.ok(u.faults.length >= 1 && u.faults.every((f) => f.offset >= end2), JSON.stringify(u.faults));
    const stillBad = SwarmState.open(live.stateDir);
    assert.deepEqual(state.faults, stillBad.faults, 'now faults, as a fresh open reports them');
    stillBad.close();

    // Roll-over into new segments, an election and a new snapshot.
    const segmentsBefore = state.wal.segments.length;
    while (live.writer.wal.segmentCount < segmentsBefore + 2) live.append(6);
    live.election();
    const snap = live.snapshot();
    live.append(3);
    u = follower.poll(t0 + 70 + 2500);
    assert.equal(u.segmentsAdded.length, 2, JSON.stringify(u.segmentsAdded));
    assert.deepEqual(u.snapshotsAdded, [snap.split('/').pop()]);
    assert.equal(state.newestSnapshot?.name, snap.split('/').pop());
    assert.deepEqual(u.faults, []);

    // The followed index is the one a fresh open builds, column by column, and dumps the same text.
    const fresh = SwarmState.open(live.stateDir);
    assert.deepEqual(indexOf(state), indexOf(fresh));
    assert.equal(text(state), text(fresh));
    assert.ok(readdirSync(join(live.stateDir, 'raft', 'wal-v3-encrypted')).length >= 3);
    fresh.close();
    state.close();
    live.close();
  });

  it('costs nothing when nothing was written, and reads only the new bytes of a long log', () => {
    const live = new LiveWriter(join(root, 'b'));
    for (let i = 0; i < 200; i++) live.append(8);
    const state = SwarmState.open(live.stateDir);
    const follower = new StateFollower(state);
    const oldRows = Array.from({ length: state.wal.table.length }, (_, seq) => state.wal.table.entry(seq));
    assert.equal(follower.poll().changed, false);
    live.append(2);
    const u = follower.poll();
    assert.equal(u.newRecords, 2);
    // The rows indexed before are untouched (not read again), apart from the commit moving past them.
    for (const [seq, row] of oldRows.entries()) {
      const now = state.wal.table.entry(seq);
      assert.deepEqual({ ...now, uncommitted: row.uncommitted }, row);
    }
    state.close();
    live.close();
  });
});

describe('dump-wal --follow', () => {
  for (const format of ['text', 'json']) {
    it(`prints committed entries as they are committed, as dump-wal prints them (${format})`, async () => {
      const live = new LiveWriter(join(root, `cli-${format}`), { segmentBytes: 64 * 1024 });
      live.append(5);
      live.commitAll();
      live.append(2); // not committed yet: printed once it is
      const target = live.index + 40n;
      const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), '-d', live.stateDir, 'dump-wal', '--follow', '--end', String(target), '--format', format], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      for (let i = 0; i < 200 && stdout.length === 0; i++) await sleep(50);
      const seen = stdout.length;
      assert.ok(seen > 0, 'the committed entries are printed first');
      while (live.index < target) {
        live.append(Number(target - live.index < 4n ? target - live.index : 4n)); // crosses segment roll-overs
        await sleep(30);
      }
      live.commitAll();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(timer);
      assert.equal(code, 0, `stderr: ${stderr}`);
      assert.ok(stdout.length > seen);
      const whole = runCli(['-d', live.stateDir, 'dump-wal', '--end', String(target), '--format', format]);
      assert.equal(whole.code, 0, whole.stderr);
      assert.equal(stdout, whole.stdout, 'the same text, entry for entry');
      assert.ok(live.writer.wal.segmentCount > 1, 'the log rolled over while followed');
      live.close();
    });
  }
});

describe('waiting for changes (ChangeWait)', () => {
  it('a write in a watched directory wakes the waiter, a burst once; without events the timer does; nothing is written', async () => {
    const dir = mkdtempSync(join(root, 'watched-'));
    const file = join(dir, 'segment');
    closeSync(openSync(file, 'w'));
    const changes = new ChangeWait([dir], { debounceMs: 5, pollMs: 60_000 });
    try {
      assert.ok(changes.watching);
      let woken = 0;
      const waiting = changes.next().then(() => woken++);
      const fd = openSync(file, 'r+');
      for (let i = 0; i < 5; i++) writeSync(fd, Buffer.from('x'), 0, 1, i); // a burst of writes by "the manager"
      closeSync(fd);
      await waiting; // long before pollMs: the test would time out otherwise
      assert.equal(woken, 1);
      assert.deepEqual(readdirSync(dir), ['segment']);
    } finally {
      changes.close();
    }
    const timerOnly = new ChangeWait([join(dir, 'missing')], { pollMs: 20 });
    assert.equal(timerOnly.watching, false);
    await timerOnly.next(); // woken by the timer: no directory to watch
    timerOnly.close();
  });
});
