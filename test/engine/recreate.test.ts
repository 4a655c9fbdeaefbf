// Recovery on real engines (issue #16): a source swarm gets secrets, configs, networks, services made with
// many `docker service create` flags and two stacks from `docker stack deploy`; it is stopped and read
// with our reader (`swarm-raft recreate`); then (1) a fresh swarm deploys each generated Compose file with
// Docker 20.10's `docker stack deploy`, (2) a second fresh swarm gets `swarm-raft restore --apply`. Both
// are read back (Engine API; secret data with our reader on their stopped state) and compared, field by
// field, with the source as its own dockerd (started again on its state) reports it, ids compared by
// name: identical for restore, identical except the fields report.json lists for Compose.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Docker from 'dockerode';
import { loadFastSecretbox } from '../../src/core/crypto/secretbox';
import { recoveryKitAt, type ReportEntry } from '../../src/core/recreate';
import { networkComparable } from '../../src/core/recreate/kit';
import { comparableService, comparableSpec, specDifferences, withServiceDefaults, type FieldDifference } from '../../src/core/recreate/specCompare';
import type { JsonObject } from '../../src/core/recreate/values';
import { SwarmState } from '../../src/core/state/swarmState';
import { engineSkipReason, run, withSandbox, type Dockerd } from '../support/dockerd';
import { repoRoot } from '../support/fixtures';

const CLI = join(repoRoot, 'dist', 'cli.js');
const IMAGE = 'srx/busybox:1';
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const STACK_APP = `version: "3.8"
services:
  web:
    image: ${IMAGE}
    command: ["sh", "-c", "sleep 1000"]
    environment: [B=2, A=1]
    labels: {tier: front}
    hostname: "web-{{.Task.Slot}}"
    stop_grace_period: 3s
    networks:
      front: {aliases: [www]}
      shared: {}
    ports: ["8080:80", {target: 443, published: 8443, mode: host}]
    secrets: [app_token, {source: shared_pw, target: /run/pw.txt, mode: 0400}]
    configs: [{source: app_conf, target: /etc/app.conf}]
    healthcheck: {test: ["CMD", "true"], interval: 10s, timeout: 2s, retries: 2, start_period: 1s}
    deploy:
      replicas: 2
      labels: {owner: team-a}
      resources: {limits: {cpus: "0.5", memory: 64M}, reservations: {memory: 16M}}
      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 30s}
      update_config: {parallelism: 1, delay: 10s, failure_action: rollback, monitor: 5s, order: start-first}
      placement: {constraints: [node.role==manager], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}
  worker:
    image: ${IMAGE}
    command: ["sh", "-c", "sleep 1000"]
    networks: [front]
    deploy: {mode: global}
networks:
  front: {driver: overlay, attachable: true, labels: {net: front}, driver_opts: {com.docker.network.driver.mtu: "1400"}}
  shared: {external: true}
secrets:
  app_token: {file: ./token.txt}
  shared_pw: {external: true}
configs:
  app_conf: {file: ./app.conf, template_driver: golang}
`;

const STACK_API = `version: "3.8"
services:
  api:
    image: ${IMAGE}
    entrypoint: ["sh", "-c"]
    command: ["sleep 1000"]
    user: "0"
    working_dir: /tmp
    init: true
    read_only: true
    stop_signal: SIGINT
    cap_add: [NET_ADMIN]
    cap_drop: [MKNOD]
    sysctls: {net.core.somaxconn: "1024"}
    dns: [10.0.0.53]
    dns_search: [example.org]
    extra_hosts: ["db.local:10.1.2.3"]
    volumes:
      - {type: volume, source: data, target: /data}
      - {type: tmpfs, target: /scratch, tmpfs: {size: 1048576}}
      - {type: bind, source: /tmp, target: /host, read_only: true}
    logging: {driver: json-file, options: {max-size: 1m}}
    networks: {backend: {}}
    deploy:
      endpoint_mode: dnsrr
      rollback_config: {parallelism: 2, failure_action: continue}
networks:
  backend: {ipam: {config: [{subnet: 10.77.0.0/24}]}, internal: true}
volumes:
  data: {labels: {keep: "yes"}}
`;

