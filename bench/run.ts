// npm run bench: the performance figures of issues #6 and #18, printed with their targets and ratios.
// Logs: 3 full segments of typical entries + a snapshot, 100k tiny entries, 16 full segments (1 GB; all
// from scripts/genlog.ts, generated once and cached in $BENCH_DIR), and the real two-segment fixture
// (big-wal). Each figure is the median of --runs fresh processes (--big-runs for the 1 GB log's exports).
// With SWARM_RAFTTOOL=path, each export command (dump-wal, --redact, dump-snapshot, and on the typical log
// dump-object, which replays the snapshot and every entry through the store) runs in turn with the
// reference's on a scratch copy of the same directory (it writes into what it reads); the ratio is
// printed, and last one line with the smallest ratio of all.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { generatedCase } from '../test/support/fixtures';
import { liveFigures } from './live';

const root = resolve(__dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'big-runs': { type: 'string', default: '1' }, only: { type: 'string' } } });
const RUNS = Math.max(1, Number(values.runs));
const BIG_RUNS = Math.max(1, Number(values['big-runs']));
const benchDir = process.env.BENCH_DIR ?? join(tmpdir(), 'swarm-raft-bench');
const probe = join(root, 'dist', 'bench', 'probe.js');
const cli = join(root, 'dist/cli.js');
const reference = process.env.SWARM_RAFTTOOL;

interface Log {
  name: string;
  dir: string;
  /** The export commands timed against the reference. */
  commands: string[][];
  /** The 1 GB log: its exports run BIG_RUNS times (one run of the reference takes about a minute). */
  big?: boolean;
}

