// npm run bench: the performance figures of issue #6, printed with their targets and ratios.
// Logs: 3 full segments of typical entries + a snapshot, 100k tiny entries (both from scripts/genlog.ts,
// cached in $BENCH_DIR), and the real two-segment fixture (big-wal). Each figure is the median of
// --runs fresh processes. With SWARM_RAFTTOOL=path, the reference's dump-wal runs on a scratch copy of
// the same directory (it writes into what it reads) and the ratio is printed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { generatedCase } from '../test/support/fixtures';
import { liveFigures } from './live';

const root = resolve(__dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, only: { type: 'string' } } });
const RUNS = Math.max(1, Number(values.runs));
const benchDir = process.env.BENCH_DIR ?? join(tmpdir(), 'swarm-raft-bench');
const probe = join(root, 'dist', 'bench', 'probe.js');
const reference = process.env.SWARM_RAFTTOOL;

interface Log {
  name: string;
  dir: string;
}

async function main(): Promise<void> {
  await build({ entryPoints: [join(root, 'bench/probe.ts')], outfile: probe, bundle: true, platform: 'node', target: 'node20', external: ['@node-rs/crc32', 'sodium-native'], logLevel: 'warning' });
  spawnSync('node', [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (values.only === 'live') return liveFigures(root);
  const logs = ensureLogs();
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}, ${new Date().toISOString().slice(0, 10)}; median of ${RUNS} runs`);
  const rows: string[][] = [['log', 'WAL MB', 'entries', 'index', 'first page (100 rows)', 'decode+decrypt', 'text export (CLI)', 'same, 1 thread', 'peak RSS export', 'reference (time, RSS)', 'ratio, output']];
  for (const log of logs) {
    if (values.only && !log.name.includes(values.only)) continue;
    const index = median(runProbe('index', log.dir), 'indexMs');
    const first = median(runProbe('firstPage', log.dir), 'firstPageMs');
    const decode = runProbe('decodeAll', log.dir);
    const walMB = decode[0].walBytes / 1e6;
    const decodeMs = median(decode, 'decodeMs');
    const cli = runMany(() => timeCommand(process.execPath, ['-r', join(root, 'bench/maxrss.cjs'), join(root, 'dist/cli.js'), '-d', log.dir, 'dump-wal']));
    const cliMs = medianOf(cli.map((c) => c.ms));
    const serialMs = medianOf(runMany(() => timeCommand(process.execPath, [join(root, 'dist/cli.js'), '-d', log.dir, 'dump-wal', '--workers', '1']).ms));
    const rssMB = Math.max(...cli.map((c) => c.rssKB)) / 1024;
    let refMs = NaN;
    let refRssMB = NaN;
    let same = '';
    if (reference) {
      const runs = runMany(() => {
        const scratch = join(mkdtempSync(join(tmpdir(), 'swarm-raft-ref-')), 'swarm');
        cpSync(log.dir, scratch, { recursive: true });
        // GNU time (Debian's `time`) reports the reference's peak RSS; without it, only the time.
        const r = existsSync('/usr/bin/time')
          ? timeCommand('/usr/bin/time', ['-f', 'BENCH_MAX_RSS_KB=%M', reference, '-d', scratch, 'dump-wal'])
          : timeCommand(reference, ['-d', scratch, 'dump-wal']);
        rmSync(scratch, { recursive: true, force: true });
        return r;
      });
      refMs = medianOf(runs.map((r) => r.ms));
      refRssMB = Math.max(...runs.map((r) => r.rssKB)) / 1024;
      same = sameOutput(log.dir) ? 'identical' : 'DIFFERENT';
    }
    rows.push([
      log.name, walMB.toFixed(1), String(decode[0].entries), ms(index), ms(first),
      `${ms(decodeMs)} (${(walMB / (decodeMs / 1000)).toFixed(0)} MB/s)`, ms(cliMs), ms(serialMs),
      `${rssMB.toFixed(0)} MB (${(rssMB / diskMB(log.dir)).toFixed(2)}x disk)`,
      reference ? `${ms(refMs)}, ${refRssMB.toFixed(0)} MB` : 'n/a', reference ? `${(refMs / cliMs).toFixed(2)}x faster, ${same}` : 'set SWARM_RAFTTOOL',
    ]);
  }
  printTable(rows);
  secretboxSpeed();
  nodeStartup();
  indexRssBySegments(logs.find((l) => l.name === 'typical-3seg'));
  if (!values.only) await liveFigures(root);
  console.log('targets: index of 3 x 64 MB <= 1 s; first page <= 300 ms; text export >= 2x the reference; export peak RSS <= 2x the log on disk; index RSS flat in the number of segments');
}

function ensureLogs(): Log[] {
  if (!existsSync(join(benchDir, 'genlog.json'))) {
    rmSync(benchDir, { recursive: true, force: true });
    console.log(`generating benchmark logs in ${benchDir} (about 10 s) ...`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/genlog.ts'), '--out', benchDir], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('genlog failed');
  }
  return [
    { name: 'typical-3seg', dir: join(benchDir, 'big') },
    { name: 'tiny-100k', dir: join(benchDir, 'tiny') },
    { name: 'real-big-wal', dir: join(generatedCase('big-wal'), 'swarm') },
  ];
}

type ProbeResult = Record<string, number>;

function runProbe(metric: string, dir: string): ProbeResult[] {
  return runMany(() => {
    const r = spawnSync(process.execPath, [probe, metric, dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`probe ${metric} failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as ProbeResult;
  });
}

