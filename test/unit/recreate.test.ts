// Recovery kit (issue #16) on real state: the Engine API form against what dockerd itself reported for
// the same swarm (the generated `objects` case records `docker service inspect` etc.), secret and config
// data against the generators' manifests, the Compose files against the model of `docker stack deploy`
// (every difference is in the report, and the report holds nothing else), and the kit on disk.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadFastSecretbox } from '../../src/core/crypto/secretbox';
import { recoveryKitAt, writeRecoveryKit, type RecoveryKit } from '../../src/core/recreate';
import { goDuration, parseGoDuration, cpusText, parseCpus } from '../../src/core/recreate/composeValues';
import { comparableService, comparableSpec, specDifferences, withServiceDefaults } from '../../src/core/recreate/specCompare';
import { stackDeploy } from '../../src/core/recreate/stackDeploy';
import { SERVICES_STACK } from '../../src/core/recreate/kit';
import { applyRestore, withCurrentVersion, type RestorePlan } from '../../src/core/recreate/restore';
import type { RestoreTarget, TargetObject } from '../../src/core/recreate/target';
import type { JsonObject } from '../../src/core/recreate/values';
import { SwarmState } from '../../src/core/state/swarmState';
import { runCli } from '../support/cli';
import { corpusCase, generatedCase } from '../support/fixtures';

interface Value { kind: string; name: string; base64: string; removed?: boolean }

function open(dir: string, manifest: { unlock_keys?: { current?: string | null } }): SwarmState {
  return SwarmState.open(join(dir, 'swarm'), { unlockKey: manifest.unlock_keys?.current ?? undefined });
}

function manifestOf(dir: string) {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}

/** Every Compose file read back as `docker stack deploy` would, against the source and the report. */
function checkComposeAgainstReport(kit: RecoveryKit): number {
  let compared = 0;
  const netName = new Map(kit.engine.networks.map((n) => [n.ID, n.Spec.Name as string]));
  const cfgName = new Map(kit.engine.configs.map((n) => [n.ID, n.Spec.Name as string]));
  for (const file of kit.compose) {
    const model = parse(file.text, { version: '1.1' }) as Record<string, unknown>;
    const stack = file.stack ?? SERVICES_STACK;
    const deployed = stackDeploy(model, stack, (path) => {
      const f = kit.files.find((x) => `./${x.path}` === path);
      assert.ok(f, `${file.name} points to ${path}, which the kit holds`);
      return Buffer.from(f.data).toString('base64');
    });
    for (const [key] of Object.entries(model.services as object)) {
      const after = deployed.services.get(`${stack}_${key}`)!;
      const source = kit.engine.services.find((s) => s.Spec.Name === (file.stack ? `${file.stack}_${key}` : key))!;
      assert.ok(source, `${file.name}: service ${key} comes from the source`);
      const diff = specDifferences(comparableService(source.Spec, { network: (id) => netName.get(id), config: (id) => cfgName.get(id) }), comparableService(after, { network: (n) => n, config: (n) => n }));
      const reported = kit.report.find((e) => e.kind === 'service' && e.name === source.Spec.Name);
      assert.deepEqual(reported?.differences ?? [], diff, `${source.Spec.Name}: the report lists exactly what the deploy changes`);
      compared++;
    }
  }
  return compared;
}

