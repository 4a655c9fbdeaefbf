// What bench/extension/run.ts hands the extension-host suite (largeLog.bench.ts) and what the suite
// writes back: plain JSON through two files named by environment variables. Also the small statistics
// both sides use. No timing here is asserted anywhere: the runner prints the figures next to the targets.

/** Environment variable naming the JSON file with the BenchConfig (written by the runner). */
export const CONFIG_ENV = 'SWARM_RAFT_BENCH_CONFIG';
/** Environment variable naming the JSON file the suite writes its BenchResults to. */
export const RESULT_ENV = 'SWARM_RAFT_BENCH_RESULT';

export interface BenchLog {
  /** e.g. typical-4seg, tiny-150k */
  name: string;
  /** The state directory made by scripts/genlog.ts. */
  stateDir: string;
  /** The .wal segment the custom editor opens. */
  file: string;
  /** Entries in the whole directory (genlog.json). */
  entries: number;
  /** Bytes of WAL records in the whole directory (genlog.json). */
  walBytes: number;
}

export interface BenchConfig {
  logs: BenchLog[];
  /** Fresh opens of each log (each figure of 1 and 3 is the median over them). */
  runs: number;
  /** Random page requests per run (figure 2). */
  pageRequests: number;
  /** Jumps of the real webview table per run (figure 2, end to end). */
  jumps: number;
}

/** One getRows answered by the host: the webview's own, or one the bench sent through the same handler. */
export interface PageRequest {
  start: number;
  count: number;
  rows: number;
  /** Entries decoded (decrypted + parsed) while the host handled it: the page, nothing else. */
  decoded: number;
  /** Time in the host's handler (decode + post). */
  handlerMs: number;
  /** For bench requests: from queueing the request (as a message would arrive) to the reply posted. */
  latencyMs?: number;
  /** Background decoding was still running when it was handled. */
  duringDecode: boolean;
}

export interface Jump {
  /** From posting {type: 'select'} to the webview to the host answering the page that holds the row. */
  roundTripMs: number;
  /** getRows the webview sent for it (the table finds a row by seq with a binary search over pages). */
  requests: number;
  maxDecoded: number;
  duringDecode: boolean;
  timedOut?: boolean;
}

export interface FilteredPage {
  filter: string;
  /** From the request to the reply posted: the host answers a filtered page once every entry is decoded. */
  latencyMs: number;
  rows: number;
  duringDecode: boolean;
}

export interface Stall {
  /** ms after the openWith command. */
  atMs: number;
  ms: number;
  /** open: before the model existed; decode: until all decoded; state: then until phase B (the State view's replay); reload-index: the start of the reload (its index was synchronous; now read in slices); reload: the rest of phase B. */
  phase: 'open' | 'decode' | 'state' | 'reload-index' | 'reload';
  /** Garbage collection inside the stall (ms). */
  gcMs: number;
  /** Timed calls inside it: "tree.getChildren(roots) 62 ms". */
  calls: string[];
}

/** A call of the extension the bench timed (tree, overview, filter, a getRows) that took more than 20 ms: what a stall was made of. */
export interface SlowCall {
  what: string;
  atMs: number;
  ms: number;
}

/** When each step happened, in ms from `vscode.openWith` (NaN when not observed). */
export interface Timeline {
  /** VS Code called RaftEditorProvider.openCustomDocument. */
  openCustomDocument: number;
  /** The document with its model was added (openCustomDocument built it: state indexed, model made). */
  model: number;
  resolveCustomEditor: number;
  /** The webview's page (its HTML) had arrived: the window's work of making a webview, before any of ours runs. */
  pageDocument: number;
  /** The webview's script ran (its modules evaluated). */
  pageScript: number;
  /** The webview's 'ready' message reached the host. */
  webviewReady: number;
  /** The webview's first getRows reached the host. */
  firstGetRows: number;
  /** The host posted the reply with rows (figure 1c). */
  firstPage: number;
  /** explorer.tree.getChildren(undefined) gave the roots (after setActive). */
  treeRoots: number;
  /** ... and the first group's children with their TreeItems (figure 1b). */
  treeLevel: number;
  /** TreeView.reveal(first group, {expand: true}) resolved: the workbench shows the tree with that level open. */
  treeReveal: number;
  /** doc.afterBackgroundDecoding() resolved: every entry decoded in the background (it does not hurry the decoding). */
  decoded: number;
  /** When the background decoding began: the table's first page, or the gate's delay after the model (small logs: with the model). */
  decodingStart: number;
  /** The State view's roots built: the store replayed (it starts once the decoding is done). */
  stateView: number;
}

export interface RunResult {
  rowCount: number;
  timeline: Timeline;
  treeRoots: number;
  treeLevelChildren: number;
  firstPageRows: number;
  firstPageDecoded: number;
  /** Event-loop delay (perf_hooks.monitorEventLoopDelay) from the tree's first level (the open's synchronous work done) to 0.5 s after background decoding ended. */
  loopMaxMs: number;
  loopP99Ms: number;
  /** Event-loop delay from 0.5 s after the decoding to the State view's roots (its replay), */
  stateLoopMaxMs: number;
  stateLoopP99Ms: number;
  /** and the objects the State view listed, with its messages (entries skipped). */
  stateObjects: number;
  stateMessages: string[];
  /** Phase B (Reload From Disk, then page requests and jumps while it decodes again): from the reload (index included) to all decoded, */
  reloadDecodeMs: number;
  /** and the event-loop delay from the new model to all decoded, with the requests. */
  reloadLoopMaxMs: number;
  reloadLoopP99Ms: number;
  /** When phase B (Reload From Disk) started, in ms from `vscode.openWith`. */
  reloadMs: number;
  /** A page with the table's filter set, asked as phase B starts. */
  filteredPage: FilteredPage;
  /** Gaps > 100 ms of a 5 ms timer over the whole run. */
  stalls: Stall[];
  slowCalls: SlowCall[];
  /** Garbage collection over the run: total ms and the longest pause. */
  gcMs: number;
  gcMaxMs: number;
  pages: PageRequest[];
  webviewRequests: PageRequest[];
  jumps: Jump[];
}

export interface LogResult {
  log: BenchLog;
  pageSize: number;
  runs: RunResult[];
}

export interface BenchResults {
  vscodeVersion: string;
  startedAt: string;
  logs: LogResult[];
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
