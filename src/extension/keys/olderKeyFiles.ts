// Older copies of swarm-node.key added with "Add Older Copy of swarm-node.key...", remembered as PATHS per
// cluster and node (globalState), so the entries they open stay readable after a reload. Never the key
// material: the files are sealed with the unlock key that SecretStorage already keeps, and are read again
// from where the user keeps them each time.
import type * as vscode from 'vscode';
import type { SharedState } from '../state/stateRegistry';

const KEY = 'swarmRaft.olderNodeKeyFiles';

/** Whose node key the files are copies of: the cluster and node of swarm-node.crt, else the directory. */
export function keyFilesScope(shared: SharedState): string {
  const { clusterId, nodeId } = shared.state.identity;
  return clusterId ? `${clusterId}/${nodeId ?? ''}` : `dir:${shared.stateDir}`;
}

export class OlderKeyFiles {
  constructor(private readonly globalState: vscode.Memento) {}

  get(scope: string): string[] {
    const files = this.all()[scope];
    return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
  }

  async add(scope: string, files: string[]): Promise<void> {
    await this.globalState.update(KEY, { ...this.all(), [scope]: [...new Set([...this.get(scope), ...files])] });
  }

  /** Forgets the paths of one scope; returns them. */
  async forget(scope: string): Promise<string[]> {
    const had = this.get(scope);
    const rest = { ...this.all() };
    delete rest[scope];
    await this.globalState.update(KEY, rest);
    return had;
  }

  private all(): Record<string, unknown> {
    const v = this.globalState.get<unknown>(KEY);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }
}
