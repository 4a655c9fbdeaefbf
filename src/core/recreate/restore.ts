// `restore`: the kit's Engine API form into a running swarm. First a plan against what the target holds
// (create / exists-identical / conflict / update, per object), then, only when asked, the plan applied in
// dependency order: networks, secrets, configs, cluster volumes, services (their old secret, config and
// network ids rewritten to the target's by name), node labels and availability by hostname, and the
// swarm settings only when asked for them too. Nothing existing is overwritten; every object gets its
// own line, and what was applied is said whatever fails.
import { asArray, asObject, asString } from './composeValues';
import type { EngineForm } from './kit';
import { networkComparable } from './kit';
import { comparableService, comparableSpec, specDifferences, withServiceDefaults, type FieldDifference } from './specCompare';
import type { RestoreTarget } from './target';
import type { JsonObject } from './values';

export type PlanAction = 'create' | 'exists-identical' | 'conflict' | 'update' | 'skip' | 'unsupported';
export type PlanKind = 'network' | 'secret' | 'config' | 'volume' | 'service' | 'node' | 'cluster';

export interface PlanItem {
  kind: PlanKind;
  name: string;
  action: PlanAction;
  /** Why (differences, what is missing, ...), one line each. */
  details: string[];
  /** The kit's spec (and, for nodes and the cluster, the target's id and version to update). */
  spec: JsonObject;
  targetId?: string;
  targetVersion?: number;
}

export interface RestorePlan {
  target: string;
  /** Set when the plan could not look at the target (unreachable, not a manager): nothing can be applied. */
  blocked?: string;
  apiVersion?: string;
  items: PlanItem[];
}

export interface ApplyOutcome {
  item: PlanItem;
  result: 'applied' | 'failed' | 'skipped';
  message: string;
}

/** API version each kind of object first needs (cluster volumes: 1.42). */
const VOLUME_API = [1, 42];

