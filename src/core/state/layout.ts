// Where things are in a manager's state directory, and finding that directory from any file inside it.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface StateLayout {
  stateDir: string;
  walDir: string;
  snapDir: string;
  /** True for the SwarmKit-encrypted layout (Docker >= 1.13). */
  encrypted: boolean;
  nodeKeyFile: string;
  nodeCertFile: string;
}

const RAFT_LAYOUTS: { wal: string; snap: string; encrypted: boolean }[] = [
  { wal: 'wal-v3-encrypted', snap: 'snap-v3-encrypted', encrypted: true },
  { wal: 'wal-v3', snap: 'snap-v3', encrypted: false },
  { wal: 'wal', snap: 'snap', encrypted: false },
];

export function layoutOf(stateDir: string): StateLayout | undefined {
  for (const l of RAFT_LAYOUTS) {
    const walDir = join(stateDir, 'raft', l.wal);
    if (isDir(walDir)) return makeLayout(stateDir, walDir, join(stateDir, 'raft', l.snap), l.encrypted);
  }
  // The output of `decrypt -o DIR` (ours and the reference's): plain DIR/wal-decrypted + DIR/snap-decrypted.
  const decryptedWal = join(stateDir, 'wal-decrypted');
  if (isDir(decryptedWal)) return makeLayout(stateDir, decryptedWal, join(stateDir, 'snap-decrypted'), false);
  return undefined;
}

function makeLayout(stateDir: string, walDir: string, snapDir: string, encrypted: boolean): StateLayout {
  const certs = join(stateDir, 'certificates');
  return { stateDir, walDir, snapDir, encrypted, nodeKeyFile: join(certs, 'swarm-node.key'), nodeCertFile: join(certs, 'swarm-node.crt') };
}

/**
 * The state directory that holds `path` (a .wal/.snap file, a raft dir, or the state dir itself), or
 * undefined when `path` is not inside one.
 */
export function findStateDir(path: string): StateLayout | undefined {
  let dir = isDir(path) ? path : dirname(path);
  for (let i = 0; i < 4; i++) {
    const layout = layoutOf(dir);
    if (layout) return layout;
    // A .snap file whose snapshot directory exists but whose WAL directory does not.
    const parent = dirname(dir);
    if (basename(parent) === 'raft') {
      const l = RAFT_LAYOUTS.find((x) => x.snap === basename(dir) || x.wal === basename(dir));
      if (l) return makeLayout(dirname(parent), join(parent, l.wal), join(parent, l.snap), l.encrypted);
    }
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export function fileExists(p: string): boolean {
  return existsSync(p);
}
