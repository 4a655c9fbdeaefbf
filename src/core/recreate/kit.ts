// A recovery kit from the store at one raft index: the Engine API specs of every network, secret,
// config, cluster volume, service and node plus the cluster's settings (the lossless form `restore`
// sends), one Compose file per stack and one for the services outside stacks, the secret and config
// data they point to, and a report of every field Compose cannot carry, object by object.
import type { Message } from 'protobufjs';
import type { MemoryStore } from '../store/memoryStore';
import { idOf } from '../store/objectKeys';
import { composeYaml } from './composeYaml';
import { composeService, emptyUses, objectKey, serviceKey, volumeDefinition, type ComposeScope, type ComposeUses } from './composeService';
import { asObject, asString, STACK_NAMESPACE_LABEL, withoutKeys } from './composeValues';
import { clusterSettings, configSpec, networkSpec, nodeSpec, secretSpec, serviceSpec, volumeSpec, type EngineObject } from './engineSpec';
import { comparableService, comparableSpec, specDifferences, type FieldDifference, type IdNames } from './specCompare';
import { stackDeploy } from './stackDeploy';
import type { JsonObject } from './values';

/** The stack name the file of services outside stacks is deployed as (the README says so). */
export const SERVICES_STACK = 'recovered';
export const SERVICES_FILE = 'services.compose.yml';
export const PREDEFINED_LABEL = 'com.docker.swarm.predefined';

export interface EngineForm {
  networks: EngineObject[];
  secrets: EngineObject[];
  configs: EngineObject[];
  volumes: EngineObject[];
  services: EngineObject[];
  nodes: { ID: string; Hostname: string; Spec: JsonObject }[];
  /** Swarm settings (POST /swarm/update's spec), when the store has a cluster object. */
  cluster?: JsonObject;
}

export interface ComposeFile {
  /** File name inside the kit. */
  name: string;
  /** The stack it deploys (undefined: services outside stacks, deployed as SERVICES_STACK). */
  stack?: string;
  model: Record<string, unknown>;
  text: string;
}

export interface KitFile {
  /** Relative path inside the kit (secrets/NAME, configs/NAME). */
  path: string;
  data: Uint8Array;
}

/** What Compose cannot carry of one object. */
export interface ReportEntry {
  kind: 'service' | 'network' | 'secret' | 'config' | 'volume' | 'node' | 'cluster';
  name: string;
  /** The Compose file that holds it (undefined: in none). */
  file?: string;
  /** Why the object as a whole is not (fully) in Compose. */
  notes: string[];
  /** Fields that differ after `docker stack deploy` of the file (ids compared by name). */
  differences: FieldDifference[];
}

export interface RecoveryKit {
  engine: EngineForm;
  compose: ComposeFile[];
  files: KitFile[];
  report: ReportEntry[];
}

type Kind = 'network' | 'secret' | 'config' | 'volume';

