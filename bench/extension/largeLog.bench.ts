// Issue #6 in the extension: a large log's tree and table appear fast and scrolling never waits on
// decoding more than a page. Runs inside the real extension host (code-server, the harness of the
// extension tests), driven by bench/extension/run.ts, which gives the logs (scripts/genlog.ts) and prints
// the figures written here next to their targets. Nothing here asserts a time: only that the editor works.
//
// Each run of a log: A) "Open With" the segment; time the model, the Raft Log tree (roots, one group
// opened, and the workbench showing it), the table's first page; background decoding to its end with the
// event-loop delay meanwhile; then the State view filled (its replay of the whole log starts once the
// decoding is done), with the event-loop delay meanwhile. B) Reload From Disk (the model is rebuilt and decodes again) and, while it
// decodes, page requests at random positions and jumps of the real table; then page requests once done.
//
// Observed without changing the extension, by wrapping methods of the live objects its API hands out:
//   - RaftEditorProvider.openCustomDocument / resolveCustomEditor, Explorer.addDocument: when each ran
//     (the document is added without its model: RaftDocument.opened tells when the model exists);
//   - SwarmState.decodeEntry of each opened state: a counter of entries decoded (decrypted and parsed);
//   - RaftEditorProvider's private onMessage / sendRows (the getRows handler): the webview's messages, each
//     page answered, the host's time on it and the entries decoded meanwhile. The handler is synchronous
//     (unfiltered), so nothing else runs inside it: what it decodes is what that request cost;
//   - EntryTreeProvider.getChildren and FileModel.overview: calls over 20 ms, to tell what a stall was.
// Bench page requests go through the same handler with the real webview binding, under request ids the
// webview does not know (it drops those replies).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SwarmState } from '../../src/core/state/swarmState';
import type { FileModel } from '../../src/core/view/fileModel';
import type { Explorer } from '../../src/extension/context';
import type { ForensicsApi } from '../../src/extension/forensics/register';
import { BACKGROUND_DECODING_DELAY_MS, type RaftDocument } from '../../src/extension/editor/raftDocument';
import type { Node } from '../../src/extension/tree/entryTreeProvider';
import type { HostToWebview, PageTiming, WebviewToHost } from '../../src/shared/protocol';
import { api, closeAllEditors, waitFor } from '../../test/extension/raftFixtures';
import { RowCache } from '../../webview/editor/rowCache';
import {
  CONFIG_ENV, RESULT_ENV,
  type BenchConfig, type BenchLog, type BenchResults, type FilteredPage, type Jump, type LogResult, type PageRequest, type RunResult, type SlowCall, type Stall, type Timeline,
} from './results';

/** Request ids from here up are the bench's own; the webview's count up from 1. */
const BENCH_REQUEST_IDS = 1_000_000_000;
const STALL_MS = 100;
const SAMPLE_MS = 5;
const SLOW_CALL_MS = 20;
/** Text typed into the table's filter box for the filtered page request. */
const FILTER = 'update';

interface Binding {
  channel: { post(message: HostToWebview): void };
}

/** The private members of RaftEditorProvider the bench hooks into (checked at run time). */
interface ProviderInternals {
  sendRows(doc: RaftDocument, binding: Binding, requestId: number, start: number, count: number, filter?: string): Promise<void>;
  onMessage(doc: RaftDocument, binding: Binding, message: WebviewToHost): Promise<void>;
}

interface Observed extends PageRequest {
  doc: RaftDocument;
  binding: Binding;
  requestId: number;
  /** performance.now() when the reply had been posted. */
  at: number;
}

interface Mark {
  what: 'openCustomDocument' | 'resolveCustomEditor' | 'webviewReady' | 'firstGetRows';
  path: string;
  at: number;
  /** On webviewReady: the page's own times (ms since its navigation began). */
  timing?: PageTiming;
}

/** The hooks, installed once on the extension's live objects. */
class Observer {
  decoded = 0;
  readonly requests: Observed[] = [];
  readonly marks: Mark[] = [];
  readonly slowCalls: { what: string; at: number; ms: number }[] = [];
  readonly gcs: { at: number; ms: number }[] = [];
  readonly internals: ProviderInternals;
  private readonly instrumented = new WeakSet<object>();
  private readonly postedRows = new Map<number, number>();
  private readonly requestListeners = new Set<(r: Observed) => void>();
  private readonly postListeners = new Set<(requestId: number, rows: number) => void>();
  private readonly documentListeners = new Set<(doc: RaftDocument, at: number) => void>();

