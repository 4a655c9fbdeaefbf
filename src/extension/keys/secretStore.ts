// Unlock keys in VS Code's SecretStorage, one per cluster id (the O= of swarm-node.crt). SecretStorage
// cannot list its keys, so the cluster ids (not secret) are kept in globalState to allow "forget all".
import type * as vscode from 'vscode';

const PREFIX = 'swarmRaft.unlockKey.';
const INDEX = 'swarmRaft.unlockKeyClusters';

export class UnlockKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly globalState: vscode.Memento,
  ) {}

  async get(clusterId: string): Promise<string | undefined> {
    return this.secrets.get(PREFIX + clusterId);
  }

  async store(clusterId: string, unlockKey: string): Promise<void> {
    await this.secrets.store(PREFIX + clusterId, unlockKey);
    const ids = this.clusterIds();
    if (!ids.includes(clusterId)) await this.globalState.update(INDEX, [...ids, clusterId]);
  }

  async forget(clusterId: string): Promise<boolean> {
    const had = (await this.secrets.get(PREFIX + clusterId)) !== undefined;
    await this.secrets.delete(PREFIX + clusterId);
    await this.globalState.update(INDEX, this.clusterIds().filter((id) => id !== clusterId));
    return had;
  }

  /** Forgets every stored unlock key; returns how many there were. */
  async forgetAll(): Promise<number> {
    const ids = this.clusterIds();
    for (const id of ids) await this.secrets.delete(PREFIX + id);
    await this.globalState.update(INDEX, []);
    return ids.length;
  }

  /** Cluster ids that have (or had, if deleted elsewhere) a stored key. */
  clusterIds(): string[] {
    const v = this.globalState.get<unknown>(INDEX);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}
