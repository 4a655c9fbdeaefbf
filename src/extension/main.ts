// Extension entry: one Explorer owns everything; VS Code disposes it with the extension.
import type * as vscode from 'vscode';
import { Explorer } from './context';
import { registerCommands } from './commands';

export interface SwarmRaftApi {
  /** For the extension-host tests: the live context (documents, tree, key store). */
  explorer: Explorer;
}

export function activate(context: vscode.ExtensionContext): SwarmRaftApi {
  const explorer = new Explorer(context);
  context.subscriptions.push(explorer, ...registerCommands(explorer));
  return { explorer };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
