// The detail view: a webview panel beside the editor showing one entry (or snapshot object) of a Raft
// document: header, field tree, text and JSON tabs, links. Hidden values travel only when the user asks
// (a reveal request). The panel follows the document: it closes with it, so revealed data does not
// outlive the file. After a window reload it is restored (the target is kept in workspaceState: a file
// uri and a position, nothing decrypted).
import * as vscode from 'vscode';
import { renderWebviewHtml } from '../webview/html';
import { WebviewChannel } from '../webview/channel';
import type { EntryDetail } from '../../shared/protocol';
import type { RaftDocument } from '../editor/raftDocument';
import type { Explorer, Target } from '../context';

export const DETAIL_VIEW_TYPE = 'swarmRaft.detail';
const RESTORE_KEY = 'swarmRaft.detailTarget';

interface Shown {
  doc: RaftDocument;
  target: Target;
}

export class DetailPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private channel?: WebviewChannel;
  private shown?: Shown;
  /** A target restored after reload whose document is not open yet. */
  private pendingRestore?: { uri: string; target: Target };
  private panelSubscriptions: vscode.Disposable[] = [];
  private docSubscriptions: vscode.Disposable[] = [];

  constructor(private readonly explorer: Explorer) {}

  register(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(DETAIL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        const saved = this.explorer.workspaceState.get<{ uri: string; target: Target }>(RESTORE_KEY);
        this.explorer.log.info(`restoring the detail view${saved ? ` of ${saved.uri}` : ' (nothing to show)'}`);
        this.adopt(panel);
        if (saved) {
          const doc = this.explorer.documentFor(saved.uri);
          if (!doc?.model || !this.show(doc, saved.target, { preserveFocus: true })) this.pendingRestore = saved;
        }
      },
    });
  }

  /** Called when a document gets its model: finishes a restore that waited for it. */
  documentReady(doc: RaftDocument): void {
    const pending = this.pendingRestore;
    // Until the keys are there (stored unlock key, prompt) the target may not decode yet: keep waiting.
    if (pending && pending.uri === doc.uri.toString() && doc.model && this.show(doc, pending.target, { preserveFocus: true })) {
      this.pendingRestore = undefined;
    }
  }

  isShowing(doc: RaftDocument, target: Target): boolean {
    return !!this.panel && this.shown?.doc === doc && sameTarget(this.shown.target, target);
  }

  get current(): Shown | undefined {
    return this.shown;
  }

  /** Shows `target` of `doc`; false when it cannot be shown (no such entry or object, or not readable yet). */
  show(doc: RaftDocument, target: Target, options: { preserveFocus?: boolean } = {}): boolean {
    const model = doc.model;
    if (!model) return false;
    let detail: EntryDetail | undefined;
    try {
      detail = target.kind === 'entry' ? model.detail(target.seq) : model.snapshotObjectDetail(target.snapshot, target.position);
    } catch (e) {
      this.explorer.log.error(`${doc.filePath}: detail failed: ${(e as Error).message}`);
      return false;
    }
    if (!detail) return false;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(DETAIL_VIEW_TYPE, 'Raft entry', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? true }, { enableFindWidget: true });
      this.adopt(panel);
    } else if (!this.panel.visible) {
      this.panel.reveal(undefined, options.preserveFocus ?? true);
    }
    if (this.shown?.doc !== doc) this.followDocument(doc);
    this.shown = { doc, target };
    this.panel!.title = titleOf(detail);
    void this.explorer.workspaceState.update(RESTORE_KEY, { uri: doc.uri.toString(), target });
    this.channel!.post({ type: 'detail', detail, ...(target.kind === 'entry' && target.action !== undefined ? { focusAction: target.action } : {}) });
    return true;
  }

  /** Answers a reveal request from a webview with the hidden value (the user asked for it). */
  answerReveal(doc: RaftDocument, channel: WebviewChannel, requestId: number, seq: number, revealPath: string): void {
    const value = doc.model?.reveal(seq, revealPath);
    if (!value) {
      channel.post({ type: 'error', requestId, message: `Nothing to reveal at ${revealPath} (the file was reloaded or locked meanwhile).` });
      return;
    }
    // What was revealed, never the value.
    const where = seq >= 0 && doc.kind === 'wal' ? ` of entry #${doc.model?.entryBySeq(seq)?.index ?? seq}` : revealPath.startsWith('o:') ? ` in ${revealPath.split(':')[1]}` : '';
    this.explorer.log.info(`${doc.fileName}: revealed ${value.field} of ${value.kind} ${value.id}${where} (${Buffer.from(value.hex, 'hex').length} bytes) on request`);
    channel.post({ type: 'revealed', requestId, revealPath, text: value.text, hex: value.hex, isText: value.isText });
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panelSubscriptions.forEach((s) => s.dispose());
    this.panel = panel;
    const channel = new WebviewChannel(panel.webview);
    this.channel = channel;
    panel.webview.html = renderWebviewHtml(panel.webview, this.explorer.extensionUri, 'detail', 'Raft entry');
    this.panelSubscriptions = [
      channel.onMessage(async (m) => {
        const shown = this.shown;
        switch (m.type) {
          case 'ready':
            if (shown) this.show(shown.doc, shown.target);
            return;
          case 'reveal':
            if (shown) this.answerReveal(shown.doc, channel, m.requestId, m.seq, m.revealPath);
            else channel.post({ type: 'error', requestId: m.requestId, message: 'The file of this entry is closed.' });
            return;
          case 'openObject':
            if (shown) this.explorer.openObject(shown.doc, m.kind, m.id);
            return;
          case 'copy':
            await vscode.env.clipboard.writeText(m.text);
            return;
          case 'command':
            if (shown) await this.explorer.runWebviewCommand(shown.doc, m.command);
            return;
          case 'select':
            if (shown) this.explorer.select(shown.doc, { kind: 'entry', seq: m.seq }, 'detail');
            return;
          default:
            return;
        }
      }, (why) => this.explorer.log.warn(`detail view: ${why}`)),
      panel.onDidDispose(() => {
        this.panelSubscriptions.forEach((s) => s.dispose());
        this.panelSubscriptions = [];
        this.docSubscriptions.forEach((s) => s.dispose());
        this.docSubscriptions = [];
        this.panel = undefined;
        this.channel = undefined;
        this.shown = undefined;
        // The restore target is kept: a window reload disposes the panel too, and the serializer then
        // needs it. It is only read when VS Code restores a detail panel, i.e. one was open at the reload.
      }),
    ];
  }

  private followDocument(doc: RaftDocument): void {
    this.docSubscriptions.forEach((s) => s.dispose());
    this.docSubscriptions = [
      // Reopened (unlocked, reloaded): show the same entry decoded anew.
      doc.onDidChangeModel(() => {
        if (this.shown?.doc === doc) this.show(doc, this.shown.target);
      }),
      doc.onDidDispose(() => {
        if (this.shown?.doc === doc) this.panel?.dispose();
      }),
    ];
  }

  dispose(): void {
    this.docSubscriptions.forEach((s) => s.dispose());
    this.panel?.dispose();
  }
}

function sameTarget(a: Target, b: Target): boolean {
  if (a.kind === 'entry' && b.kind === 'entry') return a.seq === b.seq && a.action === b.action;
  if (a.kind === 'snapshot' && b.kind === 'snapshot') return a.snapshot === b.snapshot && a.position === b.position;
  return false;
}

function titleOf(d: EntryDetail): string {
  if (d.type === 'Snapshot') {
    const a = d.actions[0];
    return a ? `${a.kind} ${a.name || a.id}` : 'Snapshot object';
  }
  const a = d.actions[0];
  return `#${d.index}${a ? ` ${a.action} ${a.kind} ${a.name || a.id}` : d.confChange ? ` ${d.confChange.type}` : ''}`;
}
