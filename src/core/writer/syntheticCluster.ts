// A simulated SwarmKit cluster for generated logs: nodes, networks, secrets, configs, services and their
// tasks, evolving the way a manager records it (task state transitions reported by agents, tasks
// replaced and pruned, node heartbeats, rolling service updates). Objects are plain objects shaped
// like the schema's messages (enums as numbers, 64-bit values as Long), encoded with protobufjs.
// Everything comes from a seeded stream, so a seed always yields the same log.
import type Long from 'long';
import { Messages } from '../codec';
import { u64 } from './rawEncode';
import type { SeededRandom } from './seededRandom';

type Obj = Record<string, unknown>;

export const ACTION = { create: 1, update: 2, remove: 3 } as const;
const TASK_STATE = { NEW: 0, PENDING: 64, ASSIGNED: 192, ACCEPTED: 256, PREPARING: 320, READY: 384, STARTING: 448, RUNNING: 512, COMPLETE: 576, SHUTDOWN: 640, FAILED: 704 };
const PROGRESS = [TASK_STATE.NEW, TASK_STATE.PENDING, TASK_STATE.ASSIGNED, TASK_STATE.ACCEPTED, TASK_STATE.PREPARING, TASK_STATE.READY, TASK_STATE.STARTING, TASK_STATE.RUNNING];
const STATE_MESSAGES: Record<number, string> = {
  0: 'created', 64: 'pending task scheduling', 192: 'scheduler assigned task to node', 256: 'accepted', 320: 'preparing',
  384: 'prepared', 448: 'starting', 512: 'started', 576: 'finished', 640: 'shutdown', 704: 'started',
};

export interface StoreActionObject {
  action: number;
  [kind: string]: unknown;
}

export interface ClusterSize {
  nodes: number;
  managers: number;
  services: number;
  /** Replicas per service, inclusive range. */
  replicas: [number, number];
  /** Tasks created per request when a service starts (the orchestrator batches them). */
  taskCreateBatch: number;
  networks: number;
  secrets: number;
  configs: number;
}

export const DEFAULT_SIZE: ClusterSize = { nodes: 40, managers: 3, services: 300, replicas: [2, 30], taskCreateBatch: 4, networks: 12, secrets: 60, configs: 40 };

export class SyntheticCluster {
  private clusterObject?: Obj;
  private initial?: Generator<StoreActionObject[]>;
  readonly nodes: Obj[] = [];
  readonly networks: Obj[] = [];
  readonly secrets: Obj[] = [];
  readonly configs: Obj[] = [];
  readonly services: Obj[] = [];
  private readonly serviceById = new Map<string, Obj>();
  readonly tasks = new Map<string, Obj>();
  /** Tasks still meant to run, for picking one in O(1) (swap-remove keeps it dense). */
  private readonly live: Obj[] = [];
  private readonly livePosition = new Map<Obj, number>();
  /** Terminated tasks in the order they ended: the oldest is pruned first. */
  private readonly ended: Obj[] = [];
  /** Seconds since the epoch; advances with every change. */
  private now: number;
  private index = 0n;

  constructor(private readonly random: SeededRandom, readonly clusterId: string, readonly managerNodeId: string, readonly managerRaftId: bigint, startSeconds: number, readonly size: ClusterSize = DEFAULT_SIZE) {
    this.now = startSeconds;
  }

  /** The raft index the next change is written at (stamped into meta.version). */
  at(index: bigint): this {
    this.index = index;
    this.now += this.random.int(0, 3) + this.random.float();
    return this;
  }

  /**
   * The next request creating the initial state (the cluster, nodes, networks, secrets, configs, then
   * each service and its tasks), stamped with the index given to at(); undefined once all exist.
   */
  nextInitialRequest(): StoreActionObject[] | undefined {
    this.initial ??= this.initialRequests(this.size.taskCreateBatch);
    const next = this.initial.next();
    return next.done ? undefined : next.value;
  }

