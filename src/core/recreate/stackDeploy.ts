// What `docker stack deploy` (Docker CLI 20.10, cli/compose/convert) sends for a Compose file we wrote,
// as the engine then reports it (moby's daemon/cluster/convert round trip: empty enum words read back
// as their defaults). Comparing this with the source spec finds every field Compose could not carry.
import { parseCpus, parseGoDuration, STACK_IMAGE_LABEL, STACK_NAMESPACE_LABEL } from './composeValues';
import { exact, type Json, type JsonObject } from './values';

type Y = Record<string, unknown>;

const obj = (v: unknown): Y | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Y) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const ns = (v: unknown): Json | undefined => (v === undefined ? undefined : exact(parseGoDuration(text(v))));

export interface DeployedStack {
  services: Map<string, JsonObject>;
  /** Networks the deploy creates (only those a service uses), by name. */
  networks: Map<string, JsonObject>;
  secrets: Map<string, JsonObject>;
  configs: Map<string, JsonObject>;
}

/** `data` maps a secret/config `file:` to its content (base64), as the deploy would read it. */
export function stackDeploy(file: Y, stack: string, data: (path: string) => string): DeployedStack {
  const scope = (n: string): string => `${stack}_${n}`;
  const withStack = (labels: unknown): Record<string, string> => ({ ...(obj(labels) as Record<string, string> | undefined), [STACK_NAMESPACE_LABEL]: stack });
  const nets = obj(file.networks) ?? {};
  const secrets = obj(file.secrets) ?? {};
  const configs = obj(file.configs) ?? {};
  const volumes = obj(file.volumes) ?? {};
  const result: DeployedStack = { services: new Map(), networks: new Map(), secrets: new Map(), configs: new Map() };
  const nameOf = (defs: Y, key: string): string => text(obj(defs[key])?.name) || scope(key);

  for (const [kind, defs, into] of [['secret', secrets, result.secrets], ['config', configs, result.configs]] as const) {
    for (const [key, def] of Object.entries(defs)) {
      const d = obj(def) ?? {};
      if (d.external) continue;
      const spec: JsonObject = { Name: nameOf(defs, key), Labels: withStack(d.labels), Data: d.file ? data(text(d.file)) : '' };
      if (kind === 'secret' && d.driver) spec.Driver = { Name: text(d.driver), Options: (obj(d.driver_opts) ?? {}) as JsonObject };
      if (d.template_driver) spec.Templating = { Name: text(d.template_driver) };
      into.set(text(spec.Name), spec);
    }
  }

  for (const [key, svc] of Object.entries(obj(file.services) ?? {})) {
    const s = obj(svc) ?? {};
    const dep = obj(s.deploy) ?? {};
    const c: JsonObject = { Image: text(s.image) };
    const labels = withStack(s.labels);
    c.Labels = labels;
    if (s.entrypoint) c.Command = arr(s.entrypoint).map(text);
    if (s.command) c.Args = arr(s.command).map(text);
    if (s.hostname) c.Hostname = text(s.hostname);
    if (s.extra_hosts) c.Hosts = arr(s.extra_hosts).map(text).map((h) => { const i = h.indexOf(':'); return `${h.slice(i + 1)} ${h.slice(0, i)}`; });
    if (s.dns || s.dns_search) c.DNSConfig = { Nameservers: arr(s.dns).map(text), Search: arr(s.dns_search).map(text) };
    const health = obj(s.healthcheck);
    if (health) {
      c.Healthcheck = health.disable
        ? { Test: ['NONE'] }
        : { Test: arr(health.test).map(text), Interval: ns(health.interval) ?? 0, Timeout: ns(health.timeout) ?? 0, Retries: (health.retries as number) ?? 0, StartPeriod: ns(health.start_period) ?? 0 };
    }
    if (s.environment) c.Env = arr(s.environment).map(text).sort();
    if (s.working_dir) c.Dir = text(s.working_dir);
    if (s.user) c.User = text(s.user);
    c.Mounts = arr(s.volumes).map((m) => mountOf(obj(m) ?? {}, volumes, scope, withStack));
    if (s.stop_grace_period !== undefined) c.StopGracePeriod = ns(s.stop_grace_period) as Json;
    if (s.stop_signal) c.StopSignal = text(s.stop_signal);
    if (s.tty) c.TTY = true;
    if (s.stdin_open) c.OpenStdin = true;
    c.Secrets = refs(arr(s.secrets), secrets, scope).map((r) => ({ File: r.file, SecretName: r.name }));
    c.Secrets.sort((a, b) => cmp(text((a as Y).SecretName), text((b as Y).SecretName)));
    const configRefs: JsonObject[] = refs(arr(s.configs), configs, scope).map((r) => ({ File: r.file, ConfigName: r.name }));
    const privileges: JsonObject = {};
    const cred = obj(s.credential_spec);
    if (cred) {
      const cs: JsonObject = {};
      if (cred.file) cs.File = text(cred.file);
      if (cred.registry) cs.Registry = text(cred.registry);
      if (cred.config) {
        const name = nameOf(configs, text(cred.config));
        configRefs.push({ ConfigName: name, Runtime: {} });
        cs.Config = name; // the CLI sends the config's id; compared by name
      }
      privileges.CredentialSpec = cs;
    }
    configRefs.sort((a, b) => cmp(text(a.ConfigName), text(b.ConfigName)));
    c.Configs = configRefs;
    if (s.read_only) c.ReadOnly = true;
    c.Privileges = privileges;
    c.Isolation = text(s.isolation) || 'default';
    if (typeof s.init === 'boolean') c.Init = s.init;
    if (s.sysctls) c.Sysctls = s.sysctls as JsonObject;
    if (s.cap_add) c.CapabilityAdd = arr(s.cap_add).map(text);
    if (s.cap_drop) c.CapabilityDrop = arr(s.cap_drop).map(text);
    const ulimits = obj(s.ulimits);
    if (ulimits) {
      c.Ulimits = Object.keys(ulimits).sort().map((name) => {
        const u = ulimits[name];
        const o = obj(u);
        return o ? { Name: name, Hard: o.hard as number, Soft: o.soft as number } : { Name: name, Hard: u as number, Soft: u as number };
      });
    }

    const task: JsonObject = { ContainerSpec: c };
    const log = obj(s.logging);
    if (log) task.LogDriver = { Name: text(log.driver), Options: (obj(log.options) ?? {}) as JsonObject };
    task.Resources = resourcesOf(obj(dep.resources));
    const restart = obj(dep.restart_policy);
    if (restart) {
      task.RestartPolicy = { Condition: text(restart.condition) || 'any', MaxAttempts: (restart.max_attempts as number) ?? 0 };
      if (restart.delay !== undefined) task.RestartPolicy.Delay = ns(restart.delay) as Json;
      if (restart.window !== undefined) task.RestartPolicy.Window = ns(restart.window) as Json;
    }
    const placement = obj(dep.placement) ?? {};
    task.Placement = {
      Constraints: arr(placement.constraints).map(text),
      Preferences: arr(placement.preferences).map((p) => ({ Spread: { SpreadDescriptor: text(obj(p)?.spread) } })),
      MaxReplicas: (placement.max_replicas_per_node as number) ?? 0,
    };
    const svcNets = obj(s.networks) ?? (Array.isArray(s.networks) ? Object.fromEntries(arr(s.networks).map((n) => [text(n), null])) : { default: null });
    task.Networks = Object.entries(svcNets).map(([netKey, cfg]) => {
      const target = text(obj(nets[netKey])?.name) || scope(netKey);
      return { Target: target, Aliases: [...arr(obj(cfg)?.aliases).map(text), key] };
    }).sort((a, b) => cmp(a.Target, b.Target));
    for (const n of task.Networks as JsonObject[]) if (!result.networks.has(text(n.Target))) {
      const def = obj(nets[Object.keys(svcNets).find((k) => (text(obj(nets[k])?.name) || scope(k)) === n.Target) ?? '']) ?? {};
      if (!def.external) result.networks.set(text(n.Target), networkOf(def, text(n.Target), withStack));
    }
    task.Runtime = 'container';

    const spec: JsonObject = { Name: scope(key), Labels: { ...withStack(dep.labels), [STACK_IMAGE_LABEL]: text(s.image) }, TaskTemplate: task };
    const mode = text(dep.mode) || 'replicated';
    const replicas = dep.replicas === undefined ? 1 : (dep.replicas as number);
    if (mode === 'global') spec.Mode = { Global: {} };
    else if (mode === 'global-job') spec.Mode = { GlobalJob: {} };
    else if (mode === 'replicated-job') spec.Mode = { ReplicatedJob: { MaxConcurrent: replicas, TotalCompletions: replicas } };
    else spec.Mode = { Replicated: { Replicas: replicas } };
    if (dep.update_config) spec.UpdateConfig = updateOf(obj(dep.update_config) ?? {});
    if (dep.rollback_config) spec.RollbackConfig = updateOf(obj(dep.rollback_config) ?? {});
    const ports = arr(s.ports).map((p) => {
      const o = obj(p) ?? {};
      return { Protocol: text(o.protocol) || 'tcp', TargetPort: (o.target as number) ?? 0, PublishedPort: (o.published as number) ?? 0, PublishMode: text(o.mode) || 'ingress' };
    }).sort((a, b) => a.PublishedPort - b.PublishedPort);
    spec.EndpointSpec = { Mode: text(dep.endpoint_mode) || 'vip', Ports: ports };
    result.services.set(scope(key), spec);
  }
  return result;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function refs(list: unknown[], defs: Y, scope: (n: string) => string): { name: string; file: JsonObject }[] {
  return list.map((r) => {
    const ref = typeof r === 'string' ? { source: r } : (obj(r) ?? {});
    const source = text(ref.source);
    const name = text(obj(defs[source])?.name) || scope(source);
    const mode = ref.mode === undefined ? 0o444 : (ref.mode as number);
    return { name, file: { Name: text(ref.target) || source, UID: text(ref.uid) || '0', GID: text(ref.gid) || '0', Mode: mode } };
  });
}

function mountOf(m: Y, volumes: Y, scope: (n: string) => string, withStack: (l: unknown) => Record<string, string>): JsonObject {
  const type = text(m.type) || 'volume';
  const out: JsonObject = { Type: type, Target: text(m.target) };
  if (m.source) out.Source = text(m.source);
  if (m.read_only) out.ReadOnly = true;
  if (m.consistency) out.Consistency = text(m.consistency);
  if (type === 'volume' && m.source) {
    const def = obj(volumes[text(m.source)]) ?? {};
    out.Source = text(def.name) || scope(text(m.source));
    const options: JsonObject = {};
    if (obj(m.volume)?.nocopy) options.NoCopy = true;
    if (!def.external) {
      options.Labels = withStack(def.labels);
      if (def.driver || def.driver_opts) options.DriverConfig = { Name: text(def.driver), Options: (obj(def.driver_opts) ?? {}) as JsonObject };
    }
    out.VolumeOptions = options;
  }
  const bind = obj(m.bind);
  if (type === 'bind' && bind) out.BindOptions = { Propagation: text(bind.propagation) || 'rprivate' };
  const tmpfs = obj(m.tmpfs);
  if (type === 'tmpfs' && tmpfs) out.TmpfsOptions = { SizeBytes: (tmpfs.size as number) ?? 0 };
  return out;
}

function resourcesOf(r: Y | undefined): JsonObject {
  const out: JsonObject = {};
  const limits = obj(r?.limits);
  if (limits) out.Limits = { NanoCPUs: limits.cpus ? exact(parseCpus(text(limits.cpus))) : 0, MemoryBytes: limits.memory ? Number(limits.memory) : 0, Pids: (limits.pids as number) ?? 0 };
  const reservations = obj(r?.reservations);
  if (reservations) {
    out.Reservations = {
      NanoCPUs: reservations.cpus ? exact(parseCpus(text(reservations.cpus))) : 0,
      MemoryBytes: reservations.memory ? Number(reservations.memory) : 0,
      GenericResources: arr(reservations.generic_resources).flatMap((g) => {
        const d = obj(obj(g)?.discrete_resource_spec);
        return d ? [{ DiscreteResourceSpec: { Kind: text(d.kind), Value: d.value as number } }] : [];
      }),
    };
  }
  return out;
}

function updateOf(u: Y): JsonObject {
  return {
    Parallelism: u.parallelism === undefined ? 1 : (u.parallelism as number),
    Delay: ns(u.delay) ?? 0,
    FailureAction: text(u.failure_action) || 'pause',
    Monitor: ns(u.monitor) ?? 0,
    MaxFailureRatio: (u.max_failure_ratio as number) ?? 0,
    Order: text(u.order) || 'stop-first',
  };
}

function networkOf(def: Y, name: string, withStack: (l: unknown) => Record<string, string>): JsonObject {
  const out: JsonObject = { Name: name, Labels: withStack(def.labels), Driver: text(def.driver) || 'overlay', Scope: 'swarm' };
  if (obj(def.driver_opts)) out.Options = def.driver_opts as JsonObject;
  if (def.internal) out.Internal = true;
  if (def.attachable) out.Attachable = true;
  const ipam = obj(def.ipam);
  if (ipam && (ipam.driver || arr(ipam.config).length)) {
    out.IPAM = { Driver: text(ipam.driver), Config: arr(ipam.config).map((c) => ({ Subnet: text(obj(c)?.subnet) })) };
  }
  return out;
}