async function makeSource(d: Dockerd, dir: string, nodeId: string): Promise<void> {
  await d.importImage();
  await d.docker(['node', 'update', '--label-add', 'zone=a', '--label-add', 'rack=r1', nodeId]);
  await d.docker(['swarm', 'update', '--task-history-limit', '7', '--snapshot-interval', '5000', '--dispatcher-heartbeat', '7s', '--cert-expiry', '1000h']);
  await d.docker(['network', 'create', '--driver', 'overlay', '--attachable', '--label', 'purpose=shared', 'shared']);
  await d.docker(['network', 'create', '--driver', 'overlay', '--opt', 'encrypted', '--internal', '--subnet', '10.66.0.0/24', 'secure']);
  await d.docker(['secret', 'create', '--label', 'env=test', 'shared_pw', '-'], { input: 'hunter2\n' });
  writeFileSync(join(dir, 'binary.bin'), BINARY);
  await d.docker(['secret', 'create', 'binary', join(dir, 'binary.bin')]);
  await d.docker(['secret', 'create', '--template-driver', 'golang', 'tmpl_secret', '-'], { input: 'svc={{ .Service.Name }}\n' });
  await d.docker(['config', 'create', '--label', 'app=cfg', 'plain_conf', '-'], { input: 'key = value\n' });
  await d.docker(['service', 'create', '--detach', '--no-resolve-image', '--name', 'many', '--replicas', '3',
    '--env', 'Z=26', '--env', 'A=1', '--env', 'EMPTY=', '--label', 'svc=many', '--container-label', 'c=1',
    '--hostname', 'h-{{.Task.Slot}}', '--workdir', '/tmp', '--user', '0:0', '--group', '10', '--init', '--stop-signal', 'SIGUSR1', '--stop-grace-period', '7s',
    '--read-only', '--cap-add', 'NET_ADMIN', '--cap-drop', 'CHOWN', '--sysctl', 'net.ipv4.ip_forward=1',
    '--mount', 'type=tmpfs,dst=/scratch,tmpfs-size=1048576,tmpfs-mode=1770', '--mount', 'type=volume,src=many_data,dst=/data,volume-label=v=1,volume-nocopy',
    '--mount', 'type=bind,src=/tmp,dst=/host,readonly,bind-propagation=rslave',
    '--publish', 'published=18080,target=80', '--publish', 'mode=host,published=18443,target=443,protocol=udp',
    '--network', 'name=shared,alias=many-alias', '--network', 'secure',
    '--secret', 'source=shared_pw,target=/run/pw,uid=1,gid=2,mode=0400', '--secret', 'binary', '--secret', 'tmpl_secret',
    '--config', 'source=plain_conf,target=/etc/plain.conf,mode=0440',
    '--health-cmd', 'true', '--health-interval', '5s', '--health-timeout', '2s', '--health-retries', '3', '--health-start-period', '1s',
    '--constraint', 'node.role==manager', '--placement-pref', 'spread=node.labels.zone', '--replicas-max-per-node', '2',
    '--limit-cpu', '0.25', '--limit-memory', '64M', '--reserve-cpu', '0.1', '--reserve-memory', '16M', '--limit-pids', '100',
    '--restart-condition', 'on-failure', '--restart-delay', '3s', '--restart-max-attempts', '4', '--restart-window', '30s',
    '--update-parallelism', '2', '--update-delay', '4s', '--update-failure-action', 'rollback', '--update-monitor', '6s', '--update-max-failure-ratio', '0.25', '--update-order', 'start-first',
    '--rollback-parallelism', '1', '--rollback-delay', '1s', '--rollback-failure-action', 'continue', '--rollback-monitor', '2s', '--rollback-order', 'stop-first',
    '--log-driver', 'json-file', '--log-opt', 'max-size=1m', '--dns', '10.0.0.2', '--dns-search', 'example.com', '--dns-option', 'ndots:2',
    '--host', 'myhost:10.0.0.5', '--endpoint-mode', 'vip', '--stop-grace-period', '7s',
    IMAGE, 'sh', '-c', 'sleep 1000']);
  await d.docker(['service', 'create', '--detach', '--no-resolve-image', '--name', 'global-agent', '--mode', 'global', '--entrypoint', 'sh', IMAGE, '-c', 'sleep 1000']);
  writeFileSync(join(dir, 'token.txt'), 'tok-123');
  writeFileSync(join(dir, 'app.conf'), 'name={{ .Service.Name }}\n');
  writeFileSync(join(dir, 'app.yml'), STACK_APP);
  writeFileSync(join(dir, 'api.yml'), STACK_API);
  await d.docker(['stack', 'deploy', '-c', join(dir, 'app.yml'), 'app']);
  await d.docker(['stack', 'deploy', '-c', join(dir, 'api.yml'), 'api']);
}

