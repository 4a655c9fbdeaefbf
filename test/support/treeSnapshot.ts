// Proof of the read-only guarantee: every file and directory of a tree with its size, mode, mtime and
// SHA-256. Compare a snapshot taken before a command with one taken after.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join, relative } from 'node:path';

export function treeSnapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = lstatSync(path);
      const rel = relative(root, path);
      if (st.isDirectory()) {
        out.set(rel + '/', `dir mode=${st.mode.toString(8)} mtime=${st.mtimeMs}`);
        walk(path);
      } else {
        const hash = st.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'special';
        out.set(rel, `size=${st.size} mode=${st.mode.toString(8)} mtime=${st.mtimeMs} sha256=${hash}`);
      }
    }
  };
  walk(root);
  return out;
}

/** Lists what differs between two snapshots (empty when nothing changed). */
export function treeDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [k, v] of before) if (after.get(k) !== v) diffs.push(after.has(k) ? `changed ${k}` : `deleted ${k}`);
  for (const k of after.keys()) if (!before.has(k)) diffs.push(`created ${k}`);
  return diffs;
}
