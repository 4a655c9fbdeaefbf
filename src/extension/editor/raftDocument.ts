// One opened .wal or .snap file. It finds its state directory from its path, shares that directory's
// SwarmState with the other open files (StateRegistry) and keeps a FileModel of what it shows. When the
// shared state is reopened (unlocked, reloaded) the model is rebuilt and listeners are told.
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import * as vscode from 'vscode';
import { findStateDir } from '../../core/state/layout';
import { probeRaftFile } from '../../core/state/probe';
import { FileModel, type FileKind } from '../../core/view/fileModel';
import type { SharedState, StateRegistry } from '../state/stateRegistry';
import type { Log } from '../log';

/** Logs above this many entries are counted in the background after the first overview. */
const SYNC_SUMMARY_LIMIT = 2000;

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
  private version = 0;
  private summarizing?: Promise<boolean>;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly counted = new vscode.EventEmitter<void>();
  private readonly disposed = new vscode.EventEmitter<void>();
  /** The model was rebuilt (state reopened): everything shown must be refreshed. */
  readonly onDidChangeModel = this.changed.event;
  /** Background decoding of every entry finished (counts and action/kind grouping are complete). */
  readonly onDidFinishCounting = this.counted.event;
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
    this.open();
  }

  private open(): void {
    if (this.uri.scheme !== 'file') {
      this.problem = `${this.uri.toString()}: only files on disk can be read as Swarm Raft data.`;
      return;
    }
    if (!this.kind) {
      this.problem = `${this.fileName} is not a .wal or .snap file.`;
      return;
    }
    // What the file is, from its first bytes: another program's WAL or a Jest snapshot is told as such.
    const probe = probeRaftFile(this.filePath);
    if (probe.kind === 'unknown') {
      this.problem = `${this.filePath}:${probe.offset ?? 0}: ${probe.reason ?? 'not Swarm Raft data'}`;
      return;
    }
    const layout = findStateDir(this.filePath);
    if (!layout) {
      this.problem = `${this.fileName} looks like an etcd ${probe.kind === 'wal' ? 'WAL segment' : 'snapshot'}, but it is not inside a swarm state directory (no raft/wal-v3-encrypted, raft/wal-v3 or raft/wal folder around it): open it in a copy of the whole state directory (raft/ and certificates/).`;
      return;
    }
    const expectedDir = this.kind === 'wal' ? layout.walDir : layout.snapDir;
    if (!sameDir(dirname(this.filePath), expectedDir)) {
      this.problem = `This is not Swarm Raft data: ${this.fileName} is not in ${expectedDir}, where the ${this.kind === 'wal' ? 'WAL segments' : 'snapshots'} of ${layout.stateDir} are.`;
      return;
    }
    try {
      this.shared = this.registry.acquire(layout.stateDir);
    } catch (e) {
      this.problem = `Cannot read ${layout.stateDir}: ${(e as Error).message}`;
      return;
    }
    const state = this.shared.state;
    const known = this.kind === 'wal'
      ? state.wal.segments.some((s) => s.name === this.fileName)
      : state.snapshotFiles.some((f) => f.name === this.fileName);
    if (!known) {
      const why = this.kind === 'wal'
        ? state.wal.ignored.find((i) => i.name === this.fileName)?.reason ?? 'its name is not <sequence>-<index>.wal'
        : 'its name is not <term>-<index>.snap';
      this.problem = `This is not Swarm Raft data: ${this.fileName} is not a ${this.kind === 'wal' ? 'WAL segment' : 'snapshot'} of ${layout.stateDir} (${why}).`;
      this.registry.release(this.shared);
      this.shared = undefined;
      return;
    }
    this.subscriptions.push(this.shared.onDidChange(() => this.rebuild()));
    this.rebuild();
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
      if (version > 1) this.changed.fire();
      return;
    }
    this.problem = undefined;
    this.model = model;
    if (model.fullySummarized) {
      this.summarizing = Promise.resolve(true);
    } else {
      const started = Date.now();
      this.summarizing = model.summarizeAll(() => version !== this.version).then((done) => {
        if (done && version === this.version) {
          this.log.info(`${this.fileName}: decoded ${model.rowCount} entries in ${Date.now() - started} ms`);
          this.counted.fire();
        }
        return done;
      });
    }
    if (version > 1) this.changed.fire();
  }

  /** Resolves when every entry of the current model is decoded (for filters and action/kind grouping). */
  async whenSummarized(): Promise<FileModel | undefined> {
    for (;;) {
      const model = this.model;
      await this.summarizing;
      if (this.model === model) return model;
    }
  }

  dispose(): void {
    this.version++;
    this.disposed.fire();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.counted.dispose();
    this.disposed.dispose();
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
