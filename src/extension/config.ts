// Typed access to the extension's settings (contributes.configuration in package.json).
import * as vscode from 'vscode';
import { GROUP_BY, type GroupBy } from '../core/view/grouping';

export const SECTION = 'swarmRaft';

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** swarmRaft.tree.groupBy: how the tree groups entries. */
  get groupBy(): GroupBy {
    const v = this.section.get<string>('tree.groupBy', 'term');
    return (GROUP_BY as readonly string[]).includes(v) ? (v as GroupBy) : 'term';
  }

  async setGroupBy(value: GroupBy): Promise<void> {
    // Always the user's settings: a workspace setting would create .vscode/settings.json in the open
    // folder, which is often the swarm state directory itself (and that is never written to).
    await this.section.update('tree.groupBy', value, vscode.ConfigurationTarget.Global);
  }

  /** swarmRaft.tree.bucketSize: at most this many entries under one tree node. */
  get bucketSize(): number {
    const v = this.section.get<number>('tree.bucketSize', 200);
    return Number.isFinite(v) ? Math.min(5000, Math.max(10, Math.floor(v))) : 200;
  }

  /** swarmRaft.unlockKey.remember: keep unlock keys in SecretStorage once they opened a swarm. */
  get rememberUnlockKeys(): boolean {
    return this.section.get<boolean>('unlockKey.remember', true);
  }

  onDidChange(listener: (affects: (key: string) => boolean) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener((key) => e.affectsConfiguration(`${SECTION}.${key}`));
    });
  }
}
