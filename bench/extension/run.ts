// npm run bench:extension: the extension's side of issue #6, measured inside the real extension host
// (code-server through test/harness/code-server-shim, as the extension tests run): time from "Open With"
// to the model, the Raft Log tree and the table's first page; page requests at random positions (time
// and entries decoded each); background decoding and the event-loop delay meanwhile. Prints the figures
// next to the targets; exits non-zero only when something does not work (no rows, no webview, a crash).
//   npm run bench:extension -- [--vscode=oldest|newest|all|<code-server version>] [--runs 3] [--pages 20]
//                              [--jumps 10] [--only tiny]
// Logs (scripts/genlog.ts) are cached in $BENCH_DIR (default <tmp>/swarm-raft-bench-ext): typical-4seg
// (4 full 64 MB segments of typical entries and a snapshot; the editor opens the first segment) and
// tiny-150k (one segment of 150,000 tiny entries), and baseline-1k (1,000 tiny entries: what any log
// costs, webview start-up and all). Results: test-results/bench-extension/<vscode>.json,
// or the file $SWARM_RAFT_BENCH_RESULT names.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runInExtensionHost } from '../../test/harness/hostRun';
import { repoRoot, resultsPath } from '../../test/harness/paths';
import { codeServerInstall, codeServerVersions } from '../../test/harness/tools';
import {
  CONFIG_ENV, median, percentile, RESULT_ENV,
  type BenchConfig, type BenchLog, type BenchResults, type LogResult, type PageRequest, type Stall, type Timeline,
} from './results';

const TARGET_MS = 1500;
const FIRST_SEGMENT = '0000000000000000-0000000000000000.wal';

const { values } = parseArgs({
  options: {
    vscode: { type: 'string', default: 'oldest' },
    runs: { type: 'string', default: '3' },
    pages: { type: 'string', default: '20' },
    jumps: { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});
const benchDir = process.env.BENCH_DIR ?? join(tmpdir(), 'swarm-raft-bench-ext');

interface LogSpec {
  name: string;
  genlog: string[];
  /** The state directory genlog makes under --out. */
  sub: string;
}

const LOGS: LogSpec[] = [
  { name: 'typical-4seg', genlog: ['--only', 'big', '--segments', '4'], sub: 'big' },
  { name: 'tiny-150k', genlog: ['--only', 'tiny', '--tiny-entries', '150000'], sub: 'tiny' },
  // The floor: what opening any log costs in this VS Code (webview start-up and all), to read the others against.
  { name: 'baseline-1k', genlog: ['--only', 'tiny', '--tiny-entries', '1000'], sub: 'tiny' },
];

function ensureLog(spec: LogSpec): BenchLog {
  const out = join(benchDir, spec.name);
  if (!existsSync(join(out, 'genlog.json'))) {
    rmSync(out, { recursive: true, force: true });
    console.log(`generating ${spec.name} in ${out} ...`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'genlog.ts'), '--out', out, ...spec.genlog], { stdio: 'inherit', cwd: repoRoot });
    if (r.status !== 0) throw new Error(`genlog failed for ${spec.name}`);
  }
  const manifest = JSON.parse(readFileSync(join(out, 'genlog.json'), 'utf8')) as { states: { stateDir: string; entries: number; segments: { recordBytes: number }[] }[] };
  const state = manifest.states[0];
  const stateDir = join(out, state.stateDir);
  return {
    name: spec.name, stateDir, file: join(stateDir, 'raft', 'wal-v3-encrypted', FIRST_SEGMENT),
    entries: state.entries, walBytes: state.segments.reduce((n, s) => n + s.recordBytes, 0),
  };
}

function targets(which: string): string[] {
  if (which === 'all') return [codeServerVersions.oldest, codeServerVersions.newest];
  return [which];
}

async function runOne(which: string, config: BenchConfig): Promise<{ ok: boolean; results?: BenchResults; label: string }> {
  const install = codeServerInstall(which);
  const label = `vscode-${install.vscodeVersion}`;
  const dir = resultsPath('bench-extension');
  const resultFile = process.env[RESULT_ENV] ?? join(dir, `${label}.json`);
  const countsFile = join(dir, `${label}.counts.json`);
  const configFile = join(dir, `${label}.config.json`);
  for (const f of [resultFile, countsFile]) rmSync(f, { force: true });
  writeFileSync(configFile, JSON.stringify(config, null, 1));
  const env = { SWARM_RAFT_TEST_RESULT: countsFile, [CONFIG_ENV]: configFile, [RESULT_ENV]: resultFile };
  process.env.SWARM_RAFT_TEST_TIMEOUT_MS ??= String(60 * 60_000);
  const started = Date.now();
  const exitCode = await runInExtensionHost({
    label: `bench-${label}`,
    testsPath: join(repoRoot, 'dist', 'bench', 'extension', 'index.js'),
    env,
    codeServer: install.version,
  });
  console.log(`[${label}] finished in ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${exitCode}; results in ${resultFile}`);
  const results = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as BenchResults) : undefined;
  return { ok: exitCode === 0 && !!results, results, label };
}