  private *initialRequests(batch: number): Generator<StoreActionObject[]> {
    this.clusterObject = this.makeCluster();
    yield [{ action: ACTION.create, cluster: this.clusterObject }];
    for (let i = 0; i < this.size.nodes; i++) yield [{ action: ACTION.create, node: this.addNode(i) }];
    for (let i = 0; i < this.size.networks; i++) yield [{ action: ACTION.create, network: this.addNetwork(i) }];
    for (let i = 0; i < this.size.secrets; i++) yield [{ action: ACTION.create, secret: this.addSecret(i) }];
    for (let i = 0; i < this.size.configs; i++) yield [{ action: ACTION.create, config: this.addConfig(i) }];
    for (let i = 0; i < this.size.services; i++) {
      const service = this.addService(i);
      yield [{ action: ACTION.create, service }];
      const replicas = Number((service.spec as Obj & { replicated: { replicas: number } }).replicated.replicas);
      const pending: StoreActionObject[] = [];
      for (let slot = 1; slot <= replicas; slot++) {
        pending.push({ action: ACTION.create, task: this.addTask(service, slot) });
        if (pending.length === batch) yield pending.splice(0);
      }
      if (pending.length) yield pending.splice(0);
    }
  }

  /** One proposal of ongoing activity (what a manager appends many times a second under load). */
  nextRequest(): StoreActionObject[] {
    const roll = this.random.float();
    if (roll < 0.74) return this.taskProgress(this.random.chance(0.9) ? 1 : 2);
    if (roll < 0.8) return this.replaceTask();
    if (roll < 0.87) return this.pruneTask();
    if (roll < 0.93) return [{ action: ACTION.update, node: this.touchNode(this.random.pick(this.nodes)) }];
    return this.updateService(this.random.pick(this.services));
  }

  /** A marshalled InternalRaftRequest (a random uint64 id, as SwarmKit's request ids are). */
  encodeRequest(actions: StoreActionObject[]): Uint8Array {
    return Messages.internalRaftRequest.encode({ id: u64(this.random.uint64()), action: actions } as never).finish();
  }

  /** The StoreSnapshot of the current state (a marshalled docker.swarmkit.v1.Snapshot). */
  encodeSnapshot(members: { raftId: bigint; nodeId: string; addr: string }[]): Uint8Array {
    const snapshot = {
      version: 0,
      membership: { members: members.map((m) => ({ raft_id: u64(m.raftId), node_id: m.nodeId, addr: m.addr, status: {} })), removed: [] },
      store: {
        nodes: this.nodes, services: this.services, networks: this.networks, tasks: [...this.tasks.values()],
        clusters: this.clusterObject ? [this.clusterObject] : [], secrets: this.secrets, configs: this.configs,
      },
    };
    return Messages.swarmSnapshot.encode(snapshot as never).finish();
  }

  objectCount(): number {
    return (this.clusterObject ? 1 : 0) + this.nodes.length + this.networks.length + this.secrets.length + this.configs.length + this.services.length + this.tasks.size;
  }

  // --- activity -------------------------------------------------------------------------------------

  /** Agents report state changes; a running task sometimes ends (fails or completes) and is replaced in its slot. */
  private taskProgress(count: number): StoreActionObject[] {
    const out: StoreActionObject[] = [];
    for (let i = 0; i < count && this.live.length; i++) {
      const task = this.random.pick(this.live);
      const state = (task.status as Obj).state as number;
      if (state === TASK_STATE.RUNNING && this.random.chance(0.85)) {
        // A running task's status is refreshed (a health-check or port-status report), same state.
        task.status = this.taskStatus(TASK_STATE.RUNNING, task);
        this.stamp(task);
        out.push({ action: ACTION.update, task });
        continue;
      }
      if (state === TASK_STATE.RUNNING) {
        task.status = this.taskStatus(this.random.chance(0.5) ? TASK_STATE.FAILED : TASK_STATE.COMPLETE, task);
        this.end(task);
        out.push({ action: ACTION.update, task }, { action: ACTION.create, task: this.addTask(this.serviceOf(task), Number(task.slot)) });
        continue;
      }
      task.status = this.taskStatus(PROGRESS[PROGRESS.indexOf(state) + 1] ?? TASK_STATE.RUNNING, task);
      this.stamp(task);
      out.push({ action: ACTION.update, task });
    }
    return out.length ? out : [{ action: ACTION.update, node: this.touchNode(this.random.pick(this.nodes)) }];
  }

  /** The orchestrator shuts a task down (a rolling update) and starts its replacement in the same slot. */
  private replaceTask(): StoreActionObject[] {
    if (!this.live.length) return this.taskProgress(1);
    const old = this.random.pick(this.live);
    old.desired_state = TASK_STATE.SHUTDOWN;
    old.status = this.taskStatus(TASK_STATE.SHUTDOWN, old);
    this.end(old);
    return [{ action: ACTION.update, task: old }, { action: ACTION.create, task: this.addTask(this.serviceOf(old), Number(old.slot)) }];
  }