export function buildRecoveryKit(store: MemoryStore): RecoveryKit {
  const engine = engineForm(store);
  const report: ReportEntry[] = [];
  // Every swarm has its own ingress and predefined networks (bridge, host): not recreated.
  engine.networks = engine.networks.filter((n) => {
    const predefined = asObject(n.Spec.Labels)?.[PREDEFINED_LABEL] === 'true';
    if (predefined || n.Spec.Ingress === true) {
      const name = asString(n.Spec.Name);
      if (n.Spec.Ingress === true) report.push({ kind: 'network', name, notes: ['the ingress network: every swarm makes its own; restore compares it and reports a difference, Compose cannot change it'], differences: [] });
    }
    return !predefined;
  });
  const files = dataFiles(engine);
  const byId = new Map(engine.networks.map((n) => [n.ID, asString(n.Spec.Name)]));
  const configById = new Map(engine.configs.map((c) => [c.ID, asString(c.Spec.Name)]));
  const names: IdNames = { network: (id) => byId.get(id), config: (id) => configById.get(id) };
  const owners = new Map<string, string | undefined>();
  for (const [kind, list] of [['network', engine.networks], ['secret', engine.secrets], ['config', engine.configs]] as const) {
    for (const o of list) owners.set(`${kind}:${asString(o.Spec.Name)}`, asObject(o.Spec.Labels)?.[STACK_NAMESPACE_LABEL] as string | undefined);
  }
  const ownerOf = (kind: Kind, name: string): string | undefined => {
    if (kind === 'volume') return volumeOwners.get(name);
    return owners.get(`${kind}:${name}`);
  };
  const volumeOwners = new Map<string, string>();
  for (const s of engine.services) {
    for (const m of asArrayOf(asObject(asObject(s.Spec.TaskTemplate)?.ContainerSpec)?.Mounts)) {
      const ns = asObject(asObject(m.VolumeOptions)?.Labels)?.[STACK_NAMESPACE_LABEL];
      if (m.Type === 'volume' && typeof ns === 'string') volumeOwners.set(asString(m.Source), ns);
    }
  }

  const stackOf = (s: EngineObject): string | undefined => asObject(s.Spec.Labels)?.[STACK_NAMESPACE_LABEL] as string | undefined;
  const stacks = [...new Set(engine.services.map(stackOf).filter((x): x is string => x !== undefined))].sort();
  const compose: ComposeFile[] = [];
  for (const stack of [undefined, ...stacks]) {
    const members = engine.services.filter((s) => stackOf(s) === stack);
    const scope: ComposeScope = { stack, networkName: (id) => byId.get(id), ownerOf };
    const uses = emptyUses();
    const services: Record<string, unknown> = {};
    const entries: ReportEntry[] = [];
    const fileName = stack === undefined ? SERVICES_FILE : `stack-${stack}.compose.yml`;
    for (const s of members) {
      const name = asString(s.Spec.Name);
      const runtime = asString(asObject(s.Spec.TaskTemplate)?.Runtime);
      if (runtime !== 'container') {
        report.push({ kind: 'service', name, notes: [`runtime "${runtime}": Compose has only containers; restore recreates it from its Engine API form`], differences: [] });
        continue;
      }
      services[serviceKey(scope, name)] = composeService(s.Spec, scope, uses);
      entries.push({ kind: 'service', name, file: fileName, notes: [], differences: [] });
    }
    if (stack !== undefined || members.length || hasUnowned(engine)) {
      const model = composeModel(stack, services, uses, engine, scope);
      const file: ComposeFile = { name: fileName, stack, model, text: composeText(model, stack) };
      compose.push(file);
      const deployed = stackDeploy(model, stack ?? SERVICES_STACK, (path) => Buffer.from(files.find((f) => `./${f.path}` === path)?.data ?? []).toString('base64'));
      for (const e of entries) {
        const source = engine.services.find((s) => s.Spec.Name === e.name);
        const after = deployed.services.get(`${stack ?? SERVICES_STACK}_${serviceKey(scope, e.name)}`);
        if (!source || !after) continue;
        e.differences = specDifferences(comparableService(source.Spec, names), comparableService(after, { network: (n) => n, config: (n) => n }));
        if (e.differences.length) report.push(e);
      }
      reportObjects(report, fileName, stack, engine, deployed, ownerOf);
    }
  }
  for (const v of engine.volumes) report.push({ kind: 'volume', name: asString(v.Spec.Name), notes: ['a cluster (CSI) volume: Compose 3.8 cannot create one; restore creates it (Engine API 1.42+)'], differences: [] });
  for (const n of engine.nodes) if (asObject(n.Spec.Labels) || n.Spec.Availability !== 'active') report.push({ kind: 'node', name: n.Hostname, notes: ['node labels and availability: Compose cannot set them; restore applies them to a node of the same hostname'], differences: [] });
  if (engine.cluster) report.push({ kind: 'cluster', name: 'default', notes: ['swarm settings (raft, dispatcher, CA expiry, task history, autolock): Compose cannot set them; restore --cluster-settings applies them'], differences: [] });
  return { engine, compose, files, report };
}

function asArrayOf(v: unknown): JsonObject[] {
  return Array.isArray(v) ? (v.map((x) => asObject(x as JsonObject)).filter(Boolean) as JsonObject[]) : [];
}

function hasUnowned(engine: EngineForm): boolean {
  return [...engine.networks, ...engine.secrets, ...engine.configs].some((o) => asObject(o.Spec.Labels)?.[STACK_NAMESPACE_LABEL] === undefined && o.Spec.Ingress !== true);
}

