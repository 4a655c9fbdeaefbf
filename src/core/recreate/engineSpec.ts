// SwarmKit store objects -> the Engine API's JSON (what `docker service inspect` and friends report as
// Spec, and what POST /services/create etc. accept), following the mapping facts of moby's
// daemon/cluster/convert package. Presence is kept where the API keeps it (an empty DNSConfig, Init
// false, Placement {}), so a spec sent back stores what was read.
import type { Message } from 'protobufjs';
import { base64, bool, durationNs, enumWord, i64, list, msg, num, put, str, strMap, u64, type Json, type JsonObject, type Pb } from './values';

const MOUNT_TYPES = ['BIND', 'VOLUME', 'TMPFS', 'NPIPE', 'CLUSTER'];
const CONSISTENCY = ['DEFAULT', 'CONSISTENT', 'CACHED', 'DELEGATED'];
const PROPAGATION = ['RPRIVATE', 'PRIVATE', 'RSHARED', 'SHARED', 'RSLAVE', 'SLAVE'];
const ISOLATION = ['default', 'process', 'hyperv'];
const RESTART = ['none', 'on-failure', 'any'];
const FAILURE_ACTION = ['pause', 'continue', 'rollback'];
const ORDER = ['stop-first', 'start-first'];
const PROTOCOL = ['tcp', 'udp', 'sctp'];
const PUBLISH_MODE = ['ingress', 'host'];
const RESOLUTION = ['vip', 'dnsrr'];
const SECCOMP = ['default', 'unconfined', 'custom'];
const APPARMOR = ['default', 'disabled'];
const NODE_ROLE = ['worker', 'manager'];
const AVAILABILITY = ['active', 'pause', 'drain'];
const VOLUME_SCOPE = ['single', 'multi'];
const VOLUME_SHARING = ['none', 'readonly', 'onewriter', 'all'];
const EXTERNAL_CA_PROTOCOL = ['cfssl'];

/** An object as the kit keeps it: its id in the source swarm, and its Engine API spec. */
export interface EngineObject {
  ID: string;
  Spec: JsonObject;
}

function annotations(spec: Pb | undefined, into: JsonObject): void {
  const a = msg(spec, 'annotations');
  into.Name = str(a, 'name');
  put(into, 'Labels', strMap(a, 'labels'));
}

function driver(d: Pb | undefined): JsonObject | undefined {
  if (!d) return undefined;
  const out: JsonObject = { Name: str(d, 'name') };
  put(out, 'Options', strMap(d, 'options'));
  return out;
}

function durationOf(o: Pb | undefined, key: string): number | bigint | undefined {
  const d = msg(o, key);
  return d ? durationNs(d) : undefined;
}

// ---- services ----

export function serviceSpec(service: Message): JsonObject {
  const spec = msg(service as unknown as Pb, 'spec');
  const out: JsonObject = {};
  annotations(spec, out);
  const task = msg(spec, 'task');
  out.TaskTemplate = taskSpec(task);
  out.Mode = serviceMode(spec);
  const update = msg(spec, 'update');
  if (update) out.UpdateConfig = updateConfig(update);
  const rollback = msg(spec, 'rollback');
  if (rollback) out.RollbackConfig = updateConfig(rollback);
  // ServiceSpec.Networks (deprecated) is read into the task template when the template has none.
  const templateNets = (out.TaskTemplate as JsonObject).Networks;
  if (!templateNets && list(spec, 'networks').length) (out.TaskTemplate as JsonObject).Networks = networkAttachments(list<Pb>(spec, 'networks'));
  const endpoint = msg(spec, 'endpoint');
  if (endpoint) {
    const e: JsonObject = { Mode: enumWord(RESOLUTION, endpoint.mode) };
    put(e, 'Ports', list<Pb>(endpoint, 'ports').map(portConfig));
    out.EndpointSpec = e;
  }
  return out;
}