  /** Task history retention: the oldest terminated task is deleted (a REMOVE carries the whole object). */
  private pruneTask(): StoreActionObject[] {
    const task = this.ended.shift();
    if (!task) return this.replaceTask();
    this.tasks.delete(task.id as string);
    return [{ action: ACTION.remove, task }];
  }

  private end(task: Obj): void {
    task.desired_state = TASK_STATE.SHUTDOWN;
    this.stamp(task);
    const at = this.livePosition.get(task);
    if (at !== undefined) {
      const last = this.live.pop()!;
      if (last !== task) {
        this.live[at] = last;
        this.livePosition.set(last, at);
      }
      this.livePosition.delete(task);
    }
    this.ended.push(task);
  }

  private serviceOf(task: Obj): Obj {
    return this.serviceById.get(task.service_id as string)!;
  }

  /** A rolling update to a new image: the old spec becomes previous_spec; tasks keep the spec they run. */
  private updateService(service: Obj): StoreActionObject[] {
    const previous = service.spec as Obj;
    const task = previous.task as Obj;
    const spec = { ...previous, task: { ...task, container: { ...(task.container as Obj), image: this.image(String((previous.annotations as Obj).name)) } } };
    service.previous_spec = previous;
    service.previous_spec_version = service.spec_version;
    service.spec = spec;
    service.spec_version = { index: u64(this.index) };
    const started = this.timestamp();
    service.update_status = this.random.chance(0.5)
      ? { state: 1, started_at: started, message: 'update in progress' }
      : { state: 3, started_at: started, completed_at: this.timestamp(30), message: 'update completed' };
    this.stamp(service);
    return [{ action: ACTION.update, service }];
  }

  private touchNode(node: Obj): Obj {
    node.status = { state: this.random.chance(0.9) ? 2 : 3, message: this.random.chance(0.9) ? '' : 'heartbeat failure', addr: (node.status as Obj).addr };
    this.stamp(node);
    return node;
  }

  // --- objects --------------------------------------------------------------------------------------

  private meta(): Obj {
    const t = this.timestamp();
    return { version: { index: u64(this.index) }, created_at: t, updated_at: t };
  }

  private stamp(o: Obj): void {
    const meta = o.meta as Obj;
    meta.version = { index: u64(this.index) };
    meta.updated_at = this.timestamp();
  }

  private timestamp(offsetSeconds = 0): Obj {
    const t = this.now + offsetSeconds;
    return { seconds: Math.floor(t), nanos: Math.floor((t % 1) * 1e9) };
  }

  private makeCluster(): Obj {
    const r = this.random;
    return {
      id: this.clusterId, meta: this.meta(),
      spec: {
        annotations: { name: 'default' },
        acceptance_policy: {},
        orchestration: { task_history_retention_limit: 5 },
        raft: { snapshot_interval: 10000, keep_old_snapshots: 0, log_entries_for_slow_followers: 500, heartbeat_tick: 1, election_tick: 10 },
        dispatcher: { heartbeat_period: { seconds: 5 } },
        ca_config: { node_cert_expiry: { seconds: 7776000 } },
        task_defaults: {},
        encryption_config: {},
      },
      root_ca: {
        ca_key: Buffer.from(pemLike('EC PRIVATE KEY', r.bytes(121))), ca_cert: Buffer.from(pemLike('CERTIFICATE', r.bytes(380))),
        ca_cert_hash: `sha256:${r.hex(32)}`,
        join_tokens: { worker: `SWMTKN-1-${r.id(50)}-${r.id(25)}`, manager: `SWMTKN-1-${r.id(50)}-${r.id(25)}` },
      },
      network_bootstrap_keys: [0, 1, 2].map((i) => ({ subsystem: 'networking:gossip', key: r.bytes(16), lamport_time: i + 1 })),
      encryption_key_lamport_clock: 3,
      defaultAddressPool: ['10.0.0.0/8'], subnetSize: 24, VXLANUDPPort: 4789,
    };
  }