describe('recreate: the Engine API form against dockerd (generated objects case)', async () => {
  await loadFastSecretbox();
  const dir = generatedCase('objects');
  const manifest = manifestOf(dir);
  const state = open(dir, manifest);
  after(() => state.close());
  const { kit } = recoveryKitAt(state);
  const listed = manifest.objects.m1;

  it('every service spec equals the Spec `docker service inspect` reported (which inserts SwarmKit defaults)', () => {
    assert.equal(kit.engine.services.length, listed.services.length);
    const same = { network: () => undefined, config: () => undefined };
    for (const inspected of listed.services as { ID: string; Spec: JsonObject }[]) {
      const ours = kit.engine.services.find((s) => s.ID === inspected.ID);
      assert.ok(ours, `service ${inspected.Spec.Name} is in the kit`);
      assert.deepEqual(specDifferences(comparableService(inspected.Spec, same), comparableService(withServiceDefaults(ours.Spec), same)), [], `${inspected.Spec.Name}`);
      // Presence the API keeps: Init false, the empty DNSConfig, Placement and Resources objects.
      assert.deepEqual(Object.keys(withServiceDefaults(ours.Spec).TaskTemplate as object).sort(), Object.keys(inspected.Spec.TaskTemplate as object).filter((k) => k !== 'ForceUpdate').sort());
    }
  });

  it('secrets and configs: names and labels as inspected, data as the manifest recorded', () => {
    for (const [kind, list] of [['secret', kit.engine.secrets], ['config', kit.engine.configs]] as const) {
      for (const inspected of listed[`${kind}s`] as { ID: string; Spec: JsonObject }[]) {
        const ours = list.find((o) => o.ID === inspected.ID)!;
        assert.equal(ours.Spec.Name, inspected.Spec.Name);
        assert.deepEqual(ours.Spec.Labels ?? {}, inspected.Spec.Labels ?? {});
      }
    }
    const values = (manifest.values as Value[]).filter((v) => !v.removed && (v.kind === 'secret' || v.kind === 'config'));
    assert.ok(values.length > 5);
    for (const v of values) {
      const o = (v.kind === 'secret' ? kit.engine.secrets : kit.engine.configs).find((x) => x.Spec.Name === v.name);
      if (!o) continue; // removed later in the scenario
      assert.equal(o.Spec.Data, v.base64, `${v.kind} ${v.name}`);
      const file = kit.files.find((f) => f.path.startsWith(`${v.kind}s/`) && Buffer.from(f.data).toString('base64') === v.base64);
      assert.ok(file, `${v.kind} ${v.name} has its data file`);
    }
  });

  it('networks: what the user asked (name, driver, labels, attachable, options) as inspected; predefined ones left out', () => {
    const inspectedSwarm = (listed.networks as JsonObject[]).filter((n) => n.Scope === 'swarm' && !(n.Labels as JsonObject | null)?.['com.docker.swarm.predefined']);
    for (const n of inspectedSwarm) {
      const ours = kit.engine.networks.find((o) => o.ID === n.Id);
      assert.ok(ours, `network ${n.Name}`);
      for (const k of ['Name', 'Attachable', 'Internal', 'Ingress', 'EnableIPv6']) assert.equal(ours.Spec[k] ?? false, n[k] ?? false, `${n.Name}.${k}`);
      assert.deepEqual(ours.Spec.Labels ?? {}, n.Labels ?? {});
    }
    assert.ok(kit.engine.networks.every((n) => (n.Spec.Labels as JsonObject | undefined)?.['com.docker.swarm.predefined'] === undefined));
  });

  it('the Compose files: what the deploy would change is exactly the report', () => {
    assert.ok(checkComposeAgainstReport(kit) >= 3);
  });
});