interface Snapshot {
  services: Map<string, JsonObject>;
  networks: Map<string, JsonObject>;
  secrets: Map<string, JsonObject>;
  configs: Map<string, JsonObject>;
}

/** A swarm as its engine reports it, services with ids turned into names and SwarmKit's defaults in. */
async function readBack(d: Dockerd): Promise<Snapshot> {
  const docker = new Docker({ socketPath: d.socket });
  const networks = (await docker.listNetworks()) as unknown as JsonObject[];
  const configs = (await docker.listConfigs()) as unknown as { ID: string; Spec: JsonObject }[];
  const netName = new Map(networks.map((n) => [n.Id as string, n.Name as string]));
  const cfgName = new Map(configs.map((c) => [c.ID, c.Spec.Name as string]));
  const services = (await docker.listServices()) as unknown as { Spec: JsonObject }[];
  const swarmNets = networks.filter((n) => n.Scope === 'swarm' && !n.Ingress);
  return {
    services: new Map(services.map((s) => [s.Spec.Name as string, comparableService(withServiceDefaults(s.Spec), { network: (id) => netName.get(id), config: (id) => cfgName.get(id) })])),
    networks: new Map(swarmNets.map((n) => [n.Name as string, n])),
    secrets: new Map(((await docker.listSecrets()) as unknown as { Spec: JsonObject }[]).map((s) => [s.Spec.Name as string, comparableSpec(s.Spec)])),
    configs: new Map(configs.map((c) => [c.Spec.Name as string, comparableSpec(c.Spec)])),
  };
}

/** What a network was asked to be: the engine's report without what it allocated (VXLAN id, chosen subnets). */
function networkAsked(n: JsonObject, subnetsAsked: boolean): JsonObject {
  const options = { ...(n.Options as JsonObject | null) };
  delete options['com.docker.network.driver.overlay.vxlanid_list'];
  const ipam = n.IPAM as { Driver?: string; Config?: { Subnet?: string }[] } | undefined;
  return networkComparable({
    Name: n.Name ?? '', Driver: n.Driver ?? '', Labels: n.Labels ?? {}, Options: options, Internal: n.Internal ?? false, Attachable: n.Attachable ?? false, EnableIPv6: n.EnableIPv6 ?? false,
    ...(subnetsAsked ? { IPAM: { Config: (ipam?.Config ?? []).map((c) => ({ Subnet: c.Subnet ?? '' })) } } : {}),
  });
}

/** Secret data as stored, read with our own reader from a stopped swarm. */
async function secretData(d: Dockerd): Promise<Map<string, string>> {
  const state = SwarmState.open(d.swarmDir);
  try {
    const { kit } = recoveryKitAt(state);
    return new Map(kit.engine.secrets.map((s) => [s.Spec.Name as string, s.Spec.Data as string]));
  } finally {
    state.close();
  }
}

function covered(diff: FieldDifference[], reported: FieldDifference[]): FieldDifference[] {
  return diff.filter((d) => !reported.some((r) => d.path === r.path || d.path.startsWith(`${r.path}.`) || r.path.startsWith(`${d.path}.`)));
}

