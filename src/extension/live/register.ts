// The live-manager features: Follow in the Raft Log view and Copy State from a Docker Host.
import * as vscode from 'vscode';
import type { Explorer } from '../context';
import { CaptureCommand } from './captureCommand';
import { LiveFollow } from './follow';

export function registerLive(explorer: Explorer): { live: LiveFollow; capture: CaptureCommand; disposables: vscode.Disposable[] } {
  const live = new LiveFollow(explorer);
  const capture = new CaptureCommand(explorer);
  return {
    live,
    capture,
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
      vscode.commands.registerCommand('swarmRaft.copyStateFromDockerHost', () => capture.run()),
    ],
  };
}
