// Extension entry: one Explorer owns everything; VS Code disposes it with the extension.
import type * as vscode from 'vscode';
import { loadFastSecretbox } from '../core/crypto/secretbox';
import { Explorer } from './context';
import { registerCommands } from './commands';
import { registerForensics, type ForensicsApi } from './forensics/register';
import { registerRecovery } from './recovery/recoveryCommands';
import { registerLive } from './live/register';
import type { LiveFollow } from './live/follow';
import type { CaptureCommand } from './live/captureCommand';

export interface SwarmRaftApi {
  /** For the extension-host tests: the live context (documents, tree, key store). */
  explorer: Explorer;
  /** The forensics views and commands (issue #8). */
  forensics: ForensicsApi;
  /** Follow (issue #17). */
  live: LiveFollow;
  /** Copy State from a Docker Host (issue #17): its dialogs, for the tests. */
  capture: CaptureCommand;
}

export function activate(context: vscode.ExtensionContext): SwarmRaftApi {
  void loadFastSecretbox(); // documents opened before it finishes use tweetnacl meanwhile
  const explorer = new Explorer(context);
  const forensics = registerForensics(explorer);
  const live = registerLive(explorer);
  context.subscriptions.push(explorer, ...registerCommands(explorer), forensics, ...registerRecovery(explorer, forensics), ...live.disposables);
  return { explorer, forensics, live: live.live, capture: live.capture };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
