// Conformance: for every corpus case, capture and command, the CLI's stdout is byte-identical to the
// reference swarm-rafttool's; where the reference fails (exit 255) the CLI fails with one clear
// "Error: ..." line. Every run also proves the state directory was not touched.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { manifestUnlockKey, runCli } from '../support/cli';
import { corpusCase, corpusCases } from '../support/fixtures';
import { treeDiff, treeSnapshot } from '../support/treeSnapshot';

const COMMANDS: Record<string, string[]> = {
  'dump-wal': ['dump-wal'],
  'dump-wal-redact': ['dump-wal', '--redact'],
  'dump-snapshot': ['dump-snapshot'],
  'dump-snapshot-redact': ['dump-snapshot', '--redact'],
};
for (const type of ['node', 'service', 'task', 'network', 'cluster', 'secret', 'config', 'resource', 'extension']) {
  COMMANDS[`dump-object-${type}`] = ['dump-object', type];
}

for (const name of corpusCases()) {
  const dir = corpusCase(name);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const key = manifestUnlockKey(manifest);
  for (const capture of readdirSync(join(dir, 'expected')).sort()) {
    describe(`${name}/${capture}`, () => {
      const stateDir = join(dir, capture);
      const expected = join(dir, 'expected', capture);
      for (const [cmd, args] of Object.entries(COMMANDS)) {
        if (!existsSync(join(expected, `${cmd}.rc`))) continue;
        it(cmd, () => {
          const rc = Number(readFileSync(join(expected, `${cmd}.rc`), 'utf8').trim());
          const before = treeSnapshot(stateDir);
          // Global flags after the command, and the key from the environment: both must work.
          const r = runCli([...args, '-d', stateDir], key ? { SWARM_UNLOCK_KEY: key } : {});
          assert.deepEqual(treeDiff(before, treeSnapshot(stateDir)), [], 'the state directory must not change');
          if (rc === 0) {
            assert.equal(r.stderr.split('\n').filter((l) => / error|Error/.test(l)).join('\n'), '', 'no errors on stderr');
            assert.equal(r.code, 0, r.stderr);
            assert.equal(r.stdout, readFileSync(join(expected, `${cmd}.txt`), 'utf8'));
          } else {
            const reference = readFileSync(join(expected, `${cmd}.stderr`), 'utf8').split('\n')[0];
            assert.notEqual(r.code, 0);
            const lines = r.stderr.trimEnd().split('\n');
            assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
            assert.equal(lines[0], reference);
            assert.equal(r.stdout, '');
          }
        });
      }
    });
  }
}
