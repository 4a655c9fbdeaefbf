// Wires the forensics views and commands (issue #8) into the extension: the State tree, the object
// documents, history and diffs, time travel, filters and quick picks, manager comparison, statistics.
import * as vscode from 'vscode';
import type { Explorer } from '../context';
import { Forensics } from './forensics';
import { CompareCommand } from './compareCommand';
import { FilterCommands } from './filterCommands';
import { HistoryCommands } from './historyCommands';
import { StateCommands } from './stateCommands';
import { StatsPanel } from './statsPanel';
import { showStateObject } from './stateObjectDetail';
import { showEntryHistory } from './entryHistory';
import { STATE_VIEW_ID, StateTreeProvider, type StateNode } from './stateTree';

export interface ForensicsApi extends vscode.Disposable {
  forensics: Forensics;
  stateTree: StateTreeProvider;
  stateView: vscode.TreeView<StateNode>;
  history: HistoryCommands;
  stateCommands: StateCommands;
  filters: FilterCommands;
  compare: CompareCommand;
  stats: StatsPanel;
}

export function registerForensics(explorer: Explorer): ForensicsApi {
  const forensics = new Forensics(explorer);
  const stateTree = new StateTreeProvider(forensics);
  const stateView = vscode.window.createTreeView(STATE_VIEW_ID, { treeDataProvider: stateTree, showCollapseAll: true });
  const describe = () => {
    // Building the roots replays the log: only for a visible view. The description follows the index.
    if (!stateView.visible) return;
    void stateTree.getChildren().then(() => {
      stateView.description = stateTree.describe();
    });
  };
  const history = new HistoryCommands(forensics);
  const stateCommands = new StateCommands(forensics, async () => {
    describe();
    if (!stateView.visible) await vscode.commands.executeCommand(`${STATE_VIEW_ID}.focus`);
  });
  const filters = new FilterCommands(forensics, history);
  const compare = new CompareCommand(forensics);
  const stats = new StatsPanel(forensics);
  const disposables: vscode.Disposable[] = [
    forensics, stateTree, stateView,
    stateTree.onDidChangeTreeData(() => describe()),
    stateView.onDidChangeVisibility((e) => {
      forensics.setStateViewVisible(e.visible);
      describe();
    }),
    ...history.register(),
    vscode.commands.registerCommand('swarmRaft.showStateObject', (arg?: unknown) => showStateObject(forensics, arg)),
    vscode.commands.registerCommand('swarmRaft.showEntryHistory', (arg?: unknown) => showEntryHistory(forensics, arg)),
    ...stateCommands.register(),
    ...filters.register(),
    ...compare.register(),
    ...stats.register(),
  ];
  forensics.setStateViewVisible(stateView.visible);
  describe();
  return {
    forensics, stateTree, stateView, history, stateCommands, filters, compare, stats,
    dispose: () => disposables.reverse().forEach((d) => d.dispose()),
  };
}
