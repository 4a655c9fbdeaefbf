// A fuzz input: the files of a state directory (plus older key files) in memory, the options to open
// it with, and how it was made. Written to a scratch directory for each run, compared after it.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** File system objects a reader may meet where it expects a regular file. */
export type Special = { special: 'dir' } | { special: 'fifo' } | { special: 'symlink'; target: string };
export type FileContent = Buffer | Special;

export interface InputOptions {
  unlockKey?: string;
  /** Paths relative to the input root. */
  nodeKeyFile?: string;
  keyFiles?: string[];
}

export interface FuzzInput {
  base: string;
  layer: string;
  /** Relative to the input root; the state directory is `swarm/`. */
  files: Map<string, FileContent>;
  options: InputOptions;
  /** What was done, one line per mutation. */
  notes: string[];
}

export const STATE_DIR = 'swarm';

export function isBuffer(c: FileContent | undefined): c is Buffer {
  return Buffer.isBuffer(c);
}

export function cloneInput(input: FuzzInput): FuzzInput {
  return { ...input, files: new Map(input.files), options: { ...input.options, keyFiles: input.options.keyFiles && [...input.options.keyFiles] }, notes: [...input.notes] };
}

/** Total bytes of the input's regular files: what the memory bound is derived from. */
export function inputBytes(input: FuzzInput): number {
  let n = 0;
  for (const c of input.files.values()) if (isBuffer(c)) n += c.length;
  return n;
}

/**
 * Drops entries that cannot exist: under a path that is a file, FIFO or symlink (stacked mutations can
 * turn a directory into a file and then add something inside it).
 */
export function dropUnreachable(input: FuzzInput): void {
  for (const rel of [...input.files.keys()]) {
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = input.files.get(parts.slice(0, i).join('/'));
      if (parent !== undefined && (isBuffer(parent) || parent.special !== 'dir')) {
        input.files.delete(rel);
        break;
      }
    }
  }
}

/** Writes the input under `root` (which must not exist yet). Directories first, then files. */
export function materialize(input: FuzzInput, root: string): void {
  mkdirSync(root, { recursive: true });
  const entries = [...input.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [rel, c] of entries) if (!isBuffer(c) && c.special === 'dir') mkdirSync(join(root, rel), { recursive: true });
  for (const [rel, c] of entries) {
    const path = join(root, rel);
    if (!isBuffer(c) && c.special === 'dir') continue;
    mkdirSync(dirname(path), { recursive: true });
    if (isBuffer(c)) writeFileSync(path, c);
    else if (c.special === 'fifo') execFileSync('mkfifo', [path]);
    else symlinkSync(c.target, path);
  }
}

/** What changed under `root` compared with the input as written (empty = nothing): the read-only check. */
export function changedFiles(input: FuzzInput, root: string): string[] {
  const out: string[] = [];
  for (const [rel, c] of input.files) {
    const path = join(root, rel);
    try {
      const st = lstatSync(path);
      if (isBuffer(c)) {
        if (!st.isFile() || !readFileSync(path).equals(c)) out.push(`changed ${rel}`);
      } else if (c.special === 'dir' ? !st.isDirectory() : c.special === 'fifo' ? !st.isFIFO() : !st.isSymbolicLink() || readlinkSync(path) !== c.target) {
        out.push(`changed ${rel}`);
      }
    } catch {
      out.push(`deleted ${rel}`);
    }
  }
  return out;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
