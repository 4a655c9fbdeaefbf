// "Show Size Statistics": a webview panel with charts of computeStats' model (per kind, per action,
// largest entries and objects, task churn per service, growth per term), drawn locally with DOM/SVG in
// theme colours; strict CSP (nonce script, no remote resources).
import * as vscode from 'vscode';
import { computeStats, type StatsModel } from '../../core/forensics';
import type { StatsHostMessage, StatsPageMessage } from '../../shared/statsProtocol';
import { contentSecurityPolicy, escapeHtml, makeNonce, webviewOptions } from '../webview/html';
import type { Forensics } from './forensics';

export const STATS_VIEW_TYPE = 'swarmRaft.stats';

export class StatsPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  /** The last model sent to the page (tests compare it with computeStats). */
  model?: StatsModel;
  private ready = false;

  constructor(private readonly forensics: Forensics) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand('swarmRaft.showStats', () => this.show()), this];
  }

  async show(): Promise<StatsModel | undefined> {
    const session = this.forensics.session();
    if (!session) {
      void vscode.window.showInformationMessage('Open a Raft WAL segment (.wal) first.');
      return undefined;
    }
    const model = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Computing size statistics…' }, async () => {
      await new Promise((r) => setImmediate(r));
      return computeStats(session.state);
    });
    this.model = model;
    const title = `Raft size: ${session.shared.stateDir.split('/').slice(-2).join('/')}`;
    if (!this.panel) this.open(title);
    else this.panel.reveal(undefined, false);
    this.panel!.title = title;
    if (this.ready) this.post({ type: 'stats', model });
    return model;
  }

  private open(title: string): void {
    const panel = vscode.window.createWebviewPanel(STATS_VIEW_TYPE, title, vscode.ViewColumn.Active, { enableFindWidget: true, retainContextWhenHidden: false });
    this.panel = panel;
    this.ready = false;
    const ext = this.forensics.explorer.extensionUri;
    panel.webview.options = webviewOptions(ext);
    const nonce = makeNonce();
    const script = panel.webview.asWebviewUri(vscode.Uri.joinPath(ext, 'dist', 'stats.js')).toString();
    const style = panel.webview.asWebviewUri(vscode.Uri.joinPath(ext, 'media', 'stats.css')).toString();
    panel.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(panel.webview.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(style)}"><title>${escapeHtml(title)}</title></head>
<body><div id="app"></div><script nonce="${escapeHtml(nonce)}" src="${escapeHtml(script)}"></script></body></html>`;
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const m = raw as StatsPageMessage;
      if (m?.type === 'ready') {
        this.ready = true;
        if (this.model) this.post({ type: 'stats', model: this.model });
      } else if (m?.type === 'showEntry' && typeof m.index === 'string' && /^\d+$/.test(m.index)) {
        void vscode.commands.executeCommand('swarmRaft.goToEntry', `#${m.index}`);
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
  }

  private post(message: StatsHostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
