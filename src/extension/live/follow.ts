// "Follow" in the Raft Log view: while on, the active document's state directory is watched (fs.watch,
// with polling as the fallback where events do not come, e.g. network file systems) and each change
// indexes only the appended bytes (StateFollower); the tree, the table and the State view are rebuilt from
// the grown state. A status bar item tells the pace: entries/s, last index, term, leader changes seen.
// Read-only like every open: nothing in the directory is locked or written.
import { watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { StateFollower, type StateUpdate } from '../../core/state/stateFollower';
import type { SwarmState } from '../../core/state/swarmState';
import type { Explorer } from '../context';
import type { RaftDocument } from '../editor/raftDocument';
import { VIEW_TYPE } from '../editor/rawEditorProvider';
import type { SharedState } from '../state/stateRegistry';

/** Polls this often even without file events. */
const POLL_MS = 250;
/** File events closer than this are one poll. */
const DEBOUNCE_MS = 30;
/** entries/s is measured over this window. */
const RATE_WINDOW_MS = 5000;

interface Following {
  doc: RaftDocument;
  shared: SharedState;
  state: SwarmState;
  follower: StateFollower;
  watchers: FSWatcher[];
  timer: NodeJS.Timeout;
  debounce?: NodeJS.Timeout;
  recent: { at: number; entries: number }[];
  lastTerm: bigint;
  leaderChanges: number;
  subscriptions: vscode.Disposable[];
}

export class LiveFollow implements vscode.Disposable {
  private following?: Following;
  private readonly status = vscode.window.createStatusBarItem('swarmRaft.following', vscode.StatusBarAlignment.Left, 20);
  private readonly updated = new vscode.EventEmitter<StateUpdate>();
  /** A poll found something new (tests wait on it). */
  readonly onDidUpdate = this.updated.event;

  constructor(private readonly explorer: Explorer) {
    this.status.name = 'Swarm Raft: Following';
    this.status.command = 'swarmRaft.stopFollowing';
    void vscode.commands.executeCommand('setContext', 'swarmRaft.following', false);
  }

  get isFollowing(): boolean {
    return this.following !== undefined;
  }

  async start(doc: RaftDocument): Promise<void> {
    await doc.load();
    const shared = doc.shared;
    if (!shared) {
      void vscode.window.showWarningMessage(`${doc.fileName} cannot be followed: ${doc.problem ?? 'it is not open'}`);
      return;
    }
    this.stop();
    const f: Following = {
      doc, shared, state: shared.state, follower: new StateFollower(shared.state), watchers: [],
      timer: setInterval(() => this.poll(), POLL_MS), recent: [], lastTerm: lastTerm(shared.state), leaderChanges: 0, subscriptions: [],
    };
    for (const dir of [shared.state.layout.walDir, shared.state.layout.snapDir]) {
      try {
        const w = watch(dir, { persistent: false }, () => this.soon());
        w.on('error', () => w.close()); // the polling goes on
        f.watchers.push(w);
      } catch {
        // No events here (or no snap dir yet): polling alone.
      }
    }
    f.subscriptions.push(doc.onDidDispose(() => this.stop()));
    this.following = f;
    void vscode.commands.executeCommand('setContext', 'swarmRaft.following', true);
    this.explorer.log.info(`following ${shared.stateDir}`);
    this.show();
    this.status.show();
  }

  stop(): void {
    const f = this.following;
    if (!f) return;
    this.following = undefined;
    clearInterval(f.timer);
    if (f.debounce) clearTimeout(f.debounce);
    for (const w of f.watchers) w.close();
    for (const s of f.subscriptions) s.dispose();
    this.status.hide();
    void vscode.commands.executeCommand('setContext', 'swarmRaft.following', false);
    this.explorer.log.info(`stopped following ${f.shared.stateDir}`);
  }

  private soon(): void {
    const f = this.following;
    if (!f || f.debounce) return;
    f.debounce = setTimeout(() => {
      f.debounce = undefined;
      this.poll();
    }, DEBOUNCE_MS);
  }

  /** Reads what was appended; tells the views when anything changed. */
  poll(): void {
    const f = this.following;
    if (!f) return;
    if (f.shared.state !== f.state) {
      // Reopened meanwhile (unlocked, reloaded): follow the new state from where it was read.
      f.state = f.shared.state;
      f.follower = new StateFollower(f.state);
    }
    let update: StateUpdate;
    try {
      update = f.follower.poll();
    } catch (e) {
      this.explorer.log.error(`following ${f.shared.stateDir}: ${(e as Error).message}`);
      return;
    }
    const now = Date.now();
    f.recent.push({ at: now, entries: update.newRecords });
    while (f.recent.length > 0 && f.recent[0].at < now - RATE_WINDOW_MS) f.recent.shift();
    if (!update.changed) {
      this.show();
      return;
    }
    const term = lastTerm(f.state);
    if (term > f.lastTerm) f.leaderChanges++;
    f.lastTerm = term;
    for (const fault of update.faults) this.explorer.log.warn(`${fault.file}:${fault.offset}: ${fault.message}`);
    f.shared.grew();
    this.show(update);
    this.updated.fire(update);
    if (update.segmentsAdded.length > 0) void this.openNewestSegment(f);
  }

  /** The log rolled over into a new segment: the editor moves on to it, as `tail -f` would. */
  private async openNewestSegment(f: Following): Promise<void> {
    const segments = f.state.wal.segments;
    const newest = segments[segments.length - 1];
    if (!newest || f.doc.kind !== 'wal' || f.doc.fileName === newest.name) return;
    const uri = vscode.Uri.file(newest.path);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, { preview: false, preserveFocus: true });
    const next = this.explorer.documentFor(uri.toString());
    if (next && this.following === f) {
      f.doc = next;
      f.subscriptions.push(next.onDidDispose(() => this.stop()));
    }
  }

  private show(update?: StateUpdate): void {
    const f = this.following;
    if (!f) return;
    const span = Math.max(1, Math.min(RATE_WINDOW_MS, Date.now() - (f.recent[0]?.at ?? Date.now()))) / 1000;
    const rate = f.recent.reduce((n, r) => n + r.entries, 0) / span;
    const seqs = f.state.wal.effectiveSeqs;
    const last = seqs.length ? f.state.wal.table.index(seqs.at(seqs.length - 1)) : 0n;
    this.status.text = `$(pulse) ${rate.toFixed(rate < 10 ? 1 : 0)} entries/s · #${last} · term ${f.lastTerm} · ${f.leaderChanges} leader change${f.leaderChanges === 1 ? '' : 's'}`;
    const pending = update?.pending ? `\n\nA record at ${basename(update.pending.file)}:${update.pending.offset} is still being written.` : '';
    this.status.tooltip = `Following ${f.shared.stateDir} (read-only). Click to stop.${pending}`;
  }

  dispose(): void {
    this.stop();
    this.status.dispose();
    this.updated.dispose();
  }
}

function lastTerm(state: SwarmState): bigint {
  const seqs = state.wal.effectiveSeqs;
  return seqs.length ? state.wal.table.term(seqs.at(seqs.length - 1)) : state.wal.hardState?.term ?? 0n;
}
