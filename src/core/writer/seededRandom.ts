// A deterministic byte stream for the writer: AES-256-CTR over zeros, keyed by SHA-256 of the seed.
// Nonces, IVs, salts, key material and generated data all come from it, so a given seed always writes
// the same bytes (reproducible fixtures and benchmarks). Not for real secrets: the seed is the secret.
import { createCipheriv, createHash } from 'node:crypto';

const CHUNK_BYTES = 64 * 1024;

export class SeededRandom {
  private readonly cipher;
  private pool = Buffer.alloc(0);
  private at = 0;

  constructor(readonly seed: string) {
    const key = createHash('sha256').update(`swarm-raft-writer:${seed}`).digest();
    this.cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  }

  /** An independent stream for one purpose, so adding draws in one place does not shift another. */
  fork(label: string): SeededRandom {
    return new SeededRandom(`${this.seed}/${label}`);
  }

  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      if (this.at === this.pool.length) {
        this.pool = this.cipher.update(Buffer.alloc(Math.max(CHUNK_BYTES, length - done)));
        this.at = 0;
      }
      const n = Math.min(length - done, this.pool.length - this.at);
      this.pool.copy(out, done, this.at, this.at + n);
      this.at += n;
      done += n;
    }
    return out;
  }

  uint32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 0x100000000;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  uint64(): bigint {
    return this.bytes(8).readBigUInt64LE(0);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** Base-36 lower-case id, like SwarmKit's 25-character object ids. */
  id(length = 25): string {
    const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
    const raw = this.bytes(length);
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[raw[i] % 36];
    return s;
  }

  hex(bytes: number): string {
    return this.bytes(bytes).toString('hex');
  }
}