describe('recreate: newer fields (v2-mixed: jobs, ulimits, capabilities, cluster volumes, autolock)', async () => {
  await loadFastSecretbox();
  const dir = corpusCase('v2-mixed');
  const manifest = manifestOf(dir);
  const state = open(dir, manifest);
  after(() => state.close());
  const { kit } = recoveryKitAt(state);
  const service = (name: string) => kit.engine.services.find((s) => s.Spec.Name === name)!.Spec as JsonObject & { TaskTemplate: JsonObject & { ContainerSpec: JsonObject } };

  it('Engine API form: job modes, container fields of API 1.41+, resources with pids', () => {
    // As SwarmKit v2's dump-object prints it (expected/swarm/dump-object-service.txt): after the rerun.
    assert.deepEqual(service('nightly-migrate').Mode, { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 2 } });
    assert.deepEqual(service('node-prune').Mode, { GlobalJob: {} });
    const api = service('ledger-api');
    const c = api.TaskTemplate.ContainerSpec;
    assert.ok((c.Ulimits as JsonObject[]).some((u) => u.Name === 'nofile'));
    assert.equal(c.OomScoreAdj, 100);
    assert.ok((c.CapabilityAdd as string[]).length && (c.CapabilityDrop as string[]).length && Object.keys(c.Sysctls as object).length);
    assert.ok((c.Healthcheck as JsonObject).StartInterval);
    assert.ok((api.TaskTemplate.Resources as JsonObject & { Limits: JsonObject }).Limits.Pids);
    assert.ok((c.Mounts as JsonObject[]).some((m) => m.Type === 'cluster'));
  });

  it('cluster volumes and swarm settings as the scenario set them', () => {
    assert.deepEqual(kit.engine.volumes.map((v) => v.Spec.Name).sort(), ['archive-ro', 'ledger-store', 'ledger-store-b', 'scratch-raw']);
    const store = kit.engine.volumes.find((v) => v.Spec.Name === 'ledger-store')!.Spec.ClusterVolumeSpec as JsonObject;
    assert.deepEqual((store.AccessMode as JsonObject).Scope, 'multi');
    assert.equal(kit.engine.volumes.find((v) => v.Spec.Name === 'archive-ro')!.Spec.ClusterVolumeSpec && ((kit.engine.volumes.find((v) => v.Spec.Name === 'archive-ro')!.Spec.ClusterVolumeSpec as JsonObject).Availability), 'pause');
    const c = kit.engine.cluster as Record<string, Record<string, unknown>>;
    assert.equal(c.Raft.SnapshotInterval, 10000);
    assert.equal(c.Raft.KeepOldSnapshots, 2);
    assert.equal(c.Orchestration.TaskHistoryRetentionLimit, 2);
    assert.equal(c.Dispatcher.HeartbeatPeriod, 9_000_000_000);
    assert.equal(c.CAConfig.NodeCertExpiry, 1000 * 3_600_000_000_000);
    assert.deepEqual(c.TaskDefaults, { LogDriver: { Name: 'local', Options: { 'max-size': '5m' } } });
    assert.equal(c.EncryptionConfig.AutoLockManagers, true);
  });

  it('Compose: the fields Compose has are written; job modes, pids (version 3.9); the rest is reported', () => {
    const file = kit.compose.find((f) => f.stack === undefined)!;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed YAML document, probed field by field
    type Doc = Record<string, any>;
    const model = parse(file.text, { version: '1.1' }) as { version: string; services: Record<string, Doc>; secrets: Doc; configs: Doc };
    assert.equal(model.version, '3.9');
    const api = model.services['ledger-api'];
    assert.ok(api.ulimits.nofile && api.cap_add.length && api.cap_drop.length && api.sysctls && api.healthcheck.start_period);
    assert.equal(api.deploy.resources.limits.pids > 0, true);
    assert.ok(!api.volumes.some((v: { type: string }) => v.type === 'cluster'));
    assert.equal(model.services['nightly-migrate'].deploy.mode, 'replicated-job');
    assert.equal(model.services['node-prune'].deploy.mode, 'global-job');
    assert.equal(model.secrets['slot-tmpl'].template_driver, 'golang');
    assert.equal(model.configs['proxy.tmpl'].template_driver, 'golang');
    const reported = kit.report.find((e) => e.name === 'ledger-api')!.differences.map((d) => d.path);
    for (const p of ['TaskTemplate.ContainerSpec.OomScoreAdj', 'TaskTemplate.ContainerSpec.Healthcheck.StartInterval', 'TaskTemplate.ContainerSpec.Mounts']) assert.ok(reported.includes(p), p);
    assert.ok(kit.report.some((e) => e.kind === 'volume' && e.name === 'ledger-store'));
    assert.ok(kit.report.some((e) => e.kind === 'cluster'));
    assert.ok(checkComposeAgainstReport(kit) >= 5);
  });

  it('--at: the state before the post-lock phase has no post_lock_token', () => {
    const secretCreate = manifest.values.find((v: Value) => v.name === 'post_lock_token');
    assert.ok(secretCreate);
    const { kit: earlier, index } = recoveryKitAt(state, 60n);
    assert.equal(index, 60n);
    assert.ok(!earlier.engine.secrets.some((s) => s.Spec.Name === 'post_lock_token'));
    assert.ok(kit.engine.secrets.some((s) => s.Spec.Name === 'post_lock_token'));
  });
});

