// One service's Engine API spec -> a Compose (3.8) service, expressing everything Compose can; what it
// cannot is found afterwards by comparing with what `docker stack deploy` would make of the result
// (stackDeploy.ts), so nothing is dropped silently.
import { asArray, asObject, asString, cpusText, goDuration, STACK_IMAGE_LABEL, STACK_NAMESPACE_LABEL, withoutKeys } from './composeValues';
import type { Json, JsonObject } from './values';

/** What one Compose file knows of the swarm's networks, secrets, configs and volumes. */
export interface ComposeScope {
  /** The stack this file deploys; undefined for the file of services outside stacks. */
  stack?: string;
  /** A network's name from the id a service refers to it by (undefined: not in the kit). */
  networkName(idOrName: string): string | undefined;
  /** The stack an object belongs to (its namespace label), by kind and name. */
  ownerOf(kind: 'network' | 'secret' | 'config' | 'volume', name: string): string | undefined;
}

/** The top-level objects a file's services use, by the key the file knows them by. */
export interface ComposeUses {
  networks: Map<string, string>;
  secrets: Map<string, string>;
  configs: Map<string, string>;
  /** volume key -> the mount's source and its volume options (how the volume is created). */
  volumes: Map<string, { source: string; options?: JsonObject }>;
}

export function emptyUses(): ComposeUses {
  return { networks: new Map(), secrets: new Map(), configs: new Map(), volumes: new Map() };
}

/** The key a file uses for a swarm object: its name without the stack prefix when this stack owns it. */
export function objectKey(scope: ComposeScope, kind: 'network' | 'secret' | 'config' | 'volume', fullName: string): string {
  const owner = scope.ownerOf(kind, fullName);
  if (scope.stack !== undefined && owner === scope.stack && fullName.startsWith(`${scope.stack}_`)) return fullName.slice(scope.stack.length + 1);
  return fullName;
}

/** A service's name in its file: without the stack prefix. */
export function serviceKey(scope: ComposeScope, name: string): string {
  return scope.stack !== undefined && name.startsWith(`${scope.stack}_`) ? name.slice(scope.stack.length + 1) : name;
}

export function composeService(spec: JsonObject, scope: ComposeScope, uses: ComposeUses): Record<string, unknown> {
  const task = asObject(spec.TaskTemplate) ?? {};
  const c = asObject(task.ContainerSpec) ?? {};
  const key = serviceKey(scope, asString(spec.Name));
  const s: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return;
    s[k] = v;
  };
  set('image', c.Image);
  set('entrypoint', c.Command);
  set('command', c.Args);
  set('hostname', c.Hostname);
  set('environment', c.Env);
  set('working_dir', c.Dir);
  set('user', c.User);
  set('labels', withoutKeys(c.Labels, scope.stack !== undefined ? [STACK_NAMESPACE_LABEL] : []));
  if (typeof c.Init === 'boolean') s.init = c.Init;
  set('stop_signal', c.StopSignal);
  if (c.StopGracePeriod !== undefined) s.stop_grace_period = goDuration(c.StopGracePeriod as number);
  if (c.TTY === true) s.tty = true;
  if (c.OpenStdin === true) s.stdin_open = true;
  if (c.ReadOnly === true) s.read_only = true;
  set('cap_add', c.CapabilityAdd);
  set('cap_drop', c.CapabilityDrop);
  set('sysctls', c.Sysctls);
  if (asArray(c.Ulimits).length) {
    s.ulimits = Object.fromEntries(asArray(c.Ulimits).map((u) => {
      const o = asObject(u) ?? {};
      return [asString(o.Name), o.Soft === o.Hard ? o.Soft : { soft: o.Soft, hard: o.Hard }];
    }));
  }
  if (c.Isolation && c.Isolation !== 'default') s.isolation = c.Isolation;
  set('extra_hosts', asArray(c.Hosts).map((h) => {
    // SwarmKit keeps "IP host [aliases]"; Compose writes "host:IP", one name per line.
    const [ip, ...names] = asString(h).split(/\s+/);
    return names.map((n) => `${n}:${ip}`);
  }).flat());
  const dns = asObject(c.DNSConfig);
  if (dns) {
    set('dns', dns.Nameservers);
    set('dns_search', dns.Search);
  }
  const health = asObject(c.Healthcheck);
  if (health) s.healthcheck = healthcheck(health);
  const cred = asObject(asObject(c.Privileges)?.CredentialSpec);
  if (cred) {
    const out: Record<string, string> = {};
    if (cred.File) out.file = asString(cred.File);
    if (cred.Registry) out.registry = asString(cred.Registry);
    // A config credential spec names the config by id; Compose names it by key.
    if (cred.Config) {
      const ref = asArray(c.Configs).map(asObject).find((r) => r?.ConfigID === cred.Config);
      if (ref) out.config = useConfig(scope, uses, asString(ref.ConfigName));
    }
    s.credential_spec = out;
  }
  // Cluster (CSI) mounts have no Compose 3.8 form (the deploy rejects the type): left to the report.
  set('volumes', asArray(c.Mounts).map((m) => asObject(m) ?? {}).filter((m) => m.Type !== 'cluster').map((m) => mount(m, scope, uses)));
  set('secrets', asArray(c.Secrets).map((r) => fileRef(asObject(r) ?? {}, 'secret', scope, uses)));
  set('configs', asArray(c.Configs).flatMap((r) => {
    const ref = asObject(r) ?? {};
    return ref.Runtime ? [] : [fileRef(ref, 'config', scope, uses)];
  }));
  const log = asObject(task.LogDriver);
  if (log) s.logging = { driver: log.Name, ...(asObject(log.Options) ? { options: log.Options } : {}) };
  const networks = asArray(task.Networks).map(asObject);
  if (networks.length) {
    const out: Record<string, unknown> = {};
    for (const n of networks) {
      const full = scope.networkName(asString(n?.Target)) ?? asString(n?.Target);
      const netKey = objectKey(scope, 'network', full);
      uses.networks.set(netKey, full);
      // The stack deploy adds the service's own name as an alias on every user-defined network.
      const aliases = asArray(n?.Aliases).map(asString);
      if (scope.stack !== undefined && aliases.at(-1) === key) aliases.pop();
      out[netKey] = aliases.length ? { aliases } : null;
    }
    s.networks = out;
  }
  const endpoint = asObject(spec.EndpointSpec);
  if (endpoint) {
    set('ports', asArray(endpoint.Ports).map((p) => {
      const o = asObject(p) ?? {};
      const port: Record<string, unknown> = { target: o.TargetPort ?? 0 };
      if (o.PublishedPort) port.published = o.PublishedPort;
      if (o.Protocol) port.protocol = o.Protocol;
      if (o.PublishMode) port.mode = o.PublishMode;
      return port;
    }));
  }
  s.deploy = deploy(spec, task, endpoint, scope);
  return s;
}