function serviceMode(spec: Pb | undefined): JsonObject {
  const replicated = msg(spec, 'replicated');
  if (replicated) return { Replicated: { Replicas: u64(replicated, 'replicas') } };
  if (msg(spec, 'global')) return { Global: {} };
  const job = msg(spec, 'replicated_job');
  if (job) return { ReplicatedJob: { MaxConcurrent: u64(job, 'max_concurrent'), TotalCompletions: u64(job, 'total_completions') } };
  if (msg(spec, 'global_job')) return { GlobalJob: {} };
  return {};
}

function portConfig(p: Pb): JsonObject {
  const out: JsonObject = {};
  put(out, 'Name', str(p, 'name'));
  out.Protocol = enumWord(PROTOCOL, p.protocol);
  put(out, 'TargetPort', num(p, 'target_port'));
  put(out, 'PublishedPort', num(p, 'published_port'));
  out.PublishMode = enumWord(PUBLISH_MODE, p.publish_mode);
  return out;
}

function updateConfig(u: Pb): JsonObject {
  const out: JsonObject = { Parallelism: u64(u, 'parallelism') };
  put(out, 'Delay', durationOf(u, 'delay'));
  out.FailureAction = enumWord(FAILURE_ACTION, u.failure_action);
  put(out, 'Monitor', durationOf(u, 'monitor'));
  put(out, 'MaxFailureRatio', num(u, 'max_failure_ratio'));
  out.Order = enumWord(ORDER, u.order);
  return out;
}

function networkAttachments(nets: Pb[]): JsonObject[] {
  return nets.map((n) => {
    const out: JsonObject = { Target: str(n, 'target') };
    put(out, 'Aliases', list<string>(n, 'aliases'));
    put(out, 'DriverOpts', strMap(n, 'driver_attachment_opts'));
    return out;
  });
}

function taskSpec(task: Pb | undefined): JsonObject {
  const out: JsonObject = {};
  const container = msg(task, 'container');
  if (container) out.ContainerSpec = containerSpec(container);
  const generic = msg(task, 'generic');
  if (generic) out.Runtime = str(generic, 'kind');
  else if (msg(task, 'attachment')) out.Runtime = 'attachment';
  const resources = resourceRequirements(task, container);
  if (resources) out.Resources = resources;
  const restart = msg(task, 'restart');
  if (restart) {
    const r: JsonObject = { Condition: enumWord(RESTART, restart.condition) };
    put(r, 'Delay', durationOf(restart, 'delay'));
    r.MaxAttempts = u64(restart, 'max_attempts');
    put(r, 'Window', durationOf(restart, 'window'));
    out.RestartPolicy = r;
  }
  const placement = msg(task, 'placement');
  if (placement) out.Placement = placementSpec(placement);
  const log = driver(msg(task, 'log_driver'));
  if (log) out.LogDriver = log;
  put(out, 'Networks', networkAttachments(list<Pb>(task, 'networks')));
  put(out, 'ForceUpdate', u64(task, 'force_update'));
  if (container) out.Runtime = 'container';
  return out;
}

function placementSpec(p: Pb): JsonObject {
  const out: JsonObject = {};
  put(out, 'Constraints', list<string>(p, 'constraints'));
  put(out, 'Preferences', list<Pb>(p, 'preferences').flatMap((pref) => {
    const spread = msg(pref, 'spread');
    return spread ? [{ Spread: { SpreadDescriptor: str(spread, 'spread_descriptor') } }] : [];
  }));
  put(out, 'MaxReplicas', u64(p, 'max_replicas'));
  put(out, 'Platforms', list<Pb>(p, 'platforms').map((pl) => {
    const o: JsonObject = {};
    put(o, 'Architecture', str(pl, 'architecture'));
    put(o, 'OS', str(pl, 'os'));
    return o;
  }));
  return out;
}

