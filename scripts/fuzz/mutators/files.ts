// File layers: snapshot files (bytes, truncation, metadata), names and sequence gaps (segments and
// snapshots renamed, missing, duplicated; odd file system objects where files are expected), and
// foreign content (another program's .wal, a Jest .snap, text, another file of the directory).
import { dirname, join } from 'node:path';
import { formatSegmentName } from '../../../src/core/wal/segmentName';
import { parseSegmentName } from '../../../src/core/wal/segmentName';
import { mutateBytes } from '../protoMutate';
import { decodeSnap, encodeSnap } from '../walCodec';
import { bufferOf, nodeKeyOf, pickFile, segmentsOf, short, snapshotsOf, type Layer, type MutationContext } from './context';

/** Snapshot files: cut, emptied, bit-flipped, CRC wrong, metadata at the edges (CRC right), data gone. */
function snapshotFile(ctx: MutationContext): string | undefined {
  const snap = pickFile(ctx, snapshotsOf(ctx));
  if (!snap) return undefined;
  const { rng } = ctx;
  const set = (bytes: Buffer, note: string) => {
    ctx.input.files.set(snap.rel, bytes);
    return `${short(snap.rel)}: ${note}`;
  };
  const parts = decodeSnap(snap.bytes);
  switch (rng.int(9)) {
    case 0: {
      const cut = rng.int(snap.bytes.length);
      return set(snap.bytes.subarray(0, cut), `cut to ${cut} bytes`);
    }
    case 1: return set(Buffer.alloc(0), 'zero length');
    case 2: return set(mutateBytes(rng, snap.bytes).bytes, 'bytes mutated');
    case 3: return parts ? set(encodeSnap({ data: parts.data, crc: rng.u32() }), 'wrong crc') : undefined;
    case 4: {
      if (!parts?.body?.metadata) return undefined;
      const meta = parts.body.metadata;
      const which = rng.pick(['index', 'term'] as const);
      meta[which] = rng.u64().toString();
      return set(encodeSnap({ body: parts.body }), `metadata ${which} ${meta[which]}`);
    }
    case 5: {
      if (!parts?.body?.metadata) return undefined;
      const nodes = Array.from({ length: rng.pick([0, 1, 5000]) }, () => rng.u64().toString());
      parts.body.metadata.conf_state = { nodes, learners: nodes.slice(0, 3) };
      return set(encodeSnap({ body: parts.body }), `conf_state with ${nodes.length} nodes`);
    }
    case 6: {
      if (!parts?.body) return undefined;
      delete parts.body.data;
      return set(encodeSnap({ body: parts.body }), 'no data');
    }
    case 7: {
      if (!parts) return undefined;
      return set(encodeSnap({ data: mutateBytes(rng, parts.data).bytes }), 'raftpb.Snapshot bytes mutated, crc right');
    }
    default: return set(Buffer.concat([snap.bytes, rng.bytes(rng.range(1, 64))]), 'junk after the end');
  }
}

function segmentName(rel: string, sequence: bigint, firstIndex: bigint): string {
  return join(dirname(rel), formatSegmentName(BigInt.asUintN(64, sequence), BigInt.asUintN(64, firstIndex)));
}

/** Segment and snapshot names: gaps, duplicates, swaps, names that lie about their content. */
function names(ctx: MutationContext): string | undefined {
  const { rng, input } = ctx;
  const segs = segmentsOf(ctx);
  const snaps = snapshotsOf(ctx);
  const move = (from: string, to: string) => {
    const c = input.files.get(from)!;
    input.files.delete(from);
    input.files.set(to, c);
  };
  switch (rng.int(7)) {
    case 0: {
      if (!segs.length) return undefined;
      const rel = rng.pick(segs);
      const n = parseSegmentName(rel)!;
      const to = segmentName(rel, n.sequence + BigInt(rng.pick([1, 2, 100, -1])), n.firstIndex);
      if (input.files.has(to)) return undefined;
      move(rel, to);
      return `${short(rel)} renamed to ${short(to)} (sequence)`;
    }
    case 1: {
      if (!segs.length) return undefined;
      const rel = rng.pick(segs);
      const n = parseSegmentName(rel)!;
      const to = segmentName(rel, n.sequence, rng.u64());
      if (input.files.has(to)) return undefined;
      move(rel, to);
      return `${short(rel)} renamed to ${short(to)} (first index)`;
    }
    case 2: {
      if (!segs.length) return undefined;
      const rel = rng.pick(segs);
      const last = parseSegmentName(segs.at(-1)!)!;
      const to = segmentName(rel, last.sequence + 1n, last.firstIndex);
      input.files.set(to, input.files.get(rel)!);
      return `${short(rel)} copied as the next segment ${short(to)}`;
    }
    case 3: {
      if (segs.length < 2) return undefined;
      const [a, b] = [segs[0], segs.at(-1)!];
      const [ca, cb] = [input.files.get(a)!, input.files.get(b)!];
      input.files.set(a, cb);
      input.files.set(b, ca);
      return 'first and last segments swapped';
    }
    case 4: {
      const all = [...segs, ...snaps];
      if (!all.length) return undefined;
      const rel = rng.pick(all);
      input.files.delete(rel);
      return `${short(rel)} removed`;
    }
    case 5: {
      if (!snaps.length) return undefined;
      const rel = rng.pick(snaps);
      const to = join(dirname(rel), `${rng.u64().toString(16).padStart(16, '0')}-${rng.u64().toString(16).padStart(16, '0')}.snap`);
      move(rel, to);
      return `${short(rel)} renamed to ${short(to)}`;
    }
    default: {
      for (const rel of segs) input.files.delete(rel);
      return 'every segment removed';
    }
  }
}