  constructor(readonly explorer: Explorer) {
    const provider = explorer.editors;
    this.internals = provider as unknown as ProviderInternals;
    if (typeof this.internals.sendRows !== 'function' || typeof this.internals.onMessage !== 'function') {
      throw new Error('RaftEditorProvider has no sendRows/onMessage any more: update the hooks of bench/extension/largeLog.bench.ts');
    }
    const openCustomDocument = provider.openCustomDocument;
    provider.openCustomDocument = (...args: Parameters<typeof provider.openCustomDocument>) => {
      this.marks.push({ what: 'openCustomDocument', path: args[0].fsPath, at: performance.now() });
      return openCustomDocument.apply(provider, args);
    };
    const resolveCustomEditor = provider.resolveCustomEditor;
    provider.resolveCustomEditor = (...args: Parameters<typeof provider.resolveCustomEditor>) => {
      this.marks.push({ what: 'resolveCustomEditor', path: args[0].filePath, at: performance.now() });
      return resolveCustomEditor.apply(provider, args);
    };
    const addDocument = explorer.addDocument;
    explorer.addDocument = (doc: RaftDocument) => {
      addDocument.call(explorer, doc);
      const at = performance.now();
      this.instrument(doc);
      doc.onDidChangeModel(() => this.instrument(doc));
      for (const l of this.documentListeners) l(doc, at);
    };
    const onMessage = this.internals.onMessage;
    this.internals.onMessage = (doc, binding, m) => {
      if (m.type === 'ready') this.marks.push({ what: 'webviewReady', path: doc.filePath, at: performance.now(), timing: m.timing });
      if (m.type === 'getRows' && m.requestId < BENCH_REQUEST_IDS) this.marks.push({ what: 'firstGetRows', path: doc.filePath, at: performance.now() });
      return onMessage.call(this.internals, doc, binding, m);
    };
    const sendRows = this.internals.sendRows;
    this.internals.sendRows = (doc, binding, requestId, start, count, filter) => {
      this.watchChannel(binding);
      const duringDecode = !(doc.model?.fullySummarized ?? true);
      const decodedBefore = this.decoded;
      const t = performance.now();
      const reply = sendRows.call(this.internals, doc, binding, requestId, start, count, filter);
      const at = performance.now();
      const r: Observed = {
        doc, binding, requestId, start, count, at, duringDecode,
        rows: this.postedRows.get(requestId) ?? -1, decoded: this.decoded - decodedBefore, handlerMs: at - t,
      };
      this.postedRows.delete(requestId);
      if (r.handlerMs > SLOW_CALL_MS) this.slowCalls.push({ what: `getRows ${start} (${r.decoded} decoded)`, at: t, ms: r.handlerMs });
      this.requests.push(r);
      for (const l of this.requestListeners) l(r);
      return reply;
    };
    const tree = explorer.tree;
    const getChildren = tree.getChildren;
    tree.getChildren = (node?: Node) => this.timed(`tree.getChildren(${node ? node.t : 'roots'})`, () => getChildren.call(tree, node));
    // Garbage collections are pauses too: listed with the calls, so a stall shows what it was made of.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        this.gcs.push({ at: e.startTime, ms: e.duration });
      }
    }).observe({ entryTypes: ['gc'] });
  }

  private timed<T>(what: string, f: () => T): T {
    const t = performance.now();
    try {
      return f();
    } finally {
      const ms = performance.now() - t;
      if (ms > SLOW_CALL_MS) this.slowCalls.push({ what, at: t, ms });
    }
  }

  /** Counts SwarmState.decodeEntry calls (every entry decoded for a row, a summary or the tree) and times overviews. */
  private instrument(doc: RaftDocument): void {
    const state: SwarmState | undefined = doc.shared?.state;
    if (state && !this.instrumented.has(state)) {
      this.instrumented.add(state);
      const decodeEntry = state.decodeEntry;
      state.decodeEntry = (entry) => {
        this.decoded++;
        return decodeEntry.call(state, entry);
      };
    }
    const model: FileModel | undefined = doc.model;
    if (model && !this.instrumented.has(model)) {
      this.instrumented.add(model);
      const overview = model.overview;
      model.overview = () => this.timed('model.overview', () => overview.call(model));
    }
  }

  /** Notes how many rows each reply carried (the channel posts synchronously inside the handler). */
  private watchChannel(binding: Binding): void {
    const channel = binding.channel;
    if (this.instrumented.has(channel)) return;
    this.instrumented.add(channel);
    const post = channel.post;
    channel.post = (message: HostToWebview) => {
      if (message.type === 'rows') {
        this.postedRows.set(message.requestId, message.rows.length);
        for (const l of this.postListeners) l(message.requestId, message.rows.length);
      }
      post.call(channel, message);
    };
  }

  nextDocument(match: (doc: RaftDocument) => boolean, timeoutMs: number): Promise<{ doc: RaftDocument; at: number }> {
    return this.waitFor(this.documentListeners, (doc, at) => (match(doc) ? { doc, at } : undefined), timeoutMs, 'the document');
  }

  /** The next answered request (after now) that `match` accepts. */
  nextRequest(match: (r: Observed) => boolean, timeoutMs: number, what: string): Promise<Observed> {
    return this.waitFor(this.requestListeners, (r) => (match(r) ? r : undefined), timeoutMs, what);
  }

  /** The reply to request `requestId` posted to the webview: when, and how many rows. */
  nextPost(requestId: number, timeoutMs: number): Promise<{ at: number; rows: number }> {
    return this.waitFor(this.postListeners, (id, rows) => (id === requestId ? { at: performance.now(), rows } : undefined), timeoutMs, `the reply to ${requestId}`);
  }

  /**
   * When the webview's page arrived and its script ran, in ms after `since`: the host's receipt of
   * 'ready' less the page's own intervals (the message's transit counts as page time).
   */
  pageMarks(path: string, since: number): { pageDocument: number; pageScript: number } {
    const m = this.marks.find((x) => x.what === 'webviewReady' && x.path === path && x.at >= since);
    if (!m?.timing) return { pageDocument: NaN, pageScript: NaN };
    return { pageDocument: m.at - since - (m.timing.readyMs - m.timing.documentMs), pageScript: m.at - since - (m.timing.readyMs - m.timing.scriptMs) };
  }

  /** The first mark of a kind for a file since `since`, in ms after `since`. */
  mark(what: Mark['what'], path: string, since: number): number {
    const m = this.marks.find((x) => x.what === what && x.path === path && x.at >= since);
    return m ? m.at - since : NaN;
  }

  private waitFor<A extends unknown[], T>(listeners: Set<(...args: A) => void>, pick: (...args: A) => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const listener = (...args: A) => {
        const v = pick(...args);
        if (v === undefined) return;
        listeners.delete(listener);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      listeners.add(listener);
    });
  }
}