export function engineForm(store: MemoryStore): EngineForm {
  const each = (kind: 'network' | 'secret' | 'config' | 'volume' | 'service', spec: (m: Message) => JsonObject): EngineObject[] =>
    store.list(kind).map((o) => ({ ID: idOf(o), Spec: spec(o) }));
  const cluster = store.list('cluster')[0];
  return {
    networks: each('network', networkSpec),
    secrets: each('secret', secretSpec),
    configs: each('config', configSpec),
    volumes: each('volume', volumeSpec),
    services: each('service', serviceSpec),
    nodes: store.list('node').map((n) => ({ ID: idOf(n), ...nodeSpec(n) })),
    ...(cluster ? { cluster: clusterSettings(cluster) } : {}),
  };
}

/** secrets/NAME and configs/NAME holding the data (names made safe for any file system, kept unique). */
function dataFiles(engine: EngineForm): KitFile[] {
  const out: KitFile[] = [];
  for (const [dir, list] of [['secrets', engine.secrets], ['configs', engine.configs]] as const) {
    const taken = new Set<string>();
    for (const o of list) {
      let base = asString(o.Spec.Name).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
      if (taken.has(base.toLowerCase())) base = `${base}.${o.ID}`;
      taken.add(base.toLowerCase());
      out.push({ path: `${dir}/${base}`, data: Buffer.from(asString(o.Spec.Data), 'base64') });
    }
  }
  return out;
}

function kitPath(files: KitFile[], dir: string, index: number): string {
  return files.filter((f) => f.path.startsWith(`${dir}/`))[index].path;
}

function composeModel(stack: string | undefined, services: Record<string, unknown>, uses: ComposeUses, engine: EngineForm, scope: ComposeScope): Record<string, unknown> {
  const model: Record<string, unknown> = { version: '3.8', services };
  const files = dataFiles(engine);
  const owned = (labels: unknown): boolean => (asObject(labels as JsonObject)?.[STACK_NAMESPACE_LABEL] as string | undefined) === stack;
  const networks: Record<string, unknown> = {};
  for (const n of engine.networks) {
    const name = asString(n.Spec.Name);
    const key = objectKey(scope, 'network', name);
    if (owned(n.Spec.Labels) && !n.Spec.Ingress) networks[key] = networkDefinition(n.Spec, key === name ? name : undefined);
    else if (uses.networks.has(key)) networks[key] = { external: true, name };
  }
  for (const [key, name] of uses.networks) if (!(key in networks)) networks[key] = { external: true, name };
  for (const [kind, list, used] of [['secrets', engine.secrets, uses.secrets], ['configs', engine.configs, uses.configs]] as const) {
    const defs: Record<string, unknown> = {};
    list.forEach((o, i) => {
      const name = asString(o.Spec.Name);
      const key = objectKey(scope, kind === 'secrets' ? 'secret' : 'config', name);
      if (owned(o.Spec.Labels)) {
        const d: Record<string, unknown> = {};
        if (key === name) d.name = name;
        d.file = `./${kitPath(files, kind, i)}`;
        const labels = withoutKeys(o.Spec.Labels, [STACK_NAMESPACE_LABEL]);
        if (labels) d.labels = labels;
        const templating = asObject(o.Spec.Templating);
        if (templating?.Name) d.template_driver = templating.Name;
        defs[key] = d;
      } else if (used.has(key)) defs[key] = { external: true, name };
    });
    if (Object.keys(defs).length) model[kind] = defs;
  }
  if (Object.keys(networks).length) model.networks = networks;
  const volumes: Record<string, unknown> = {};
  for (const [key, v] of uses.volumes) {
    // Without volume options the mount names a volume made elsewhere: external, as the deploy leaves it.
    volumes[key] = v.options ? { ...(key === v.source ? { name: v.source } : {}), ...volumeDefinition(v.options, stack) } : { external: true, name: v.source };
  }
  if (Object.keys(volumes).length) model.volumes = volumes;
  // Compose 3.8 has no pids limit; 3.9 (Docker 20.10 reads it too) has.
  if (Object.values(services).some((s) => JSON.stringify(s).includes('"pids"'))) model.version = '3.9';
  return model;
}

