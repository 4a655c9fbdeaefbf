// Forensics state of one shared state directory: the State tree's timeline (chosen snapshot and index)
// and the object catalog, both rebuilt when the directory is reopened (unlocked, reloaded, keys added).
import * as vscode from 'vscode';
import { objectCatalog, StateTimeline, timeTravelRange, type CatalogObject, type TimeTravelRange } from '../../core/forensics';
import type { ReplayedStore } from '../../core/store/replay';
import type { SwarmState } from '../../core/state/swarmState';
import type { SharedState } from '../state/stateRegistry';

/** Entries replayed between two looks at the clock (a few milliseconds of work). */
const REPLAY_CHUNK = 100n;
/**
 * How long the replay runs before it yields to the event loop, as the log's background decoding does.
 * Steps of 2,000 entries took 250-340 ms each in the extension host on the benchmark's 4-segment log.
 */
const REPLAY_SLICE_MS = 20;

/** Where replays start: the newest snapshot at or below the index (default), none, or a named snapshot file. */
export type SnapshotChoice = undefined | false | string;

/** One replay of the session's timeline to an index (see storeInSteps). */
interface ReplayJob {
  timeline: StateTimeline;
  index: bigint | undefined;
  result: Promise<ReplayedStore | undefined>;
}

export class ForensicsSession implements vscode.Disposable {
  private timeline?: StateTimeline;
  private replay?: ReplayJob;
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

  /** `settled`: resolves when no log is being read or decoded (see Forensics.documentsSettled). */
  constructor(readonly shared: SharedState, private readonly settled: () => Promise<unknown> = async () => undefined) {
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
   * The same store, rebuilt in slices of REPLAY_SLICE_MS with a yield to the event loop between them:
   * replaying a 100k-entry log takes seconds, and the extension host must keep serving the editor, the
   * Raft Log tree and the webviews meanwhile. Callers share one replay: the State tree rebuilds on every
   * refresh and the detail view asks too, and two replays stepping one timeline in turn would each take
   * it back to its own index, from the snapshot, at every slice. Resolves undefined when a replay to
   * another index or of a reopened state took over.
   */
  storeInSteps(): Promise<ReplayedStore | undefined> {
    this.timeline ??= new StateTimeline(this.state, { snapshot: this.snapshot });
    const current = this.replay;
    if (current && current.timeline === this.timeline && current.index === this.index) return current.result;
    const job: ReplayJob = { timeline: this.timeline, index: this.index, result: Promise.resolve(undefined) };
    this.replay = job;
    job.result = this.replayInSlices(job);
    return job.result;
  }

  /** The replay, after and between logs being read or decoded (they go first: see `settled`). */
  private async replayInSlices(job: ReplayJob): Promise<ReplayedStore | undefined> {
    const superseded = (): boolean => this.replay !== job || job.timeline !== this.timeline;
    await this.settled();
    if (superseded()) return undefined;
    const { min, max } = this.range();
    const target = job.index ?? max;
    let sliceStart = performance.now();
    for (let at = min + REPLAY_CHUNK; at < target; at += REPLAY_CHUNK) {
      job.timeline.at(at);
      if (performance.now() - sliceStart < REPLAY_SLICE_MS) continue;
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.settled();
      if (superseded()) return undefined;
      sliceStart = performance.now();
    }
    return job.timeline.at(job.index);
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
