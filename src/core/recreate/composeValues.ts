// Value spellings shared by the Compose writer and the model of `docker stack deploy` reading it back.
import type { Json, JsonObject } from './values';

export const STACK_NAMESPACE_LABEL = 'com.docker.stack.namespace';
export const STACK_IMAGE_LABEL = 'com.docker.stack.image';

/** A Go duration string for nanoseconds ("10s", "1m30s", "1500ms"); time.ParseDuration reads it back exactly. */
export function goDuration(ns: number | bigint): string {
  let n = BigInt(ns);
  if (n === 0n) return '0s';
  const sign = n < 0n ? '-' : '';
  if (n < 0n) n = -n;
  const units: [string, bigint][] = [['h', 3_600_000_000_000n], ['m', 60_000_000_000n], ['s', 1_000_000_000n], ['ms', 1_000_000n], ['us', 1_000n], ['ns', 1n]];
  let out = '';
  for (const [u, size] of units) {
    if (n >= size) {
      out += `${n / size}${u}`;
      n %= size;
    }
  }
  return sign + out;
}

/** Parses what goDuration writes (and Go's other unit spellings) to nanoseconds. */
export function parseGoDuration(text: string): bigint {
  const units: Record<string, bigint> = { h: 3_600_000_000_000n, m: 60_000_000_000n, s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, 'µs': 1_000n, ns: 1n };
  const neg = text.startsWith('-');
  let total = 0n;
  for (const m of text.replace(/^[-+]/, '').matchAll(/(\d+)(h|ms|m|s|us|µs|ns)/g)) total += BigInt(m[1]) * units[m[2]];
  return neg ? -total : total;
}

/** NanoCPUs as the decimal Compose's `cpus` takes ("0.5"); the CLI parses it exactly (big.Rat). */
export function cpusText(nano: number | bigint): string {
  const n = BigInt(nano);
  const whole = n / 1_000_000_000n;
  const frac = (n % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

export function parseCpus(text: string): bigint {
  const [whole, frac = ''] = text.split('.');
  return BigInt(whole || '0') * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}

export function asObject(v: Json | undefined): JsonObject | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: Json | undefined): string {
  return typeof v === 'string' ? v : '';
}

export function withoutKeys(labels: Json | undefined, keys: string[]): Record<string, string> | undefined {
  const o = asObject(labels);
  if (!o) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = String(v);
  return Object.keys(out).length ? out : undefined;
}