function resourceRequirements(task: Pb | undefined, container: Pb | undefined): JsonObject | undefined {
  const pids = container ? i64(container, 'pidsLimit') : 0;
  const res = msg(task, 'resources');
  if (!res && !pids) return undefined;
  const out: JsonObject = {};
  if (pids) out.Limits = { Pids: pids };
  const limits = msg(res, 'limits');
  if (limits) {
    const l: JsonObject = (out.Limits as JsonObject | undefined) ?? {};
    put(l, 'NanoCPUs', i64(limits, 'nano_cpus'));
    put(l, 'MemoryBytes', i64(limits, 'memory_bytes'));
    out.Limits = orderKeys(l, ['NanoCPUs', 'MemoryBytes', 'Pids']);
  }
  const reservations = msg(res, 'reservations');
  if (reservations) {
    const r: JsonObject = {};
    put(r, 'NanoCPUs', i64(reservations, 'nano_cpus'));
    put(r, 'MemoryBytes', i64(reservations, 'memory_bytes'));
    put(r, 'GenericResources', list<Pb>(reservations, 'generic').map(genericResource));
    out.Reservations = r;
  }
  const swap = msg(res, 'swap_bytes');
  if (swap) out.SwapBytes = i64(swap, 'value');
  const swappiness = msg(res, 'memory_swappiness');
  if (swappiness) out.MemorySwappiness = i64(swappiness, 'value');
  return out;
}

function genericResource(g: Pb): JsonObject {
  const named = msg(g, 'named_resource_spec');
  if (named) return { NamedResourceSpec: { Kind: str(named, 'kind'), Value: str(named, 'value') } };
  const discrete = msg(g, 'discrete_resource_spec');
  if (discrete) return { DiscreteResourceSpec: { Kind: str(discrete, 'kind'), Value: i64(discrete, 'value') } };
  return {};
}

function orderKeys(o: JsonObject, order: string[]): JsonObject {
  const out: JsonObject = {};
  for (const k of order) if (k in o) out[k] = o[k];
  return out;
}

function containerSpec(c: Pb): JsonObject {
  const out: JsonObject = { Image: str(c, 'image') };
  put(out, 'Labels', strMap(c, 'labels'));
  put(out, 'Command', list<string>(c, 'command'));
  put(out, 'Args', list<string>(c, 'args'));
  put(out, 'Hostname', str(c, 'hostname'));
  put(out, 'Env', list<string>(c, 'env'));
  put(out, 'Dir', str(c, 'dir'));
  put(out, 'User', str(c, 'user'));
  put(out, 'Groups', list<string>(c, 'groups'));
  const privileges = msg(c, 'privileges');
  if (privileges) out.Privileges = privilegesSpec(privileges);
  const init = msg(c, 'init');
  if (init) out.Init = bool(init, 'value');
  put(out, 'StopSignal', str(c, 'stop_signal'));
  put(out, 'TTY', bool(c, 'tty'));
  put(out, 'OpenStdin', bool(c, 'open_stdin'));
  put(out, 'ReadOnly', bool(c, 'read_only'));
  put(out, 'Mounts', list<Pb>(c, 'mounts').map(mountSpec));
  const grace = durationOf(c, 'stop_grace_period');
  if (grace !== undefined) out.StopGracePeriod = grace;
  const health = msg(c, 'healthcheck');
  if (health) out.Healthcheck = healthConfig(health);
  put(out, 'Hosts', list<string>(c, 'hosts'));
  const dns = msg(c, 'dns_config');
  if (dns) {
    const d: JsonObject = {};
    put(d, 'Nameservers', list<string>(dns, 'nameservers'));
    put(d, 'Search', list<string>(dns, 'search'));
    put(d, 'Options', list<string>(dns, 'options'));
    out.DNSConfig = d;
  }
  put(out, 'Secrets', list<Pb>(c, 'secrets').flatMap((s) => {
    const file = msg(s, 'file');
    // The Engine API has only file targets for secrets (moby skips any other).
    return file ? [{ File: fileTarget(file), SecretID: str(s, 'secret_id'), SecretName: str(s, 'secret_name') }] : [];
  }));
  put(out, 'Configs', list<Pb>(c, 'configs').flatMap((r) => {
    const file = msg(r, 'file');
    const ref: JsonObject = {};
    if (file) ref.File = fileTarget(file);
    else if (msg(r, 'runtime')) ref.Runtime = {};
    else return [];
    ref.ConfigID = str(r, 'config_id');
    ref.ConfigName = str(r, 'config_name');
    return [ref];
  }));
  out.Isolation = ISOLATION[num(c, 'isolation')] ?? 'default';
  put(out, 'Sysctls', strMap(c, 'sysctls'));
  put(out, 'CapabilityAdd', list<string>(c, 'capability_add'));
  put(out, 'CapabilityDrop', list<string>(c, 'capability_drop'));
  put(out, 'Ulimits', list<Pb>(c, 'ulimits').map((u) => ({ Name: str(u, 'name'), Hard: i64(u, 'hard'), Soft: i64(u, 'soft') })));
  put(out, 'OomScoreAdj', i64(c, 'oom_score_adj'));
  return out;
}

