// Following an opened state directory while its manager writes: the WAL by its appended bytes
// (src/core/wal/walFollow.ts) and the snapshot directory by its names. Read-only, like every open.
import { WalFollower, type WalFollowOptions, type WalUpdate } from '../wal/walFollow';
import type { SwarmState } from './swarmState';

export interface StateUpdate extends WalUpdate {
  snapshotsAdded: string[];
  snapshotsGone: string[];
}

export class StateFollower {
  private readonly wal: WalFollower;

  constructor(readonly state: SwarmState, options: WalFollowOptions = {}) {
    this.wal = new WalFollower(state.wal, options);
    state.useSmallReadWindows();
  }

  poll(nowMs = Date.now()): StateUpdate {
    // Snapshots first: SwarmKit writes the snap file before the WAL's snapshot record that points at it.
    const snapshots = this.state.refreshSnapshots();
    const wal = this.wal.poll(nowMs);
    const changed = wal.changed || snapshots.added.length > 0 || snapshots.gone.length > 0;
    // A cached window of the newest segment holds the zeros that were there before the append.
    if (wal.newRecords > 0 || wal.segmentsGone.length > 0) this.state.dropFileWindows();
    return { ...wal, changed, snapshotsAdded: snapshots.added, snapshotsGone: snapshots.gone };
  }
}