  private addNode(i: number): Obj {
    const r = this.random;
    const manager = i < this.size.managers;
    const id = i === 0 ? this.managerNodeId : r.id();
    const addr = `10.0.${1 + (i >> 8)}.${i % 256}`;
    const node: Obj = {
      id, meta: this.meta(),
      spec: { annotations: { labels: { zone: `zone-${i % 3}`, 'node.type': manager ? 'manager' : 'worker' } }, desired_role: manager ? 1 : 0, membership: 1 },
      description: {
        hostname: `${manager ? 'manager' : 'worker'}-${String(i).padStart(3, '0')}`,
        platform: { architecture: 'x86_64', os: 'linux' },
        resources: { nano_cpus: r.pick([4, 8, 16, 32]) * 1e9, memory_bytes: r.pick([8, 16, 32, 64]) * 1024 ** 3 },
        engine: {
          engine_version: '20.10.24',
          plugins: ['Log:awslogs', 'Log:fluentd', 'Log:gcplogs', 'Log:gelf', 'Log:journald', 'Log:json-file', 'Log:local', 'Log:splunk', 'Log:syslog',
            'Network:bridge', 'Network:host', 'Network:ipvlan', 'Network:macvlan', 'Network:null', 'Network:overlay', 'Volume:local']
            .map((p) => ({ type: p.split(':')[0], name: p.split(':')[1] })),
        },
        tls_info: { trust_root: Buffer.from(pemLike('CERTIFICATE', r.bytes(380))), cert_issuer_subject: r.bytes(21), cert_issuer_public_key: r.bytes(91) },
      },
      status: { state: 2, addr },
      certificate: { role: manager ? 1 : 0, status: { state: 3 }, certificate: Buffer.from(pemLike('CERTIFICATE', r.bytes(480))), cn: id },
      role: manager ? 1 : 0,
    };
    if (manager) node.manager_status = { raft_id: u64(i === 0 ? this.managerRaftId : r.uint64()), addr: `${addr}:2377`, leader: i === 0, reachability: 2 };
    this.nodes.push(node);
    return node;
  }

  private addNetwork(i: number): Obj {
    const ingress = i === 0;
    const network: Obj = {
      id: this.random.id(), meta: this.meta(),
      spec: {
        annotations: { name: ingress ? 'ingress' : `backend-${i}`, labels: ingress ? {} : { 'com.docker.stack.namespace': `stack${i % 5}` } },
        driver_config: { name: 'overlay' }, ingress, attachable: !ingress && i % 2 === 0,
        ipam: { driver: { name: 'default' }, configs: [{ subnet: `10.${i}.0.0/24`, gateway: `10.${i}.0.1` }] },
      },
      driver_state: { name: 'overlay', options: { 'com.docker.network.driver.overlay.vxlanid_list': String(4096 + i) } },
      ipam: { driver: { name: 'default' }, configs: [{ subnet: `10.${i}.0.0/24`, gateway: `10.${i}.0.1` }] },
    };
    this.networks.push(network);
    return network;
  }

  private addSecret(i: number): Obj {
    const secret: Obj = { id: this.random.id(), meta: this.meta(), spec: { annotations: { name: `app-secret-${i}` }, data: this.random.bytes(this.random.int(16, 256)) } };
    this.secrets.push(secret);
    return secret;
  }

  private addConfig(i: number): Obj {
    const body = `# generated config ${i}\nlisten: 0.0.0.0:${8000 + i}\nworkers: ${this.random.int(1, 16)}\nlog_level: info\n`;
    const config: Obj = { id: this.random.id(), meta: this.meta(), spec: { annotations: { name: `app-config-${i}` }, data: Buffer.from(body) } };
    this.configs.push(config);
    return config;
  }

  private image(name: string): string {
    return `registry.example.com/team/${name}:${this.random.int(1, 9)}.${this.random.int(0, 30)}.${this.random.int(0, 99)}@sha256:${this.random.hex(32)}`;
  }