async function main(): Promise<void> {
  await build({ entryPoints: [join(root, 'bench/probe.ts')], outfile: probe, bundle: true, platform: 'node', target: 'node20', external: ['@node-rs/crc32', 'sodium-native'], logLevel: 'warning' });
  spawnSync('node', [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (values.only === 'live') return liveFigures(root);
  if (values.only === 'index-rss') return indexRssFigures(ensureLogs());
  const logs = ensureLogs().filter((log) => !values.only || values.only.split(',').some((o) => log.name.includes(o)));
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}; median of ${RUNS} runs (${BIG_RUNS} for the exports of the 1 GB log); load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const core: string[][] = [['log', 'WAL MB', 'on disk MB', 'entries', 'index', 'first page (100 rows)', 'decode+decrypt', 'dump-wal, 1 thread']];
  const exports: string[][] = [['log', 'command', 'ours', 'peak RSS (x disk)', 'reference', 'reference RSS', 'ratio', 'output']];
  const ratios: { ratio: number; what: string }[] = [];
  const exportMs = new Map<string, number>(); // each log's dump-wal, for the repair's ratio
  for (const log of logs) {
    const disk = diskMB(log.dir);
    const index = median(runProbe('index', log.dir), 'indexMs');
    const first = median(runProbe('firstPage', log.dir), 'firstPageMs');
    const decode = runProbe('decodeAll', log.dir);
    const walMB = decode[0].walBytes / 1e6;
    const decodeMs = median(decode, 'decodeMs');
    const runs = log.big ? BIG_RUNS : RUNS;
    const serialMs = medianOf(runMany(() => timeCommand(cli, ['-d', log.dir, 'dump-wal', '--workers', '1']).ms, runs));
    core.push([log.name, walMB.toFixed(1), String(disk), String(decode[0].entries), ms(index), ms(first), `${ms(decodeMs)} (${(walMB / (decodeMs / 1000)).toFixed(0)} MB/s)`, ms(serialMs)]);
    for (const command of log.commands) {
      const r = compareExport(log, command, runs);
      if (command.join(' ') === 'dump-wal') exportMs.set(log.name, r.ms);
      const rss = `${r.rssMB.toFixed(0)} MB (${(r.rssMB / disk).toFixed(2)}x)`;
      if (!reference) {
        exports.push([log.name, command.join(' '), ms(r.ms), rss, 'n/a', '', 'set SWARM_RAFTTOOL', '']);
        continue;
      }
      const ratio = r.refMs / r.ms;
      ratios.push({ ratio, what: `${log.name} ${command.join(' ')}` });
      exports.push([log.name, command.join(' '), ms(r.ms), rss, ms(r.refMs), `${r.refRssMB.toFixed(0)} MB`, `${ratio.toFixed(2)}x faster`, r.same ? 'identical' : 'DIFFERENT']);
    }
  }
  printTable(core);
  console.log('');
  printTable(exports);
  secretboxSpeed();
  nodeStartup();
  indexRssFigures(logs);
  repairTiming(logs.find((l) => l.name === 'typical-3seg'), exportMs);
  recreateTiming(logs.find((l) => l.name === 'typical-3seg'));
  if (!values.only) await liveFigures(root);
  console.log('targets: index of 3 x 64 MB <= 1 s, of 16 x 64 MB <= 2 s; first page <= 300 ms; text export >= 2x the reference (aim 3x), identical; export peak RSS <= 1.5x the log on disk (the 1 GB log: <= 1x); index RSS flat in the number of segments; repair <= 1.5x the text export, its RSS flat in the log size');
  // Last, one number: a regression anywhere shows here.
  if (ratios.length) {
    const worst = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
    console.log(`smallest ratio over all logs and commands: ${worst.ratio.toFixed(2)}x (${worst.what})`);
  } else {
    console.log('smallest ratio over all logs and commands: n/a (set SWARM_RAFTTOOL)');
  }
}

/**
 * One export command on one log, ours and the reference's taken in turn (so both see the same load),
 * `runs` times each; then whether their outputs are byte-identical. The reference runs on a scratch copy
 * of the directory (it writes into what it reads).
 */
function compareExport(log: Log, command: string[], runs: number): { ms: number; rssMB: number; refMs: number; refRssMB: number; same: boolean } {
  const ours: { ms: number; rssKB: number }[] = [];
  const theirs: { ms: number; rssKB: number }[] = [];
  const scratch = reference ? scratchCopy(log.dir) : undefined;
  try {
    for (let i = 0; i < runs; i++) {
      ours.push(timeCommand(cli, ['-d', log.dir, ...command], withPeakRss));
      // GNU time (Debian's `time`) reports the reference's peak RSS; without it, only the time.
      if (scratch) theirs.push(existsSync('/usr/bin/time') ? timeCommand('/usr/bin/time', ['-f', 'BENCH_MAX_RSS_KB=%M', reference!, '-d', scratch, ...command]) : timeCommand(reference!, ['-d', scratch, ...command]));
    }
    const same = scratch ? sameOutput([cli, '-d', log.dir, ...command], [reference!, '-d', scratch, ...command]) : false;
    return {
      ms: medianOf(ours.map((r) => r.ms)), rssMB: Math.max(...ours.map((r) => r.rssKB)) / 1024,
      refMs: medianOf(theirs.map((r) => r.ms)), refRssMB: Math.max(...theirs.map((r) => r.rssKB)) / 1024, same,
    };
  } finally {
    if (scratch) rmSync(dirname(scratch), { recursive: true, force: true });
  }
}

function scratchCopy(dir: string): string {
  const scratch = join(mkdtempSync(join(tmpdir(), 'swarm-raft-ref-')), 'swarm');
  cpSync(dir, scratch, { recursive: true });
  return scratch;
}

function ensureLogs(): Log[] {
  if (!existsSync(join(benchDir, 'genlog.json'))) {
    rmSync(benchDir, { recursive: true, force: true });
    console.log(`generating benchmark logs in ${benchDir} (about 40 s) ...`);
    genlog(['--out', benchDir]);
  }
  const gb = join(benchDir, 'gb');
  if (!existsSync(join(gb, 'genlog.json'))) {
    rmSync(gb, { recursive: true, force: true });
    console.log(`generating the 1 GB log in ${gb} (about 5 minutes, once) ...`);
    genlog(['--out', gb, '--only', 'big', '--segments', '16']);
  }
  const wal = [['dump-wal'], ['dump-wal', '--redact']];
  return [
    { name: 'typical-3seg', dir: join(benchDir, 'big'), commands: [...wal, ['dump-snapshot'], ['dump-snapshot', '--redact'], ['dump-object', 'task']] },
    { name: 'tiny-100k', dir: join(benchDir, 'tiny'), commands: wal },
    { name: 'real-big-wal', dir: join(generatedCase('big-wal'), 'swarm'), commands: wal },
    { name: 'gb-16seg', dir: join(gb, 'big'), commands: wal, big: true },
  ];
}

function genlog(args: string[]): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/genlog.ts'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('genlog failed');
}

type ProbeResult = Record<string, number>;