describe('recreate: the locked corpus case (autolock, rotated data keys)', async () => {
  await loadFastSecretbox();
  const dir = corpusCase('locked');
  const manifest = manifestOf(dir);
  const state = open(dir, manifest);
  after(() => state.close());
  it('secret data as the manifest recorded; Compose consistent with its report', () => {
    const { kit } = recoveryKitAt(state);
    const values = (manifest.values as Value[]).filter((v) => v.kind === 'secret');
    let checked = 0;
    for (const s of kit.engine.secrets) {
      const v = values.filter((x) => x.name === s.Spec.Name).at(-1);
      if (v) {
        assert.equal(s.Spec.Data, v.base64, s.Spec.Name as string);
        checked++;
      }
    }
    assert.ok(checked >= 5);
    checkComposeAgainstReport(kit);
  });
});

describe('recreate: the kit on disk (CLI)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'recreate-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const dir = corpusCase('objects');

  it('writes Compose, data files (0600), the Engine API form, report and README; exit 0', async () => {
    const out = join(tmp, 'kit');
    const r = await runCli(['-d', join(dir, 'swarm'), 'recreate', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const names = readdirSync(out).sort();
    assert.deepEqual(names, ['README.md', 'configs', 'engine-api.json', 'report.json', 'report.md', 'secrets', 'services.compose.yml']);
    for (const d of ['secrets', 'configs']) for (const f of readdirSync(join(out, d))) assert.equal(statSync(join(out, d, f)).mode & 0o777, 0o600, `${d}/${f}`);
    assert.equal(statSync(join(out, 'engine-api.json')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(out, 'secrets', 'db_password'), 'utf8'), 'hunter2');
    assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /secret.*in clear/i);
    const engine = JSON.parse(readFileSync(join(out, 'engine-api.json'), 'utf8'));
    assert.equal(engine.sourceIndex, 127);
    assert.equal(engine.services.length, 3);
  });

  it('refuses an output inside the state directory or a non-empty one, writing nothing', async () => {
    const inside = await runCli(['-d', join(dir, 'swarm'), 'recreate', '-o', join(dir, 'swarm', 'kit')]);
    assert.equal(inside.code, 1);
    assert.match(inside.stderr, /inside the source state directory/);
    assert.ok(!readdirSync(join(dir, 'swarm')).includes('kit'));
    const full = join(tmp, 'full');
    writeFileSync(join(tmp, 'marker'), '');
    const r = await runCli(['-d', join(dir, 'swarm'), 'recreate', '-o', tmp]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not empty/);
    void full;
  });

  it('writes only into the folder it was given (writeRecoveryKit refuses a second write)', () => {
    const state = SwarmState.open(join(dir, 'swarm'));
    try {
      const { kit, index } = recoveryKitAt(state);
      const out = join(tmp, 'again');
      writeRecoveryKit(kit, out, { stateDir: join(dir, 'swarm'), index });
      assert.throws(() => writeRecoveryKit(kit, out, { stateDir: join(dir, 'swarm'), index }), /not empty/);
    } finally {
      state.close();
    }
  });
});

