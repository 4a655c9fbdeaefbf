// What a mutator works on: the input being built, its base, a seeded PRNG, and helpers to find and
// replace the files of one kind.
import { join } from 'node:path';
import type { Base } from '../bases';
import { isBuffer, type FuzzInput } from '../input';
import type { Rng } from '../prng';

export interface MutationContext {
  rng: Rng;
  input: FuzzInput;
  base: Base;
  bases: readonly Base[];
}

/** Applies one mutation and returns a note of what it did, or undefined when it does not apply here. */
export type Mutator = (ctx: MutationContext) => string | undefined;

export interface Layer {
  name: string;
  mutators: readonly Mutator[];
}

/** Regular files directly in `dir` whose name matches. */
export function filesIn(ctx: MutationContext, dir: string, pattern: RegExp): string[] {
  return [...ctx.input.files]
    .filter(([rel, c]) => isBuffer(c) && rel.startsWith(dir + '/') && !rel.slice(dir.length + 1).includes('/') && pattern.test(rel))
    .map(([rel]) => rel)
    .sort();
}

export const segmentsOf = (ctx: MutationContext) => filesIn(ctx, ctx.base.walDir, /\.wal$/);
export const snapshotsOf = (ctx: MutationContext) => filesIn(ctx, ctx.base.snapDir, /\.snap$/);
export const nodeKeyOf = (_ctx: MutationContext) => join('swarm', 'certificates', 'swarm-node.key');

export function bufferOf(ctx: MutationContext, rel: string): Buffer | undefined {
  const c = ctx.input.files.get(rel);
  return isBuffer(c) ? c : undefined;
}

export function pickFile(ctx: MutationContext, files: string[]): { rel: string; bytes: Buffer } | undefined {
  if (!files.length) return undefined;
  const rel = ctx.rng.pick(files);
  const bytes = bufferOf(ctx, rel);
  return bytes ? { rel, bytes } : undefined;
}

export function short(rel: string): string {
  return rel.split('/').slice(-2).join('/');
}