function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`;
}

/** "median (min-max)" over the runs. */
function spread(xs: number[]): string {
  const finite = xs.filter(Number.isFinite);
  if (finite.length < 2) return ms(median(finite));
  return `${ms(median(finite))} (${ms(Math.min(...finite))}-${ms(Math.max(...finite))})`;
}

function vsTime(x: number, target: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${(x / target).toFixed(2)}x of target${x <= target ? '' : '  OVER'}`;
}

function pageLine(add: (...cells: string[]) => void, page: number, what: string, list: PageRequest[]): void {
  if (list.length === 0) return add('2', `${what}: none`, '');
  const lat = list.map((p) => p.latencyMs ?? p.handlerMs);
  const maxDecoded = Math.max(...list.map((p) => p.decoded));
  add('2', `${what} (n=${list.length})`,
    `latency med ${ms(median(lat))} / p95 ${ms(percentile(lat, 95))} / max ${ms(Math.max(...lat))} (handler med ${ms(median(list.map((p) => p.handlerMs)))}, max ${ms(Math.max(...list.map((p) => p.handlerMs)))}); decoded med ${median(list.map((p) => p.decoded))}, max ${maxDecoded}`,
    `<= ${page} decoded/request`, `max ${maxDecoded}/${page}${maxDecoded <= page ? '' : '  OVER'}`);
}

/** The longest stalls, with the garbage collection and the timed calls inside each. */
function describeStalls(stalls: Stall[], runs: number): string {
  if (stalls.length === 0) return 'none';
  const top = [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 3);
  return `${stalls.length} in ${runs} run(s), longest: ` + top.map((s) => {
    const inside = [...(s.gcMs >= 1 ? [`gc ${ms(s.gcMs)}`] : []), ...s.calls];
    return `${ms(s.ms)} at ${ms(s.atMs)}${inside.length ? ` [${inside.join(', ')}]` : ''}`;
  }).join('; ') + (stalls.length > 3 ? '; ...' : '');
}