/** Deterministic positions, the same in every run and VS Code. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Gaps of a 5 ms timer longer than STALL_MS: when the extension host could not answer anything. */
function stallSampler(t0: number): { stop(): { atMs: number; ms: number }[] } {
  const gaps: { atMs: number; ms: number }[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const gap = now - last - SAMPLE_MS;
    if (gap > STALL_MS) gaps.push({ atMs: last - t0, ms: gap });
    last = now;
  }, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      return gaps;
    },
  };
}

function loopMonitor(): IntervalHistogram {
  const h = monitorEventLoopDelay({ resolution: SAMPLE_MS });
  h.enable();
  return h;
}

function toPageRequest(r: Observed, latencyMs?: number): PageRequest {
  return { start: r.start, count: r.count, rows: r.rows, decoded: r.decoded, handlerMs: r.handlerMs, duringDecode: r.duringDecode, ...(latencyMs === undefined ? {} : { latencyMs }) };
}

describe('large logs in the extension host (issue #6)', function () {
  const config = JSON.parse(readFileSync(process.env[CONFIG_ENV] ?? '', 'utf8')) as BenchConfig;
  const pageSize = new RowCache(() => undefined).pageSize;
  const results: BenchResults = { vscodeVersion: vscode.version, startedAt: new Date().toISOString(), logs: [] };
  let explorer: Explorer;
  let forensics: ForensicsApi;
  let observer: Observer;
  let nextBenchId = BENCH_REQUEST_IDS;

  before(async () => {
    ({ explorer, forensics } = await api());
    observer = new Observer(explorer);
    // The Raft Log view on screen, as a user has it: the workbench then asks the tree for its items itself.
    await vscode.commands.executeCommand('workbench.view.extension.swarmRaft');
    await closeAllEditors();
  });

  after(async () => {
    await closeAllEditors();
    const out = process.env[RESULT_ENV];
    if (out) writeFileSync(out, JSON.stringify(results, null, 1));
  });

  /** A getRows through the provider's message handler with the webview's binding, queued as a message arrives. */
  function pageRequest(doc: RaftDocument, binding: Binding, start: number): Promise<PageRequest> {
    const queued = performance.now();
    return new Promise<PageRequest>((resolve, reject) => {
      setImmediate(() => {
        const requestId = nextBenchId++;
        const seen = observer.requests.length;
        observer.internals.onMessage(doc, binding, { type: 'getRows', requestId, start, count: pageSize }).catch(reject);
        const r = observer.requests.slice(seen).find((x) => x.requestId === requestId);
        if (!r) reject(new Error(`the getRows handler did not answer request ${requestId} at once`));
        else resolve(toPageRequest(r, r.at - queued));
      });
    });
  }

  async function runOnce(log: BenchLog, run: number): Promise<RunResult> {
    const uri = vscode.Uri.file(log.file);
    const rnd = random(0x5eed + run);
    const isOurs = (doc: RaftDocument) => doc.filePath === uri.fsPath;
    const isWebviewRequest = (r: Observed) => isOurs(r.doc) && r.requestId < BENCH_REQUEST_IDS;
    const docReady = observer.nextDocument(isOurs, 120_000);
    const firstPage = observer.nextRequest((r) => isWebviewRequest(r) && r.rows > 0, 120_000, 'the webview table\'s first page');
    firstPage.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
    const seenRequests = observer.requests.length;
    const seenSlow = observer.slowCalls.length;
    const seenGcs = observer.gcs.length;

    // A) open
    const t0 = performance.now();
    const sampler = stallSampler(t0);
    const opened = vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
    const { doc } = await docReady;
    // openCustomDocument returns at once; the index is read (in slices) once the editor's webview loads.
    await doc.opened;
    const modelAt = performance.now();
    const model = doc.model;
    assert.ok(model, `${log.file} has no model: ${doc.problem ?? '?'}`);
    const summarizedAtOpen = model.fullySummarized;
    let decodedAt = NaN;
    // Waits without opening the gate (whenSummarized would): decoding starts as it does for a user, at
    // the table's first page or after BACKGROUND_DECODING_DELAY_MS, whichever comes first.
    const decoded = doc.afterBackgroundDecoding().then(() => (decodedAt = performance.now()));

    // (1b) the Raft Log tree: roots, one group opened, and the workbench showing it so.
    if (explorer.activeDocument !== doc) explorer.setActive(doc);
    const roots = await waitFor('tree roots', () => {
      const r = explorer.tree.getChildren(undefined);
      return r.length > 0 && r;
    }, 60_000);
    const treeRootsAt = performance.now();
    const group = roots.find((n) => n.t === 'group') ?? roots[0];
    const children = explorer.tree.getChildren(group);
    for (const c of children) explorer.tree.getTreeItem(c);
    const treeLevelAt = performance.now();
    // The open's synchronous work is done (the stall sampler has it): from here the host should stay responsive.
    const loop = loopMonitor();
    let treeRevealAt = NaN;
    await Promise.race([
      Promise.resolve(explorer.view.reveal(group, { expand: true, select: false, focus: false })).then(() => (treeRevealAt = performance.now()), () => undefined),
      sleep(30_000),
    ]);

    // (1c) the table: the host has answered the webview's first request for rows.
    const first = await firstPage;
    await opened;
    assert.equal(first.rows, Math.min(pageSize, model.rowCount - first.start), 'the first page is full');
    const binding = first.binding;

    // (3) background decoding to its end, and half a second after (the tree and the overview refresh then).
    await decoded;
    await sleep(500);
    loop.disable();

    // (4) the State view: the store replayed from the snapshot through every entry (the view is open by
    // default; asking for its roots joins the replay it started, or starts it).
    const loopState = loopMonitor();
    assert.equal(forensics.stateTree.current?.shared, doc.shared, 'the State view follows the opened log');
    const stateRoots = await forensics.stateTree.getChildren();
    const stateAt = performance.now();
    loopState.disable();
    const stateKinds = stateRoots.filter((n) => n.t === 'kind');
    // The generated logs of small node updates never create their node: every entry is skipped, as the
    // reference's replay fails on them; the view says so.
    const stateMessages = stateRoots.flatMap((n) => (n.t === 'message' ? [n.label] : []));
    assert.ok(stateRoots.length > 0, 'the State view shows the store or why it cannot');

    // B) decode again (Reload From Disk); meanwhile pages at random positions, then jumps of the real table.
    const pages: PageRequest[] = [];
    const jumps: Jump[] = [];
    const reloadAt = performance.now();
    const reloaded = new Promise<void>((resolve) => {
      const sub = doc.onDidChangeModel(() => {
        sub.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('swarmRaft.reload', doc.uri);
    await reloaded;
    const loopB = loopMonitor();
    const modelB = doc.model;
    assert.ok(modelB && modelB !== model, 'Reload From Disk made a new model');
    let reloadDecodedAt = NaN;
    const decodedB = doc.whenSummarized().then(() => (reloadDecodedAt = performance.now()));
    const pageCount = Math.ceil(modelB.rowCount / pageSize);
    // A filtered page (the table's filter box): the host answers it once every entry is decoded. Not awaited here.
    const filterId = nextBenchId++;
    const filterDuringDecode = !modelB.fullySummarized;
    const filterSent = performance.now();
    const filterReply = observer.nextPost(filterId, 300_000);
    const filterHandled = observer.internals.onMessage(doc, binding, { type: 'getRows', requestId: filterId, start: 0, count: pageSize, filter: FILTER });
    for (let i = 0; i < config.pageRequests; i++) {
      const p = await pageRequest(doc, binding, Math.floor(rnd() * pageCount) * pageSize);
      assert.equal(p.rows, Math.min(pageSize, modelB.rowCount - p.start), `page at ${p.start}`);
      pages.push(p);
      await sleep(Math.floor(rnd() * 16));
    }
    // Jumps: the first is not timed. The webview still works through the replies to the page requests
    // above (it drops them, one by one): they are no part of a jump.
    const asked = new Set(observer.requests.filter(isWebviewRequest).map((r) => Math.floor(r.start / pageSize)));
    for (let i = -1; i < config.jumps && modelB.kind === 'wal' && asked.size < pageCount; i++) {
      let row = Math.floor(rnd() * modelB.rowCount);
      while (asked.has(Math.floor(row / pageSize))) row = Math.floor(rnd() * modelB.rowCount);
      asked.add(Math.floor(row / pageSize));
      const before = observer.requests.length;
      const duringDecode = !modelB.fullySummarized;
      const t = performance.now();
      const answered = observer.nextRequest((r) => isWebviewRequest(r) && r.start <= row && row < r.start + r.count && r.rows > 0, 10_000, `the page of row ${row}`);
      explorer.editors.post(doc, { type: 'select', seq: modelB.entryAt(row).seq });
      const hit = await answered.catch(() => undefined);
      const mine = observer.requests.slice(before).filter(isWebviewRequest);
      if (i >= 0) {
        jumps.push({
          roundTripMs: hit ? hit.at - t : NaN, requests: mine.length, maxDecoded: Math.max(0, ...mine.map((r) => r.decoded)), duringDecode,
          ...(hit ? {} : { timedOut: true }),
        });
      }
      await sleep(50);
    }
    await decodedB;
    const filtered = await filterReply;
    await filterHandled;
    const filteredPage: FilteredPage = { filter: FILTER, latencyMs: filtered.at - filterSent, rows: filtered.rows, duringDecode: filterDuringDecode };
    loopB.disable();
    for (let i = 0; i < config.pageRequests; i++) pages.push(await pageRequest(doc, binding, Math.floor(rnd() * pageCount) * pageSize));

    const slowCalls: SlowCall[] = observer.slowCalls.slice(seenSlow).map((c) => ({ what: c.what, atMs: c.at - t0, ms: c.ms }));
    const gcs = observer.gcs.slice(seenGcs).map((g) => ({ atMs: g.at - t0, ms: g.ms }));
    const overlap = (a: { atMs: number; ms: number }, b: { atMs: number; ms: number }) => Math.max(0, Math.min(a.atMs + a.ms, b.atMs + b.ms) - Math.max(a.atMs, b.atMs));
    const stalls: Stall[] = sampler.stop().map((g) => ({
      ...g,
      // A stall is counted where it began (its last tick before the gap): one that began in the State
      // view's phase is the State view's even if it ran on past the reload's start (it was: the objects'
      // first listing, 300-400 ms, before 2026-12-07); the reload's own starts within a tick of reloadAt.
      phase: g.atMs < modelAt - t0 ? 'open' : g.atMs + g.ms < decodedAt - t0 ? 'decode'
        : g.atMs < reloadAt - t0 - SAMPLE_MS ? 'state' : g.atMs <= reloadAt - t0 + SAMPLE_MS ? 'reload-index' : 'reload',
      gcMs: gcs.reduce((n, x) => n + overlap(g, x), 0),
      calls: slowCalls.filter((c) => overlap(g, c) > 0).map((c) => `${c.what} ${c.ms.toFixed(0)} ms`),
    }));
    const webviewRequests = observer.requests.slice(seenRequests).filter(isWebviewRequest).map((r) => toPageRequest(r));
    const timeline: Timeline = {
      openCustomDocument: observer.mark('openCustomDocument', uri.fsPath, t0), model: modelAt - t0,
      resolveCustomEditor: observer.mark('resolveCustomEditor', uri.fsPath, t0), webviewReady: observer.mark('webviewReady', uri.fsPath, t0),
      ...observer.pageMarks(uri.fsPath, t0),
      firstGetRows: observer.mark('firstGetRows', uri.fsPath, t0), firstPage: first.at - t0,
      treeRoots: treeRootsAt - t0, treeLevel: treeLevelAt - t0, treeReveal: treeRevealAt - t0, decoded: decodedAt - t0, stateView: stateAt - t0,
      decodingStart: summarizedAtOpen ? modelAt - t0 : Math.min(first.at, modelAt + BACKGROUND_DECODING_DELAY_MS) - t0,
    };

    await closeAllEditors();
    await waitFor('the document to close', () => explorer.documents.size === 0, 60_000);
    return {
      rowCount: model.rowCount, timeline, treeRoots: roots.length, treeLevelChildren: children.length,
      firstPageRows: first.rows, firstPageDecoded: first.decoded,
      loopMaxMs: loop.max / 1e6, loopP99Ms: loop.percentile(99) / 1e6,
      stateLoopMaxMs: loopState.max / 1e6, stateLoopP99Ms: loopState.percentile(99) / 1e6,
      stateObjects: stateKinds.reduce((n, k) => n + (k.t === 'kind' ? k.group.count : 0), 0), stateMessages,
      reloadDecodeMs: reloadDecodedAt - reloadAt, reloadLoopMaxMs: loopB.max / 1e6, reloadLoopP99Ms: loopB.percentile(99) / 1e6,
      reloadMs: reloadAt - t0, filteredPage, stalls, slowCalls, pages, webviewRequests, jumps,
      gcMs: gcs.reduce((n, x) => n + x.ms, 0), gcMaxMs: Math.max(0, ...gcs.map((x) => x.ms)),
    };
  }

  for (const log of config.logs) {
    it(`${log.name}: opens, shows the tree and the table, pages, decodes in the background`, async () => {
      const result: LogResult = { log, pageSize, runs: [] };
      results.logs.push(result);
      for (let run = 0; run < config.runs; run++) {
        const r = await runOnce(log, run);
        result.runs.push(r);
        const t = r.timeline;
        const maxDecoded = Math.max(...r.pages.map((p) => p.decoded), ...r.webviewRequests.map((p) => p.decoded));
        console.log(`    ${log.name} run ${run + 1}/${config.runs}: model ${t.model.toFixed(0)} ms (${r.rowCount} rows), tree ${t.treeLevel.toFixed(0)} ms (workbench ${t.treeReveal.toFixed(0)} ms), first page ${t.firstPage.toFixed(0)} ms, decoded ${t.decoded.toFixed(0)} ms, loop max ${r.loopMaxMs.toFixed(0)} ms, State view ${t.stateView.toFixed(0)} ms (${[`${r.stateObjects} objects`, ...r.stateMessages].join(', ')}, loop max ${r.stateLoopMaxMs.toFixed(0)} ms); max decoded per page request ${maxDecoded}`);
      }
    });
  }
});