function runProbe(metric: string, dir: string, nodeFlags: string[] = [], runs = RUNS): ProbeResult[] {
  return runMany(() => {
    const r = spawnSync(process.execPath, [...nodeFlags, probe, metric, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`probe ${metric} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as ProbeResult;
  }, runs);
}

/** Whether two commands print byte-identical output (compared by SHA-256, so nothing big is kept). */
function sameOutput(ours: string[], theirs: string[]): boolean {
  const hash = (argv: string[]): string => {
    const r = spawnSync('sh', ['-c', '"$@" | sha256sum', 'sh', ...argv], { encoding: 'utf8', maxBuffer: 1 << 20 });
    return r.stdout.split(' ')[0];
  };
  const a = hash(ours);
  return a.length === 64 && a === hash(theirs);
}

/** For our CLI: its peak RSS on stderr (bench/maxrss.cjs), however it is started. */
const withPeakRss: NodeJS.ProcessEnv = { NODE_OPTIONS: `--require ${join(root, 'bench/maxrss.cjs')}` };

function timeCommand(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; rssKB: number } {
  const out = openSync('/dev/null', 'w');
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  const elapsed = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  // Worker threads may report too (earlier, and lower): the process's peak is the largest figure.
  const reported = [...r.stderr.matchAll(/BENCH_MAX_RSS_KB=(\d+)/g)].map((m) => Number(m[1]));
  return { ms: elapsed, rssKB: reported.length ? Math.max(...reported) : NaN };
}

/** NaCl secretbox open throughput on 450 KB records (big-wal's configs): native libsodium, WebAssembly, tweetnacl. */
function secretboxSpeed(): void {
  const speed = (backend: string): { backend: string; mbPerS: number } => {
    const r = spawnSync(process.execPath, [probe, 'secretbox'], { encoding: 'utf8', env: { ...process.env, SWARM_RAFT_SECRETBOX: backend } });
    if (r.status !== 0) throw new Error(`probe secretbox failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as { backend: string; mbPerS: number };
  };
  const figures = ['native', 'libsodium', 'tweetnacl'].map((wanted) => {
    const runs = runMany(() => speed(wanted));
    return { wanted, got: runs[0].backend, mbPerS: medianOf(runs.map((r) => r.mbPerS)) };
  });
  const reference = figures[2].mbPerS;
  const shown = figures.filter((f) => f.got === f.wanted).map((f) => `${f.wanted === 'libsodium' ? 'libsodium (WebAssembly)' : f.wanted === 'native' ? 'libsodium (sodium-native)' : 'tweetnacl'} ${f.mbPerS.toFixed(0)} MB/s (${(f.mbPerS / reference).toFixed(1)}x)`);
  console.log(`secretbox open, 450 KB records: ${shown.join(', ')}${figures[0].got === 'native' ? '' : '; sodium-native is not installed'}`);
}

/**
 * What Node itself costs before the CLI runs (the CLI's times above include it; a Go binary starts in a
 * few ms). Some machines set NODE_EXTRA_CA_CERTS, which makes every Node start parse a CA bundle: the CLI
 * is run above as its executable (`swarm-raft`), whose shell line moves the variable aside for commands that
 * open no connection (src/cli/extraCaCerts.ts); `node dist/cli.js` pays for it.
 */
function nodeStartup(): void {
  const start = (env: NodeJS.ProcessEnv) => medianOf(runMany(() => {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env });
    return performance.now() - t0;
  }));
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env;
  console.log(`node start (node -e 0): ${ms(start(process.env))}${extra ? `; ${ms(start(without))} without NODE_EXTRA_CA_CERTS (set here to ${extra})` : ''}`);
}

/** `--only index-rss`: just the index's memory by segment count (typical and 1 GB logs). */
function indexRssFigures(logs: Log[]): void {
  indexRssBySegments(logs.find((l) => l.name === 'typical-3seg'), [1, 2, 3, 4]);
  indexRssBySegments(logs.find((l) => l.big), [1, 2, 4, 8, 16, 17]);
}

/** Peak RSS and time of indexing only, with the first `counts` segments (RSS should not grow with the count); first page of one segment. */
function indexRssBySegments(log: Log | undefined, counts: number[]): void {
  if (!log) return;
  const walDir = join(log.dir, 'raft/wal-v3-encrypted');
  const segments = readdirSync(walDir).filter((f) => f.endsWith('.wal')).sort();
  const parts: string[] = [];
  const retained: string[] = [];
  let firstPageOfOneSegment = NaN;
  let perEntry = '';
  for (const n of counts.filter((c) => c <= segments.length)) {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-raft-segs-'));
    mkdirSync(join(dir, 'raft/wal-v3-encrypted'), { recursive: true });
    symlinkSync(join(log.dir, 'certificates'), join(dir, 'certificates'));
    for (const s of segments.slice(0, n)) symlinkSync(join(walDir, s), join(dir, 'raft/wal-v3-encrypted', s));
    const runs = runProbe('index', dir);
    parts.push(`${n}: ${medianOf(runs.map((r) => r.maxRssMB)).toFixed(0)} MB in ${ms(median(runs, 'indexMs'))}`);
    // Peak RSS also holds what V8 adds as the scan runs longer (its optimizing compiler's memory once the
    // code is hot, a young generation grown to 16 MB, garbage not yet collected); after a full collection
    // what is left is the index and the process's fixed part. One run: it moves little.
    retained.push(`${n}: ${runProbe('index', dir, ['--expose-gc'], 1)[0].retainedMB.toFixed(1)} MB`);
    const { entries, tableBytes, seqBytes, hardStateBytes } = runs[0];
    const per = (bytes: number) => (bytes / entries).toFixed(2);
    perEntry = `${per(tableBytes + seqBytes + hardStateBytes)} bytes per entry with ${n} (table ${per(tableBytes)}, effective seqs ${per(seqBytes)}, hard-state offsets ${per(hardStateBytes)})`;
    // The target's own case: one full 64 MB segment, opened and its first page decoded.
    if (n === 1) firstPageOfOneSegment = median(runProbe('firstPage', dir), 'firstPageMs');
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`index peak RSS and time by segment count (${log.name}): ${parts.join(', ')}; ${perEntry}`);
  console.log(`memory held after the index and a full garbage collection (V8 heap used + external), by segment count (${log.name}): ${retained.join(', ')}`);
  console.log(`first page (100 rows) of one full 64 MB segment (${log.name}'s first): ${ms(firstPageOfOneSegment)}`);
}

/**
 * `repair -o OUT` of the whole log (an undamaged one: every entry above the snapshot is decrypted to check
 * it, every record re-chained and written), against the CLI's text export of the same log; and its peak
 * RSS with the first 1, 2 and 3 segments, which must not grow with the log.
 */
function repairTiming(log: Log | undefined, exportMs: Map<string, number>): void {
  if (!log) return;
  const repairOnce = (dir: string) => {
    const out = mkdtempSync(join(tmpdir(), 'swarm-raft-repair-'));
    try {
      return timeCommand(cli, ['-d', dir, 'repair', '-o', join(out, 'swarm')], withPeakRss);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
  const runs = runMany(() => repairOnce(log.dir));
  const repairMs = medianOf(runs.map((r) => r.ms));
  const exported = exportMs.get(log.name);
  const ratio = exported ? ` = ${(repairMs / exported).toFixed(2)}x its text export (${ms(exported)})` : '';
  const walDir = join(log.dir, 'raft/wal-v3-encrypted');
  const segments = readdirSync(walDir).filter((f) => f.endsWith('.wal')).sort();
  const rss: string[] = [];
  for (let n = 1; n <= segments.length; n++) {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-raft-repair-segs-'));
    mkdirSync(join(dir, 'raft/wal-v3-encrypted'), { recursive: true });
    cpSync(join(log.dir, 'certificates'), join(dir, 'certificates'), { recursive: true });
    for (const s of segments.slice(0, n)) symlinkSync(join(walDir, s), join(dir, 'raft/wal-v3-encrypted', s));
    rss.push(`${n} segment(s): ${(repairOnce(dir).rssKB / 1024).toFixed(0)} MB`);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`repair -o OUT (${log.name}): ${ms(repairMs)}${ratio}; peak RSS ${(Math.max(...runs.map((r) => r.rssKB)) / 1024).toFixed(0)} MB; by segment count: ${rss.join(', ')}`);
}

function diskMB(dir: string): number {
  const r = spawnSync('du', ['-sm', '--apparent-size', '-L', join(dir, 'raft')], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}

/**
 * `recreate --at SNAPSHOT -o OUT` (a recovery kit) of the typical log's snapshot state, its 5,213 objects
 * (300 services, 100 secrets and configs, tasks, nodes). The state at the log's end needs the store
 * replay of all 131,105 entries first, which is the replay's cost, not the kit's.
 */
function recreateTiming(log: Log | undefined): void {
  if (!log) return; // left out by --only
  const snap = readdirSync(join(log.dir, 'raft', 'snap-v3-encrypted')).filter((f) => f.endsWith('.snap')).sort().at(-1);
  if (!snap) return;
  const at = BigInt(`0x${snap.slice(17, 33)}`).toString();
  let counts = '';
  const runs = runMany(() => {
    const out = mkdtempSync(join(tmpdir(), 'swarm-raft-recreate-'));
    try {
      const r = timeCommand(cli, ['-d', log.dir, 'recreate', '--at', at, '-o', join(out, 'kit')]);
      counts = readdirSync(out).length ? `${readdirSync(join(out, 'kit')).filter((f) => f.endsWith('.yml')).length} Compose files` : '';
      return r.ms;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
  console.log(`recreate of ${log.name}'s snapshot state at index ${at} (${counts}): ${ms(medianOf(runs))} (target < 2 s)`);
}

function runMany<T>(f: () => T, runs = RUNS): T[] {
  return Array.from({ length: runs }, f);
}

function median(results: ProbeResult[], key: string): number {
  return medianOf(results.map((r) => r[key]));
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`;
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