function figures(r: LogResult): string[][] {
  const runs = r.runs;
  const step = (k: keyof Timeline) => runs.map((x) => x.timeline[k]);
  const col = (k: 'loopMaxMs' | 'loopP99Ms' | 'stateLoopMaxMs' | 'stateLoopP99Ms' | 'reloadDecodeMs' | 'reloadLoopMaxMs' | 'reloadLoopP99Ms') => runs.map((x) => x[k]);
  const page = r.pageSize;
  const rows: string[][] = [];
  const add = (...cells: string[]) => rows.push(cells);
  add('1a', `model ready (${runs[0].rowCount.toLocaleString('en')} rows: the table's and the tree's)`, spread(step('model')));
  add('1b', `tree: roots + first group's ${runs[0].treeLevelChildren} children (TreeItems)`, spread(step('treeLevel')), ms(TARGET_MS), vsTime(median(step('treeLevel')), TARGET_MS));
  add('1b', 'tree in the workbench: TreeView.reveal(group, expand) done', spread(step('treeReveal')), ms(TARGET_MS), vsTime(median(step('treeReveal')), TARGET_MS));
  add('1c', `table: host answered the webview's first getRows (${runs[0].firstPageRows} rows)`, spread(step('firstPage')), ms(TARGET_MS), vsTime(median(step('firstPage')), TARGET_MS));
  add('1c', 'of which: the webview\'s page arrived (the window\'s work) / its script ran', `${spread(step('pageDocument'))} / ${spread(step('pageScript'))}`);
  const pages = runs.flatMap((x) => x.pages);
  pageLine(add, page, 'page requests while decoding in background', pages.filter((p) => p.duringDecode));
  pageLine(add, page, 'page requests after background decoding', pages.filter((p) => !p.duringDecode));
  const jumps = runs.flatMap((x) => x.jumps);
  if (jumps.length) {
    const rt = jumps.map((j) => j.roundTripMs).filter(Number.isFinite);
    const maxDecoded = Math.max(...jumps.map((j) => j.maxDecoded));
    const timedOut = jumps.filter((j) => j.timedOut).length;
    add('2', `table jumps: select -> page answered (n=${jumps.length}, ${jumps.filter((j) => j.duringDecode).length} while decoding)`,
      `round trip med ${ms(median(rt))} / p95 ${ms(percentile(rt, 95))} / max ${ms(Math.max(...rt))}; ${median(jumps.map((j) => j.requests))} getRows/jump${timedOut ? `; ${timedOut} without a request` : ''}`,
      `<= ${page} decoded/request`, `max ${maxDecoded}/${page}${maxDecoded <= page ? '' : '  OVER'}`);
  }
  const filtered = runs.map((x) => x.filteredPage);
  if (filtered.some((f) => f.duringDecode)) {
    add('2', `a filtered page ("${filtered[0].filter}") asked while decoding: waits for all`, `${spread(filtered.map((f) => f.latencyMs))} (${filtered[0].rows} rows)`, '', 'not a page: see 3');
  }
  const webview = runs.flatMap((x) => x.webviewRequests);
  const wvMax = Math.max(0, ...webview.map((p) => p.decoded));
  add('2', `every getRows the webview sent (n=${webview.length})`,
    `host handler med ${ms(median(webview.map((p) => p.handlerMs)))} / max ${ms(Math.max(...webview.map((p) => p.handlerMs)))}; decoded med ${median(webview.map((p) => p.decoded))}, max ${wvMax}`,
    `<= ${page} decoded/request`, `max ${wvMax}/${page}${wvMax <= page ? '' : '  OVER'}`);
  const decodeMs = median(runs.map((x) => x.timeline.decoded - x.timeline.decodingStart));
  add('3', 'background decoding done (from Open With; it starts at the first page)', `${spread(step('decoded'))}; ${ms(decodeMs)} after it started, ${Math.round(runs[0].rowCount / (decodeMs / 1000)).toLocaleString('en')} entries/s`);
  const inPhase = (phase: Stall['phase']) => runs.flatMap((x) => x.stalls.filter((s) => s.phase === phase));
  add('3', 'event-loop delay, tree shown -> decoded + 0.5 s', `max ${ms(Math.max(...col('loopMaxMs')))} (runs ${col('loopMaxMs').map((x) => x.toFixed(0)).join(', ')} ms), p99 ${ms(median(col('loopP99Ms')))}`,
    'no stall > 100 ms', stallCount(inPhase('decode')));
  add('3', 'after Reload: decoding again, with the requests of 2', `max ${ms(Math.max(...col('reloadLoopMaxMs')))}, p99 ${ms(median(col('reloadLoopP99Ms')))}; all decoded ${spread(col('reloadDecodeMs'))} after Reload`,
    'no stall > 100 ms', stallCount(inPhase('reload')));
  add('4', `State view filled (${[`${runs[0].stateObjects.toLocaleString('en')} objects`, ...runs[0].stateMessages].join(', ')}; its replay starts once all is decoded)`, `${spread(step('stateView'))}, ${spread(runs.map((x) => x.timeline.stateView - x.timeline.decoded))} after the decoding`);
  add('4', 'event-loop delay during the State view\'s replay', `max ${ms(Math.max(...col('stateLoopMaxMs')))} (runs ${col('stateLoopMaxMs').map((x) => x.toFixed(0)).join(', ')} ms), p99 ${ms(median(col('stateLoopP99Ms')))}`,
    'no stall > 100 ms', stallCount(inPhase('state')));
  const open = runs.map((x) => Math.max(0, ...x.stalls.filter((s) => s.phase === 'open').map((s) => s.ms)));
  add('-', 'longest stall of the open (until the model exists)', spread(open));
  add('-', 'stall at the start of Reload From Disk', spread(runs.map((x) => Math.max(0, ...x.stalls.filter((s) => s.phase === 'reload-index').map((s) => s.ms)))));
  return rows;
}

function stallCount(stalls: Stall[]): string {
  return stalls.length === 0 ? 'none' : `${stalls.length} stall(s) > 100 ms, below`;
}

function stallLines(r: LogResult): string[] {
  const phases: [Stall['phase'], string][] = [['open', 'opening'], ['decode', 'background decoding'], ['state', 'the State view\'s replay'], ['reload', 'decoding after Reload (its index apart), with the requests of 2']];
  return phases.map(([phase, label]) => `${r.log.name} stalls ${label}: ${describeStalls(r.runs.flatMap((x) => x.stalls.filter((s) => s.phase === phase)), r.runs.length)}`);
}