test('recreate + stack deploy and restore --apply rebuild the source swarm in fresh swarms', { skip: engineSkipReason(), timeout: 600_000 }, async () => {
  await loadFastSecretbox();
  await withSandbox('recreate', async (sb) => {
    const src = await sb.startDaemon('src');
    const { nodeId } = await src.init();
    await makeSource(src, sb.dir, nodeId);
    await src.stop();

    // The kit, read from the stopped source's state by the CLI.
    const kitDir = join(sb.dir, 'kit');
    const made = await run(process.execPath, [CLI, '-d', src.swarmDir, 'recreate', '-o', kitDir]);
    assert.equal(made.rc, 0, made.stderr);
    const report = JSON.parse(readFileSync(join(kitDir, 'report.json'), 'utf8')) as ReportEntry[];
    const composeFiles = ['services.compose.yml', 'stack-api.compose.yml', 'stack-app.compose.yml'];

    // The source as its own dockerd reports it.
    await src.start();
    await src.waitReady();
    const source = await readBack(src);
    await src.stop();
    const sourceData = await secretData(src);
    assert.equal(sourceData.get('binary'), BINARY.toString('base64'));
    assert.equal(source.services.size, 5, `services: ${[...source.services.keys()].join(', ')}`);

    // (2) restore --apply into a fresh swarm.
    const t2 = await sb.startDaemon('restore');
    const notSwarm = await run(process.execPath, [CLI, 'restore', kitDir, '--docker-host', t2.host, '--apply']);
    assert.equal(notSwarm.rc, 1);
    assert.match(notSwarm.stderr, /is not part of a swarm .*docker swarm init/);
    assert.match(notSwarm.stdout, /^skip\s+service\s+many$/m, 'the plan is still listed');
    assert.match(notSwarm.stdout, /Nothing was applied/);
    await t2.init();
    const plan = await run(process.execPath, [CLI, 'restore', kitDir, '--docker-host', t2.host]);
    assert.equal(plan.rc, 0, plan.stderr);
    assert.match(plan.stdout, /^create\s+service\s+many$/m);
    const applied = await run(process.execPath, [CLI, 'restore', kitDir, '--docker-host', t2.host, '--apply']);
    assert.equal(applied.rc, 0, `${applied.stdout}\n${applied.stderr}`);
    assert.doesNotMatch(applied.stdout, /did not keep|failed/);
    // Node labels by hostname (the sandboxes share one); swarm settings only with --cluster-settings.
    assert.match(applied.stdout, /^update\s+node\s+\S+\s+-> applied: labels and availability set$/m);
    assert.match(applied.stdout, /^update\s+cluster\s+swarm settings\s+-> skipped: swarm settings differ: not applied without --cluster-settings$/m);
    const t2docker = new Docker({ socketPath: t2.socket });
    assert.deepEqual((await t2docker.listNodes())[0].Spec?.Labels, { zone: 'a', rack: 'r1' });
    const settings = await run(process.execPath, [CLI, 'restore', kitDir, '--docker-host', t2.host, '--apply', '--cluster-settings']);
    assert.equal(settings.rc, 0, settings.stdout);
    assert.match(settings.stdout, /^update\s+cluster\s+swarm settings\s+-> applied: updated$/m);
    const spec = ((await t2docker.swarmInspect()) as { Spec: { Orchestration: JsonObject; Raft: JsonObject; Dispatcher: JsonObject; CAConfig: JsonObject } }).Spec;
    assert.equal(spec.Orchestration.TaskHistoryRetentionLimit, 7);
    assert.equal(spec.Raft.SnapshotInterval, 5000);
    assert.equal(spec.Dispatcher.HeartbeatPeriod, 7_000_000_000);
    assert.equal(spec.CAConfig.NodeCertExpiry, 1000 * 3_600_000_000_000);
    const again = await run(process.execPath, [CLI, 'restore', kitDir, '--docker-host', t2.host]);
    assert.doesNotMatch(again.stdout, /^update\s/m, 'node and swarm settings now identical too');
    assert.doesNotMatch(again.stdout, /^(create|conflict)\s/m, 'a second plan finds everything identical');
    const restored = await readBack(t2);
    // A name taken by something else is a conflict, left alone, with the differing field named.
    await t2.docker(['service', 'update', '--detach', '--env-add', 'CHANGED=1', 'many']);
    const conflict = await run(process.execPath, [CLI, 'restore', kitDir, '--docker-host', t2.host, '--apply']);
    assert.match(conflict.stdout, /^conflict\s+service\s+many\s+-> skipped: exists and differs: left as it is$/m);
    assert.match(conflict.stdout, /TaskTemplate\.ContainerSpec\.Env: kit/);
    assert.equal((await t2.docker(['service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', 'many'])).out.includes('CHANGED=1'), true, 'not overwritten');
    for (const [name, spec] of source.services) {
      assert.deepEqual(specDifferences(spec, restored.services.get(name)), [], `restored service ${name}`);
    }
    for (const [name, spec] of source.configs) assert.deepEqual(specDifferences(spec, restored.configs.get(name)), [], `restored config ${name}`);
    for (const [name, spec] of source.secrets) assert.deepEqual(specDifferences(spec, restored.secrets.get(name)), [], `restored secret ${name}`);
    for (const [name, n] of source.networks) {
      const asked = !!(n.IPAM as { Config?: unknown[] }).Config && ['secure', 'api_backend'].includes(name);
      assert.deepEqual(specDifferences(networkAsked(n, asked), restored.networks.has(name) ? networkAsked(restored.networks.get(name)!, asked) : undefined), [], `restored network ${name}`);
    }
    await t2.stop();
    assert.deepEqual(await secretData(t2), sourceData, 'restored secret data');

    // (1) the Compose files, deployed with Docker 20.10's docker stack deploy in another fresh swarm.
    const t1 = await sb.startDaemon('compose');
    await t1.init();
    for (const f of composeFiles) {
      const stack = f === 'services.compose.yml' ? 'recovered' : f.replace(/^stack-(.*)\.compose\.yml$/, '$1');
      await t1.docker(['stack', 'deploy', '-c', join(kitDir, f), stack]);
    }
    const composed = await readBack(t1);
    const reportedOf = (kind: string, name: string) => report.find((e) => e.kind === kind && e.name === name);
    for (const [name, spec] of source.services) {
      const stack = (spec.Labels as JsonObject | undefined)?.['com.docker.stack.namespace'];
      const deployed = composed.services.get(stack ? name : `recovered_${name}`);
      assert.ok(deployed, `compose service for ${name}`);
      const diff = specDifferences(spec, deployed);
      assert.deepEqual(covered(diff, reportedOf('service', name)?.differences ?? []), [], `compose service ${name}: every difference is in the report`);
      if (stack) assert.deepEqual(diff, [], `stack service ${name} comes back from its Compose file unchanged`);
      else assert.ok(diff.some((x) => x.path === 'Labels' || x.path === 'Labels.com.docker.stack.namespace'), `${name} joins the stack it is deployed as, as reported`);
    }
    for (const [name, spec] of source.configs) {
      const diff = specDifferences(spec, composed.configs.get(name));
      assert.deepEqual(covered(diff, reportedOf('config', name)?.differences ?? []), [], `compose config ${name}`);
    }
    for (const [name, spec] of source.secrets) {
      const entry = reportedOf('secret', name);
      const diff = specDifferences(spec, composed.secrets.get(name));
      if (!composed.secrets.has(name)) assert.ok(entry?.notes.length, `secret ${name} not made by the deploy: the report says so`);
      else assert.deepEqual(covered(diff, entry?.differences ?? []), [], `compose secret ${name}`);
    }
    for (const [name, n] of source.networks) {
      const entry = reportedOf('network', name);
      if (!composed.networks.has(name)) {
        assert.ok(entry?.notes.some((x) => /does not create it/.test(x)), `network ${name} not made by the deploy: the report says so`);
        continue;
      }
      const diff = specDifferences(networkAsked(n, name === 'api_backend'), networkAsked(composed.networks.get(name)!, name === 'api_backend'));
      assert.deepEqual(covered(diff, entry?.differences ?? []), [], `compose network ${name}`);
    }
    await t1.stop();
    const composedData = await secretData(t1);
    for (const [name, data] of sourceData) if (composedData.has(name)) assert.equal(composedData.get(name), data, `compose secret data ${name}`);
  });
});
