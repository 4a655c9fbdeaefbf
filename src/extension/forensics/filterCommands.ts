// Search and filter: "Filter Entries..." sets one filter (the forensics filter syntax: kind:, action:,
// name:, id:, status:, is:, term:, index ranges, words) applied to the Raft Log tree and every Raft
// editor's table; "Go to Entry..." and "Find Object..." quick picks.
import * as vscode from 'vscode';
import { isEmptyFilter, matchesFilter, parseEntryFilter, searchCatalog, type CatalogObject, type EntryFilter } from '../../core/forensics';
import type { EntryRow } from '../../shared/protocol';
import type { Forensics } from './forensics';
import type { HistoryCommands } from './historyCommands';

const MAX_PICKS = 500;

export class FilterCommands {
  /** The filter's text as typed (canonical problems shown in the input box), '' when none. */
  text = '';
  private filter?: EntryFilter;
  readonly prompts = {
    filter: (options: vscode.InputBoxOptions): Thenable<string | undefined> => vscode.window.showInputBox(options),
    pick: <T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined> => vscode.window.showQuickPick(items, options),
  };

  constructor(private readonly forensics: Forensics, private readonly history: HistoryCommands) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('swarmRaft.filterEntries', (arg?: unknown) => this.setFilter(typeof arg === 'string' ? arg : undefined)),
      vscode.commands.registerCommand('swarmRaft.clearFilter', () => this.setFilter('')),
      vscode.commands.registerCommand('swarmRaft.goToEntry', (arg?: unknown) => this.goToEntry(typeof arg === 'string' ? arg : undefined)),
      vscode.commands.registerCommand('swarmRaft.findObject', (arg?: unknown) => this.findObject(typeof arg === 'string' ? arg : undefined)),
      { dispose: () => this.apply(undefined) },
    ];
  }

  matches(row: EntryRow): boolean {
    return !this.filter || matchesFilter(row, this.filter);
  }

  /** Sets the filter (asks with validation when `text` is absent); returns the text applied, or undefined when cancelled or invalid. */
  async setFilter(text?: string): Promise<string | undefined> {
    text ??= await this.prompts.filter({
      title: 'Swarm Raft: Filter Entries',
      prompt: 'e.g. kind:secret action:create name:pass  ·  status:earlier-key  ·  100..200  ·  term:3  ·  words (empty: no filter)',
      value: this.text,
      validateInput: (v) => parseEntryFilter(v).problems.join('; ') || undefined,
    });
    if (text === undefined) return undefined;
    const parsed = parseEntryFilter(text);
    if (parsed.problems.length) {
      void vscode.window.showErrorMessage(`Filter: ${parsed.problems.join('; ')}`);
      return undefined;
    }
    this.text = isEmptyFilter(parsed.filter) ? '' : text.trim();
    this.apply(this.text ? parsed.filter : undefined);
    return this.text;
  }

  private apply(filter: EntryFilter | undefined): void {
    this.filter = filter;
    const { tree, editors } = this.forensics.explorer;
    tree.rowFilter = filter ? (row) => matchesFilter(row, filter) : undefined;
    tree.filterText = filter ? this.text : '';
    if (!filter) this.forensics.explorer.view.message = undefined;
    editors.rowFilter = filter ? { key: this.text, matches: (row) => matchesFilter(row, filter) } : undefined;
    tree.refresh();
    editors.refreshRows();
    void vscode.commands.executeCommand('setContext', 'swarmRaft.filtered', !!filter);
  }

  /** Rows of the active document matching `query` (a filter, an index, words), at most MAX_PICKS. */
  async entryPicks(query: string): Promise<(vscode.QuickPickItem & { seq: number })[]> {
    const doc = this.forensics.explorer.activeDocument;
    const model = await doc?.whenSummarized();
    if (!model || model.kind !== 'wal') return [];
    const q = query.trim().replace(/^#?(\d+)$/, '#$1');
    const parsed = parseEntryFilter(q);
    const out: (vscode.QuickPickItem & { seq: number })[] = [];
    for (let r = 0; r < model.rowCount && out.length < MAX_PICKS; r++) {
      const row = model.row(r);
      if (!this.matches(row) || (q && !matchesFilter(row, parsed.filter))) continue;
      out.push({ label: `#${row.index}  ${row.summary}`, description: `term ${row.term} · ${row.status}`, seq: row.seq, alwaysShow: true });
    }
    return out;
  }

  /** Selects an entry in the tree, the editor and the detail view. With `query`, the first match is taken. */
  async goToEntry(query?: string): Promise<number | undefined> {
    const doc = this.forensics.explorer.activeDocument;
    if (!doc) return undefined;
    let seq: number | undefined;
    if (query !== undefined) seq = (await this.entryPicks(query))[0]?.seq;
    else {
      const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { seq: number }>();
      qp.title = 'Swarm Raft: Go to Entry';
      qp.placeholder = 'An index (#120), a filter (kind:secret action:update), or words';
      const update = async (value: string) => {
        qp.busy = true;
        qp.items = await this.entryPicks(value);
        qp.busy = false;
      };
      qp.onDidChangeValue((v) => void update(v));
      void update('');
      qp.show();
      seq = await new Promise<number | undefined>((resolve) => {
        qp.onDidAccept(() => resolve(qp.selectedItems[0]?.seq));
        qp.onDidHide(() => resolve(undefined));
      });
      qp.dispose();
    }
    if (seq === undefined) return undefined;
    this.forensics.explorer.select(doc, { kind: 'entry', seq }, 'command');
    return seq;
  }

  /** Objects of the catalog whose id or name contains the text; picking one shows its history. */
  async findObject(query?: string): Promise<CatalogObject | undefined> {
    const session = this.forensics.session();
    if (!session) return undefined;
    const catalog = session.catalog();
    let picked: CatalogObject | undefined;
    if (query !== undefined) picked = searchCatalog(catalog, query)[0];
    else {
      const items = catalog.map((o) => ({
        label: `${o.name || o.id}`, description: `${o.kind} · ${o.id}${o.present ? '' : ' · removed'}`,
        detail: o.lastIndex !== undefined ? `${o.actions} action${o.actions === 1 ? '' : 's'}, last ${o.lastAction} at #${o.lastIndex}` : `in ${o.snapshot ?? 'a snapshot'}`,
        object: o,
      }));
      picked = (await this.prompts.pick(items, { title: 'Swarm Raft: Find Object', placeHolder: 'A name or an id', matchOnDescription: true }))?.object;
    }
    if (!picked) return undefined;
    await this.history.showHistory({ dir: session.shared.stateDir, kind: picked.kind, id: picked.id });
    return picked;
  }
}