function timelineLine(r: LogResult): string {
  const steps: [keyof Timeline, string][] = [
    ['openCustomDocument', 'openCustomDocument called'], ['model', 'model'], ['treeRoots', 'tree roots'], ['treeLevel', 'tree level'],
    ['resolveCustomEditor', 'resolveCustomEditor'], ['pageDocument', 'webview page arrived'], ['pageScript', 'webview script ran'], ['webviewReady', 'webview ready'], ['firstGetRows', 'first getRows'], ['firstPage', 'first page answered'],
    ['treeReveal', 'workbench tree revealed'], ['decoded', 'all decoded'], ['stateView', 'State view filled'],
  ];
  const at = steps.map(([k, label]) => [label, median(r.runs.map((x) => x.timeline[k]))] as const).sort((a, b) => a[1] - b[1]);
  const calls = new Map<string, number[]>();
  for (const c of r.runs.flatMap((x) => x.slowCalls)) {
    const what = c.what.startsWith('getRows') ? 'getRows of a page' : c.what; // the stall lines say which page
    calls.set(what, [...(calls.get(what) ?? []), c.ms]);
  }
  const gc = r.runs.map((x) => x.gcMs);
  return `${r.log.name} timeline (median ms from Open With): ${at.map(([l, v]) => `${l} ${Number.isFinite(v) ? v.toFixed(0) : 'n/a'}`).join(', ')}\n`
    + `${r.log.name} calls over 20 ms (all runs): ${[...calls].map(([w, xs]) => `${w} x${xs.length} (med ${ms(median(xs))}, max ${ms(Math.max(...xs))})`).join(', ') || 'none'}; `
    + `gc per run ${ms(median(gc))} (longest pause ${ms(Math.max(...r.runs.map((x) => x.gcMaxMs)))})`;
}

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) console.log(r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd());
}

function report(label: string, results: BenchResults, runs: number): void {
  console.log('');
  console.log(`== extension bench, VS Code ${results.vscodeVersion} (${label}, code-server), ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}, ${runs} run(s) per log, warm page cache ==`);
  const rows: string[][] = [['log', 'entries', 'WAL MB', '#', 'figure', 'measured: median (min-max) over runs', 'target', 'vs target']];
  for (const r of results.logs) {
    if (r.runs.length === 0) continue;
    figures(r).forEach((f, i) => rows.push([
      i === 0 ? r.log.name : '', i === 0 ? r.log.entries.toLocaleString('en') : '', i === 0 ? (r.log.walBytes / 1e6).toFixed(1) : '', ...f,
    ]));
  }
  printTable(rows);
  for (const r of results.logs) {
    if (r.runs.length === 0) continue;
    console.log(timelineLine(r));
    for (const line of stallLines(r)) console.log(line);
  }
  console.log('1: from vscode.openWith. 1c is the host posting the reply to the table\'s first getRows (the webview draws it next; its rendering is not observed).');
  console.log('2: a page request is what the table sends when scrolled to a page (start = page x size), sent through the same handler with the live webview binding after Reload From Disk (so the background decoding runs again), queued like a message: latency includes waiting for the current background slice. A jump posts {type: select} to the real table, which scrolls and asks for the page. "decoded" = SwarmState.decodeEntry calls inside the handler.');
  console.log('3: background decoding runs on the extension host\'s thread in ~20 ms slices (FileModel.summarizeAll); the delay is perf_hooks.monitorEventLoopDelay; a stall is a gap > 100 ms of a 5 ms timer, shown with the gc and the timed calls (> 20 ms) inside it.');
}

async function main(): Promise<number> {
  if (!existsSync(join(repoRoot, 'dist', 'bench', 'extension', 'index.js'))) {
    console.error('dist/bench/extension/index.js is missing: run node scripts/build.mjs && node scripts/build-tests.mjs');
    return 2;
  }
  const logs = LOGS.filter((l) => !values.only || l.name.includes(values.only)).map(ensureLog);
  const config: BenchConfig = {
    logs, runs: Math.max(1, Number(values.runs)), pageRequests: Math.max(1, Number(values.pages)), jumps: Math.max(0, Number(values.jumps)),
  };
  let failed = false;
  for (const which of targets(values.vscode!)) {
    const { ok, results, label } = await runOne(which, config);
    if (results) report(label, results, config.runs);
    failed ||= !ok;
  }
  return failed ? 1 : 0;
}

void main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
