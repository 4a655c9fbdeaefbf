// The CLI around the dumps: decrypt through the command line, help for every command, global flags
// before or after the command.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manifestUnlockKey, runCli } from '../support/cli';
import { corpusCase } from '../support/fixtures';
import { treeDiff, treeSnapshot } from '../support/treeSnapshot';

const seed = corpusCase('seed-sample');
const seedKey = manifestUnlockKey(JSON.parse(readFileSync(join(seed, 'manifest.json'), 'utf8')))!;

describe('decrypt', () => {
  it('writes a plain WAL + snapshot that reads with no key to the same dumps, and leaves the source alone', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'swarm-raft-decrypt-')), 'plain');
    const before = treeSnapshot(join(seed, 'swarm'));
    const r = runCli(['decrypt', '-o', out, '-d', join(seed, 'swarm')], { SWARM_UNLOCK_KEY: seedKey });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(treeDiff(before, treeSnapshot(join(seed, 'swarm'))), []);
    assert.deepEqual(readdirSync(out).sort(), ['snap-decrypted', 'wal-decrypted']);
    for (const cmd of ['dump-wal', 'dump-snapshot']) {
      const plain = runCli(['-d', out, cmd]);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(plain.stdout, readFileSync(join(seed, 'expected/swarm', `${cmd}.txt`), 'utf8'));
    }
  });
  it('refuses an output directory inside the state directory', () => {
    const r = runCli(['-d', join(seed, 'swarm'), 'decrypt', '-o', join(seed, 'swarm', 'raft', 'out')], { SWARM_UNLOCK_KEY: seedKey });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: refusing to write .* inside the source state directory/);
  });
});

describe('help', () => {
  for (const cmd of ['dump-wal', 'dump-snapshot', 'dump-object', 'decrypt', 'repair']) {
    it(`${cmd} --help describes its flags`, () => {
      const r = runCli([cmd, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, new RegExp(`^Usage: swarm-raft ${cmd}`));
      assert.match(r.stdout, /--/);
    });
  }
  it('the program help lists the commands and the key options', () => {
    const r = runCli(['--help']);
    assert.equal(r.code, 0);
    for (const word of ['dump-wal', 'dump-snapshot', 'dump-object', 'decrypt', 'repair', '--unlock-key-file', '--key-file', '--state-dir']) assert.ok(r.stdout.includes(word), word);
  });
});

describe('launcher', () => {
  it('dist/cli.js runs the bundle with the code cache the build made (V8 accepts it under the launcher\'s flags)', () => {
    const r = runCli(['--help'], { SWARM_RAFT_CODE_CACHE_REPORT: '1' });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'code cache: accepted\n');
  });
});
