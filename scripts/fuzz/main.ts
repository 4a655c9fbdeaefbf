// npm run fuzz -- [--seconds N | --iterations N] [--seed N] [--jobs N] [--layers a,b] [--bases a,b]
//                 [--replay N] [--crasher DIR] [--keep N --problem TEXT [--name DIR]] [--no-save] [--timeout-ms N]
//                 [--mem-factor N] [--mem-constant-mb N] [--heap-mb N]
// Mutates real state directories layer by layer (see mutators/) and runs each input in a child process
// through everything the CLI and the editor do with it (exercise.ts), checking: no exception but the
// core's typed errors, faults with file and offset, no hang, allocations and peak RSS under
// memFactor x input size + constant, nothing written to the input. Seeded and reproducible: input N of
// seed S is always the same. Failures are minimized and saved under test/fixtures/crashers/.
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { baseNames, loadBase, loadBases } from './bases';
import { loadCrasher, saveCrasher } from './crashers';
import { exercise, type Problem } from './exercise';
import { changedFiles, cloneInput, inputBytes, isBuffer, materialize, removeTree, STATE_DIR, type FuzzInput } from './input';
import { LAYER_NAMES, makeInput } from './mutators';
import { Worker, type JobOutcome } from './pool';
import { randomSeed } from './prng';
import type { Job } from './worker';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string' },
    seconds: { type: 'string' },
    iterations: { type: 'string' },
    jobs: { type: 'string' },
    layers: { type: 'string' },
    bases: { type: 'string' },
    replay: { type: 'string' },
    crasher: { type: 'string' },
    keep: { type: 'string' },
    problem: { type: 'string' },
    name: { type: 'string' },
    'no-save': { type: 'boolean' },
    'timeout-ms': { type: 'string' },
    'mem-factor': { type: 'string' },
    'mem-constant-mb': { type: 'string' },
    'heap-mb': { type: 'string' },
  },
});

const seed = args.seed !== undefined ? Number(args.seed) >>> 0 : randomSeed();
const layers = args.layers ? args.layers.split(',') : LAYER_NAMES;
const baseList = args.bases ? args.bases.split(',') : baseNames();
const timeoutMs = Number(args['timeout-ms'] ?? 30000);
const memFactor = Number(args['mem-factor'] ?? 4);
const memConstant = Number(args['mem-constant-mb'] ?? 128) * 2 ** 20;
const heapMb = Number(args['heap-mb'] ?? 1024);
const scratchRoot = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'swarm-raft-fuzz-'));

for (const l of layers) if (!LAYER_NAMES.includes(l)) throw new Error(`unknown layer ${l} (layers: ${LAYER_NAMES.join(', ')})`);

interface Failure {
  problem: Problem;
  input: FuzzInput;
  index: number;
  count: number;
}

interface LayerStats {
  tried: number;
  /** Opened and read without a fault. */
  clean: number;
  /** Opened; faults reported (with file and offset), the rest read. */
  faulted: number;
  /** SwarmState.open refused it with a typed error (e.g. no WAL directory left). */
  refused: number;
  /** A property broke. */
  failed: number;
}

function jobFor(id: number, input: FuzzInput, root: string): Job {
  const abs = (rel: string) => join(root, rel);
  return {
    id, stateDir: abs(STATE_DIR), scratch: root + '-out', bytes: inputBytes(input), memFactor, memConstant,
    options: {
      unlockKey: input.options.unlockKey,
      nodeKeyFile: input.options.nodeKeyFile && abs(input.options.nodeKeyFile),
      keyFiles: input.options.keyFiles?.map(abs),
    },
  };
}

/** Runs one input in a worker; returns its problems (watchdog and read-only ones included). */
async function runInput(worker: Worker, id: number, input: FuzzInput): Promise<{ outcome: JobOutcome; problems: Problem[] }> {
  const root = join(scratchRoot, String(id));
  materialize(input, root);
  materialize({ ...input, files: new Map() }, root + '-out');
  try {
    const outcome = await worker.run(jobFor(id, input, root), timeoutMs + inputBytes(input) / 10_000);
    const problems = 'failure' in outcome
      ? [{ stage: 'watchdog', kind: 'uncaught' as const, message: `${outcome.failure}: ${outcome.detail}`, signature: `${outcome.failure}|${input.notes.map((n) => n.replace(/\d+/g, 'N')).join(';')}` }]
      : [...outcome.problems];
    const changed = changedFiles(input, root);
    if (changed.length) problems.push({ stage: 'read-only', kind: 'uncaught', message: `the input was modified: ${changed.join(', ')}`, signature: 'read-only' });
    return { outcome, problems };
  } finally {
    removeTree(root);
    removeTree(root + '-out');
  }
}