export async function planRestore(kit: EngineForm, target: RestoreTarget, options: { clusterSettings?: boolean } = {}): Promise<RestorePlan> {
  const plan: RestorePlan = { target: target.address, items: [] };
  try {
    const info = await target.info();
    const swarm = asObject(info.Swarm);
    if (swarm?.LocalNodeState !== 'active') plan.blocked = `${target.address} is not part of a swarm (state "${asString(swarm?.LocalNodeState) || 'inactive'}"): run docker swarm init there first`;
    else if (swarm.ControlAvailable !== true) plan.blocked = `${target.address} is a swarm worker, not a manager: point --docker-host at a manager`;
    plan.apiVersion = await target.apiVersion();
  } catch (e) {
    plan.blocked = `cannot reach the engine at ${target.address}: ${(e as Error).message}`;
  }
  if (plan.blocked) {
    plan.items = offlineItems(kit); // listed, not checked: the reason is the plan's
    return plan;
  }
  const [networks, secrets, configs, volumes, services, nodes, swarm] = await Promise.all([
    target.networks(), target.secrets(), target.configs(), target.volumes(), target.services(), target.nodes(), target.swarm(),
  ]);
  const oldNetworkName = new Map(kit.networks.map((n) => [n.ID, asString(n.Spec.Name)]));
  const oldConfigName = new Map(kit.configs.map((c) => [c.ID, asString(c.Spec.Name)]));
  const targetNetworkName = new Map(networks.map((n) => [asString(n.Id ?? n.ID), asString(n.Name)]));
  const targetConfigName = new Map(configs.map((c) => [c.ID, asString(c.Spec.Name)]));

  for (const n of kit.networks) {
    const name = asString(n.Spec.Name);
    const there = networks.find((x) => x.Name === name);
    if (n.Spec.Ingress === true) {
      const ingress = networks.find((x) => x.Ingress === true);
      const diff = ingress ? networkDifferences(n.Spec, ingress) : [];
      plan.items.push(item('network', name, diff.length ? 'skip' : 'exists-identical', n.Spec, diff.length ? ['the target has its own ingress network, which restore leaves alone; it differs in:', ...lines(diff)] : []));
      continue;
    }
    if (!there) plan.items.push(item('network', name, 'create', n.Spec));
    else {
      const diff = networkDifferences(n.Spec, there);
      plan.items.push(item('network', name, diff.length ? 'conflict' : 'exists-identical', n.Spec, lines(diff)));
    }
  }
  for (const [kind, list, existing] of [['secret', kit.secrets, secrets], ['config', kit.configs, configs]] as const) {
    for (const o of list) {
      const name = asString(o.Spec.Name);
      const there = existing.find((x) => x.Spec.Name === name);
      if (!there) {
        plan.items.push(item(kind, name, 'create', o.Spec));
        continue;
      }
      // The API never returns secret data: a secret is compared by its labels and drivers only.
      const mine = comparableSpec(kind === 'secret' ? { ...o.Spec, Data: '' } : o.Spec);
      const diff = specDifferences(mine, comparableSpec(there.Spec));
      plan.items.push(item(kind, name, diff.length ? 'conflict' : 'exists-identical', o.Spec, [...lines(diff), ...(kind === 'secret' && !diff.length ? ['(its data cannot be compared: the Engine API never returns it)'] : [])]));
    }
  }
  const volumesSupported = apiAtLeast(plan.apiVersion, VOLUME_API);
  for (const v of kit.volumes) {
    const name = asString(v.Spec.Name);
    if (!volumesSupported) plan.items.push(item('volume', name, 'unsupported', v.Spec, [`cluster volumes need Engine API 1.42 (Docker 23); the target speaks ${plan.apiVersion}`]));
    else if (volumes.some((x) => x.Name === name && x.ClusterVolume)) plan.items.push(item('volume', name, 'exists-identical', v.Spec, ['(a cluster volume of that name exists; its spec is not compared)']));
    else if (volumes.some((x) => x.Name === name)) plan.items.push(item('volume', name, 'conflict', v.Spec, ['a local volume of that name exists on the target']));
    else plan.items.push(item('volume', name, 'create', v.Spec));
  }
  for (const s of kit.services) {
    const name = asString(s.Spec.Name);
    const there = services.find((x) => x.Spec.Name === name);
    if (!there) {
      plan.items.push(item('service', name, 'create', s.Spec));
      continue;
    }
    const mine = comparableService(withServiceDefaults(s.Spec), { network: (id) => oldNetworkName.get(id), config: (id) => oldConfigName.get(id) });
    const theirs = comparableService(withServiceDefaults(there.Spec), { network: (id) => targetNetworkName.get(id), config: (id) => targetConfigName.get(id) });
    const diff = specDifferences(mine, theirs);
    plan.items.push(item('service', name, diff.length ? 'conflict' : 'exists-identical', s.Spec, lines(diff)));
  }
  for (const n of kit.nodes) {
    const there = nodes.find((x) => x.Description?.Hostname === n.Hostname);
    const wanted = { Labels: n.Spec.Labels ?? {}, Availability: n.Spec.Availability };
    if (!there) {
      if (asObject(n.Spec.Labels) || n.Spec.Availability !== 'active') plan.items.push(item('node', n.Hostname, 'skip', n.Spec, [`no node with hostname ${n.Hostname} in the target swarm: its labels and availability are not applied`]));
      continue;
    }
    const current = { Labels: there.Spec.Labels ?? {}, Availability: there.Spec.Availability };
    const diff = specDifferences(comparableSpec(wanted as JsonObject), comparableSpec(current as JsonObject));
    const updated: JsonObject = { ...there.Spec, Labels: (n.Spec.Labels ?? {}) as JsonObject, Availability: n.Spec.Availability };
    plan.items.push({ ...item('node', n.Hostname, diff.length ? 'update' : 'exists-identical', updated, lines(diff)), targetId: there.ID, targetVersion: there.Version?.Index });
  }
  if (kit.cluster) {
    const current = asObject(swarm.Spec) ?? {};
    const wanted = { ...current, ...settingsOnly(kit.cluster) };
    const diff = specDifferences(comparableSpec(settingsOnly(kit.cluster)), comparableSpec(settingsOnly(current)));
    const details = lines(diff);
    if (diff.length && !options.clusterSettings) details.push('(applied only with --cluster-settings)');
    plan.items.push({ ...item('cluster', 'swarm settings', diff.length ? 'update' : 'exists-identical', wanted, details), targetVersion: swarm.Version?.Index });
  }
  return plan;
}

