// The reference's --redact rules, applied to copies (the decoded input is never modified):
// - secret spec data -> "SECRET REDACTED", config spec data -> "CONFIG REDACTED";
// - the container of a task's spec and of a service's task template: env -> ["ENVVARS REDACTED"]
//   (even when it had none), pull_options.registry_auth -> "REDACTED" when pull_options is present;
// - cluster: unlock_keys and network_bootstrap_keys emptied, root_ca and spec.ca_config reset to
//   empty (both are embedded by value, so they still print as empty blocks).
// dump-wal applies them to each StoreAction's object, dump-snapshot to the store's objects.
// Nodes, networks, resources, extensions, volumes and a service's previous_spec are left alone, as
// by the reference.
import type { Message } from 'protobufjs/light';
import { WireRedaction, type WireRule } from './wireText';

type Fields = Record<string, unknown>;

const utf8 = new TextEncoder();
const bytes = (text: string): Uint8Array => utf8.encode(text);

/** A shallow copy keeping the prototype (so $type, defaults and oneof getters still work). */
function copy<T>(msg: T | null | undefined, patch: Fields = {}): T {
  const source = (msg ?? {}) as Fields;
  return Object.assign(Object.create(Object.getPrototypeOf(source)) as Fields, source, patch) as T;
}

const field = (msg: unknown, name: string): Fields | undefined => ((msg as Fields | null | undefined)?.[name] ?? undefined) as Fields | undefined;

export function redactSecret(secret: Message): Message {
  return copy(secret, { spec: copy(field(secret, 'spec'), { data: bytes('SECRET REDACTED') }) });
}

export function redactConfig(config: Message): Message {
  return copy(config, { spec: copy(field(config, 'spec'), { data: bytes('CONFIG REDACTED') }) });
}

export function redactCluster(cluster: Message): Message {
  const spec = field(cluster, 'spec');
  return copy(cluster, {
    unlock_keys: [],
    network_bootstrap_keys: [],
    root_ca: null,
    spec: copy(spec, { ca_config: null }),
  });
}

/** A TaskSpec whose runtime is a container gets its env and registry auth redacted. */
function redactTaskSpec(taskSpec: Fields | undefined): Fields | undefined {
  const container = field(taskSpec, 'container');
  if (!taskSpec || !container || !isSetRuntime(taskSpec)) return taskSpec;
  const pullOptions = field(container, 'pull_options');
  const patch: Fields = { env: ['ENVVARS REDACTED'] };
  if (pullOptions) patch.pull_options = copy(pullOptions, { registry_auth: 'REDACTED' });
  return copy(taskSpec, { container: copy(container, patch) });
}

/** Whether `container` is the member the runtime oneof holds (Go's GetContainer() != nil). */
function isSetRuntime(taskSpec: Fields): boolean {
  const runtime = taskSpec.runtime;
  return typeof runtime === 'string' ? runtime === 'container' : true;
}

export function redactTask(task: Message): Message {
  const spec = field(task, 'spec');
  const redacted = redactTaskSpec(spec);
  return redacted === spec ? task : copy(task, { spec: redacted });
}

export function redactService(service: Message): Message {
  const spec = field(service, 'spec');
  const taskSpec = field(spec, 'task');
  const redacted = redactTaskSpec(taskSpec);
  return redacted === taskSpec ? service : copy(service, { spec: copy(spec, { task: redacted }) });
}

const redactors: Record<string, (m: Message) => Message> = {
  cluster: redactCluster,
  secret: redactSecret,
  config: redactConfig,
  task: redactTask,
  service: redactService,
};

/** An InternalRaftRequest with every store action's object redacted. */
export function redactRequest(request: Message): Message {
  const actions = ((request as unknown as Fields).action ?? []) as Message[];
  return copy(request, { action: actions.map(redactStoreAction) });
}

export function redactStoreAction(action: Message): Message {
  const a = action as unknown as Fields;
  for (const [kind, redact] of Object.entries(redactors)) {
    const target = a[kind];
    // The oneof getter names the member actually held; plain objects fall back to presence.
    if (target != null && (typeof a.target !== 'string' || a.target === kind)) return copy(action, { [kind]: redact(target as Message) });
  }
  return action;
}

const snapshotRedactors: [string, (m: Message) => Message][] = [
  ['clusters', redactCluster],
  ['secrets', redactSecret],
  ['configs', redactConfig],
  ['tasks', redactTask],
  ['services', redactService],
];

/** A StoreSnapshot with its clusters, secrets, configs, tasks and services redacted. */
export function redactStoreSnapshot(store: Message): Message {
  const s = store as unknown as Fields;
  const patch: Fields = {};
  for (const [name, redact] of snapshotRedactors) {
    const list = s[name] as (Message | null)[] | undefined;
    if (list && list.length > 0) patch[name] = list.map((o) => (o ? redact(o) : o));
  }
  return copy(store, patch);
}

/**
 * The same rules for the wire printer (src/core/text/wireText.ts), on the bytes of an
 * InternalRaftRequest or a StoreSnapshot; test/unit/text.wire.test.ts holds its text to
 * formatMessage(redactRequest(decoded)) and formatMessage(redactStoreSnapshot(decoded)). Where the copy
 * above creates a message the bytes lack (a secret, config or cluster without a spec), the entry goes
 * the object way.
 */
const wireTaskSpec = new WireRedaction({
  // Present on the wire means it is the runtime the oneof holds (two members send the entry the object way).
  container: {
    nested: new WireRedaction({
      env: { text: 'ENVVARS REDACTED' },
      pull_options: { nested: new WireRedaction({ registry_auth: { text: 'REDACTED' } }), absent: 'plain' },
    }),
    absent: 'plain',
  },
});

const nested = (rules: Record<string, WireRule>, absent: 'plain' | 'object' = 'plain'): WireRule => ({ nested: new WireRedaction(rules), absent });

/** Per object kind, as redactSecret, redactConfig, redactCluster, redactTask and redactService. */
const wireObjects = {
  secret: nested({ spec: nested({ data: { text: 'SECRET REDACTED' } }, 'object') }),
  config: nested({ spec: nested({ data: { text: 'CONFIG REDACTED' } }, 'object') }),
  cluster: nested({ unlock_keys: { drop: true }, network_bootstrap_keys: { drop: true }, root_ca: { drop: true }, spec: nested({ ca_config: { drop: true } }, 'object') }),
  task: nested({ spec: { nested: wireTaskSpec, absent: 'plain' } }),
  service: nested({ spec: nested({ task: { nested: wireTaskSpec, absent: 'plain' } }) }),
};

/** redactRequest for the wire printer, on an InternalRaftRequest. */
export const wireRequestRedaction = new WireRedaction({ action: nested(wireObjects) });

/** redactStoreSnapshot for the wire printer, on a StoreSnapshot. */
export const wireStoreRedaction = new WireRedaction({
  clusters: wireObjects.cluster, secrets: wireObjects.secret, configs: wireObjects.config, tasks: wireObjects.task, services: wireObjects.service,
});
