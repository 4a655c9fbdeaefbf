// One SwarmState per state directory, shared by every user of that directory and counted by reference:
// its Raft documents, object and history documents, the State view, exports in progress. Unlocking (or
// picking another node key) reopens the state and tells every document; the last user to let go drops
// the state and wipes its data keys from memory. Nothing is ever written
// to the directory: the core opens every file read-only.
import * as vscode from 'vscode';
import { SwarmState, type OpenOptions } from '../../core/state/swarmState';
import type { KeyStatus } from '../../core/keys/keyRing';

export class SharedState implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fired after the state was reopened (unlocked, other key file, reload). */
  readonly onDidChange = this.changed.event;
  refs = 0;
  /** A node key picked by the user when certificates/swarm-node.key is missing (a path, not a secret). */
  nodeKeyFile?: string;
  /** Older copies of swarm-node.key added by the user (paths). */
  keyFiles: string[] = [];
  /** Set while an unlock prompt is up, so several editors of one directory share it. */
  unlocking?: Promise<unknown>;

  constructor(
    readonly stateDir: string,
    public state: SwarmState,
  ) {
    state.useSmallReadWindows(); // the editors read pages anywhere (see there)
  }

  get status(): KeyStatus {
    return this.state.keyRing.status;
  }

  get clusterId(): string | undefined {
    return this.state.identity.clusterId;
  }

  /** Whether the data keys still need an unlock key. */
  get needsUnlockKey(): boolean {
    const s = this.status.state;
    return s === 'locked' || s === 'wrong-key' || s === 'invalid-key';
  }

  /**
   * Opens the directory again with `unlockKey` (used once, not kept). The new state replaces the current
   * one only if it opened the data keys (or found a node key where there was none); a wrong key leaves the
   * current state as it is. Returns the new key status either way.
   */
  tryReopen(options: { unlockKey?: string } = {}): KeyStatus {
    const next = SwarmState.open(this.stateDir, this.openOptions(options.unlockKey));
    const status = next.keyRing.status;
    const better = status.state === 'open' || status.state === 'not-encrypted'
      // A node key picked by the user replaces a missing one even while still locked.
      || (this.status.state === 'no-key-file' && status.state !== 'no-key-file');
    if (better) {
      this.replace(next);
    } else {
      dropState(next);
    }
    return status;
  }

  /**
   * The state grew in place (followed: src/extension/live): the same SwarmState, with more entries or
   * snapshots. Everything built from it is rebuilt, as after a reopen.
   */
  grew(): void {
    this.changed.fire();
  }

  /** Re-reads the directory (e.g. the daemon wrote more entries), keeping the data keys' source. */
  reload(unlockKey?: string): void {
    this.replace(SwarmState.open(this.stateDir, this.openOptions(unlockKey)));
  }

  /**
   * reload() with the index read in slices (the extension host stays responsive meanwhile). When the state
   * was reopened in the meantime (unlocked, keys added: the directory was read again then) or dropped,
   * the state read here is dropped instead.
   */
  async reloadInSlices(unlockKey?: string): Promise<void> {
    const current = this.state;
    const next = await SwarmState.openInSlices(this.stateDir, this.openOptions(unlockKey));
    if (this.state !== current || this.disposed) dropState(next);
    else this.replace(next);
  }

  isOpen(): boolean {
    const s = this.status.state;
    return s === 'open' || s === 'not-encrypted';
  }

  openOptions(unlockKey?: string): OpenOptions {
    return { unlockKey, nodeKeyFile: this.nodeKeyFile, keyFiles: this.keyFiles.length ? this.keyFiles : undefined };
  }

  private readonly pins = new Map<SwarmState, number>();
  private readonly retired = new Set<SwarmState>();

  /** Runs a long task (an export) on the current state; a reopen meanwhile does not close it under the task. */
  async pinned<T>(task: (state: SwarmState) => Promise<T>): Promise<T> {
    const state = this.state;
    this.pins.set(state, (this.pins.get(state) ?? 0) + 1);
    try {
      return await task(state);
    } finally {
      const n = (this.pins.get(state) ?? 1) - 1;
      if (n > 0) this.pins.set(state, n);
      else {
        this.pins.delete(state);
        if (this.retired.delete(state)) dropState(state);
      }
    }
  }

  private retire(state: SwarmState): void {
    if (this.pins.has(state)) this.retired.add(state);
    else dropState(state);
  }

  private replace(next: SwarmState): void {
    next.useSmallReadWindows();
    const old = this.state;
    this.state = next;
    this.retire(old);
    this.changed.fire();
  }

  private disposed = false;

  dispose(): void {
    this.disposed = true;
    this.retire(this.state);
    this.changed.dispose();
  }
}

/** Closes the files and overwrites the data keys so they do not linger in memory. */
function dropState(state: SwarmState): void {
  state.close();
  for (const k of state.keyRing.keys) k.key.fill(0);
}

export class StateRegistry implements vscode.Disposable {
  private readonly states = new Map<string, SharedState>();
  /** Directories being opened, so the documents of one directory share the open. */
  private readonly opening = new Map<string, Promise<SharedState>>();
  private disposed = false;

  /**
   * The shared state of `stateDir`, opened without an unlock key the first time. The directory is indexed
   * in slices (SwarmState.openInSlices): indexing a large log takes a while, and the extension host must
   * keep serving the editors and webviews meanwhile. Rejects when it is not a state directory.
   */
  async acquire(stateDir: string): Promise<SharedState> {
    for (;;) {
      const shared = this.states.get(stateDir) ?? (await this.openShared(stateDir));
      // Released by its last document while this one waited: open it again.
      if (this.states.get(stateDir) !== shared) continue;
      shared.refs++;
      return shared;
    }
  }

  private openShared(stateDir: string): Promise<SharedState> {
    let pending = this.opening.get(stateDir);
    if (!pending) {
      const settled = () => this.opening.delete(stateDir);
      pending = SwarmState.openInSlices(stateDir).then((state) => {
        settled();
        if (this.disposed) {
          dropState(state);
          throw new Error('the extension is shutting down');
        }
        const opened = new SharedState(stateDir, state);
        this.states.set(stateDir, opened);
        return opened;
      }, (e: unknown) => {
        settled();
        throw e;
      });
      this.opening.set(stateDir, pending);
    }
    return pending;
  }

  /**
   * One more user of an opened state besides its Raft documents (an object or history document, an
   * export): the state stays open until each user released it. False when `shared` was
   * dropped already (then there is nothing to hold).
   */
  retain(shared: SharedState): boolean {
    if (this.states.get(shared.stateDir) !== shared) return false;
    shared.refs++;
    return true;
  }

  /**
   * Holds `shared` open for one user until the returned lease is disposed (later disposals do nothing), so
   * a user that changes what it holds (the State view) cannot release twice. Undefined when `shared` was
   * dropped already.
   */
  hold(shared: SharedState): vscode.Disposable | undefined {
    if (!this.retain(shared)) return undefined;
    let held = true;
    return {
      dispose: () => {
        if (!held) return;
        held = false;
        this.release(shared);
      },
    };
  }

  release(shared: SharedState): void {
    shared.refs--;
    if (shared.refs <= 0 && this.states.get(shared.stateDir) === shared) {
      this.states.delete(shared.stateDir);
      shared.dispose();
    }
  }

  get(stateDir: string): SharedState | undefined {
    return this.states.get(stateDir);
  }

  all(): SharedState[] {
    return [...this.states.values()];
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.states.values()) s.dispose();
    this.states.clear();
  }
}
