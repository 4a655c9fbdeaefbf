// The "State" tree: the store replayed up to the chosen index (the end of the log by default) from the
// chosen snapshot, by the reference's rules, with the objects grouped by kind.
import * as vscode from 'vscode';
import { stateObjectsSteps, type StateKindGroup, type StateObjectRow } from '../../core/forensics';
import { runStepsInSlices } from '../../core/steps';
import { nameAndId } from '../../core/view/entries';
import { skippedEntriesDetail } from '../../core/view/skippedEntries';
import { kindIcon } from '../tree/icons';
import type { Forensics } from './forensics';
import type { ForensicsSession } from './session';

export const STATE_VIEW_ID = 'swarmRaft.state';

export type StateNode =
  | { t: 'kind'; group: StateKindGroup }
  | { t: 'object'; row: StateObjectRow; parent: StateNode }
  | { t: 'message'; label: string; detail?: string; icon: string; command?: vscode.Command };

export class StateTreeProvider implements vscode.TreeDataProvider<StateNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<StateNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots?: Promise<StateNode[]>;
  /** The index the roots were built at (the store's applied index). */
  shownIndex?: bigint;
  private session?: ForensicsSession;
  private sessionSubscription?: vscode.Disposable;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly forensics: Forensics) {
    this.subscription = forensics.onDidChangeSession((s) => this.follow(s));
    this.follow(forensics.session());
  }

  private follow(session: ForensicsSession | undefined): void {
    if (session === this.session) return;
    this.sessionSubscription?.dispose();
    this.session = session;
    this.sessionSubscription = session?.onDidChange(() => this.refresh());
    this.refresh();
  }

  get current(): ForensicsSession | undefined {
    return this.session;
  }

  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  /** A one-line description for the view: the index and where the replay started. */
  describe(): string {
    const s = this.session;
    if (!s || this.shownIndex === undefined) return '';
    const from = s.snapshot === false ? 'no snapshot' : typeof s.snapshot === 'string' ? s.snapshot : undefined;
    return `at #${this.shownIndex}${s.index === undefined ? ' (latest)' : ''}${from ? ` · from ${from}` : ''}`;
  }

  async getChildren(node?: StateNode): Promise<StateNode[]> {
    if (node) return node.t === 'kind' ? node.group.objects.map((row) => ({ t: 'object' as const, row, parent: node })) : [];
    this.roots ??= this.build();
    return this.roots;
  }

  private async build(): Promise<StateNode[]> {
    this.shownIndex = undefined;
    const s = this.session;
    if (!s) return [];
    if (!s.shared.isOpen()) {
      return [{ t: 'message', label: 'Locked: unlock to rebuild the state', icon: 'lock', command: { command: 'swarmRaft.unlock', title: 'Unlock' } }];
    }
    try {
      // The view is open beside logs that are opening: the replay waits until they are read and their
      // background decoding is done (which itself waits for the table's first page), so it delays neither.
      const store = await s.storeInSteps();
      if (!store || s !== this.session) return [];
      // Listed in slices too (the first listing decodes every object). A timeline moved meanwhile fired
      // the session's change, which asks for new roots: these are not shown.
      const index = store.appliedIndex;
      const all = await runStepsInSlices(stateObjectsSteps(store));
      if (s !== this.session || store.appliedIndex !== index) return [];
      this.shownIndex = index;
      const groups = all.filter((g) => g.count > 0);
      const nodes: StateNode[] = groups.map((group) => ({ t: 'kind', group }));
      if (store.faults.length) {
        nodes.push({ t: 'message', label: `${store.faults.length} entr${store.faults.length === 1 ? 'y' : 'ies'} skipped`, detail: skippedEntriesDetail(store.faults), icon: 'warning' });
      }
      return nodes.length ? nodes : [{ t: 'message', label: 'The store is empty at this index', icon: 'info' }];
    } catch (e) {
      return [{ t: 'message', label: 'Cannot rebuild the state', detail: (e as Error).message, icon: 'error' }];
    }
  }

  getParent(node: StateNode): StateNode | undefined {
    return node.t === 'object' ? node.parent : undefined;
  }

  getTreeItem(node: StateNode): vscode.TreeItem {
    switch (node.t) {
      case 'kind': {
        const item = new vscode.TreeItem(node.group.kind, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `kind|${node.group.kind}`;
        item.description = String(node.group.count);
        item.iconPath = kindIcon(node.group.kind);
        item.contextValue = 'stateKind';
        return item;
      }
      case 'object': {
        const r = node.row;
        const shown = nameAndId(r.name, r.id);
        const item = new vscode.TreeItem(shown.name, vscode.TreeItemCollapsibleState.None);
        item.id = `object|${r.kind}|${r.id}`;
        item.description = [shown.id, r.lastChangedAt ? `#${r.lastChangedAt}` : 'snapshot'].filter(Boolean).join(' · ');
        item.tooltip = `${r.kind} ${r.name}\nid: ${r.id}\n${r.lastChangedAt ? `last changed by entry #${r.lastChangedAt}` : 'as in the snapshot'}`;
        item.iconPath = kindIcon(r.kind);
        // Services have their own value for "Copy as Compose Service"; the other object menus match both.
        item.contextValue = r.kind === 'service' ? 'stateService' : 'stateObject';
        // As in the Raft Log tree: a click shows it in the detail view.
        item.command = { command: 'swarmRaft.showStateObject', title: 'Show in Detail', arguments: [node] };
        item.accessibilityInformation = { label: `${r.kind} ${r.name || r.id}` };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `message|${node.label}`;
        item.tooltip = node.detail;
        item.description = node.detail?.split('\n')[0];
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.sessionSubscription?.dispose();
    this.changed.dispose();
  }
}
