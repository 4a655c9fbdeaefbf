// Field-by-field comparison of Engine API specs across swarms: ids become names (a new swarm makes new
// ids), values the API treats as unset ("" / 0 / false / [] / {} / null) are dropped on both sides, except
// where presence means something (Init false, a replica count of 0, Global {}).
import { asArray, asObject, asString } from './composeValues';
import type { Json, JsonObject } from './values';

/** Names of the objects a spec refers to by id. */
export interface IdNames {
  network(id: string): string | undefined;
  config(id: string): string | undefined;
}

const KEEP_ZERO = new Set(['Init', 'Replicas', 'MaxConcurrent', 'TotalCompletions']);
const KEEP_EMPTY = new Set(['Global', 'GlobalJob', 'Runtime', 'BlockVolume']);

/** A service spec with ids replaced by names and unset values dropped. */
export function comparableService(spec: JsonObject, names: IdNames): JsonObject {
  const s = structuredClone(spec);
  const task = asObject(s.TaskTemplate);
  for (const n of asArray(task?.Networks).map(asObject)) if (n) n.Target = names.network(asString(n.Target)) ?? n.Target;
  const c = asObject(task?.ContainerSpec);
  for (const r of asArray(c?.Secrets).map(asObject)) if (r) delete r.SecretID;
  for (const r of asArray(c?.Configs).map(asObject)) if (r) delete r.ConfigID;
  const cred = asObject(asObject(c?.Privileges)?.CredentialSpec);
  if (cred?.Config) cred.Config = names.config(asString(cred.Config)) ?? cred.Config;
  return (pruned(s) as JsonObject | undefined) ?? {};
}

/** Any other spec (network, secret, config, volume) with unset values dropped. */
export function comparableSpec(spec: JsonObject): JsonObject {
  return (pruned(structuredClone(spec)) as JsonObject | undefined) ?? {};
}

function pruned(v: Json | undefined, key = ''): Json | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if ((v === false || v === 0 || v === 0n) && !KEEP_ZERO.has(key)) return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x) => pruned(x) ?? null);
    return items.length ? items : undefined;
  }
  if (typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      const p = pruned(x, k);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length || KEEP_EMPTY.has(key) ? out : undefined;
  }
  return v;
}

export interface FieldDifference {
  /** Dotted path, e.g. TaskTemplate.ContainerSpec.Env. */
  path: string;
  /** The value in the source (undefined: absent). */
  source?: Json;
  /** The value after the other route (undefined: absent). */
  other?: Json;
}

/** Differences between two comparable specs; a list that differs is reported whole, at its path. */
export function specDifferences(source: Json | undefined, other: Json | undefined, path = ''): FieldDifference[] {
  if (sameJson(source, other)) return [];
  const a = asObject(source);
  const b = asObject(other);
  if (a && b) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => specDifferences(a[k], b[k], path ? `${path}.${k}` : k));
  }
  return [{ path, ...(source !== undefined ? { source } : {}), ...(other !== undefined ? { other } : {}) }];
}

export function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') return isInteger(a) && isInteger(b) && BigInt(a) === BigInt(b);
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ak = Object.keys(a);
  const bo = b as JsonObject;
  return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && sameJson((a as JsonObject)[k], bo[k]));
}

function isInteger(v: Json | undefined): v is number | bigint {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

const SECOND = 1_000_000_000;

/**
 * A service spec with the defaults SwarmKit fills in when asked to (`docker service inspect` asks:
 * GetService with InsertDefaults, facts from swarmkit's api/defaults): stop grace 10s, an empty DNS
 * config, resources and placement, restart on any after 5s, update and rollback 1 at a time, pause on
 * failure, 5s monitor, stop-first.
 */
export function withServiceDefaults(spec: JsonObject): JsonObject {
  const s = structuredClone(spec);
  const task = (asObject(s.TaskTemplate) ?? (s.TaskTemplate = {})) as JsonObject;
  const c = asObject(task.ContainerSpec);
  if (c) {
    c.StopGracePeriod ??= 10 * SECOND;
    c.DNSConfig ??= {};
  }
  task.Resources ??= {};
  const restart = asObject(task.RestartPolicy);
  if (!restart) task.RestartPolicy = { Condition: 'any', Delay: 5 * SECOND, MaxAttempts: 0 };
  else restart.Delay ??= 5 * SECOND;
  task.Placement ??= {};
  for (const key of ['UpdateConfig', 'RollbackConfig']) {
    const u = asObject(s[key]);
    if (!u) s[key] = { Parallelism: 1, FailureAction: 'pause', Monitor: 5 * SECOND, MaxFailureRatio: 0, Order: 'stop-first' };
    else u.Monitor ||= 5 * SECOND;
  }
  return s;
}
