// Repair into a copy, proven on Debian's engine (issue #15). Two source swarms are made and stopped
// cleanly: one with services, secrets, configs and an overlay network, snapshots every 30 entries; one
// autolocked whose WAL fills two segments. Each damage kind of recovery.md is done to a scratch copy:
// the engine's own reaction is checked (refusal, in-place repair with a .broken file, panic), then
// `swarm-raft repair` makes a copy on which the engine starts without repairing anything, the swarm is
// active (the autolocked one after `swarm unlock` with its key) and the CLI lists exactly the objects
// the project's own store replay (dump-object) finds in the copy.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ObjectKind } from '../../src/core/model/objects';
import { objectName } from '../../src/core/model/objects';
import { SwarmState } from '../../src/core/state/swarmState';
import { replayStore } from '../../src/core/store/replay';
import { runCli } from '../support/cli';
import { flipByte, truncateTo, zeroFill } from '../support/damage';
import { engineSkipReason, withSandbox, type Dockerd, type EngineSandbox } from '../support/dockerd';

const WAL = join('raft', 'wal-v3-encrypted');
const SNAP = join('raft', 'snap-v3-encrypted');
const LISTED: { kind: ObjectKind; args: string[] }[] = [
  { kind: 'service', args: ['service', 'ls'] },
  { kind: 'secret', args: ['secret', 'ls'] },
  { kind: 'config', args: ['config', 'ls'] },
  { kind: 'network', args: ['network', 'ls', '--filter', 'scope=swarm'] },
];

interface LogShape {
  snapshot: bigint;
  last: bigint;
  entries: { index: bigint; file: string; offset: number; recordLength: number }[];
  marks: { index: bigint; offset: number }[];
  segments: string[];
}

function shapeOf(swarmDir: string, unlockKey?: string): LogShape {
  const state = SwarmState.open(swarmDir, { unlockKey });
  try {
    const entries = state.wal.effective.map((e) => ({ index: e.index, file: e.file, offset: e.offset, recordLength: e.recordLength }));
    return {
      snapshot: state.newestSnapshot?.snapshot?.index ?? 0n,
      last: entries.at(-1)?.index ?? 0n,
      entries,
      marks: state.wal.snapshots.map((m) => ({ index: m.index, offset: m.offset })),
      segments: state.wal.segments.map((s) => s.path),
    };
  } finally {
    state.close();
  }
}

function entry(shape: LogShape, index: bigint): LogShape['entries'][number] {
  const e = shape.entries.find((x) => x.index === index);
  assert.ok(e, `entry ${index} is in the log`);
  return e;
}

/** What the project's own store replay (dump-object) finds in a state directory, by kind. */
function projectObjects(swarmDir: string, unlockKey?: string): Record<string, string[]> {
  const state = SwarmState.open(swarmDir, { unlockKey });
  try {
    const store = replayStore(state);
    // The store also holds the engine's predefined networks (bridge, host), which Docker lists as local.
    const listed = (kind: ObjectKind) => store.list(kind).filter((o) => !(o as unknown as { spec?: { annotations?: { labels?: Record<string, string> } } }).spec?.annotations?.labels?.['com.docker.swarm.predefined']);
    return Object.fromEntries(LISTED.map(({ kind }) => [kind, listed(kind).map((o) => objectName(kind, o)).sort()]));
  } finally {
    state.close();
  }
}

async function engineObjects(d: Dockerd): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { kind, args } of LISTED) out[kind] = (await d.docker([...args, '--format', '{{.Name}}'])).out.split('\n').filter(Boolean).sort();
  return out;
}

/** A scratch data root holding a copy of the source's swarm directory. */
function copyOf(sb: EngineSandbox, source: Dockerd, label: string): string {
  const root = join(sb.dir, 'cases', label, 'damaged');
  mkdirSync(root, { recursive: true });
  cpSync(source.swarmDir, join(root, 'swarm'), { recursive: true });
  return root;
}