function fileTarget(f: Pb): JsonObject {
  return { Name: str(f, 'name'), UID: str(f, 'uid'), GID: str(f, 'gid'), Mode: num(f, 'mode') };
}

function privilegesSpec(p: Pb): JsonObject {
  const out: JsonObject = {};
  const cred = msg(p, 'credential_spec');
  if (cred) {
    const c: JsonObject = {};
    put(c, 'Config', str(cred, 'config'));
    put(c, 'File', str(cred, 'file'));
    put(c, 'Registry', str(cred, 'registry'));
    out.CredentialSpec = c;
  }
  const se = msg(p, 'selinux_context');
  if (se) {
    const s: JsonObject = { Disable: bool(se, 'disable') };
    put(s, 'User', str(se, 'user'));
    put(s, 'Role', str(se, 'role'));
    put(s, 'Type', str(se, 'type'));
    put(s, 'Level', str(se, 'level'));
    out.SELinuxContext = s;
  }
  const seccomp = msg(p, 'seccomp');
  if (seccomp) {
    const s: JsonObject = { Mode: enumWord(SECCOMP, seccomp.mode) };
    put(s, 'Profile', base64(seccomp.profile));
    out.Seccomp = s;
  }
  const apparmor = msg(p, 'apparmor');
  if (apparmor) out.AppArmor = { Mode: enumWord(APPARMOR, apparmor.mode) };
  put(out, 'NoNewPrivileges', bool(p, 'no_new_privileges'));
  return out;
}

function mountSpec(m: Pb): JsonObject {
  const out: JsonObject = { Type: enumWord(MOUNT_TYPES, m.type) };
  put(out, 'Source', str(m, 'source'));
  out.Target = str(m, 'target');
  put(out, 'ReadOnly', bool(m, 'readonly'));
  if (num(m, 'consistency')) out.Consistency = enumWord(CONSISTENCY, m.consistency);
  const bind = msg(m, 'bind_options');
  if (bind) {
    const b: JsonObject = { Propagation: enumWord(PROPAGATION, bind.propagation) };
    put(b, 'NonRecursive', bool(bind, 'nonrecursive'));
    put(b, 'CreateMountpoint', bool(bind, 'createmountpoint'));
    put(b, 'ReadOnlyNonRecursive', bool(bind, 'readonlynonrecursive'));
    put(b, 'ReadOnlyForceRecursive', bool(bind, 'readonlyforcerecursive'));
    out.BindOptions = b;
  }
  const vol = msg(m, 'volume_options');
  if (vol) {
    const v: JsonObject = {};
    put(v, 'NoCopy', bool(vol, 'nocopy'));
    put(v, 'Labels', strMap(vol, 'labels'));
    const d = driver(msg(vol, 'driver_config'));
    if (d) v.DriverConfig = d;
    put(v, 'Subpath', str(vol, 'subpath'));
    out.VolumeOptions = v;
  }
  const tmpfs = msg(m, 'tmpfs_options');
  if (tmpfs) {
    const t: JsonObject = {};
    put(t, 'SizeBytes', i64(tmpfs, 'size_bytes'));
    put(t, 'Mode', num(tmpfs, 'mode'));
    const options = str(tmpfs, 'options');
    if (options) {
      // Stored as the JSON of [][]string (moby's tmpfsOptionsToGRPC); unreadable text is kept as it is.
      try {
        t.Options = JSON.parse(options) as Json;
      } catch {
        t.Options = options;
      }
    }
    out.TmpfsOptions = t;
  }
  return out;
}

