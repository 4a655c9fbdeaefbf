// Crashers: inputs that broke a property, kept as regression fixtures under test/fixtures/crashers/<name>/.
// `crasher.json` says which base it starts from, what was removed, the options and the problem;
// `files/` holds only the files that differ from the base. Special files (FIFOs, symlinks, directories)
// are described in the JSON, since git cannot hold them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../test/support/fixtures';
import { loadBase } from './bases';
import { isBuffer, type FuzzInput, type InputOptions, type Special } from './input';
import type { Problem } from './exercise';

export const CRASHERS_DIR = join(repoRoot, 'test', 'fixtures', 'crashers');

export interface CrasherMeta {
  base: string;
  layer: string;
  seed?: number;
  index?: number;
  notes: string[];
  options: InputOptions;
  removed: string[];
  special: Record<string, Special>;
  problem: Pick<Problem, 'stage' | 'kind' | 'message'>;
  /** What was fixed, filled in by hand once it is (the regression test only needs the input). */
  fixedBy?: string;
}

export function crasherName(input: FuzzInput, problem: Problem): string {
  const hash = createHash('sha256').update(problem.signature).digest('hex').slice(0, 10);
  return `${input.layer}-${problem.stage}-${hash}`;
}

/** Writes the crasher (replacing one of the same name) and returns its directory. */
export function saveCrasher(input: FuzzInput, problem: Problem, extra: { seed?: number; index?: number }, name = crasherName(input, problem)): string {
  const base = loadBase(input.base);
  const dir = join(CRASHERS_DIR, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const meta: CrasherMeta = {
    base: input.base, layer: input.layer, ...extra, notes: input.notes, options: input.options,
    removed: [...base.files.keys()].filter((rel) => !input.files.has(rel)).sort(),
    special: {}, problem: { stage: problem.stage, kind: problem.kind, message: problem.message.slice(0, 2000) },
  };
  for (const [rel, c] of input.files) {
    const was = base.files.get(rel);
    if (isBuffer(c)) {
      if (isBuffer(was) && was.equals(c)) continue;
      const path = join(dir, 'files', rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, c);
    } else if (!(was && !isBuffer(was) && JSON.stringify(was) === JSON.stringify(c))) {
      meta.special[rel] = c;
    }
  }
  writeFileSync(join(dir, 'crasher.json'), JSON.stringify(meta, null, 2) + '\n');
  return dir;
}

export function loadCrasher(dir: string): { input: FuzzInput; meta: CrasherMeta } {
  const meta = JSON.parse(readFileSync(join(dir, 'crasher.json'), 'utf8')) as CrasherMeta;
  const base = loadBase(meta.base);
  const files = new Map(base.files);
  for (const rel of meta.removed) files.delete(rel);
  for (const [rel, c] of Object.entries(meta.special)) files.set(rel, c);
  const walk = (rel: string) => {
    const path = join(dir, 'files', rel);
    for (const name of readdirSync(path, { withFileTypes: true })) {
      const child = rel ? join(rel, name.name) : name.name;
      if (name.isDirectory()) walk(child);
      else files.set(child, readFileSync(join(dir, 'files', child)));
    }
  };
  if (existsSync(join(dir, 'files'))) walk('');
  return { meta, input: { base: meta.base, layer: meta.layer, files, options: meta.options, notes: meta.notes } };
}

export function crasherDirs(): string[] {
  if (!existsSync(CRASHERS_DIR)) return [];
  return readdirSync(CRASHERS_DIR).filter((n) => existsSync(join(CRASHERS_DIR, n, 'crasher.json'))).sort().map((n) => join(CRASHERS_DIR, n));
}
