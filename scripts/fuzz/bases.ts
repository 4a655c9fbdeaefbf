// The real state directories the fuzzer starts from: every corpus case (and the two-managers generated
// case when present), loaded into memory. WAL segments are trimmed to their records plus a zero tail
// (the preallocated 64 MB of zeros would only slow every run down); the trimming is deterministic, so
// a saved crasher is rebuilt from the same base.
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runDecrypt } from '../../src/cli/commands/decrypt';
import { SwarmState } from '../../src/core/state/swarmState';
import { withFile } from '../../src/core/io/fileWindow';
import { readFrame } from '../../src/core/wal/framing';
import { corpusCase, corpusCases, generatedCase, hasGeneratedCase } from '../../test/support/fixtures';
import { STATE_DIR, type FileContent } from './input';

export interface Base {
  name: string;
  files: Map<string, FileContent>;
  unlockKey?: string;
  /** The data keys that open the base's records (for re-sealing mutated payloads). */
  deks: Uint8Array[];
  walDir: string;
  snapDir: string;
  encrypted: boolean;
  /** Older node key files (relative paths), and another manager's node key (two-managers). */
  keyFiles: string[];
  otherNodeKey?: string;
}

const ZERO_TAIL = 512;

/** The segment cut after its last frame, rounded up to a sector, plus one zero sector. */
export function trimSegment(path: string): Buffer {
  const end = withFile(path, (f) => {
    let offset = 0;
    for (;;) {
      const r = readFrame(f, offset);
      if (r.kind !== 'frame') return offset;
      offset = r.frame.end;
    }
  });
  const keep = Math.ceil(end / ZERO_TAIL) * ZERO_TAIL + ZERO_TAIL;
  const bytes = readFileSync(path);
  return Buffer.concat([bytes.subarray(0, Math.min(keep, bytes.length)), Buffer.alloc(Math.max(0, keep - bytes.length))]);
}

function loadTree(swarm: string, into: Map<string, FileContent>, prefix: string): void {
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = join(prefix, relative(swarm, path));
      const st = lstatSync(path);
      if (st.isDirectory()) {
        into.set(rel, { special: 'dir' });
        walk(path);
      } else if (st.isFile()) {
        if (name.endsWith('.wal')) into.set(rel, trimSegment(path));
        else if (name.endsWith('.tmp')) into.set(rel, Buffer.alloc(4096));
        else into.set(rel, readFileSync(path));
      }
    }
  };
  for (const top of ['certificates', 'raft', 'wal-decrypted', 'snap-decrypted']) {
    if (existsSync(join(swarm, top))) {
      into.set(join(prefix, top), { special: 'dir' });
      walk(join(swarm, top));
    }
  }
}

function manifestKey(dir: string): string | undefined {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return m.unlock_key ?? m.unlock_keys?.current ?? undefined;
}

function makeBase(name: string, caseDir: string, swarm: string): Base {
  const files = new Map<string, FileContent>();
  loadTree(swarm, files, STATE_DIR);
  const unlockKey = manifestKey(caseDir);
  const keyFiles: string[] = [];
  if (existsSync(join(caseDir, 'key-history'))) {
    for (const k of readdirSync(join(caseDir, 'key-history')).sort().slice(0, 4)) {
      const rel = join('extra', k);
      files.set(rel, readFileSync(join(caseDir, 'key-history', k)));
      keyFiles.push(rel);
    }
  }
  const state = SwarmState.open(swarm, { unlockKey });
  const base: Base = {
    name, files, unlockKey, keyFiles,
    deks: state.keyRing.keys.map((k) => k.key),
    walDir: join(STATE_DIR, relative(swarm, state.layout.walDir)),
    snapDir: join(STATE_DIR, relative(swarm, state.layout.snapDir)),
    encrypted: state.layout.encrypted,
  };
  state.close();
  return base;
}

/** A plain (decrypted) layout made from a corpus case with the CLI's decrypt: the unencrypted code paths. */
function plainBase(from: string): Base {
  const dir = corpusCase(from);
  const state = SwarmState.open(join(dir, 'swarm'), { unlockKey: manifestKey(dir) });
  const out = join(mkdtempSync(join(tmpdir(), 'swarm-raft-fuzz-plain-')), 'swarm');
  try {
    runDecrypt(state, out, { preallocate: false });
  } finally {
    state.close();
  }
  const files = new Map<string, FileContent>();
  loadTree(out, files, STATE_DIR);
  return { name: `plain:${from}`, files, deks: [], keyFiles: [], walDir: join(STATE_DIR, 'wal-decrypted'), snapDir: join(STATE_DIR, 'snap-decrypted'), encrypted: false };
}

const cache = new Map<string, Base>();

/** The names of every base: the corpus cases, two-managers when its archive is present, two plain layouts. */
export function baseNames(): string[] {
  return [...corpusCases(), ...(hasGeneratedCase('two-managers') ? ['two-managers'] : []), 'plain:synth-snap', 'plain:snapshots'];
}

/** One base, loaded once per process. */
export function loadBase(name: string): Base {
  let base = cache.get(name);
  if (!base) {
    base = name.startsWith('plain:') ? plainBase(name.slice('plain:'.length)) : name === 'two-managers' ? twoManagers() : corpusBase(name);
    cache.set(name, base);
  }
  return base;
}

export function loadBases(names = baseNames()): Base[] {
  return names.map(loadBase);
}

function corpusBase(name: string): Base {
  const dir = corpusCase(name);
  return makeBase(name, dir, join(dir, 'swarm'));
}

/** Manager m1's directory, with m2's node key on the side (each manager has its own data key). */
function twoManagers(): Base {
  const dir = generatedCase('two-managers');
  const base = makeBase('two-managers', dir, join(dir, 'm1', 'swarm'));
  base.files.set('extra/m2-swarm-node.key', readFileSync(join(dir, 'm2', 'swarm', 'certificates', 'swarm-node.key')));
  base.otherNodeKey = 'extra/m2-swarm-node.key';
  return base;
}