function item(kind: PlanKind, name: string, action: PlanAction, spec: JsonObject, details: string[] = []): PlanItem {
  return { kind, name, action, details, spec };
}

function lines(diff: FieldDifference[]): string[] {
  const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)));
  return diff.map((d) => `${d.path}: kit ${show(d.source)}, target ${show(d.other)}`);
}

function offlineItems(kit: EngineForm): PlanItem[] {
  const all: [PlanKind, { Spec: JsonObject }[]][] = [['network', kit.networks], ['secret', kit.secrets], ['config', kit.configs], ['volume', kit.volumes], ['service', kit.services]];
  return all.flatMap(([kind, list]) => list.map((o) => item(kind, asString(o.Spec.Name), 'skip', o.Spec)));
}

/** The settings restore carries over: raft, dispatcher, CA expiry, task history and defaults, autolock. */
function settingsOnly(spec: JsonObject): JsonObject {
  const ca = asObject(spec.CAConfig) ?? {};
  return {
    Orchestration: spec.Orchestration ?? {},
    Raft: spec.Raft ?? {},
    Dispatcher: spec.Dispatcher ?? {},
    CAConfig: { NodeCertExpiry: ca.NodeCertExpiry ?? 0, ...(ca.ExternalCAs ? { ExternalCAs: ca.ExternalCAs } : {}) },
    TaskDefaults: spec.TaskDefaults ?? {},
    EncryptionConfig: spec.EncryptionConfig ?? {},
  };
}

function networkDifferences(kitSpec: JsonObject, there: JsonObject): FieldDifference[] {
  // The target reports allocated state: its driver options include the VXLAN id, its IPAM the subnets
  // it chose. Compare what the kit asks for: options it names, subnets it names.
  const mine = networkComparable(kitSpec);
  const options = asObject(there.Options) ?? {};
  const ipam = asObject(there.IPAM);
  const theirs = networkComparable({
    Name: there.Name ?? '', Driver: there.Driver ?? '', Labels: there.Labels ?? {}, Internal: there.Internal ?? false, Attachable: there.Attachable ?? false,
    Ingress: there.Ingress ?? false, EnableIPv6: there.EnableIPv6 ?? false,
    Options: Object.fromEntries(Object.keys(asObject(mine.Options) ?? {}).filter((k) => k in options).map((k) => [k, options[k]])),
    ...(asObject(mine.IPAM) ? { IPAM: { Driver: ipam?.Driver ?? '', Config: asArray(asObject(mine.IPAM)?.Config).length ? asArray(ipam?.Config).map((c) => ({ Subnet: asObject(c)?.Subnet ?? '', ...(asObject(c)?.Gateway && hasGateway(mine) ? { Gateway: asObject(c)?.Gateway ?? '' } : {}) })) : [] } } : {}),
    ...(asObject(there.ConfigFrom)?.Network ? { ConfigFrom: there.ConfigFrom } : {}),
  });
  return specDifferences(mine, theirs);
}

function hasGateway(spec: JsonObject): boolean {
  return asArray(asObject(spec.IPAM)?.Config).some((c) => asObject(c)?.Gateway);
}