function healthcheck(h: JsonObject): Record<string, unknown> {
  const test = asArray(h.Test).map(asString);
  if (test.length === 1 && test[0] === 'NONE') return { disable: true };
  const out: Record<string, unknown> = {};
  if (test.length) out.test = test;
  if (h.Interval) out.interval = goDuration(h.Interval as number);
  if (h.Timeout) out.timeout = goDuration(h.Timeout as number);
  if (h.Retries) out.retries = h.Retries;
  if (h.StartPeriod) out.start_period = goDuration(h.StartPeriod as number);
  return out;
}

function useConfig(scope: ComposeScope, uses: ComposeUses, name: string): string {
  const k = objectKey(scope, 'config', name);
  uses.configs.set(k, name);
  return k;
}

function fileRef(ref: JsonObject, kind: 'secret' | 'config', scope: ComposeScope, uses: ComposeUses): Record<string, unknown> {
  const name = asString(kind === 'secret' ? ref.SecretName : ref.ConfigName);
  const k = objectKey(scope, kind, name);
  (kind === 'secret' ? uses.secrets : uses.configs).set(k, name);
  const file = asObject(ref.File) ?? {};
  const out: Record<string, unknown> = { source: k };
  if (file.Name !== k) out.target = file.Name;
  if (file.UID !== '0') out.uid = file.UID;
  if (file.GID !== '0') out.gid = file.GID;
  if (file.Mode !== 0o444) out.mode = file.Mode;
  return out;
}

function mount(m: JsonObject, scope: ComposeScope, uses: ComposeUses): Record<string, unknown> {
  const out: Record<string, unknown> = { type: m.Type, target: m.Target };
  if (m.ReadOnly === true) out.read_only = true;
  if (m.Consistency) out.consistency = m.Consistency;
  const source = asString(m.Source);
  if (m.Type === 'volume' && source) {
    const options = asObject(m.VolumeOptions);
    const k = objectKey(scope, 'volume', source);
    uses.volumes.set(k, { source, options });
    out.source = k;
  } else if (source) {
    out.source = source;
  }
  const bind = asObject(m.BindOptions);
  if (bind?.Propagation) out.bind = { propagation: bind.Propagation };
  const vol = asObject(m.VolumeOptions);
  if (vol?.NoCopy === true) out.volume = { nocopy: true };
  const tmpfs = asObject(m.TmpfsOptions);
  if (tmpfs?.SizeBytes) out.tmpfs = { size: tmpfs.SizeBytes };
  return out;
}