/** Files the engine leaves when it repairs (or our copy must not hold: `.tmp`, which a running engine makes itself). */
function leftovers(swarmDir: string, suffixes = ['.broken']): string[] {
  return [WAL, SNAP].flatMap((d) => readdirSync(join(swarmDir, d)).filter((n) => suffixes.some((s) => n.endsWith(s))));
}

/** Repairs `damagedRoot`/swarm with the CLI into a new data root, starts the engine on it and checks it. */
async function repairAndStart(sb: EngineSandbox, label: string, damagedRoot: string, unlockKey?: string): Promise<void> {
  const root = join(sb.dir, 'cases', label, 'repaired');
  const env = unlockKey ? { SWARM_UNLOCK_KEY: unlockKey } : {};
  const r = runCli(['-d', join(damagedRoot, 'swarm'), 'repair', '-o', join(root, 'swarm')], env);
  assert.ok(r.code === 0 || r.code === 3, `${label}: repair exit ${r.code}: ${r.stderr}`);
  assert.match(r.stdout, /Check: the copy reads back without a fault/, `${label}: ${r.stdout}`);
  assert.deepEqual(leftovers(join(root, 'swarm'), ['.broken', '.tmp']), [], `${label}: no .tmp or .broken in the copy`);
  const expected = projectObjects(join(root, 'swarm'), unlockKey);
  const d = await sb.startDaemon(`${label}-fixed`, { dataRoot: root });
  try {
    if (unlockKey) {
      assert.equal((await d.waitState(['locked'])).LocalNodeState, 'locked', `${label}: the repaired copy is still locked`);
      await d.unlock(unlockKey);
    } else {
      await d.waitReady();
    }
    assert.deepEqual(await engineObjects(d), expected, `${label}: the engine lists what dump-object shows`);
    assert.doesNotMatch(d.log(), /wal: repairing|corrupted snapshot file|irreparable|level=panic/, `${label}: the engine repaired nothing`);
    assert.deepEqual(leftovers(join(root, 'swarm')), [], `${label}: no .broken file`);
  } finally {
    await d.stop();
  }
  rmSync(join(sb.dir, 'cases', label), { recursive: true, force: true });
}

/** Starts the engine on a damaged copy; returns it running (or exited). */
async function startDamaged(sb: EngineSandbox, label: string, root: string): Promise<Dockerd | undefined> {
  try {
    return await sb.startDaemon(`${label}-dmg`, { dataRoot: root });
  } catch {
    return undefined; // exited at start (checked through its log)
  }
}

