// Every input the fuzzer ever broke a property with (test/fixtures/crashers/) still goes through
// everything without an untyped exception, a bad fault, a hang or a write. Each runs in a child process
// with a time limit: a hang blocked in a system call (a FIFO's open) cannot be interrupted in-process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { crasherDirs } from '../../scripts/fuzz/crashers';
import { repoRoot } from '../support/fixtures';

const LIMIT_MS = 180_000;

describe('fuzz crashers (regression)', () => {
  const dirs = crasherDirs();
  it('there are crashers to replay', () => assert.ok(dirs.length > 0));
  for (const dir of dirs) {
    it(basename(dir), () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'fuzz', 'main.ts'), '--crasher', dir], {
        cwd: repoRoot, encoding: 'utf8', timeout: LIMIT_MS, killSignal: 'SIGKILL',
      });
      assert.notEqual(r.signal, 'SIGKILL', `no answer within ${LIMIT_MS} ms (a hang)`);
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });
  }
});
