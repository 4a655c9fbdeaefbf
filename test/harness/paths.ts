// Folders shared by the harness: artifacts go to test-results/ (git-ignored); scratch state of
// each run goes under one temp root, so a leftover check can find our processes by that path.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repo root, found by walking up: this code runs from test/harness and, bundled, from dist/test/harness. */
export const repoRoot = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'scripts', 'tools', 'env.sh'))) return dir;
  }
  throw new Error(`no repo root above ${start}`);
}
export const resultsDir = process.env.SWARM_RAFT_RESULTS ?? join(repoRoot, 'test-results');

/** Marker in every scratch path (user-data dirs, browser profiles): `pgrep -f` finds stragglers. */
export const scratchMarker = 'swarm-raft-harness';

/** A fresh scratch folder for one server or browser, under the OS temp dir. */
export function scratchDir(label: string): string {
  const root = join(tmpdir(), scratchMarker);
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, `${label}-`));
}

/** Deletes a scratch folder unless SWARM_RAFT_KEEP_SCRATCH=1 (to inspect a run's state). */
export function removeScratch(dir: string): void {
  if (process.env.SWARM_RAFT_KEEP_SCRATCH !== '1') rmSync(dir, { recursive: true, force: true });
}

/** Creates and returns test-results/<parts...>. */
export function resultsPath(...parts: string[]): string {
  const dir = join(resultsDir, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file-system-safe name for a test or step title. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed';
}
