// The writer only ever writes where the caller said: an output directory that is new or empty, and that
// is not the source being read (nor inside it), so a conversion can never clobber the data it reads.
import { existsSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** Creates `dir` (and missing parents) or accepts it when empty; throws when it holds anything. */
export function prepareEmptyDir(dir: string): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  assertMissingOrEmpty(abs);
  return abs;
}

/** Throws unless `dir` is missing or an empty directory; creates nothing (a check before any work starts). */
export function assertMissingOrEmpty(dir: string): void {
  const abs = resolve(dir);
  if (!existsSync(abs)) return;
  if (!statSync(abs).isDirectory()) throw new Error(`output ${abs} is a file, not a directory; choose a new or empty directory`);
  const present = readdirSync(abs);
  if (present.length > 0) {
    throw new Error(`output directory ${abs} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}); choose a new or empty directory`);
  }
}

/** Throws when `output` is `source` or lies inside it (symlinks resolved; `output` may not exist yet). */
export function assertOutsideOf(output: string, source: string, what = 'the source state directory'): void {
  const out = realpathOfPossiblyMissing(output);
  const src = realpathOfPossiblyMissing(source);
  const rel = relative(src, out);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new Error(`refusing to write to ${output}: it is ${rel === '' ? '' : 'inside '}${what} (${source}); choose a directory outside it`);
  }
}

/** realpath of the deepest existing ancestor, with the missing tail appended. */
function realpathOfPossiblyMissing(path: string): string {
  const abs = resolve(path);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return resolve(realpathSync(at), ...missing);
    } catch {
      const parent = dirname(at);
      if (parent === at) return abs;
      missing.unshift(relative(parent, at));
      at = parent;
    }
  }
}