describe('restore: bad input', () => {
  const dir = corpusCase('objects');
  const tmp = mkdtempSync(join(tmpdir(), 'restore-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('an unreachable engine: says so, still lists the plan, applies nothing, exit 1', () => {
    const kit = join(tmp, 'kit');
    assert.equal(runCli(['-d', join(dir, 'swarm'), 'recreate', '-o', kit]).code, 0);
    const r = runCli(['restore', kit, '--docker-host', `unix://${join(tmp, 'no.sock')}`, '--apply']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot reach the engine at unix:\/\/.*no\.sock/);
    assert.match(r.stdout, /^skip\s+service\s+web$/m);
    assert.match(r.stdout, /Nothing was applied/);
  });

  it('a folder that is not a kit, or a malformed host: a message naming it, exit 1', () => {
    const r = runCli(['restore', tmp]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /engine-api\.json: ENOENT; give the folder swarm-raft recreate wrote/);
    writeFileSync(join(tmp, 'engine-api.json'), '{"format":"other"}');
    assert.match(runCli(['restore', tmp]).stderr, /not a swarm-raft recovery kit/);
    const bad = runCli(['restore', join(tmp, 'kit'), '--docker-host', 'ftp://x']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--docker-host ftp:\/\/x: expected unix:/);
  });
});

describe('recreate: value spellings', () => {
  it('durations and CPUs round-trip exactly through their Compose spellings', () => {
    for (const ns of [0n, 1n, 999n, 1_000_000n, 1_500_000_000n, 90_000_000_000n, 3_600_000_000_001n, 7_776_000_000_000_000n]) assert.equal(parseGoDuration(goDuration(ns)), ns);
    assert.equal(goDuration(90_000_000_000n), '1m30s');
    for (const n of [1n, 500_000_000n, 1_500_000_000n, 123_456_789_012n]) assert.equal(parseCpus(cpusText(n)), n);
    assert.equal(cpusText(500_000_000n), '0.5');
  });

  it('comparison drops what the API treats as unset but keeps Init false and zero replicas', () => {
    assert.deepEqual(comparableSpec({ A: '', B: [], C: {}, D: 0, E: false, Init: false, Mode: { Replicated: { Replicas: 0 } } }), { Init: false, Mode: { Replicated: { Replicas: 0 } } });
  });
});

describe('restore: updates under the engine\'s optimistic concurrency', () => {
  const outOfSequence = () => new Error('(HTTP code 500) server error - rpc error: code = Unknown desc = update out of sequence');
  it('reads and updates again while the engine answers "update out of sequence", and no more than 5 times', async () => {
    let calls = 0;
    await withCurrentVersion(async () => {
      if (++calls < 3) throw outOfSequence();
    }, 1);
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(withCurrentVersion(async () => {
      calls++;
      throw outOfSequence();
    }, 1), /update out of sequence/);
    assert.equal(calls, 5);
    calls = 0;
    await assert.rejects(withCurrentVersion(async () => {
      calls++;
      throw new Error('node not found');
    }, 1), /node not found/);
    assert.equal(calls, 1, 'other errors are not retried');
  });
  it('sets a node\'s labels with the version it reads right before the update that succeeds', async () => {
    let version = 10;
    const updates: number[] = [];
    const target = {
      address: 'fake',
      secrets: async () => [],
      configs: async () => [],
      networks: async () => [],
      nodes: async (): Promise<TargetObject[]> => [{ ID: 'n1', Version: { Index: version }, Spec: { Role: 'manager', Availability: 'active' } }],
      updateNode: async (_id: string, v: number, spec: JsonObject) => {
        updates.push(v);
        version++; // a status report moved it: the update read before is out of sequence
        if (updates.length < 3) throw outOfSequence();
        assert.deepEqual(spec, { Role: 'manager', Availability: 'drain', Labels: { zone: 'a' } });
      },
    } as unknown as RestoreTarget;
    const plan: RestorePlan = { target: 'fake', items: [{ kind: 'node', name: 'vm', action: 'update', details: [], spec: { Labels: { zone: 'a' }, Availability: 'drain' }, targetId: 'n1' }] };
    const kit = { networks: [], secrets: [], configs: [], volumes: [], services: [], nodes: [] };
    const outcomes = await applyRestore(plan, kit, target);
    assert.deepEqual(outcomes.map((o) => [o.result, o.message]), [['applied', 'labels and availability set']]);
    assert.deepEqual(updates, [10, 11, 12]);
  });
});
