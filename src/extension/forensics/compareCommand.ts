// "Compare with Another Manager's Log...": opens another manager's state directory read-only with the
// same (cluster-wide) unlock key, aligns both logs by index and term (compareManagers) and shows the
// report in a read-only virtual document. The other directory's data keys are wiped when done.
import * as vscode from 'vscode';
import { RaftReadError } from '../../core/errors';
import { compareManagers, comparisonText, type ComparisonReport } from '../../core/forensics';
import { findStateDir } from '../../core/state/layout';
import { SwarmState } from '../../core/state/swarmState';
import type { Forensics } from './forensics';
import { besideTheLog, docUri } from './objectUris';

export interface CompareResult {
  report: ComparisonReport;
  uri: vscode.Uri;
}

export class CompareCommand {
  readonly prompts = {
    folder: (options: vscode.OpenDialogOptions): Thenable<vscode.Uri[] | undefined> => vscode.window.showOpenDialog(options),
    unlockKey: (options: vscode.InputBoxOptions): Thenable<string | undefined> => vscode.window.showInputBox(options),
    differentClusters: async (message: string): Promise<boolean> => (await vscode.window.showWarningMessage(message, { modal: true }, 'Compare Anyway')) === 'Compare Anyway',
  };

  constructor(private readonly forensics: Forensics) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand('swarmRaft.compareManagers', (arg?: unknown) => this.run(arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined))];
  }

  async run(otherDir?: string): Promise<CompareResult | undefined> {
    const session = this.forensics.session();
    if (!session) {
      void vscode.window.showInformationMessage('Open a Raft WAL segment (.wal) of one manager first.');
      return undefined;
    }
    otherDir ??= (await this.prompts.folder({ canSelectFiles: false, canSelectFolders: true, title: "Another manager's swarm state directory (raft/ and certificates/)", openLabel: 'Compare' }))?.[0]?.fsPath;
    if (!otherDir) return undefined;
    const layout = findStateDir(otherDir);
    if (!layout) {
      void vscode.window.showErrorMessage(`${otherDir} is not a swarm state directory.`);
      return undefined;
    }
    const other = await this.openOther(layout.stateDir, session.shared.clusterId);
    if (!other) return undefined;
    try {
      const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing with ${layout.stateDir}…` }, async () => {
        // Let the notification paint before the synchronous comparison.
        await new Promise((r) => setImmediate(r));
        try {
          return compareManagers(session.state, other);
        } catch (e) {
          if (!(e instanceof RaftReadError) || !(await this.prompts.differentClusters(`${e.message} Compare anyway?`))) throw e;
          return compareManagers(session.state, other, { allowDifferentClusters: true });
        }
      });
      const key = this.forensics.addReport(comparisonText(report));
      const uri = docUri({ type: 'report', key }, `Comparison with ${layout.stateDir.split('/').slice(-2).join('/')}`);
      await vscode.window.showTextDocument(uri, besideTheLog());
      void vscode.window.showInformationMessage(report.summary);
      return { report, uri };
    } catch (e) {
      void vscode.window.showErrorMessage((e as Error).message);
      return undefined;
    } finally {
      other.close();
      for (const k of other.keyRing.keys) k.key.fill(0);
    }
  }

  /** The other directory with the stored unlock key of the cluster, or one typed in; undefined when cancelled. */
  private async openOther(dir: string, clusterId: string | undefined): Promise<SwarmState | undefined> {
    const stored = clusterId ? await this.forensics.explorer.keys.get(clusterId) : undefined;
    let state = SwarmState.open(dir, { unlockKey: stored });
    while (state.keyRing.status.state === 'locked' || state.keyRing.status.state === 'wrong-key' || state.keyRing.status.state === 'invalid-key') {
      const key = await this.prompts.unlockKey({ title: `Unlock key of ${dir}`, prompt: 'The swarm is autolocked: its unlock key (SWMKEY-1-...). Escape compares index and term only.', password: true, ignoreFocusOut: true });
      if (!key) break;
      state.close();
      state = SwarmState.open(dir, { unlockKey: key.trim() });
    }
    return state;
  }
}
