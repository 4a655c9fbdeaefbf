// `swarm-raft repair` through the command line: global flags on either side, the key from the
// environment, --dry-run, JSON, exit codes 0/3/1/2 with one-line errors, nothing written on refusal and
// never anything in the state directory.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SwarmState } from '../../src/core/state/swarmState';
import { manifestUnlockKey, runCli } from '../support/cli';
import { flipByte } from '../support/damage';
import { corpusCase } from '../support/fixtures';
import { scratchCopy } from '../support/scratch';
import { treeDiff, treeSnapshot } from '../support/treeSnapshot';

const seed = corpusCase('seed-sample'); // autolocked; snapshot 13, entries 1..15
const seedDir = join(seed, 'swarm');
const seedKey = manifestUnlockKey(JSON.parse(readFileSync(join(seed, 'manifest.json'), 'utf8'))) ?? '';
const work = mkdtempSync(join(tmpdir(), 'swarm-raft-cli-repair-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('repair (CLI)', () => {
  it('an undamaged swarm: exit 0, the copy dumps as the source, the source untouched', () => {
    const out = join(work, 'ok', 'swarm');
    const before = treeSnapshot(seedDir);
    const r = runCli(['repair', '-o', out, '-d', seedDir], { SWARM_UNLOCK_KEY: seedKey });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(treeDiff(before, treeSnapshot(seedDir)), []);
    assert.match(r.stdout, /^Repaired .* into /);
    assert.match(r.stdout, /The cluster loses: nothing/);
    assert.match(r.stdout, /Check: the copy reads back without a fault/);
    for (const args of [['dump-wal'], ['dump-snapshot'], ['dump-object', 'secret']]) {
      const a = runCli(['-d', seedDir, ...args], { SWARM_UNLOCK_KEY: seedKey });
      const b = runCli(['-d', out, ...args], { SWARM_UNLOCK_KEY: seedKey });
      assert.equal(b.code, 0, b.stderr);
      assert.equal(b.stdout, a.stdout, args.join(' '));
    }
  });

  it('--dry-run prints the plan as JSON and writes nothing', () => {
    const out = join(work, 'dry');
    const r = runCli(['-d', seedDir, 'repair', '--dry-run', '--format', 'json', '-o', out], { SWARM_UNLOCK_KEY: seedKey });
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { dryRun: boolean; kept: { lastIndex: string }; snapshot: { index: string } };
    assert.deepEqual([plan.dryRun, plan.kept.lastIndex, plan.snapshot.index], [true, '15', '13']);
    assert.equal(existsSync(out), false);
  });

  it('an entry damaged after the snapshot: exit 3, the cut and the loss in the report', () => {
    const dir = scratchCopy(seedDir, 'cli-repair');
    const state = SwarmState.open(dir, { unlockKey: seedKey });
    const e = state.wal.effective.find((x) => x.index === 15n);
    state.close();
    assert.ok(e);
    flipByte(e.file, e.offset + 8 + e.recordLength - 40);
    const out = join(work, 'cut', 'swarm');
    const r = runCli(['-d', dir, 'repair', '-o', out], { SWARM_UNLOCK_KEY: seedKey });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, new RegExp(`Cut: ${e.file}:${e.offset} \\(entry 15, term \\d+\\): CRC mismatch`));
    assert.match(r.stdout, /entries 15\.\.15 \(1 entries/);
    assert.match(r.stdout, /Kept: entries 1\.\.14/);
    assert.equal(r.stderr, '');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refusals: one line naming the file and offset, exit 1, nothing written', () => {
    const cases: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
      ['not a state dir', ['-d', join(work, 'plain'), 'repair', '-o', join(work, 'r1')], {}, new RegExp(`^Error: ${join(work, 'plain')}:0: no raft/wal-v3-encrypted`)],
      ['locked without key', ['-d', seedDir, 'repair', '-o', join(work, 'r2')], {}, new RegExp(`^Error: ${seedDir}/certificates/swarm-node.key:0: the swarm is autolocked`)],
      ['inside the source', ['-d', seedDir, 'repair', '-o', join(seedDir, 'raft', 'copy')], { SWARM_UNLOCK_KEY: seedKey }, /^Error: refusing to write .* inside the source state directory/],
    ];
    mkdirSync(join(work, 'plain'));
    mkdirSync(join(work, 'busy'));
    writeFileSync(join(work, 'busy', 'x'), 'x');
    cases.push(['not empty', ['-d', seedDir, 'repair', '-o', join(work, 'busy')], { SWARM_UNLOCK_KEY: seedKey }, /^Error: output directory .*busy is not empty/]);
    const before = treeSnapshot(seedDir);
    for (const [label, args, env, error] of cases) {
      const r = runCli(args, env);
      assert.equal(r.code, 1, `${label}: ${r.stderr}`);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `${label}: one line`);
      assert.match(r.stderr, error, label);
      assert.equal(r.stdout, '', label);
    }
    assert.deepEqual(treeDiff(before, treeSnapshot(seedDir)), []);
    assert.equal(existsSync(join(work, 'r1')), false);
    assert.equal(existsSync(join(work, 'r2')), false);
    assert.deepEqual(readdirSync(join(work, 'busy')), ['x']);
  });

  it('usage: -o is required, --at takes an index (exit 2)', () => {
    assert.equal(runCli(['-d', seedDir, 'repair']).code, 2);
    assert.equal(runCli(['-d', seedDir, 'repair', '-o', join(work, 'u'), '--at', 'x']).code, 2);
  });
});
