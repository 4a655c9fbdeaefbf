// The custom read-only editor for WAL segments and snapshot files: the webview app (overview + virtual
// entry table) fed with OverviewModel and pages of EntryRows, its requests answered from the document's
// FileModel. Files that are not Swarm Raft data say so and offer the text editor.
import * as vscode from 'vscode';
import { renderWebviewHtml } from '../webview/html';
import { WebviewChannel } from '../webview/channel';
import type { EntryRow, HostToWebview, WebviewToHost } from '../../shared/protocol';
import { loadFastSecretbox } from '../../core/crypto/secretbox';
import { rowTextMatcher, type FileModel } from '../../core/view/fileModel';
import { RaftDocument } from './raftDocument';
import type { Explorer } from '../context';

export const VIEW_TYPE = 'swarmRaft.raftFile';
/** The same editor, offered through "Open With..." for any .wal/.snap (Jest writes .snap files too). */
export const VIEW_TYPE_ANY = 'swarmRaft.raftFileAny';

interface EditorBinding {
  panel: vscode.WebviewPanel;
  channel: WebviewChannel;
  /** The webview said `ready` (before that an overview could be lost; `ready` is answered with one). */
  ready?: boolean;
}

export class RaftEditorProvider implements vscode.CustomReadonlyEditorProvider<RaftDocument> {
  private readonly editors = new Map<RaftDocument, EditorBinding>();
  /** Filtered row positions (being worked out, or known) per document, model and filter text, so paging through a filter is cheap. */
  private readonly filters = new WeakMap<RaftDocument, { filter: string; model: FileModel; rows: Promise<number[] | undefined> }>();
  /** The entry filter of src/extension/forensics, applied with the table's own; refreshRows() after changing it. */
  rowFilter?: { key: string; matches: (row: EntryRow) => boolean };

  constructor(private readonly explorer: Explorer) {}

