// One opened .wal or .snap file. It finds its state directory from its path, shares that directory's
// SwarmState with the other open files (StateRegistry) and keeps a FileModel of what it shows. When the
// shared state is reopened (unlocked, reloaded) the model is rebuilt and listeners are told.
// Construction only checks the path and the file's first bytes; load() reads the state directory (the
// WAL index: most of a second for a large log, in slices) and builds the model, so the editor's webview
// starts while the index is read.
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import * as vscode from 'vscode';
import { findStateDir, type StateLayout } from '../../core/state/layout';
import { probeRaftFile } from '../../core/state/probe';
import { FileModel, type FileKind } from '../../core/view/fileModel';
import type { SharedState, StateRegistry } from '../state/stateRegistry';
import type { Log } from '../log';

/** Logs above this many entries are counted in the background after the first overview. */
const SYNC_SUMMARY_LIMIT = 2000;
/**
 * Background decoding of a large log waits for the table's first page (or this long, or anyone who needs
 * every entry decoded): while a log opens, the window is still loading the webview and drawing the tree on
 * the same two cores, and decoding then only delays what the user is waiting to see.
 */
export const BACKGROUND_DECODING_DELAY_MS = 1500;

export class RaftDocument implements vscode.CustomDocument {
  readonly filePath: string;
  readonly fileName: string;
  readonly kind: FileKind | undefined;
  shared?: SharedState;
  /** Why the file cannot be shown as Swarm Raft data (then `model` is undefined). */
  problem?: string;
  model?: FileModel;
  /** The key flow started when the editor opened (stored unlock key or prompt); tests await it. */
  keyFlow?: Promise<unknown>;
  /** Seq of the entry (or snapshot object position) last selected in the editor or the tree. */
  selectedSeq?: number;
  /**
   * Resolves when the document is open: its state directory read and the model built, or a problem found
   * (also when it is closed first). Starts nothing: see load().
   */
  readonly opened: Promise<void>;
  private markOpened!: () => void;
  private isOpen = false;
  private loading?: Promise<void>;
  /** The state directory load() reads; undefined when the path alone tells it is not Swarm Raft data. */
  private readonly layout?: StateLayout;
  private isDisposed = false;
  private version = 0;
  private summarizing?: Promise<boolean>;
  /** Opens the gate background decoding waits behind (see BACKGROUND_DECODING_DELAY_MS). */
  private startDecoding?: () => void;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly counted = new vscode.EventEmitter<void>();
  private readonly disposed = new vscode.EventEmitter<void>();
  private readonly didOpen = new vscode.EventEmitter<void>();
  /** The model was built or rebuilt (opened, state reopened), or a problem found: everything shown must be refreshed. */
  readonly onDidChangeModel = this.changed.event;
  /** Background decoding of every entry finished (counts and action/kind grouping are complete). */
  readonly onDidFinishCounting = this.counted.event;
  /** load() finished: `model` (and `shared`) or `problem` is set. */
  readonly onDidOpen = this.didOpen.event;
  readonly onDidDispose = this.disposed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly uri: vscode.Uri,
    private readonly registry: StateRegistry,
    private readonly log: Log,
  ) {
    this.filePath = uri.fsPath;
    this.fileName = basename(this.filePath);
    const ext = extname(this.fileName).toLowerCase();
    this.kind = ext === '.wal' ? 'wal' : ext === '.snap' ? 'snap' : undefined;
    this.opened = new Promise<void>((resolve) => (this.markOpened = resolve));
    this.layout = this.locate();
    if (!this.layout) this.finishOpen();
  }

  /** True until load() has finished: the file is being read. */
  get isOpening(): boolean {
    return !this.isOpen;
  }

  /** Checks the path and the first bytes (cheap): the state directory to read, or undefined with `problem` set. */
  private locate(): StateLayout | undefined {
    if (this.uri.scheme !== 'file') {
      this.problem = `${this.uri.toString()}: only files on disk can be read as Swarm Raft data.`;
      return undefined;
    }
    if (!this.kind) {
      this.problem = `${this.fileName} is not a .wal or .snap file.`;
      return undefined;
    }
    // What the file is, from its first bytes: another program's WAL or a Jest snapshot is told as such.
    const probe = probeRaftFile(this.filePath);
    if (probe.kind === 'unknown') {
      this.problem = `${this.filePath}:${probe.offset ?? 0}: ${probe.reason ?? 'not Swarm Raft data'}`;
      return undefined;
    }
    const layout = findStateDir(this.filePath);
    if (!layout) {
      this.problem = `${this.fileName} looks like an etcd ${probe.kind === 'wal' ? 'WAL segment' : 'snapshot'}, but it is not inside a swarm state directory (no raft/wal-v3-encrypted, raft/wal-v3 or raft/wal folder around it): open it in a copy of the whole state directory (raft/ and certificates/).`;
      return undefined;
    }
    const expectedDir = this.kind === 'wal' ? layout.walDir : layout.snapDir;
    if (!sameDir(dirname(this.filePath), expectedDir)) {
      this.problem = `This is not Swarm Raft data: ${this.fileName} is not in ${expectedDir}, where the ${this.kind === 'wal' ? 'WAL segments' : 'snapshots'} of ${layout.stateDir} are.`;
      return undefined;
    }
    return layout;
  }

  /**
   * Reads the state directory (or shares the state another document of it holds) and builds the model,
   * the index in slices with turns of the event loop between them. Runs once; every call returns `opened`.
   */
  load(): Promise<void> {
    if (!this.loading) {
      this.loading = this.opened;
      if (!this.isOpen) void this.read();
    }
    return this.loading;
  }

  private async read(): Promise<void> {
    const layout = this.layout!;
    try {
      let shared: SharedState;
      try {
        shared = await this.registry.acquire(layout.stateDir);
      } catch (e) {
        this.problem = `Cannot read ${layout.stateDir}: ${(e as Error).message}`;
        return;
      }
      // The model is built in a task of its own, not in the index's last slice.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.isDisposed) {
        this.registry.release(shared);
        return;
      }
      const state = shared.state;
      const known = this.kind === 'wal'
        ? state.wal.segments.some((s) => s.name === this.fileName)
        : state.snapshotFiles.some((f) => f.name === this.fileName);
      if (!known) {
        const why = this.kind === 'wal'
          ? state.wal.ignored.find((i) => i.name === this.fileName)?.reason ?? 'its name is not <sequence>-<index>.wal'
          : 'its name is not <term>-<index>.snap';
        this.problem = `This is not Swarm Raft data: ${this.fileName} is not a ${this.kind === 'wal' ? 'WAL segment' : 'snapshot'} of ${layout.stateDir} (${why}).`;
        this.registry.release(shared);
        return;
      }
      this.shared = shared;
      this.subscriptions.push(shared.onDidChange(() => this.rebuild()));
      this.rebuild();
    } catch (e) {
      this.problem = `${this.filePath}: cannot be shown: ${(e as Error).message}`;
      this.log.error(this.problem);
    } finally {
      // A problem found here (not by rebuild(), which tells itself): the tree and the editor show it.
      if (!this.isDisposed && this.problem && !this.shared) this.changed.fire();
      this.finishOpen();
    }
  }

  private finishOpen(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    if (!this.isDisposed) this.didOpen.fire();
    this.markOpened();
  }

  /** Builds the model from the current shared state; small logs are decoded at once, large ones in the background. */
  private rebuild(): void {
    if (!this.shared || !this.kind) return;
    const version = ++this.version;
    let size: number;
    try {
      size = statSync(this.filePath).size;
    } catch {
      size = 0;
    }
    let model: FileModel;
    try {
      model = new FileModel(this.shared.state, this.filePath, this.kind, size);
      if (model.kind === 'wal' && model.rowCount <= SYNC_SUMMARY_LIMIT) for (let r = 0; r < model.rowCount; r++) model.summary(r);
    } catch (e) {
      // The reader reports problems as faults; anything thrown is a bug, shown rather than crashing the editor.
      this.problem = `${this.filePath}: cannot be shown: ${(e as Error).message}`;
      this.log.error(this.problem);
      this.model = undefined;
      this.changed.fire();
      return;
    }
    this.problem = undefined;
    this.model = model;
    if (model.fullySummarized) {
      this.summarizing = Promise.resolve(true);
    } else {
      this.startDecoding?.(); // the previous model's gate: its decoding sees the new version and stops
      const gate = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, BACKGROUND_DECODING_DELAY_MS);
        this.startDecoding = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.summarizing = gate.then(async () => {
        const started = Date.now();
        const done = await model.summarizeAll(() => version !== this.version);
        if (done && version === this.version) {
          this.log.info(`${this.fileName}: decoded ${model.rowCount} entries in ${Date.now() - started} ms`);
          this.counted.fire();
        }
        return done;
      });
    }
    this.changed.fire();
  }

  /**
   * Resolves when the document has been read and the background decoding of its model has ended (all
   * decoded, or stopped for a newer model), or the document closed; without hurrying either: work that can
   * wait (the State view's replay) then does not run beside them on the extension host's thread (together
   * they took the 4-segment log's first page from 1.2 to 3.9 s and its decoding from 2.6 to 14.5 s, mostly
   * garbage collection). A document not read yet counts: its editor reads it as soon as it shows.
   */
  async afterBackgroundDecoding(): Promise<void> {
    if (this.isDisposed) return;
    let subscription: vscode.Disposable | undefined;
    const closed = new Promise<void>((resolve) => (subscription = this.onDidDispose(() => resolve())));
    try {
      await Promise.race([this.opened, closed]);
      for (;;) {
        const model = this.model;
        await Promise.race([this.summarizing, closed]);
        if (this.isDisposed || this.model === model) return;
      }
    } finally {
      // Asked between every slice of a replay: no listener may outlive the call.
      subscription?.dispose();
    }
  }

  /** The table has shown its first page: background decoding need not wait any longer. */
  firstPageShown(): void {
    this.startDecoding?.();
  }

  /** Resolves when every entry of the current model is decoded (for filters and action/kind grouping); loads the document first. */
  async whenSummarized(): Promise<FileModel | undefined> {
    await this.load();
    for (;;) {
      const model = this.model;
      this.startDecoding?.();
      await this.summarizing;
      if (this.model === model) return model;
    }
  }

  dispose(): void {
    this.isDisposed = true;
    this.version++;
    this.startDecoding?.(); // clears the gate's timer; the waiting decoding sees the new version and stops
    this.disposed.fire();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.counted.dispose();
    this.disposed.dispose();
    this.didOpen.dispose();
    this.finishOpen();
    this.model = undefined;
    if (this.shared) this.registry.release(this.shared);
    this.shared = undefined;
  }
}

function sameDir(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
