// Exports shown in VS Code live in read-only virtual documents (scheme swarm-raft-export:) whose text is
// kept in memory only. An untitled document would be backed up to disk by hot exit and restored after a
// reload, secrets in clear included; a virtual document is never backed up. "Save As" still writes it
// where the user chooses.
import * as vscode from 'vscode';

export const EXPORT_SCHEME = 'swarm-raft-export';

export class ExportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private next = 1;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(EXPORT_SCHEME, this),
      // The text goes with its document: closed, it is gone from memory too.
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === EXPORT_SCHEME) this.texts.delete(d.uri.query);
      }),
    ];
  }

  /** Opens `text` in a new read-only document titled `title` (its extension picks the language). */
  async show(text: string, title: string): Promise<vscode.TextDocument> {
    const key = `e${this.next++}`;
    this.texts.set(key, text);
    const uri = vscode.Uri.from({ scheme: EXPORT_SCHEME, path: `/${title.replace(/[/\\?#]/g, '_')}`, query: key });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? 'This export was kept in memory only and is gone (the window was reloaded): export again.\n';
  }

  dispose(): void {
    this.texts.clear();
    for (const d of this.disposables) d.dispose();
  }
}
