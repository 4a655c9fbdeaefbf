// A small seeded PRNG (sfc32, seeded through splitmix32) so every fuzz input can be rebuilt from
// (seed, input number) alone, whatever the order in which workers ran the inputs.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...seeds: number[]) {
    let h = 0x9e3779b9;
    const next = () => {
      h = (h + 0x9e3779b9) | 0;
      let z = h;
      for (const s of seeds) z = Math.imul(z ^ s, 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** 0 <= n < max (max >= 1). */
  int(max: number): number {
    return max <= 1 ? 0 : Math.floor((this.u32() / 0x100000000) * max);
  }

  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A random 64-bit unsigned value, biased toward the boundaries where bugs live. */
  u64(): bigint {
    const special = [0n, 1n, 2n ** 31n - 1n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];
    if (this.chance(0.5)) return this.pick(special);
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** Small sizes most of the time, sometimes larger: mutations should stay cheap to run. */
  size(max: number): number {
    return this.chance(0.8) ? this.int(Math.min(max, 64) + 1) : this.int(max + 1);
  }
}

/** A fresh seed when none is given (printed, so a run can be repeated). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}