function deploy(spec: JsonObject, task: JsonObject, endpoint: JsonObject | undefined, scope: ComposeScope): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  const mode = asObject(spec.Mode) ?? {};
  if (mode.Global) d.mode = 'global';
  else if (mode.GlobalJob) d.mode = 'global-job';
  else if (mode.ReplicatedJob) {
    d.mode = 'replicated-job';
    d.replicas = asObject(mode.ReplicatedJob)?.TotalCompletions;
  } else {
    d.mode = 'replicated';
    d.replicas = asObject(mode.Replicated)?.Replicas ?? 1;
  }
  if (endpoint?.Mode && endpoint.Mode !== 'vip') d.endpoint_mode = endpoint.Mode;
  const labels = withoutKeys(spec.Labels, scope.stack !== undefined ? [STACK_NAMESPACE_LABEL, STACK_IMAGE_LABEL] : []);
  if (labels) d.labels = labels;
  const placement = asObject(task.Placement);
  if (placement) {
    const p: Record<string, unknown> = {};
    if (asArray(placement.Constraints).length) p.constraints = placement.Constraints;
    const prefs = asArray(placement.Preferences).map((x) => asString(asObject(asObject(x)?.Spread)?.SpreadDescriptor));
    if (prefs.length) p.preferences = prefs.map((spread) => ({ spread }));
    if (placement.MaxReplicas) p.max_replicas_per_node = placement.MaxReplicas;
    if (Object.keys(p).length) d.placement = p;
  }
  const res = asObject(task.Resources);
  if (res) {
    const r: Record<string, unknown> = {};
    const limits = asObject(res.Limits);
    if (limits && Object.keys(limits).length) r.limits = resources(limits);
    const reservations = asObject(res.Reservations);
    if (reservations) {
      const out = resources(reservations);
      const generic = asArray(reservations.GenericResources).flatMap((g) => {
        const discrete = asObject(asObject(g)?.DiscreteResourceSpec);
        return discrete ? [{ discrete_resource_spec: { kind: discrete.Kind, value: discrete.Value } }] : [];
      });
      if (generic.length) out.generic_resources = generic;
      if (Object.keys(out).length) r.reservations = out;
    }
    if (Object.keys(r).length) d.resources = r;
  }
  const restart = asObject(task.RestartPolicy);
  if (restart) {
    const r: Record<string, unknown> = { condition: restart.Condition };
    if (restart.Delay !== undefined) r.delay = goDuration(restart.Delay as number);
    if (restart.MaxAttempts) r.max_attempts = restart.MaxAttempts;
    if (restart.Window !== undefined) r.window = goDuration(restart.Window as number);
    d.restart_policy = r;
  }
  const update = asObject(spec.UpdateConfig);
  if (update) d.update_config = updateConfig(update);
  const rollback = asObject(spec.RollbackConfig);
  if (rollback) d.rollback_config = updateConfig(rollback);
  return d;
}

function resources(r: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.NanoCPUs) out.cpus = cpusText(r.NanoCPUs as number);
  // Compose 3.8 takes memory as a string (bytes, or with a unit).
  if (r.MemoryBytes) out.memory = String(r.MemoryBytes);
  if (r.Pids) out.pids = r.Pids;
  return out;
}

function updateConfig(u: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = { parallelism: u.Parallelism ?? 0 };
  if (u.Delay) out.delay = goDuration(u.Delay as number);
  if (u.FailureAction) out.failure_action = u.FailureAction;
  if (u.Monitor) out.monitor = goDuration(u.Monitor as number);
  if (u.MaxFailureRatio) out.max_failure_ratio = u.MaxFailureRatio;
  if (u.Order) out.order = u.Order;
  return out;
}

/** The Compose `volumes:` definition of a volume from a mount's volume options. */
export function volumeDefinition(options: JsonObject | undefined, stack: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const driver = asObject(options?.DriverConfig);
  if (driver?.Name) out.driver = driver.Name;
  if (asObject(driver?.Options)) out.driver_opts = driver?.Options;
  const labels = withoutKeys(options?.Labels as Json, stack !== undefined ? [STACK_NAMESPACE_LABEL] : []);
  if (labels) out.labels = labels;
  return out;
}
