// Files the repository keeps generated (the compiled schema, the assembled WebAssembly): the tests make
// them afresh with their script and hold the committed copy to that.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { repoRoot } from './fixtures';

/** Runs `script --out <fresh>` and asserts that the committed file (repo-relative) has the same bytes. */
export function assertGeneratedFileCurrent(script: string, committed: string, remedy: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'generated-'));
  try {
    const fresh = join(dir, basename(committed));
    execFileSync(process.execPath, [join(repoRoot, script), '--out', fresh], { stdio: 'pipe' });
    assert.ok(readFileSync(fresh, 'utf8') === readFileSync(join(repoRoot, committed), 'utf8'), `${committed} is stale: ${remedy}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
