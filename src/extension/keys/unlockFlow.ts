// Getting the data keys of an autolocked swarm: the unlock key stored for the cluster (SecretStorage,
// keyed by the O= of swarm-node.crt) is tried first; if there is none or it no longer opens the node key
// (rotated), an input box asks for it. A key is stored only after it opened the data keys. A wrong key
// says so and asks again; Escape leaves the swarm locked (the entry headers stay visible).
// The key text only passes through: it is never logged, put in settings or kept in memory here.
import * as vscode from 'vscode';
import { unlockKeyProblem } from '../../core/keys/unlockKey';
import type { Config } from '../config';
import type { Log } from '../log';
import type { SharedState } from '../state/stateRegistry';
import type { UnlockKeyStore } from './secretStore';

export type UnlockResult = 'open' | 'locked' | 'cancelled' | 'no-key-file';

export interface UnlockDeps {
  store: UnlockKeyStore;
  config: Config;
  log: Log;
  /** Shows the input box (replaceable by tests: the flow is the same, the typing is not). */
  ask?: (options: vscode.InputBoxOptions) => Thenable<string | undefined>;
}

export interface UnlockOptions {
  /** Ask the user when the stored key is missing or stale (false: only try the stored key). */
  interactive: boolean;
  /** Ask even when the state is open with a stored key (the "Enter Unlock Key" command). */
  force?: boolean;
}

/** Tries the stored key, then asks; several callers for one directory share one prompt. */
export function ensureUnlocked(shared: SharedState, deps: UnlockDeps, options: UnlockOptions): Promise<UnlockResult> {
  if (shared.unlocking) return shared.unlocking as Promise<UnlockResult>;
  const run = unlock(shared, deps, options).finally(() => {
    shared.unlocking = undefined;
  });
  shared.unlocking = run;
  return run;
}

async function unlock(shared: SharedState, deps: UnlockDeps, options: UnlockOptions): Promise<UnlockResult> {
  if (shared.status.state === 'no-key-file') return 'no-key-file';
  if (!shared.needsUnlockKey && !options.force) return 'open';
  const clusterId = shared.clusterId;
  let notice: string | undefined;
  if (clusterId && !options.force) {
    const stored = await deps.store.get(clusterId);
    if (stored !== undefined) {
      const status = shared.tryReopen({ unlockKey: stored });
      if (status.state === 'open') {
        deps.log.info(`${shared.stateDir}: opened with the unlock key stored for cluster ${clusterId}`);
        return 'open';
      }
      deps.log.warn(`${shared.stateDir}: the unlock key stored for cluster ${clusterId} no longer opens it (${status.state})`);
      notice = 'The unlock key stored for this swarm no longer opens it (was it rotated?). Enter the current one.';
    }
  }
  if (!options.interactive) return 'locked';
  for (;;) {
    const key = await askForKey(shared, notice, deps.ask ?? ((o) => vscode.window.showInputBox(o)));
    if (key === undefined) return shared.isOpen() ? 'open' : 'cancelled';
    const status = shared.tryReopen({ unlockKey: key });
    if (status.state === 'open') {
      if (clusterId && deps.config.rememberUnlockKeys) await deps.store.store(clusterId, key.trim());
      deps.log.info(`${shared.stateDir}: unlocked${clusterId && deps.config.rememberUnlockKeys ? `; unlock key stored for cluster ${clusterId}` : ''}`);
      return 'open';
    }
    if (status.state === 'not-encrypted') return 'open';
    deps.log.warn(`${shared.stateDir}: the unlock key entered does not open it (${status.state})`);
    notice = status.state === 'invalid-key'
      ? `Not a valid unlock key: ${status.message}`
      : 'That key does not open this swarm (wrong swarm, or an unlock key that was rotated since). Try again, or press Escape.';
  }
}

async function askForKey(shared: SharedState, notice: string | undefined, ask: NonNullable<UnlockDeps['ask']>): Promise<string | undefined> {
  const where = shared.clusterId ? `cluster ${shared.clusterId}` : shared.stateDir;
  const base = `The swarm at ${shared.stateDir} is autolocked. Its unlock key (docker swarm unlock-key) decrypts the Raft data keys.`;
  return ask({
    title: `Swarm Raft: unlock ${where}`,
    prompt: notice ? `${notice}` : base,
    placeHolder: 'SWMKEY-1-…',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() === '' ? undefined : unlockKeyProblem(text)),
  });
}

/** The "Forget Unlock Key" command: this cluster's key, or every stored key. */
export async function forgetUnlockKey(store: UnlockKeyStore, currentClusterId: string | undefined, log: Log, scope?: 'this' | 'all'): Promise<void> {
  type Pick = vscode.QuickPickItem & { id: 'this' | 'all' | string };
  const ids = store.clusterIds();
  const items: Pick[] = [];
  if (currentClusterId) items.push({ id: 'this', label: 'This cluster', description: currentClusterId });
  for (const id of ids) if (id !== currentClusterId) items.push({ id, label: `Cluster ${id}` });
  items.push({ id: 'all', label: 'All clusters', description: `${ids.length} stored key${ids.length === 1 ? '' : 's'}` });
  const pick = scope === 'all' || (scope === 'this' && currentClusterId)
    ? items.find((i) => i.id === scope)
    : await vscode.window.showQuickPick(items, { title: 'Swarm Raft: Forget Unlock Key', placeHolder: 'Which stored unlock key to forget?' });
  if (!pick) return;
  if (pick.id === 'all') {
    const n = await store.forgetAll();
    log.info(`forgot ${n} stored unlock key(s)`);
    void vscode.window.showInformationMessage(`Forgot ${n} stored unlock key${n === 1 ? '' : 's'}.`);
    return;
  }
  const clusterId = pick.id === 'this' ? currentClusterId! : pick.id;
  const had = await store.forget(clusterId);
  log.info(`forgot the unlock key of cluster ${clusterId}`);
  void vscode.window.showInformationMessage(had ? `Forgot the unlock key of cluster ${clusterId}.` : `No unlock key was stored for cluster ${clusterId}.`);
}