/** Whether the CLI's dump-wal is byte-identical to the reference's on (a scratch copy of) the log. */
function sameOutput(dir: string): boolean {
  const scratch = mkdtempSync(join(tmpdir(), 'swarm-raft-same-'));
  try {
    cpSync(dir, join(scratch, 'swarm'), { recursive: true });
    const hash = (cmd: string, args: string[]): string => {
      const r = spawnSync('sh', ['-c', '"$@" | sha256sum', 'sh', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
      return r.stdout.split(' ')[0];
    };
    const ours = hash(process.execPath, [join(root, 'dist/cli.js'), '-d', dir, 'dump-wal']);
    return ours.length === 64 && ours === hash(reference!, ['-d', join(scratch, 'swarm'), 'dump-wal']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function timeCommand(cmd: string, args: string[]): { ms: number; rssKB: number } {
  const out = openSync('/dev/null', 'w');
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  const elapsed = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
  const m = /BENCH_MAX_RSS_KB=(\d+)/.exec(r.stderr);
  return { ms: elapsed, rssKB: m ? Number(m[1]) : NaN };
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
 * few ms). Some machines set NODE_EXTRA_CA_CERTS, which makes every Node start parse a CA bundle the CLI
 * never uses: shown separately, the figures above keep the environment as it is.
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

/** Peak RSS of indexing only, with the first 1, 2, 3 segments (it should not grow with the count); first page of one segment. */
function indexRssBySegments(log: Log | undefined): void {
  if (!log) return;
  const walDir = join(log.dir, 'raft/wal-v3-encrypted');
  const segments = readdirSync(walDir).filter((f) => f.endsWith('.wal')).sort();
  const parts: string[] = [];
  let firstPageOfOneSegment = NaN;
  for (let n = 1; n <= segments.length; n++) {
    const dir = mkdtempSync(join(tmpdir(), 'swarm-raft-segs-'));
    mkdirSync(join(dir, 'raft/wal-v3-encrypted'), { recursive: true });
    symlinkSync(join(log.dir, 'certificates'), join(dir, 'certificates'));
    for (const s of segments.slice(0, n)) symlinkSync(join(walDir, s), join(dir, 'raft/wal-v3-encrypted', s));
    const rss = medianOf(runProbe('index', dir).map((r) => r.maxRssMB));
    parts.push(`${n} segment(s): ${rss.toFixed(0)} MB`);
    // The target's own case: one full 64 MB segment, opened and its first page decoded.
    if (n === 1) firstPageOfOneSegment = median(runProbe('firstPage', dir), 'firstPageMs');
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`index peak RSS by segment count (${log.name}): ${parts.join(', ')}`);
  console.log(`first page (100 rows) of one full 64 MB segment (${log.name}'s first): ${ms(firstPageOfOneSegment)}`);
}

function diskMB(dir: string): number {
  const r = spawnSync('du', ['-sm', '--apparent-size', '-L', join(dir, 'raft')], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}

function runMany<T>(f: () => T): T[] {
  return Array.from({ length: RUNS }, f);
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