/** Reverts what it can (whole files, then byte runs) while the same problem still shows. */
async function minimize(worker: Worker, failure: Failure, nextId: () => number): Promise<FuzzInput> {
  const base = loadBase(failure.input.base);
  const stillFails = async (candidate: FuzzInput) => (await runInput(worker, nextId(), candidate)).problems.some((p) => p.signature === failure.problem.signature);
  let best = cloneInput(failure.input);
  const changed = [...new Set([...best.files.keys(), ...base.files.keys()])].filter((rel) => {
    const a = best.files.get(rel);
    const b = base.files.get(rel);
    return !(isBuffer(a) && isBuffer(b) ? a.equals(b) : JSON.stringify(a) === JSON.stringify(b));
  });
  for (const rel of changed) {
    const candidate = cloneInput(best);
    const original = base.files.get(rel);
    if (original === undefined) candidate.files.delete(rel);
    else candidate.files.set(rel, original);
    if (await stillFails(candidate)) best = candidate;
  }
  let checks = 0;
  for (const rel of changed) {
    const now = best.files.get(rel);
    const was = base.files.get(rel);
    if (!isBuffer(now) || !isBuffer(was) || now.length !== was.length) continue;
    const runs: [number, number][] = [];
    for (let i = 0; i < now.length; i++) {
      if (now[i] === was[i]) continue;
      const start = i;
      while (i < now.length && now[i] !== was[i]) i++;
      runs.push([start, i]);
    }
    for (let size = Math.ceil(runs.length / 2); size >= 1 && checks < 48; size = Math.floor(size / 2)) {
      for (let at = 0; at < runs.length && checks < 48; at += size) {
        const candidate = cloneInput(best);
        const bytes = Buffer.from(candidate.files.get(rel) as Buffer);
        for (const [s, e] of runs.slice(at, at + size)) was.copy(bytes, s, s, e);
        candidate.files.set(rel, bytes);
        checks++;
        if (await stillFails(candidate)) best = candidate;
      }
    }
  }
  return best;
}

