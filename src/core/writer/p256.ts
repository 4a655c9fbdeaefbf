// NIST P-256 key derivation and ECDSA signing with deterministic nonces (RFC 6979, HMAC-SHA256), in
// BigInt. node:crypto makes P-256 keys and signatures, but only from the system RNG; the writer must
// produce the same key and certificate from the same seed. Not constant-time: for test data only.
import { createHash, createHmac } from 'node:crypto';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G: Affine = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

interface Affine {
  x: bigint;
  y: bigint;
}
/** Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. */
interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}

const mod = (a: bigint, m = P): bigint => ((a % m) + m) % m;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function double(p: Jacobian): Jacobian {
  if (p.Z === 0n || p.Y === 0n) return { X: 0n, Y: 1n, Z: 0n };
  // dbl-2001-b for a = -3
  const delta = mod(p.Z * p.Z);
  const gamma = mod(p.Y * p.Y);
  const beta = mod(p.X * gamma);
  const alpha = mod(3n * (p.X - delta) * (p.X + delta));
  const X = mod(alpha * alpha - 8n * beta);
  const Z = mod((p.Y + p.Z) ** 2n - gamma - delta);
  const Y = mod(alpha * (4n * beta - X) - 8n * gamma * gamma);
  return { X, Y, Z };
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p.Z === 0n) return q;
  if (q.Z === 0n) return p;
  const z1z1 = mod(p.Z * p.Z);
  const z2z2 = mod(q.Z * q.Z);
  const u1 = mod(p.X * z2z2);
  const u2 = mod(q.X * z1z1);
  const s1 = mod(p.Y * q.Z * z2z2);
  const s2 = mod(q.Y * p.Z * z1z1);
  if (u1 === u2) return s1 === s2 ? double(p) : { X: 0n, Y: 1n, Z: 0n };
  const h = mod(u2 - u1);
  const r = mod(s2 - s1);
  const h2 = mod(h * h);
  const h3 = mod(h * h2);
  const u1h2 = mod(u1 * h2);
  const X = mod(r * r - h3 - 2n * u1h2);
  const Y = mod(r * (u1h2 - X) - s1 * h3);
  const Z = mod(h * p.Z * q.Z);
  return { X, Y, Z };
}

function multiplyG(k: bigint): Affine {
  let result: Jacobian = { X: 0n, Y: 1n, Z: 0n };
  let addend: Jacobian = { X: G.x, Y: G.y, Z: 1n };
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(result, addend);
    addend = double(addend);
  }
  if (result.Z === 0n) throw new Error('point at infinity');
  const zi = inverse(result.Z, P);
  return { x: mod(result.X * zi * zi), y: mod(result.Y * zi * zi * zi) };
}

const toBytes32 = (v: bigint): Buffer => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');
const fromBytes = (b: Uint8Array): bigint => BigInt('0x' + (Buffer.from(b).toString('hex') || '0'));

export interface P256Key {
  /** The private scalar, 32 bytes big-endian. */
  privateKey: Buffer;
  /** The uncompressed public point 04 || X || Y (65 bytes). */
  publicKey: Buffer;
}

/** A key whose scalar is derived from 32 (or more) seed bytes, reduced into [1, n-1]. */
export function p256KeyFromSeed(seedBytes: Uint8Array): P256Key {
  const d = (fromBytes(seedBytes) % (N - 1n)) + 1n;
  const q = multiplyG(d);
  return { privateKey: toBytes32(d), publicKey: Buffer.concat([Buffer.from([4]), toBytes32(q.x), toBytes32(q.y)]) };
}

/** ECDSA-SHA256 of `message`, with RFC 6979's deterministic k; returns (r, s). */
export function p256Sign(privateKey: Uint8Array, message: Uint8Array): { r: bigint; s: bigint } {
  const d = fromBytes(privateKey);
  const digest = createHash('sha256').update(message).digest();
  const e = fromBytes(digest) % N;
  for (const k of rfc6979Nonces(toBytes32(d), toBytes32(e))) {
    const r = multiplyG(k).x % N;
    if (r === 0n) continue;
    const s = mod(inverse(k, N) * (e + r * d), N);
    if (s !== 0n) return { r, s };
  }
  throw new Error('unreachable');
}

/** RFC 6979 section 3.2 with HMAC-SHA256 (qlen = hlen = 256, so bits2octets is a reduction mod n). */
function* rfc6979Nonces(x: Buffer, h1: Buffer): Generator<bigint> {
  const hmac = (key: Buffer, ...parts: Buffer[]) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();
  let v = Buffer.alloc(32, 1);
  let k = Buffer.alloc(32, 0);
  k = hmac(k, v, Buffer.from([0]), x, h1);
  v = hmac(k, v);
  k = hmac(k, v, Buffer.from([1]), x, h1);
  v = hmac(k, v);
  for (;;) {
    v = hmac(k, v);
    const candidate = fromBytes(v);
    if (candidate >= 1n && candidate < N) yield candidate;
    k = hmac(k, v, Buffer.from([0]));
    v = hmac(k, v);
  }
}