async function waitForLog(sb: EngineSandbox, label: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const logFile = join(sb.dir, `${label}-dmg`, 'dockerd.log');
  const { readFileSync } = await import('node:fs');
  const t = Date.now();
  for (;;) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (pattern.test(log) || Date.now() - t > timeoutMs) return log;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('repair: every damage kind of recovery.md gives a copy the engine starts from as it is', { skip: engineSkipReason(), timeout: 600_000 }, async () => {
  await withSandbox('repair', async (sb) => {
    // Source 1: unlocked, snapshots every 30 entries, objects of every listed kind.
    const src = await sb.startDaemon('src');
    await src.init(['--snapshot-interval', '30', '--max-snapshots', '3']);
    const image = await src.importImage();
    await src.docker(['network', 'create', '-d', 'overlay', 'net1']);
    for (const s of ['s1', 's2', 's3']) await src.docker(['secret', 'create', s, '-'], { input: `value of ${s}` });
    for (const c of ['c1', 'c2']) await src.docker(['config', 'create', c, '-'], { input: `config ${c}` });
    await src.docker(['service', 'create', '--detach', '--name', 'web', '--network', 'net1', '--secret', 's1', '--config', 'c1', image]);
    await src.docker(['service', 'create', '--detach', '--name', 'api', '--replicas', '0', image]);
    for (let i = 1; i <= 40; i++) await src.docker(['secret', 'create', `m${String(i).padStart(2, '0')}`, '-'], { input: `m${i}` });
    let shape: LogShape;
    for (let round = 0; ; round++) {
      await src.docker(['service', 'update', '--detach', '--env-add', `ROUND=${round}`, 'web']);
      for (let i = 1; i <= 8; i++) await src.docker(['config', 'create', `r${round}-${i}`, '-'], { input: `r${i}` });
      await src.stop();
      shape = shapeOf(src.swarmDir);
      if (shape.snapshot >= 30n && shape.last - shape.snapshot >= 6n) break;
      assert.ok(round < 3, `no snapshot with entries after it (snapshot ${shape.snapshot}, last ${shape.last})`);
      await src.start();
      await src.waitReady();
    }
    const S = shape.snapshot;
    const lastEntry = entry(shape, shape.last);
    const segment = shape.segments[0];
    const inSegment = (p: string) => join(p, 'swarm', WAL, segment.split('/').at(-1) ?? '');

    // (a1) a CRC flip in an entry the snapshot covers, (a2) after it: the engine refuses both.
    for (const [label, index] of [['a1', S - 5n], ['a2', S + 2n]] as const) {
      const root = copyOf(sb, src, label);
      const e = entry(shape, index);
      flipByte(inSegment(root), e.offset + 8 + e.recordLength - 40);
      const d = await startDamaged(sb, label, root);
      assert.ok(d, `${label}: dockerd keeps running`);
      const info = await d.waitState(['error']);
      assert.match(info.Error ?? d.log(), /irreparable WAL error: walpb: crc mismatch/);
      await d.stop();
      await repairAndStart(sb, label, root);
    }

    // (b1) a torn last record: the engine repairs in place (a .broken file) and loses the entry.
    {
      const root = copyOf(sb, src, 'b1');
      truncateTo(inSegment(root), lastEntry.offset + 20);
      const d = await startDamaged(sb, 'b1', root);
      assert.ok(d);
      await engineOnTornCopy('b1', d, root);
      // Repair from an untouched damaged copy: the engine just rewrote this one.
      const fresh = copyOf(sb, src, 'b1-src');
      truncateTo(inSegment(fresh), lastEntry.offset + 20);
      await repairAndStart(sb, 'b1', fresh);
    }

    // (c) a zero-filled 4 KiB sector at the tail (after the snapshot's mark): read as torn, repaired in place.
    {
      const mark = shape.marks.find((m) => m.index === S);
      const sector = Math.floor(lastEntry.offset / 4096) * 4096;
      const at = mark && sector > mark.offset ? sector : Math.floor(lastEntry.offset / 512) * 512;
      const damage = (root: string) => zeroFill(inSegment(root), at, 4096);
      const root = copyOf(sb, src, 'c');
      damage(root);
      const d = await startDamaged(sb, 'c', root);
      assert.ok(d);
      await engineOnTornCopy('c', d, root);
      const fresh = copyOf(sb, src, 'c-src');
      damage(fresh);
      await repairAndStart(sb, 'c', fresh);
    }

    // (d1) a zero-filled 4 KiB sector in the middle, under the snapshot: the engine's own repair leaves a
    // commit below the snapshot and dockerd panics; the copy loses nothing.
    {
      const middle = entry(shape, S / 2n);
      const damage = (root: string) => zeroFill(inSegment(root), Math.ceil(middle.offset / 4096) * 4096, 4096);
      const root = copyOf(sb, src, 'd1');
      damage(root);
      const d = await startDamaged(sb, 'd1', root);
      const log = await waitForLog(sb, 'd1', /level=panic/);
      assert.match(log, /state\.commit \d+ is out of range/);
      await d?.stop();
      const fresh = copyOf(sb, src, 'd1-src');
      damage(fresh);
      const objectsBefore = projectObjects(src.swarmDir);
      await repairAndStart(sb, 'd1', fresh);
      assert.ok(objectsBefore.secret.includes('m40'));
    }

    // (e2) a truncated newest snapshot: the engine renames it .broken and uses the older one.
    {
      const damage = (root: string) => {
        const snaps = readdirSync(join(root, 'swarm', SNAP)).filter((n) => n.endsWith('.snap')).sort();
        truncateTo(join(root, 'swarm', SNAP, snaps.at(-1) ?? ''), 200);
      };
      const root = copyOf(sb, src, 'e2');
      damage(root);
      const d = await startDamaged(sb, 'e2', root);
      assert.ok(d);
      await d.waitReady();
      assert.match(d.log(), /snap: corrupted snapshot file/);
      await d.stop();
      assert.ok(leftovers(join(root, 'swarm')).some((n) => n.endsWith('.snap.broken')));
      const fresh = copyOf(sb, src, 'e2-src');
      damage(fresh);
      await repairAndStart(sb, 'e2', fresh);
    }

    // Source 2: autolocked, a WAL of two segments (configs of 400,000 bytes).
    const lk = await sb.startDaemon('lk');
    const ids = await lk.init(['--autolock']);
    const key = ids.unlockKey ?? '';
    await lk.docker(['secret', 'create', 'locked-secret', '-'], { input: 'x' });
    const big = Buffer.alloc(400_000, 'a');
    for (let i = 0; i < 165; i++) await lk.docker(['config', 'create', `big${i}`, '-'], { input: big });
    await lk.stop();
    const lkShape = shapeOf(lk.swarmDir, key);
    assert.ok(lkShape.segments.length >= 2, 'the locked log has two segments');

    // (f1) the newest segment lost: locked until unlocked, then up without the entries it held (no warning).
    {
      const root = copyOf(sb, lk, 'f1');
      rmSync(join(root, 'swarm', WAL, lkShape.segments.at(-1)?.split('/').at(-1) ?? ''));
      const withoutKey = runCli(['-d', join(root, 'swarm'), 'repair', '-o', join(sb.dir, 'cases', 'f1', 'nokey')]);
      assert.equal(withoutKey.code, 1);
      assert.match(withoutKey.stderr, /^Error: .*swarm-node\.key:0: the swarm is autolocked/);
      assert.ok(!existsSync(join(sb.dir, 'cases', 'f1', 'nokey')), 'nothing written without the key');
      const d = await startDamaged(sb, 'f1', root);
      assert.ok(d);
      await d.waitState(['locked']);
      await d.unlock(key);
      await d.stop();
      const fresh = copyOf(sb, lk, 'f1-src');
      rmSync(join(fresh, 'swarm', WAL, lkShape.segments.at(-1)?.split('/').at(-1) ?? ''));
      await repairAndStart(sb, 'f1', fresh, key);
    }

    // A torn last record of the autolocked log: the copy unlocks with the same key.
    {
      const last = entry(lkShape, lkShape.last);
      const fresh = copyOf(sb, lk, 'lk-torn');
      truncateTo(last.file.replace(lk.swarmDir, join(fresh, 'swarm')), last.offset + 20);
      await repairAndStart(sb, 'lk-torn', fresh, key);
    }
  });
});

/**
 * What the engine does with a torn or zeroed tail depends on where the cut falls in that run's layout
 * (recovery.md 2 and f3): inside a record it repairs in place (a `wal: repairing` line and a .broken file)
 * and comes up; at a record's length word it reads the end of the log and comes up with nothing repaired;
 * where the cut leaves a record that fails its CRC it refuses (state error). Each outcome's signs must agree.
 */
async function engineOnTornCopy(label: string, d: Dockerd, root: string): Promise<void> {
  const info = await d.waitState(['active', 'error']);
  await d.stop();
  const repaired = /wal: repairing/.test(d.log());
  const broken = leftovers(join(root, 'swarm')).some((n) => n.endsWith('.wal.broken'));
  if (info.LocalNodeState === 'error') {
    assert.match(info.Error ?? '', /crc mismatch|irreparable/, `${label}: refused for a reason the note records`);
    assert.equal(broken, false, `${label}: a refused copy is left as it was`);
  } else {
    assert.equal(broken, repaired, `${label}: a .broken segment (${broken}) exactly when the log says it repaired (${repaired})`);
  }
}
