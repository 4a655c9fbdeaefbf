// "Swarm Raft: Copy State from a Docker Host...": asks for the engine (a docker context or a host URL),
// a folder to put the copy in and the options, copies through the Engine API (src/core/capture) with a
// progress notification, then opens the copy in a new window or adds it to the workspace.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { captureState, CaptureError, type CaptureOptions, type CaptureResult } from '../../core/capture/capture';
import { dockerConfigDir, listContexts } from '../../core/capture/endpoint';
import type { Explorer } from '../context';

export async function copyStateFromDockerHost(explorer: Explorer): Promise<CaptureResult | undefined> {
  const engine = await pickEngine();
  if (!engine) return undefined;
  const parent = await vscode.window.showOpenDialog({ title: 'Folder to put the copy in (a new subfolder is made)', canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Copy Here' });
  if (!parent?.[0]) return undefined;
  const options = await vscode.window.showQuickPick([
    { label: 'Leave out certificates/', description: 'the node key and certificates are not read from the host', id: 'no-certificates' },
    { label: 'Redacted text export instead of the files', description: 'dump-wal and dump-snapshot with secret values hidden (a support bundle)', id: 'redacted' },
  ], { title: 'Options (none: a full copy)', canPickMany: true });
  if (!options) return undefined;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const request: CaptureOptions = {
    ...engine, out: join(parent[0].fsPath, `swarm-capture-${stamp}`),
    certificates: !options.some((o) => o.id === 'no-certificates'),
    redactedExport: options.some((o) => o.id === 'redacted'),
  };
  let result: CaptureResult;
  try {
    result = await run(request);
  } catch (e) {
    if (!(e instanceof CaptureError && request.redactedExport && /autolocked/.test(e.message))) throw reported(explorer, e);
    // The export decrypts the copy: an autolocked swarm needs its key (used once, never stored).
    const unlockKey = await vscode.window.showInputBox({ title: 'The swarm is autolocked: its unlock key (SWMKEY-1-...) for the export', password: true, ignoreFocusOut: true });
    if (!unlockKey) return undefined;
    try {
      result = await run({ ...request, unlockKey });
    } catch (e2) {
      throw reported(explorer, e2);
    }
  }
  const m = result.manifest;
  explorer.log.info(`copied the swarm state of node ${m.swarm.nodeId} from ${m.endpoint.host} into ${request.out}: ${m.hostActions.join('; ')}`);
  for (const torn of m.copyCheck.tornTail) explorer.log.warn(`live copy: ${torn}`);
  const target = vscode.Uri.file(result.stateDir ?? request.out);
  const choice = await vscode.window.showInformationMessage(
    `Copied ${m.options.redactedExport ? 'a redacted export' : `${m.files.length} files`} of node ${m.swarm.nodeId} into ${request.out}.`,
    'Open in New Window', 'Add to Workspace');
  if (choice === 'Open in New Window') await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: true });
  else if (choice === 'Add to Workspace') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: target });
  return result;
}

function run(request: CaptureOptions): Promise<CaptureResult> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Copying the swarm state' }, (progress) =>
    captureState({ ...request, onProgress: (message) => progress.report({ message }) })));
}

function reported(explorer: Explorer, e: unknown): Error {
  const message = (e as Error).message;
  explorer.log.error(`copy state: ${message}`);
  void vscode.window.showErrorMessage(`Copy State from a Docker Host: ${message}`);
  return e as Error;
}

/** A docker context (as `docker context ls` lists them) or a host URL typed in. */
async function pickEngine(): Promise<{ context?: string; dockerHost?: string } | undefined> {
  const contexts = listContexts(dockerConfigDir());
  const typed = { label: '$(edit) Enter a Docker host…', description: 'unix:///path, tcp://host:2376, ssh://user@host', id: '' };
  const pick = await vscode.window.showQuickPick([...contexts.map((c) => ({ label: c.name, description: c.host, id: c.name })), typed], { title: 'Copy the swarm state of which Docker engine (a manager)?' });
  if (!pick) return undefined;
  if (pick !== typed) return { context: pick.id };
  const host = await vscode.window.showInputBox({ title: 'Docker host', placeHolder: 'ssh://user@manager1', ignoreFocusOut: true, validateInput: (v) => (/^(unix|tcp|ssh):\/\/.+/.test(v.trim()) ? undefined : 'unix://, tcp:// or ssh://') });
  return host ? { dockerHost: host.trim() } : undefined;
}
