// Forensics state of one shared state directory: the State tree's timeline (chosen snapshot and index)
// and the object catalog, both rebuilt when the directory is reopened (unlocked, reloaded, keys added).
import * as vscode from 'vscode';
import { objectCatalog, StateTimeline, timeTravelRange, type CatalogObject, type TimeTravelRange } from '../../core/forensics';
import type { ReplayedStore } from '../../core/store/replay';
import type { SwarmState } from '../../core/state/swarmState';
import type { SharedState } from '../state/stateRegistry';

/** Entries replayed between two yields to the event loop (a few tens of milliseconds of work). */
const REPLAY_STEP = 2000n;

/** Where replays start: the newest snapshot at or below the index (default), none, or a named snapshot file. */
export type SnapshotChoice = undefined | false | string;

export class ForensicsSession implements vscode.Disposable {
  private timeline?: StateTimeline;
  private catalogCache?: CatalogObject[];
  private readonly changed = new vscode.EventEmitter<void>();
  /** The state was reopened, or the index or snapshot changed. */
  readonly onDidChange = this.changed.event;
  /** The index the State tree shows; undefined: the end of the log. */
  index?: bigint;
  snapshot: SnapshotChoice;
  /** The Raft file of this swarm last active: reopened for the detail view when none is open. */
  lastFile?: vscode.Uri;
  private readonly subscription: vscode.Disposable;

  constructor(readonly shared: SharedState) {
    this.subscription = shared.onDidChange(() => {
      this.timeline = undefined;
      this.catalogCache = undefined;
      this.changed.fire();
    });
  }

  get state(): SwarmState {
    return this.shared.state;
  }

  range(): TimeTravelRange {
    return timeTravelRange(this.state);
  }

  /** The store at the chosen index (shared: it changes on the next call). Throws when it cannot be rebuilt. */
  store(): ReplayedStore {
    this.timeline ??= new StateTimeline(this.state, { snapshot: this.snapshot });
    return this.timeline.at(this.index);
  }

  /**
   * The same store, rebuilt in steps of REPLAY_STEP entries with a yield to the event loop between them:
   * replaying a 100k-entry log takes seconds, and the extension host must keep serving the editor, the
   * Raft Log tree and the webviews meanwhile.
   */
  async storeInSteps(token?: { cancelled: boolean }): Promise<ReplayedStore | undefined> {
    this.timeline ??= new StateTimeline(this.state, { snapshot: this.snapshot });
    const timeline = this.timeline;
    const { min, max } = this.range();
    const target = this.index ?? max;
    for (let at = min + REPLAY_STEP; at < target; at += REPLAY_STEP) {
      timeline.at(at);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (token?.cancelled || timeline !== this.timeline) return undefined;
    }
    return timeline.at(this.index);
  }

  /** A store of its own at `index`, for diff documents (not moved by the State tree). */
  storeAt(index: bigint | undefined, snapshot: SnapshotChoice = this.snapshot): ReplayedStore {
    return new StateTimeline(this.state, { snapshot }).at(index);
  }

  catalog(): CatalogObject[] {
    this.catalogCache ??= objectCatalog(this.state);
    return this.catalogCache;
  }

  goTo(index: bigint | undefined): void {
    this.index = index;
    this.changed.fire();
  }

  chooseSnapshot(snapshot: SnapshotChoice): void {
    this.snapshot = snapshot;
    this.timeline = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