function healthConfig(h: Pb): JsonObject {
  const out: JsonObject = {};
  put(out, 'Test', list<string>(h, 'test'));
  put(out, 'Interval', durationOf(h, 'interval'));
  put(out, 'Timeout', durationOf(h, 'timeout'));
  put(out, 'StartPeriod', durationOf(h, 'start_period'));
  put(out, 'StartInterval', durationOf(h, 'start_interval'));
  put(out, 'Retries', num(h, 'retries'));
  return out;
}

// ---- networks, secrets, configs, volumes ----

/** The POST /networks/create body for a swarm network, from its spec (what the user asked, not what was allocated). */
export function networkSpec(network: Message): JsonObject {
  const spec = msg(network as unknown as Pb, 'spec');
  const out: JsonObject = {};
  annotations(spec, out);
  const d = msg(spec, 'driver_config');
  put(out, 'Driver', str(d, 'name'));
  put(out, 'Options', strMap(d, 'options'));
  out.Scope = 'swarm';
  put(out, 'EnableIPv6', bool(spec, 'ipv6_enabled'));
  put(out, 'Internal', bool(spec, 'internal'));
  put(out, 'Attachable', bool(spec, 'attachable'));
  put(out, 'Ingress', bool(spec, 'ingress'));
  const ipam = msg(spec, 'ipam');
  if (ipam) {
    const i: JsonObject = {};
    const ipamDriver = msg(ipam, 'driver');
    put(i, 'Driver', str(ipamDriver, 'name'));
    put(i, 'Options', strMap(ipamDriver, 'options'));
    put(i, 'Config', list<Pb>(ipam, 'configs').map((c) => {
      const o: JsonObject = {};
      put(o, 'Subnet', str(c, 'subnet'));
      put(o, 'IPRange', str(c, 'range'));
      put(o, 'Gateway', str(c, 'gateway'));
      put(o, 'AuxiliaryAddresses', strMap(c, 'reserved'));
      return o;
    }));
    out.IPAM = i;
  }
  const from = str(spec, 'network');
  if (from) out.ConfigFrom = { Network: from };
  return out;
}

export function secretSpec(secret: Message): JsonObject {
  return dataSpec(secret, true);
}

export function configSpec(config: Message): JsonObject {
  return dataSpec(config, false);
}

/** A secret's or a config's spec: the same fields, but only a secret has a driver (ConfigSpec has none). */
function dataSpec(object: Message, withDriver: boolean): JsonObject {
  const spec = msg(object as unknown as Pb, 'spec');
  const out: JsonObject = {};
  annotations(spec, out);
  out.Data = base64(spec?.data);
  const d = withDriver ? driver(msg(spec, 'driver')) : undefined;
  if (d) out.Driver = d;
  const t = driver(msg(spec, 'templating'));
  if (t) out.Templating = t;
  return out;
}

