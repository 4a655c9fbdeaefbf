// Test fixtures are committed compressed (a WAL segment is 64 MB of mostly zeros) and unpacked
// once per machine into .fixtures/ (git-ignored). Tests never read ../shared.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const corpusArchives = join(repoRoot, 'test', 'fixtures', 'corpus');
const unpackRoot = join(repoRoot, '.fixtures');

/** Names of the conformance cases (one archive each). */
export function corpusCases(): string[] {
  return readdirSync(corpusArchives)
    .filter((f) => f.endsWith('.tar.gz'))
    .map((f) => f.slice(0, -'.tar.gz'.length))
    .sort();
}

/** Directory holding the unpacked case (`<dir>/swarm`, `<dir>/expected`, `<dir>/manifest.json`, ...). */
export function corpusCase(name: string): string {
  return unpackArchive(join(corpusArchives, `${name}.tar.gz`), join(unpackRoot, 'corpus'), name);
}

/** Unpacks `archive` (whose top folder is `topName`) under `into`, once; safe against concurrent test files. */
export function unpackArchive(archive: string, into: string, topName: string): string {
  const target = join(into, topName);
  if (existsSync(join(target, '.unpacked'))) return target;
  const staging = join(into, `.staging-${topName}-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync('tar', ['-xzf', archive, '-C', staging]);
  execFileSync('touch', [join(staging, topName, '.unpacked')]);
  try {
    renameSync(join(staging, topName), target);
  } catch {
    // Another test process won the race; its copy is identical.
  }
  rmSync(staging, { recursive: true, force: true });
  return target;
}

// Real-engine cases made by scripts/fixtures/generate.sh (see docs/fixtures.md): one archive each in
// test/fixtures/generated, unpacked on first use into .fixtures/generated/<name>/ (`swarm/` or `m1/swarm` +
// `m2/swarm`, `key-history/`, `manifest.json`). An archive that is not committed (e.g. a large one) is
// simply absent: check hasGeneratedCase() and skip.
export const generatedArchives = join(repoRoot, 'test', 'fixtures', 'generated');

/** Names of the generated cases whose archive is present. */
export function generatedCases(): string[] {
  if (!existsSync(generatedArchives)) return [];
  return readdirSync(generatedArchives)
    .filter((f) => f.endsWith('.tar.gz'))
    .map((f) => f.slice(0, -'.tar.gz'.length))
    .sort();
}

export function hasGeneratedCase(name: string): boolean {
  return existsSync(join(generatedArchives, `${name}.tar.gz`));
}

/** Directory holding the unpacked generated case `name`. */
export function generatedCase(name: string): string {
  const archive = join(generatedArchives, `${name}.tar.gz`);
  if (!existsSync(archive)) throw new Error(`generated fixture ${name} is missing: ${archive} (make it with scripts/fixtures/generate.sh --only ${name})`);
  return unpackArchive(archive, join(unpackRoot, 'generated'), name);
}
