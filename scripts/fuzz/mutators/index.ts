// Every layer, and how an input is made from (seed, input number): pick a layer and a base, then apply
// that layer's mutations (havoc stacks several layers). Only the seed and the number are needed to
// make the same input again.
import type { Base } from '../bases';
import { dropUnreachable, type FuzzInput } from '../input';
import { Rng } from '../prng';
import type { Layer, MutationContext } from './context';
import { PAYLOAD, SEALED } from './crypto';
import { FOREIGN, NAMES, SNAPSHOT } from './files';
import { PEM, UNLOCK } from './keys';
import { CRC, ENTRY, LENGTH, RECORD } from './wal';

export const LAYERS: readonly Layer[] = [LENGTH, RECORD, ENTRY, CRC, SEALED, PAYLOAD, PEM, UNLOCK, SNAPSHOT, NAMES, FOREIGN];
export const HAVOC = 'havoc';
export const LAYER_NAMES = [...LAYERS.map((l) => l.name), HAVOC];
const MANY = new Set(['payload', 'sealed', 'entry']);

function applyLayer(ctx: MutationContext, layer: Layer): boolean {
  for (let attempt = 0; attempt < 12; attempt++) {
    const note = ctx.rng.pick(layer.mutators)(ctx);
    if (note) {
      ctx.input.notes.push(`[${layer.name}] ${note}`);
      return true;
    }
  }
  return false;
}

/** Input number `index` of the run seeded with `seed`, over the given layers and bases. */
export function makeInput(seed: number, index: number, layers: readonly string[], bases: readonly Base[]): FuzzInput {
  const rng = new Rng(seed, index);
  const layer = rng.pick(layers);
  const base = rng.pick(bases);
  const input: FuzzInput = {
    base: base.name, layer, files: new Map(base.files),
    options: base.unlockKey ? { unlockKey: base.unlockKey } : {}, notes: [],
  };
  const ctx: MutationContext = { rng, input, base, bases };
  if (layer === HAVOC) {
    for (let n = rng.range(2, 5); n > 0; n--) applyLayer(ctx, rng.pick(LAYERS));
  } else {
    const l = LAYERS.find((x) => x.name === layer)!;
    // Entry-level layers touch one record per mutation: several per input reach more of the decoders per run.
    const times = MANY.has(layer) ? rng.range(1, 8) : rng.chance(0.8) ? 1 : rng.range(2, 3);
    for (let n = 0; n < times; n++) applyLayer(ctx, l);
  }
  dropUnreachable(input);
  return input;
}
