// The live-manager features: Follow in the Raft Log view and Copy State from a Docker Host.
import * as vscode from 'vscode';
import type { Explorer } from '../context';
import { copyStateFromDockerHost } from './captureCommand';
import { LiveFollow } from './follow';

export function registerLive(explorer: Explorer): { live: LiveFollow; disposables: vscode.Disposable[] } {
  const live = new LiveFollow(explorer);
  return {
    live,
    disposables: [
      live,
      vscode.commands.registerCommand('swarmRaft.follow', async (arg?: unknown) => {
        const doc = explorer.documentFor(arg);
        if (!doc) {
          void vscode.window.showInformationMessage('Open a Raft WAL segment (.wal) or snapshot (.snap) to follow its state directory.');
          return;
        }
        await live.start(doc);
      }),
      vscode.commands.registerCommand('swarmRaft.stopFollowing', () => live.stop()),
      vscode.commands.registerCommand('swarmRaft.copyStateFromDockerHost', () => copyStateFromDockerHost(explorer)),
    ],
  };
}
