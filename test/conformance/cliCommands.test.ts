// The CLI around the dumps: decrypt through the command line, help for every command, global flags
// before or after the command.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manifestUnlockKey, runCli, runCliExecutable } from '../support/cli';
import { corpusCase, repoRoot } from '../support/fixtures';
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
    assert.equal(r.stderr, 'code cache: accepted; node options: none\n');
  });
  it('as an executable, it starts Node with a 2 MB young generation and the code cache is accepted there too', () => {
    const r = runCliExecutable(['--help'], { SWARM_RAFT_CODE_CACHE_REPORT: '1' });
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'code cache: accepted; node options: --min-semi-space-size=2\n');
  });
  // Node prints this warning while it starts when NODE_EXTRA_CA_CERTS names a file it cannot load: it shows
  // whether the process that ran the command was started with the variable.
  const missingCa = '/nonexistent/extra-ca.pem';
  const caWarning = /Warning: Ignoring extra certs from `\/nonexistent\/extra-ca\.pem`/;
  it('as an executable, a command that opens no connection runs without NODE_EXTRA_CA_CERTS and prints the same', () => {
    const dir = join(seed, 'swarm');
    const r = runCliExecutable(['-d', dir, 'dump-wal'], { NODE_EXTRA_CA_CERTS: missingCa, SWARM_UNLOCK_KEY: seedKey });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, caWarning);
    assert.equal(r.stdout, readFileSync(join(seed, 'expected/swarm', 'dump-wal.txt'), 'utf8'));
    const asNode = runCli(['-d', dir, 'dump-wal'], { NODE_EXTRA_CA_CERTS: missingCa, SWARM_UNLOCK_KEY: seedKey });
    assert.match(asNode.stderr, caWarning, 'node dist/cli.js keeps the variable (no shebang)');
  });
  it('as an executable, a command that talks to an engine runs in a Node started with NODE_EXTRA_CA_CERTS, and its exit code comes back', () => {
    const help = runCliExecutable(['capture', '--help'], { NODE_EXTRA_CA_CERTS: missingCa });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stderr, caWarning);
    assert.match(help.stdout, /^Usage: swarm-raft capture/);
    const usage = runCliExecutable(['-d', '/nonexistent', 'restore'], { NODE_EXTRA_CA_CERTS: missingCa });
    assert.equal(usage.code, 2, usage.stderr);
    assert.match(usage.stderr, caWarning);
  });
  it('as an executable with no NODE_EXTRA_CA_CERTS, an engine command is not started twice and sees no empty variable', () => {
    const r = runCliExecutable(['-d', '/nonexistent', 'restore']);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /extra certs/);
  });
  it('an export of an unlocked swarm loads none of the Node modules the build defers (network, processes, threads, crypto)', () => {
    const unlocked = corpusCase('objects'); // written by a real engine, not autolocked
    const r = runCliExecutable(['-d', join(unlocked, 'swarm'), 'dump-wal', '--redact'], { NODE_OPTIONS: `--require ${join(repoRoot, 'test/support/reportBuiltins.cjs')}` });
    assert.equal(r.code, 0, r.stderr);
    const loaded = /builtins loaded: (.*)/.exec(r.stderr)?.[1].split(' ') ?? [];
    assert.ok(loaded.includes('fs'), 'the report lists what was loaded');
    // (net is not among them here: Node loads it for a standard output that is a pipe, as it is here.)
    for (const deferred of ['crypto', 'https', 'http', 'tls', 'child_process', 'worker_threads']) assert.ok(!loaded.includes(deferred), `${deferred} was loaded`);
  });
});