function networkDefinition(spec: JsonObject, keepName: string | undefined): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (keepName) d.name = keepName;
  if (spec.Driver) d.driver = spec.Driver;
  if (asObject(spec.Options)) d.driver_opts = spec.Options;
  if (spec.Attachable) d.attachable = true;
  if (spec.Internal) d.internal = true;
  const labels = withoutKeys(spec.Labels, [STACK_NAMESPACE_LABEL]);
  if (labels) d.labels = labels;
  const ipam = asObject(spec.IPAM);
  const configs = Array.isArray(ipam?.Config) ? ipam.Config.map((c) => asObject(c)).filter((c) => c?.Subnet) : [];
  if ((ipam?.Driver && ipam.Driver !== 'default') || configs.length) {
    const i: Record<string, unknown> = {};
    if (ipam?.Driver) i.driver = ipam.Driver;
    if (configs.length) i.config = configs.map((c) => ({ subnet: c?.Subnet }));
    d.ipam = i;
  }
  return d;
}

// YAML 1.1 spelling: the Docker CLI reads Compose with a YAML 1.1 parser, where an unquoted yes, on or
// 0444 would not be the string it was.
function composeText(model: Record<string, unknown>, stack: string | undefined): string {
  const head = stack === undefined
    ? `# Services outside stacks, with the networks, secrets and configs no stack owns.\n# Deploy first: docker stack deploy -c ${SERVICES_FILE} ${SERVICES_STACK}\n# (names get the prefix "${SERVICES_STACK}_"; see report.md)\n`
    : `# Stack "${stack}": docker stack deploy -c stack-${stack}.compose.yml ${stack}\n`;
  return head + composeYaml(model);
}

function reportObjects(report: ReportEntry[], file: string, stack: string | undefined, engine: EngineForm, deployed: ReturnType<typeof stackDeploy>, ownerOf: (k: Kind, n: string) => string | undefined): void {
  const ns = stack ?? SERVICES_STACK;
  for (const [kind, list, made] of [['network', engine.networks, deployed.networks], ['secret', engine.secrets, deployed.secrets], ['config', engine.configs, deployed.configs]] as const) {
    for (const o of list) {
      const name = asString(o.Spec.Name);
      if (ownerOf(kind, name) !== stack || o.Spec.Ingress === true) continue;
      const after = made.get(name);
      if (!after) {
        report.push({ kind, name, file, notes: [`no service of the file uses it, so docker stack deploy does not create it; restore does (or: docker ${kind} create)`], differences: [] });
        continue;
      }
      const source = kind === 'network' ? networkComparable(o.Spec) : comparableSpec(o.Spec);
      const differences = specDifferences(source, kind === 'network' ? networkComparable(after) : comparableSpec(after));
      if (differences.length) report.push({ kind, name, file, notes: stack === undefined ? [`created by the deploy of ${file} as stack "${ns}", which labels it`] : [], differences });
    }
  }
}

/** A network's create body as compared: Scope and an IPAM driver "default" are what the engine assumes. */
export function networkComparable(spec: JsonObject): JsonObject {
  const s = comparableSpec(spec);
  delete s.Scope;
  const ipam = asObject(s.IPAM);
  if (ipam?.Driver === 'default') delete ipam.Driver;
  if (ipam && !Object.keys(ipam).length) delete s.IPAM;
  if (s.Driver === 'overlay' || s.Driver === undefined) s.Driver = 'overlay';
  return s;
}

/** One service as a Compose snippet (its entry under `services:`), from the file that holds it. */
export function composeServiceSnippet(kit: RecoveryKit, serviceId: string): string | undefined {
  const service = kit.engine.services.find((s) => s.ID === serviceId);
  if (!service) return undefined;
  const name = asString(service.Spec.Name);
  for (const file of kit.compose) {
    const services = file.model.services as Record<string, unknown>;
    const key = file.stack !== undefined && name.startsWith(`${file.stack}_`) ? name.slice(file.stack.length + 1) : name;
    const stackOfService = asObject(service.Spec.Labels)?.[STACK_NAMESPACE_LABEL];
    if (stackOfService !== file.stack || !(key in services)) continue;
    const notes = kit.report.find((e) => e.kind === 'service' && e.name === name)?.differences.map((d) => `#   ${d.path}`) ?? [];
    const head = [`# service ${name}${file.stack ? ` of stack ${file.stack}` : ''}, as in ${file.name}`, ...(notes.length ? ['# not carried by Compose (see the kit\'s report):', ...notes] : [])];
    return `${head.join('\n')}\n${composeYaml({ [key]: services[key] })}`;
  }
  return undefined;
}
