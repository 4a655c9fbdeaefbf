// Command handlers. Commands that act on "the Raft file" take an optional uri (string or Uri: editor
// title menus and tree items pass one) and fall back to the active Raft editor.
import * as vscode from 'vscode';
import { GROUP_BY, type GroupBy } from '../core/view/grouping';
import { findStateDir } from '../core/state/layout';
import { listSegments } from '../core/wal/walLog';
import { forgetUnlockKey } from './keys/unlockFlow';
import { exportDocument, type ExportFormat, type ExportOptions } from './export/exportCommands';
import { repairIntoCopy, type RepairCommandOptions } from './repair/repairCommand';
import { VIEW_TYPE } from './editor/rawEditorProvider';
import type { Explorer, Target } from './context';
import type { RaftDocument } from './editor/raftDocument';

const GROUP_LABELS: Record<GroupBy, { label: string; detail: string }> = {
  term: { label: 'Term', detail: 'One group per raft term (leader election)' },
  action: { label: 'Action', detail: 'CREATE / UPDATE / REMOVE, conf changes, empty and unreadable entries' },
  kind: { label: 'Object kind', detail: 'node, service, task, network, cluster, secret, config, ...' },
  index: { label: 'Index', detail: 'Flat, by raft index, in buckets' },
};

export function registerCommands(explorer: Explorer): vscode.Disposable[] {
  const doc = (arg: unknown): RaftDocument | undefined => {
    const d = explorer.documentFor(arg);
    if (!d) void vscode.window.showInformationMessage('Open a Raft WAL segment (.wal) or snapshot (.snap) first.');
    return d;
  };
  const exportCmd = (format: ExportFormat) => async (arg?: unknown, options?: ExportOptions) => {
    const d = doc(arg);
    return d ? exportDocument(explorer, d, format, options ?? {}) : undefined;
  };
  const version = String(explorer.ext.extension.packageJSON.version);
  return [
    // The Getting Started walkthrough of the manifest (contributes.walkthroughs), opened in the editor area.
    vscode.commands.registerCommand('swarmRaft.getStarted', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${explorer.ext.extension.id}#gettingStarted`, false)),
    vscode.commands.registerCommand('swarmRaft.showVersion', () => vscode.window.showInformationMessage(`Swarm Raft Explorer ${version}`)),
    vscode.commands.registerCommand('swarmRaft.exportText', exportCmd('text')),
    vscode.commands.registerCommand('swarmRaft.exportJson', exportCmd('json')),
    vscode.commands.registerCommand('swarmRaft.repairIntoCopy', async (arg?: unknown, options?: RepairCommandOptions) => {
      const d = doc(arg);
      return d ? repairIntoCopy(explorer, d, options ?? {}) : undefined;
    }),
    vscode.commands.registerCommand('swarmRaft.unlock', async (arg?: unknown) => {
      const d = doc(arg);
      await d?.load();
      if (!d?.shared) return undefined;
      const status = d.shared.status;
      if (status.state === 'open' || status.state === 'not-encrypted') {
        void vscode.window.showInformationMessage(status.state === 'open' && status.locked ? 'This swarm is already unlocked.' : 'This swarm is not autolocked: no unlock key is needed.');
        return 'open';
      }
      return explorer.openKeys(d);
    }),
    vscode.commands.registerCommand('swarmRaft.forgetUnlockKey', async (arg?: unknown, scope?: unknown) => {
      const d = explorer.documentFor(arg);
      await d?.load();
      await forgetUnlockKey(explorer.keys, d?.shared?.clusterId, explorer.log, scope === 'this' || scope === 'all' ? scope : undefined);
    }),
    vscode.commands.registerCommand('swarmRaft.pickNodeKey', async (arg?: unknown) => {
      const d = doc(arg);
      if (!d) return;
      if (await explorer.offerNodeKey(d, false)) await explorer.openKeys(d);
    }),
    vscode.commands.registerCommand('swarmRaft.addOlderNodeKey', async (arg?: unknown, files?: unknown) => {
      const d = doc(arg);
      // From a tree item the second argument is the selection (nodes), not file paths.
      const paths = Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
      if (d) await explorer.addOlderKeyFiles(d, paths.length ? paths : undefined);
    }),
    vscode.commands.registerCommand('swarmRaft.forgetOlderNodeKeys', async (arg?: unknown) => {
      const d = doc(arg);
      return d ? explorer.forgetOlderKeyFiles(d) : undefined;
    }),
    vscode.commands.registerCommand('swarmRaft.groupBy', async (value?: unknown) => {
      let choice = typeof value === 'string' && (GROUP_BY as readonly string[]).includes(value) ? (value as GroupBy) : undefined;
      if (!choice) {
        const current = explorer.config.groupBy;
        const pick = await vscode.window.showQuickPick(
          GROUP_BY.map((g) => ({ ...GROUP_LABELS[g], description: g === current ? '(current)' : undefined, value: g })),
          { title: 'Swarm Raft: Group Entries By', placeHolder: 'How should the tree group the entries?' },
        );
        choice = pick?.value;
      }
      if (choice) await explorer.config.setGroupBy(choice);
    }),
    vscode.commands.registerCommand('swarmRaft.reload', async (arg?: unknown) => {
      const d = doc(arg);
      await d?.load();
      if (!d?.shared) return;
      await d.shared.reloadInSlices();
      await explorer.openKeys(d);
    }),
    vscode.commands.registerCommand('swarmRaft.showEntry', (arg: unknown, target: Target) => {
      const d = explorer.documentFor(arg);
      if (d && target && (target.kind === 'entry' || target.kind === 'snapshot')) explorer.select(d, target, 'command');
    }),
    vscode.commands.registerCommand('swarmRaft.openStateDirectory', async (arg?: unknown) => {
      let dir = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
      if (!dir) {
        const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, title: 'A swarm state directory (the folder holding raft/ and certificates/)', openLabel: 'Open Raft Log' });
        dir = picked?.[0]?.fsPath;
      }
      if (!dir) return;
      const layout = findStateDir(dir);
      if (!layout) {
        void vscode.window.showErrorMessage(`${dir} is not a swarm state directory: no raft/wal-v3-encrypted, raft/wal-v3 or raft/wal folder in it.`);
        return;
      }
      const segments = listSegments(layout.walDir).segments;
      const last = segments[segments.length - 1];
      if (!last) {
        void vscode.window.showErrorMessage(`${layout.walDir} holds no WAL segment.`);
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(last.path), VIEW_TYPE);
    }),
  ];
}