  private addService(i: number): Obj {
    const r = this.random;
    const name = `stack${i % 5}_svc${i}`;
    const network = this.networks[1 + (i % Math.max(1, this.networks.length - 1))] ?? this.networks[0];
    const secret = r.pick(this.secrets);
    const config = r.pick(this.configs);
    const env = Array.from({ length: r.int(1, 6) }, (_, k) => `VAR_${k}=${r.id(r.int(4, 20))}`);
    const task: Obj = {
      container: {
        image: this.image(name), labels: { 'com.docker.stack.namespace': `stack${i % 5}` },
        args: ['--port', String(8000 + (i % 1000)), '--log-format', 'json'], env,
        mounts: r.chance(0.2) ? [{ type: 1, source: `${name}_data`, target: '/var/lib/data', volume_options: { labels: { 'com.docker.stack.namespace': `stack${i % 5}` } } }] : [],
        stop_grace_period: { seconds: 10 },
        secrets: secret && r.chance(0.5) ? [{ secret_id: secret.id, secret_name: (secret.spec as Obj & { annotations: Obj }).annotations.name, file: { name: 'app_secret', uid: '0', gid: '0', mode: 0o444 } }] : [],
        configs: config && r.chance(0.4) ? [{ config_id: config.id, config_name: (config.spec as Obj & { annotations: Obj }).annotations.name, file: { name: '/etc/app/config.yml', uid: '0', gid: '0', mode: 0o444 } }] : [],
        healthcheck: r.chance(0.3) ? { test: ['CMD-SHELL', `curl -fsS http://localhost:${8000 + (i % 1000)}/health || exit 1`], interval: { seconds: 30 }, timeout: { seconds: 5 }, retries: 3 } : undefined,
        dns_config: {},
      },
      resources: { limits: { nano_cpus: 5e8, memory_bytes: 512 * 1024 * 1024 }, reservations: { nano_cpus: 1e8, memory_bytes: 128 * 1024 * 1024 } },
      restart: { condition: 2, delay: { seconds: 5 }, max_attempts: 3, window: { seconds: 120 } },
      placement: { constraints: r.chance(0.5) ? ['node.role==worker'] : [], platforms: [{ architecture: 'amd64', os: 'linux' }] },
      log_driver: { name: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } },
      networks: [{ target: network.id, aliases: [`svc${i}`] }],
    };
    const replicas = r.int(this.size.replicas[0], this.size.replicas[1]);
    const ports = r.chance(0.2) ? [{ name: 'http', protocol: 0, target_port: 8080, published_port: 30000 + i, publish_mode: 0 }] : [];
    const service: Obj = {
      id: r.id(), meta: this.meta(),
      spec: {
        annotations: { name, labels: { 'com.docker.stack.namespace': `stack${i % 5}` } },
        task, replicated: { replicas },
        update: { parallelism: 1, delay: { seconds: 10 }, failure_action: 0, monitor: { seconds: 5 }, order: 0 },
        rollback: { parallelism: 1, failure_action: 0, monitor: { seconds: 5 }, order: 0 },
        endpoint: { mode: 0, ports },
      },
      spec_version: { index: u64(this.index) },
      endpoint: { spec: { mode: 0, ports }, ports, virtual_ips: [{ network_id: network.id, addr: `10.0.${i % 250}.${2 + (i % 200)}/24` }] },
    };
    this.services.push(service);
    this.serviceById.set(service.id as string, service);
    return service;
  }

  private addTask(service: Obj, slot: number): Obj {
    const spec = service.spec as Obj & { annotations: Obj; task: Obj };
    const node = this.random.pick(this.nodes);
    const network = this.networks.find((n) => n.id === ((spec.task.networks as Obj[])[0]?.target)) ?? this.networks[0];
    const task: Obj = {
      id: this.random.id(), meta: this.meta(), spec: spec.task, spec_version: service.spec_version,
      service_id: service.id, slot, node_id: node.id, annotations: {},
      service_annotations: spec.annotations,
      desired_state: TASK_STATE.RUNNING,
      networks: [{ network, addresses: [`10.0.${this.random.int(0, 255)}.${this.random.int(2, 254)}/24`] }],
      endpoint: { spec: {} },
    };
    task.status = this.taskStatus(TASK_STATE.NEW, task);
    this.tasks.set(task.id as string, task);
    this.livePosition.set(task, this.live.length);
    this.live.push(task);
    return task;
  }

  private taskStatus(state: number, task: Obj): Obj {
    const status: Obj = { timestamp: this.timestamp(), state, message: STATE_MESSAGES[state] ?? '' };
    if (state >= TASK_STATE.STARTING) {
      const previous = (task.status as Obj | undefined)?.container as Obj | undefined;
      status.container = previous ?? { container_id: this.random.hex(32), pid: this.random.int(100, 65000) };
      if (state === TASK_STATE.FAILED) {
        status.err = 'task: non-zero exit (1)';
        status.container = { ...(status.container as Obj), exit_code: 1, pid: 0 };
      }
    }
    if (state >= TASK_STATE.ASSIGNED) status.applied_by = this.managerNodeId;
    return status;
  }
}

/** PEM-looking text of `bytes` (sizes like real certificates and keys; the content is random). */
function pemLike(type: string, bytes: Uint8Array): string {
  const lines = Buffer.from(bytes).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

export type { Long };
