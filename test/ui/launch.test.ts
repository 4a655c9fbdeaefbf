// README command 1 with a folder: `bash scripts/launch.sh FOLDER --check` serves the workbench on that
// folder (not the sample), and a folder that does not exist is refused before anything starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../harness/paths';
import { copySwarm } from './walkthroughSupport';

const launch = (args: string[], cwd = repoRoot) => spawnSync('bash', [join(repoRoot, 'scripts', 'launch.sh'), ...args], { cwd, encoding: 'utf8', timeout: 600_000 });

test('launch.sh FOLDER opens that folder; a missing folder is refused', () => {
  const { dir } = copySwarm('seed-sample');
  // Given relative to the caller's directory, as a user types it.
  const cwd = mkdtempSync(join(tmpdir(), 'swarm-raft-launch-'));
  const run = launch([relative(cwd, dir), '--check'], cwd);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`launch check: .*\\?folder=${encodeURIComponent(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ok`));

  const missing = launch([join(cwd, 'no-such-folder'), '--check']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no-such-folder is not a folder/);
});