/** The POST /volumes/create body of a cluster volume (API 1.42+). */
export function volumeSpec(volume: Message): JsonObject {
  const spec = msg(volume as unknown as Pb, 'spec');
  const out: JsonObject = {};
  annotations(spec, out);
  const d = msg(spec, 'driver');
  put(out, 'Driver', str(d, 'name'));
  put(out, 'DriverOpts', strMap(d, 'options'));
  const cluster: JsonObject = {};
  put(cluster, 'Group', str(spec, 'group'));
  const access = msg(spec, 'access_mode');
  if (access) {
    const a: JsonObject = { Scope: enumWord(VOLUME_SCOPE, access.scope), Sharing: enumWord(VOLUME_SHARING, access.sharing) };
    if (msg(access, 'block')) a.BlockVolume = {};
    const mount = msg(access, 'mount');
    if (mount) {
      const m: JsonObject = {};
      put(m, 'FsType', str(mount, 'fs_type'));
      put(m, 'MountFlags', list<string>(mount, 'mount_flags'));
      a.MountVolume = m;
    }
    cluster.AccessMode = a;
  }
  put(cluster, 'Secrets', list<Pb>(spec, 'secrets').map((s) => ({ Key: str(s, 'key'), Secret: str(s, 'secret') })));
  const topology = msg(spec, 'AccessibilityRequirements');
  if (topology) {
    const t: JsonObject = {};
    const seg = (xs: Pb[]): JsonObject[] => xs.map((x) => ({ Segments: strMap(x, 'segments') }));
    put(t, 'Requisite', seg(list<Pb>(topology, 'requisite')));
    put(t, 'Preferred', seg(list<Pb>(topology, 'preferred')));
    cluster.AccessibilityRequirements = t;
  }
  const capacity = msg(spec, 'capacity_range');
  if (capacity) cluster.CapacityRange = { RequiredBytes: i64(capacity, 'required_bytes'), LimitBytes: i64(capacity, 'limit_bytes') };
  cluster.Availability = enumWord(AVAILABILITY, spec?.availability);
  out.ClusterVolumeSpec = cluster;
  return out;
}

// ---- nodes and the cluster ----

/** A node's spec (POST /nodes/{id}/update body), with the hostname it is matched by in another swarm. */
export function nodeSpec(node: Message): { Hostname: string; Spec: JsonObject } {
  const n = node as unknown as Pb;
  const spec = msg(n, 'spec');
  const out: JsonObject = {};
  const a = msg(spec, 'annotations');
  put(out, 'Name', str(a, 'name'));
  put(out, 'Labels', strMap(a, 'labels'));
  out.Role = enumWord(NODE_ROLE, spec?.desired_role);
  out.Availability = enumWord(AVAILABILITY, spec?.availability);
  return { Hostname: str(msg(n, 'description'), 'hostname'), Spec: out };
}

/** The swarm settings a new swarm can take over (POST /swarm/update body); key material is left out. */
export function clusterSettings(cluster: Message): JsonObject {
  const spec = msg(cluster as unknown as Pb, 'spec');
  const raft = msg(spec, 'raft');
  const ca = msg(spec, 'ca_config');
  const taskDefaults = driver(msg(msg(spec, 'task_defaults'), 'log_driver'));
  const out: JsonObject = {
    Orchestration: { TaskHistoryRetentionLimit: i64(msg(spec, 'orchestration'), 'task_history_retention_limit') },
    Raft: {
      SnapshotInterval: u64(raft, 'snapshot_interval'),
      KeepOldSnapshots: u64(raft, 'keep_old_snapshots'),
      LogEntriesForSlowFollowers: u64(raft, 'log_entries_for_slow_followers'),
      ElectionTick: num(raft, 'election_tick'),
      HeartbeatTick: num(raft, 'heartbeat_tick'),
    },
    Dispatcher: { HeartbeatPeriod: durationOf(msg(spec, 'dispatcher'), 'heartbeat_period') ?? 0 },
    CAConfig: caConfig(ca),
    TaskDefaults: taskDefaults ? { LogDriver: taskDefaults } : {},
    EncryptionConfig: { AutoLockManagers: bool(msg(spec, 'encryption_config'), 'auto_lock_managers') },
  };
  return out;
}

function caConfig(ca: Pb | undefined): JsonObject {
  const out: JsonObject = { NodeCertExpiry: durationOf(ca, 'node_cert_expiry') ?? 0 };
  put(out, 'ExternalCAs', list<Pb>(ca, 'external_cas').map((x) => {
    const o: JsonObject = { Protocol: EXTERNAL_CA_PROTOCOL[num(x, 'protocol')] ?? 'cfssl', URL: str(x, 'url') };
    put(o, 'Options', strMap(x, 'options'));
    put(o, 'CACert', Buffer.from((x.ca_cert as Uint8Array | undefined) ?? []).toString('utf8'));
    return o;
  }));
  return out;
}