  static registerWith(provider: RaftEditorProvider): vscode.Disposable[] {
    const options = { supportsMultipleEditorsPerDocument: false, webviewOptions: { enableFindWidget: true } };
    return [
      vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, options),
      vscode.window.registerCustomEditorProvider(VIEW_TYPE_ANY, provider, options),
      { dispose: () => provider.editors.clear() },
    ];
  }

  /**
   * Returns at once: the document only checks the path and the first bytes here. Its state directory is
   * read (RaftDocument.load) once resolveCustomEditor has given the webview its HTML, so the webview's
   * start-up and the indexing overlap; the table asks for rows again when the overview arrives.
   */
  async openCustomDocument(uri: vscode.Uri): Promise<RaftDocument> {
    await loadFastSecretbox(); // started at activation; resolves at once after the first time
    const doc = new RaftDocument(uri, this.explorer.registry, this.explorer.log);
    this.explorer.addDocument(doc);
    if (doc.problem) this.explorer.log.warn(doc.problem);
    return doc;
  }

  resolveCustomEditor(doc: RaftDocument, panel: vscode.WebviewPanel): void {
    const channel = new WebviewChannel(panel.webview);
    const binding: EditorBinding = { panel, channel };
    this.editors.set(doc, binding);
    panel.webview.html = renderWebviewHtml(panel.webview, this.explorer.extensionUri, 'editor', doc.fileName);
    const subscriptions: vscode.Disposable[] = [
      channel.onMessage((m) => this.onMessage(doc, binding, m), (why) => this.explorer.log.warn(`${doc.fileName}: ${why}`)),
      panel.onDidChangeViewState((e) => {
        // The tree follows the active Raft editor; with none active, a visible one.
        if (e.webviewPanel.active || (e.webviewPanel.visible && !this.explorer.activeDocument)) this.explorer.setActive(doc);
      }),
      doc.onDidChangeModel(() => {
        this.filters.delete(doc);
        if (binding.ready) this.postOverview(doc, binding);
      }),
      doc.onDidFinishCounting(() => {
        if (binding.ready) this.postOverview(doc, binding);
      }),
    ];
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      if (this.editors.get(doc) === binding) this.editors.delete(doc);
    });
    if (panel.active || !this.explorer.activeDocument) this.explorer.setActive(doc);
    if (doc.problem) {
      void this.offerTextEditor(doc);
      return;
    }
    // The webview loads with "Reading the file…"; the index is read meanwhile, after this returns (a
    // macrotask later, so the HTML is on its way first), then the keys (stored unlock key, or ask).
    doc.keyFlow = new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => doc.load())
      .then(() => {
        if (!doc.problem) return this.explorer.openKeys(doc);
        this.explorer.log.warn(doc.problem);
        void this.offerTextEditor(doc);
        return undefined;
      })
      .catch((e: unknown) => this.explorer.log.error(`${doc.fileName}: ${(e as Error).message}`));
  }

  post(doc: RaftDocument, message: HostToWebview): void {
    this.editors.get(doc)?.channel.post(message);
  }

  /** The filter changed: every editor asks for its rows again (a new overview makes the table refetch). */
  refreshRows(): void {
    for (const [doc, binding] of this.editors) {
      this.filters.delete(doc);
      this.postOverview(doc, binding);
    }
  }

  hasEditor(doc: RaftDocument): boolean {
    return this.editors.has(doc);
  }

  private postOverview(doc: RaftDocument, binding: EditorBinding): void {
    if (doc.problem) {
      binding.channel.post({ type: 'error', message: doc.problem });
      return;
    }
    const model = doc.model;
    if (!model) return;
    try {
      binding.channel.post({ type: 'overview', overview: model.overview() });
    } catch (e) {
      binding.channel.post({ type: 'error', message: `${doc.filePath}: ${(e as Error).message}` });
    }
  }

  private async onMessage(doc: RaftDocument, binding: EditorBinding, m: WebviewToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        binding.ready = true;
        this.postOverview(doc, binding);
        if (doc.selectedSeq !== undefined) binding.channel.post({ type: 'select', seq: doc.selectedSeq });
        return;
      case 'getRows':
        return this.sendRows(doc, binding, m.requestId, m.start, m.count, m.filter);
      case 'select':
        this.explorer.select(doc, { kind: 'entry', seq: m.seq }, 'editor');
        return;
      case 'reveal':
        this.explorer.detail.answerReveal(doc, binding.channel, m.requestId, m.seq, m.revealPath);
        return;
      case 'openObject':
        this.explorer.openObject(doc, m.kind, m.id);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        return;
      case 'command':
        return this.explorer.runWebviewCommand(doc, m.command);
    }
  }

  private async sendRows(doc: RaftDocument, binding: EditorBinding, requestId: number, start: number, count: number, filter?: string): Promise<void> {
    try {
      const model = doc.model;
      if (!model) {
        binding.channel.post({ type: 'rows', requestId, start, total: 0, rows: [] });
        return;
      }
      const hostFilter = this.rowFilter;
      if ((!filter || !filter.trim()) && !hostFilter) {
        binding.channel.post({ type: 'rows', requestId, start, total: model.rowCount, rows: model.rows(start, count) });
        doc.firstPageShown();
        return;
      }
      for (;;) {
        const current = await doc.whenSummarized();
        if (!current) return;
        const positions = await this.filteredRows(doc, current, filter, hostFilter);
        // Rebuilt meanwhile (unlocked, reloaded): filter the new model.
        if (!positions || doc.model !== current) continue;
        const rows = positions.slice(start, start + count).map((r) => current.row(r));
        binding.channel.post({ type: 'rows', requestId, start, total: positions.length, rows });
        return;
      }
    } catch (e) {
      binding.channel.post({ type: 'error', requestId, message: `${doc.filePath}: ${(e as Error).message}` });
    }
  }

  /** Positions of the rows both filters keep, matched in slices (FileModel.selectRows); shared by the requests of one filter. */
  private filteredRows(doc: RaftDocument, model: FileModel, filter: string | undefined, hostFilter: RaftEditorProvider['rowFilter']): Promise<number[] | undefined> {
    const key = `${hostFilter?.key ?? ''}\0${filter ?? ''}`;
    let cached = this.filters.get(doc);
    if (!cached || cached.filter !== key || cached.model !== model) {
      const text = filter?.trim() ? rowTextMatcher(filter) : undefined;
      const rows = model.selectRows((row) => (!text || text(row)) && (!hostFilter || hostFilter.matches(row)), () => doc.model !== model);
      cached = { filter: key, model, rows };
      this.filters.set(doc, cached);
    }
    return cached.rows;
  }

  private async offerTextEditor(doc: RaftDocument): Promise<void> {
    const choice = await vscode.window.showWarningMessage(doc.problem ?? 'Not Swarm Raft data.', 'Reopen with Text Editor');
    if (choice) await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default');
  }
}