function apiAtLeast(version: string | undefined, [major, minor]: number[]): boolean {
  const [a, b] = (version ?? '0.0').split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** Applies the plan's create and update items in dependency order; conflicts are never overwritten. */
export async function applyRestore(plan: RestorePlan, kit: EngineForm, target: RestoreTarget, options: { clusterSettings?: boolean; onOutcome?: (o: ApplyOutcome) => void } = {}): Promise<ApplyOutcome[]> {
  const outcomes: ApplyOutcome[] = [];
  const say = (o: ApplyOutcome): void => {
    outcomes.push(o);
    options.onOutcome?.(o);
  };
  if (plan.blocked) return outcomes;
  const order: PlanKind[] = ['network', 'secret', 'config', 'volume', 'service', 'node', 'cluster'];
  const oldNetworkName = new Map(kit.networks.map((n) => [n.ID, asString(n.Spec.Name)]));
  const oldConfigName = new Map(kit.configs.map((c) => [c.ID, asString(c.Spec.Name)]));
  for (const kind of order) {
    // Ids of what the target holds, read after the kinds before were made (services refer to them).
    const ids = kind === 'service' ? await targetIds(target) : undefined;
    for (const it of plan.items.filter((i) => i.kind === kind)) {
      if (it.action === 'conflict' || it.action === 'unsupported') {
        say({ item: it, result: 'skipped', message: it.action === 'conflict' ? 'exists and differs: left as it is' : it.details.join('; ') });
        continue;
      }
      if (it.kind === 'cluster' && it.action === 'update' && !options.clusterSettings) {
        say({ item: it, result: 'skipped', message: 'swarm settings differ: not applied without --cluster-settings' });
        continue;
      }
      if (it.action !== 'create' && it.action !== 'update') continue;
      try {
        say({ item: it, result: 'applied', message: await applyItem(it, target, ids, oldNetworkName, oldConfigName) });
      } catch (e) {
        say({ item: it, result: 'failed', message: (e as Error).message });
      }
    }
  }
  return outcomes;
}

interface TargetIds {
  secrets: Map<string, string>;
  configs: Map<string, string>;
  networks: Map<string, string>;
}

async function targetIds(target: RestoreTarget): Promise<TargetIds> {
  const [secrets, configs, networks] = await Promise.all([target.secrets(), target.configs(), target.networks()]);
  return {
    secrets: new Map(secrets.map((s) => [asString(s.Spec.Name), s.ID])),
    configs: new Map(configs.map((c) => [asString(c.Spec.Name), c.ID])),
    networks: new Map(networks.map((n) => [asString(n.Name), asString(n.Id ?? n.ID)])),
  };
}

async function applyItem(it: PlanItem, target: RestoreTarget, ids: TargetIds | undefined, oldNetworkName: Map<string, string>, oldConfigName: Map<string, string>): Promise<string> {
  switch (it.kind) {
    case 'network':
      return `created (${await target.createNetwork(it.spec)})`;
    case 'secret':
      return `created (${await target.createSecret(it.spec)})`;
    case 'config':
      return `created (${await target.createConfig(it.spec)})`;
    case 'volume':
      await target.createVolume(it.spec);
      return 'created';
    case 'service': {
      const spec = serviceForTarget(it.spec, ids!, oldNetworkName, oldConfigName);
      const id = await target.createService(spec);
      // An older engine ignores fields it does not know: read the service back and say what it lost.
      const stored = await target.service(id);
      const names = { network: (n: string) => [...ids!.networks].find(([, v]) => v === n)?.[0], config: (c: string) => [...ids!.configs].find(([, v]) => v === c)?.[0] };
      const sent = comparableService(withServiceDefaults(spec), names);
      const back = comparableService(withServiceDefaults(stored.Spec), names);
      const lost = specDifferences(sent, back);
      return lost.length ? `created (${id}), but the target did not keep: ${lost.map((d) => d.path).join(', ')} (older engine?)` : `created (${id})`;
    }
    case 'node': {
      // The version moves with every status report of the node: read right before the update, and again
      // when a report came in between.
      await withCurrentVersion(async () => {
        const node = (await target.nodes()).find((n) => n.ID === it.targetId);
        if (!node) throw new Error(`node ${it.targetId} has left the swarm`);
        await target.updateNode(node.ID, node.Version?.Index ?? 0, { ...node.Spec, Labels: it.spec.Labels ?? {}, Availability: it.spec.Availability ?? node.Spec.Availability });
      });
      return 'labels and availability set';
    }
    case 'cluster': {
      await withCurrentVersion(async () => {
        const swarm = await target.swarm();
        await target.updateSwarm(swarm.Version?.Index ?? 0, { ...swarm.Spec, ...settingsOnly(it.spec) });
      });
      return asObject(it.spec.EncryptionConfig)?.AutoLockManagers === true ? 'updated; autolock is on: read the new unlock key on the target with `docker swarm unlock-key`' : 'updated';
    }
  }
}

/** The kit's service spec with the source swarm's ids replaced by the target's (by name). */
function serviceForTarget(spec: JsonObject, ids: TargetIds, oldNetworkName: Map<string, string>, oldConfigName: Map<string, string>): JsonObject {
  const s = structuredClone(spec);
  const task = asObject(s.TaskTemplate) ?? {};
  for (const n of asArray(task.Networks).map(asObject)) {
    if (!n) continue;
    const name = oldNetworkName.get(asString(n.Target)) ?? asString(n.Target);
    n.Target = ids.networks.get(name) ?? name;
  }
  const c = asObject(task.ContainerSpec);
  for (const r of asArray(c?.Secrets).map(asObject)) if (r) r.SecretID = ids.secrets.get(asString(r.SecretName)) ?? asString(r.SecretID);
  for (const r of asArray(c?.Configs).map(asObject)) if (r) r.ConfigID = ids.configs.get(asString(r.ConfigName)) ?? asString(r.ConfigID);
  const cred = asObject(asObject(c?.Privileges)?.CredentialSpec);
  if (cred?.Config) cred.Config = ids.configs.get(oldConfigName.get(asString(cred.Config)) ?? '') ?? cred.Config;
  return s;
}

/** The plan (and, after apply, what happened) as text, one line per object. */
export function planText(plan: RestorePlan, outcomes?: ApplyOutcome[]): string {
  const out = [`Target: ${plan.target}${plan.apiVersion ? ` (Engine API ${plan.apiVersion})` : ''}`];
  if (plan.blocked) out.push(`Cannot restore: ${plan.blocked}`);
  for (const it of plan.items) {
    const done = outcomes?.find((o) => o.item === it);
    out.push(`${it.action.padEnd(16)} ${it.kind.padEnd(8)} ${it.name}${done ? `  -> ${done.result}: ${done.message}` : ''}`);
    for (const d of it.details) out.push(`${' '.repeat(26)}${d}`);
  }
  const counts = new Map<string, number>();
  for (const it of plan.items) counts.set(it.action, (counts.get(it.action) ?? 0) + 1);
  out.push(`Plan: ${[...counts].map(([a, n]) => `${n} ${a}`).join(', ') || 'nothing'}`);
  if (outcomes) {
    const applied = outcomes.filter((o) => o.result === 'applied');
    const failed = outcomes.filter((o) => o.result === 'failed');
    out.push(`Applied ${applied.length}: ${applied.map((o) => `${o.item.kind} ${o.item.name}`).join(', ') || 'nothing'}`);
    if (failed.length) out.push(`Failed ${failed.length}: ${failed.map((o) => `${o.item.kind} ${o.item.name}`).join(', ')}`);
  }
  return out.join('\n') + '\n';
}

/** Reads a kit's Engine API form (OUT/engine-api.json). */
export function readKitEngineForm(text: string, path: string): EngineForm {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message}); give the folder swarm-raft recreate wrote`, { cause: e });
  }
  const o = parsed as Partial<EngineForm> & { format?: string };
  if (o.format !== 'swarm-raft recovery kit 1' || !Array.isArray(o.services) || !Array.isArray(o.networks)) {
    throw new Error(`${path}: not a swarm-raft recovery kit (format "${o.format ?? ''}"); give the folder swarm-raft recreate wrote`);
  }
  return { networks: o.networks, secrets: o.secrets ?? [], configs: o.configs ?? [], volumes: o.volumes ?? [], services: o.services, nodes: o.nodes ?? [], ...(o.cluster ? { cluster: o.cluster } : {}) };
}

/** Tries of a read-then-update when the engine says the object changed in between. */
const UPDATE_TRIES = 5;

/**
 * Runs a read-then-update of a swarm object, again (up to UPDATE_TRIES times) where the engine answers
 * "update out of sequence": the object's version moved between the read and the update (a node's status
 * report, the engine's own cluster update right after `swarm init`). Any other error is the caller's.
 */
export async function withCurrentVersion(readThenUpdate: () => Promise<void>, pauseMs = 100): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await readThenUpdate();
      return;
    } catch (e) {
      if (attempt >= UPDATE_TRIES || !/update out of sequence/.test((e as Error).message)) throw e;
      await new Promise((resolve) => setTimeout(resolve, pauseMs * attempt));
    }
  }
}