async function fuzz(): Promise<number> {
  const iterations = args.iterations !== undefined ? Number(args.iterations) : Infinity;
  const seconds = args.seconds !== undefined ? Number(args.seconds) : iterations === Infinity ? 60 : Infinity;
  const jobs = Number(args.jobs ?? Math.max(1, Math.min(2, cpus().length)));
  console.log(`fuzz: seed ${seed}, ${Number.isFinite(seconds) ? `${seconds} s` : ''}${Number.isFinite(iterations) ? `${iterations} inputs` : ''}, ${jobs} worker(s), layers ${layers.join(',')}`);
  console.log(`      repeat with: npm run fuzz -- --seed ${seed} --iterations N   (input i alone: --seed ${seed} --replay i)`);
  const bases = loadBases(baseList);
  console.log(`      bases: ${bases.map((b) => b.name).join(', ')}; memory bound ${memFactor} x input + ${memConstant / 2 ** 20} MiB; time limit ${timeoutMs} ms`);

  const stats = new Map<string, LayerStats>(layers.map((l) => [l, { tried: 0, clean: 0, faulted: 0, refused: 0, failed: 0 }]));
  const failures = new Map<string, Failure>();
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  let next = 0;
  let worst = { ms: 0, index: -1, rssGrowth: 0, maxAlloc: 0, boundUse: 0, entries: 0 };
  let idCounter = 0;
  const workers = Array.from({ length: jobs }, () => new Worker(heapMb));
  let lastReport = Date.now();

  let fuzzerErrors = 0;
  const loop = async (worker: Worker) => {
    while (next < iterations && Date.now() < deadline) {
      const index = next++;
      let input: FuzzInput;
      let ran: Awaited<ReturnType<typeof runInput>>;
      try {
        input = makeInput(seed, index, layers, bases);
        ran = await runInput(worker, idCounter++, input);
      } catch (e) {
        // A bug of the fuzzer itself (a mutation that cannot be written, ...): reported, not fatal.
        fuzzerErrors++;
        console.log(`  fuzzer error on input ${index}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
        continue;
      }
      const { outcome, problems } = ran;
      const s = stats.get(input.layer)!;
      s.tried++;
      if (problems.length) s.failed++;
      else if (!('failure' in outcome)) {
        if (!outcome.opened) s.refused++;
        else if (outcome.faults) s.faulted++;
        else s.clean++;
        if (outcome.ms > worst.ms) worst = { ...worst, ms: outcome.ms, index };
        const bound = memFactor * inputBytes(input) + memConstant;
        worst.rssGrowth = Math.max(worst.rssGrowth, outcome.rssGrowth);
        worst.maxAlloc = Math.max(worst.maxAlloc, outcome.maxAlloc);
        worst.boundUse = Math.max(worst.boundUse, outcome.rssGrowth / bound, outcome.maxAlloc / bound);
        worst.entries = Math.max(worst.entries, outcome.entries);
      }
      for (const p of problems) {
        const f = failures.get(p.signature);
        if (f) f.count++;
        else {
          failures.set(p.signature, { problem: p, input, index, count: 1 });
          console.log(`  FAIL input ${index} [${input.layer} on ${input.base}] ${p.stage}: ${p.message.split('\n')[0].slice(0, 300)}`);
        }
      }
      if (Date.now() - lastReport > 15000) {
        lastReport = Date.now();
        const done = [...stats.values()].reduce((n, x) => n + x.tried, 0);
        console.log(`  [${Math.round((Date.now() - started) / 1000)} s] ${done} inputs (${(done / ((Date.now() - started) / 1000)).toFixed(1)}/s), ${failures.size} distinct failure(s)`);
      }
    }
  };
  try {
    await Promise.all(workers.map(loop));
  } catch (e) {
    for (const w of workers) w.close();
    throw e;
  }

  const total = [...stats.values()].reduce((n, x) => n + x.tried, 0);
  const elapsed = (Date.now() - started) / 1000;
  console.log(`\nfuzz: ${total} inputs in ${elapsed.toFixed(0)} s (${(total / elapsed).toFixed(1)}/s), seed ${seed}${fuzzerErrors ? `; ${fuzzerErrors} input(s) not run (fuzzer errors above)` : ''}`);
  console.log('layer      tried  clean  faults  refused  FAILED');
  for (const [l, s] of stats) console.log(`${l.padEnd(10)} ${String(s.tried).padStart(5)} ${String(s.clean).padStart(6)} ${String(s.faulted).padStart(7)} ${String(s.refused).padStart(8)} ${String(s.failed).padStart(7)}`);
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  console.log(`slowest input ${worst.index} (${worst.ms.toFixed(0)} ms); most entries ${worst.entries}; largest peak RSS growth ${mib(worst.rssGrowth)}, largest Buffer allocation ${mib(worst.maxAlloc)} (at most ${(worst.boundUse * 100).toFixed(0)}% of an input's bound)`);

  for (const f of failures.values()) {
    console.log(`\nFAILURE x${f.count}: ${f.problem.stage}: ${f.problem.message.slice(0, 500)}\n  first: input ${f.index} [${f.input.layer} on ${f.input.base}]\n  ${f.input.notes.join('\n  ')}`);
    if (f.problem.stack) console.log(f.problem.stack.split('\n').slice(0, 8).join('\n'));
    if (args['no-save']) continue;
    const small = await minimize(workers[0], f, () => idCounter++);
    console.log(`  saved: ${saveCrasher(small, f.problem, { seed, index: f.index })}`);
  }
  for (const w of workers) w.close();
  removeTree(scratchRoot);
  return failures.size || fuzzerErrors ? 1 : 0;
}

/** Runs one input in this process, printing every problem with its stack. */
function replayOne(input: FuzzInput, label: string): number {
  console.log(`${label} [${input.layer} on ${input.base}]\n  ${input.notes.join('\n  ')}`);
  const root = join(scratchRoot, 'replay');
  materialize(input, root);
  const job = jobFor(0, input, root);
  const outcome = exercise(job.stateDir, job.options, scratchRoot);
  console.log(`  ${outcome.entries} entries, ${outcome.faults} faults, ${outcome.typedErrors} typed errors, ${outcome.outputChars} output chars`);
  for (const p of outcome.problems) console.log(`  PROBLEM ${p.stage}: ${p.message}\n${p.stack ?? ''}`);
  const changed = changedFiles(input, root);
  if (changed.length) console.log(`  READ-ONLY VIOLATED: ${changed.join(', ')}`);
  removeTree(scratchRoot);
  return outcome.problems.length || changed.length ? 1 : 0;
}

async function main(): Promise<number> {
  if (args.crasher) {
    const { input, meta } = loadCrasher(args.crasher);
    return replayOne(input, `crasher ${args.crasher} (${meta.problem.stage}: ${meta.problem.message.slice(0, 200)})`);
  }
  if (args.keep !== undefined) {
    // Keeps an input that broke a property before a fix as a regression fixture (it no longer fails).
    const index = Number(args.keep);
    const input = makeInput(seed, index, layers, loadBases(baseList));
    const message = args.problem ?? 'kept by hand';
    const dir = saveCrasher(input, { stage: 'kept', kind: 'uncaught', message, signature: `kept|${seed}|${index}` }, { seed, index }, args.name);
    console.log(`seed ${seed} input ${index} [${input.layer} on ${input.base}] saved: ${dir}\n  ${input.notes.join('\n  ')}`);
    removeTree(scratchRoot);
    return 0;
  }
  if (args.replay !== undefined) {
    const index = Number(args.replay);
    const input = makeInput(seed, index, layers, loadBases(baseList));
    return replayOne(input, `seed ${seed} input ${index}`);
  }
  return fuzz();
}

main().then((code) => {
  process.exitCode = code;
}, (e) => {
  console.error(e);
  process.exitCode = 2;
});

