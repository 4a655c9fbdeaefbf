// Field-by-field comparison of Engine API specs across swarms: ids become names (a new swarm makes new
// ids), values the API treats as unset ("" / 0 / false / [] / {} / null) are dropped on both sides, except
// where presence means something (Init false, a replica count of 0, Global {}).
import { asObject, asString } from './composeValues';
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
  // pruned() copies the whole spec anyway: only the objects changed here are copied before it (a deep
  // clone of each spec first was a tenth of a large kit's time).
  const s: JsonObject = { ...spec };
  const task0 = asObject(s.TaskTemplate);
  if (task0) {
    const task: JsonObject = (s.TaskTemplate = { ...task0 });
    if (Array.isArray(task.Networks)) {
      task.Networks = task.Networks.map((x) => {
        const n = asObject(x);
        return n ? { ...n, Target: names.network(asString(n.Target)) ?? n.Target } : x;
      });
    }
    const c0 = asObject(task.ContainerSpec);
    if (c0) {
      const c: JsonObject = (task.ContainerSpec = { ...c0 });
      if (Array.isArray(c.Secrets)) c.Secrets = c.Secrets.map((x) => withoutKey(x, 'SecretID'));
      if (Array.isArray(c.Configs)) c.Configs = c.Configs.map((x) => withoutKey(x, 'ConfigID'));
      const privileges = asObject(c.Privileges);
      const cred = asObject(privileges?.CredentialSpec);
      if (privileges && cred?.Config) c.Privileges = { ...privileges, CredentialSpec: { ...cred, Config: names.config(asString(cred.Config)) ?? cred.Config } };
    }
  }
  return (pruned(s) as JsonObject | undefined) ?? {};
}

function withoutKey(v: Json, key: string): Json {
  const o = asObject(v);
  if (!o) return v;
  const out = { ...o };
  delete out[key];
  return out;
}

/** Any other spec (network, secret, config, volume) with unset values dropped (a new object: pruned() copies). */
export function comparableSpec(spec: JsonObject): JsonObject {
  return (pruned(spec) as JsonObject | undefined) ?? {};
}

/** A copy without unset values (containers are new objects; the input is not changed). */
function pruned(v: Json | undefined, key = ''): Json | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if ((v === false || v === 0 || v === 0n) && !KEEP_ZERO.has(key)) return undefined;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    if (!v.length) return undefined;
    const items: Json[] = new Array<Json>(v.length);
    for (let i = 0; i < v.length; i++) items[i] = pruned(v[i]) ?? null;
    return items;
  }
  const out: JsonObject = {};
  let kept = 0;
  for (const k in v) {
    const p = pruned(v[k], k);
    if (p !== undefined) {
      out[k] = p;
      kept++;
    }
  }
  return kept || KEEP_EMPTY.has(key) ? out : undefined;
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