/** Things that are not regular files where files are expected, and directories that are files. */
function fileSystem(ctx: MutationContext): string | undefined {
  const { rng, input, base } = ctx;
  const segs = segmentsOf(ctx);
  const name = rng.pick([
    join(base.walDir, formatSegmentName(99n, 99n)), join(base.snapDir, '00000000000000ff-00000000000000ff.snap'),
    join(base.walDir, '0.tmp'), join(base.walDir, 'x.wal.broken'), join(base.walDir, 'UPPER-CASE.WAL'), ...segs.slice(-1),
  ]);
  switch (rng.int(7)) {
    case 0: input.files.set(name, { special: 'dir' }); return `${short(name)} is a directory`;
    case 1: input.files.set(name, { special: 'fifo' }); return `${short(name)} is a FIFO`;
    case 2: input.files.set(name, { special: 'symlink', target: 'nowhere' }); return `${short(name)} is a dangling symlink`;
    case 3: input.files.set(name, { special: 'symlink', target: name.split('/').pop()! }); return `${short(name)} is a symlink to itself`;
    case 4: input.files.set(name, { special: 'symlink', target: '/dev/zero' }); return `${short(name)} is a symlink to /dev/zero`;
    case 5: {
      const dir = rng.pick([base.walDir, base.snapDir, 'swarm/certificates']);
      for (const rel of [...input.files.keys()]) if (rel === dir || rel.startsWith(dir + '/')) input.files.delete(rel);
      if (rng.chance(0.5)) input.files.set(dir, Buffer.from('not a directory'));
      return `${dir} removed${input.files.has(dir) ? ' and made a file' : ''}`;
    }
    default: {
      const key = nodeKeyOf(ctx);
      input.files.set(key, rng.chance(0.5) ? { special: 'dir' } : { special: 'fifo' });
      return `swarm-node.key is a ${(input.files.get(key) as { special: string }).special}`;
    }
  }
}

const SQLITE_WAL = (() => {
  const b = Buffer.alloc(32 + 24 + 512);
  b.writeUInt32BE(0x377f0682, 0);
  b.writeUInt32BE(3007000, 4);
  b.writeUInt32BE(4096, 8);
  return b;
})();

/** A file replaced by something else: another program's data, text, random bytes, another file of the directory. */
function foreign(ctx: MutationContext): string | undefined {
  const { rng, input } = ctx;
  const targets = [...segmentsOf(ctx), ...snapshotsOf(ctx), nodeKeyOf(ctx), 'swarm/certificates/swarm-node.crt'].filter((r) => input.files.has(r));
  if (!targets.length) return undefined;
  const rel = rng.pick(targets);
  const others = targets.filter((r) => r !== rel && bufferOf(ctx, r));
  const content: [string, Buffer][] = [
    ['an SQLite WAL', SQLITE_WAL],
    ['a Jest snapshot', Buffer.from('// Jest Snapshot v1, https://goo.gl/fbAQLP\n\nexports[`x 1`] = `"y"`;\n')],
    ['text', Buffer.from('hello\nworld\n'.repeat(rng.range(1, 100)))],
    ['random bytes', rng.bytes(rng.size(70000))],
    ['empty', Buffer.alloc(0)],
    ['zeros', Buffer.alloc(rng.size(8192))],
    ...(others.length ? [['another file of the directory', bufferOf(ctx, rng.pick(others))!] as [string, Buffer]] : []),
  ];
  const [what, bytes] = rng.pick(content);
  input.files.set(rel, bytes);
  return `${short(rel)} replaced by ${what}`;
}

export const SNAPSHOT: Layer = { name: 'snapshot', mutators: [snapshotFile] };
export const NAMES: Layer = { name: 'names', mutators: [names, names, fileSystem] };
export const FOREIGN: Layer = { name: 'foreign', mutators: [foreign] };
