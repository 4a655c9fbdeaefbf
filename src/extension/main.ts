// Minimal placeholder so the test harness has an extension to load; the real extension replaces it.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const version = String(context.extension.packageJSON.version);
  context.subscriptions.push(
    vscode.commands.registerCommand('swarmRaft.showVersion', () =>
      vscode.window.showInformationMessage(`Swarm Raft Explorer ${version}`),
    ),
  );
}

export function deactivate(): void {}
