// "Swarm Raft: Copy State from a Docker Host...": asks for the engine (a docker context or a host URL),
// a new or empty folder for the copy and the options, copies through the Engine API (src/core/capture)
// with a progress notification, then opens the copy in a new window or adds it to the workspace.
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { captureState, CaptureError, type CaptureOptions, type CaptureResult } from '../../core/capture/capture';
import { dockerConfigDir, listContexts } from '../../core/capture/endpoint';
import { assertMissingOrEmpty } from '../../core/writer/outputDir';
import type { Explorer } from '../context';
import { askOutputFolder, outputFolderDialogs } from '../outputFolder';

type Pick = vscode.QuickPickItem & { id: string };

export class CaptureCommand {
  /**
   * The dialogs the command opens. Tests replace them (the command stays the same; only the typing and
   * clicking is simulated).
   */
  readonly prompts = {
    engine: (items: Pick[], options: vscode.QuickPickOptions): Thenable<Pick | undefined> => vscode.window.showQuickPick(items, options),
    host: (options: vscode.InputBoxOptions): Thenable<string | undefined> => vscode.window.showInputBox(options),
    output: { ...outputFolderDialogs },
    options: (items: Pick[], options: vscode.QuickPickOptions): Thenable<Pick[] | undefined> => vscode.window.showQuickPick(items, { ...options, canPickMany: true }),
    unlockKey: (options: vscode.InputBoxOptions): Thenable<string | undefined> => vscode.window.showInputBox(options),
    done: (message: string, ...actions: string[]): Thenable<string | undefined> => vscode.window.showInformationMessage(message, ...actions),
  };

  constructor(private readonly explorer: Explorer) {}

  async run(): Promise<CaptureResult | undefined> {
    const engine = await this.pickEngine();
    if (!engine) return undefined;
    const out = await this.askOutput();
    if (!out) return undefined;
    const options = await this.prompts.options([
      { label: 'Leave out certificates/', description: 'the node key and certificates are not read from the host', id: 'no-certificates' },
      { label: 'Redacted text export instead of the files', description: 'dump-wal and dump-snapshot with secret values hidden (a support bundle)', id: 'redacted' },
    ], { title: 'Options (none: a full copy)' });
    if (!options) return undefined;
    const request: CaptureOptions = {
      ...engine, out,
      certificates: !options.some((o) => o.id === 'no-certificates'),
      redactedExport: options.some((o) => o.id === 'redacted'),
    };
    let result: CaptureResult;
    try {
      result = await capture(request);
    } catch (e) {
      if (!(e instanceof CaptureError && request.redactedExport && /autolocked/.test(e.message))) throw this.reported(e);
      // The export decrypts the copy: an autolocked swarm needs its key (used once, never stored).
      const unlockKey = await this.prompts.unlockKey({ title: 'The swarm is autolocked: its unlock key (SWMKEY-1-...) for the export', password: true, ignoreFocusOut: true });
      if (!unlockKey) return undefined;
      try {
        result = await capture({ ...request, unlockKey });
      } catch (e2) {
        throw this.reported(e2);
      }
    }
    const m = result.manifest;
    this.explorer.log.info(`copied the swarm state of node ${m.swarm.nodeId} from ${m.endpoint.host} into ${out}: ${m.hostActions.join('; ')}`);
    for (const torn of m.copyCheck.tornTail) this.explorer.log.warn(`live copy: ${torn}`);
    const target = vscode.Uri.file(result.stateDir ?? out);
    const choice = await this.prompts.done(
      `Copied ${m.options.redactedExport ? 'a redacted export' : `${m.files.length} files`} of node ${m.swarm.nodeId} into ${out}.`,
      'Open in New Window', 'Add to Workspace');
    if (choice === 'Open in New Window') await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: true });
    else if (choice === 'Add to Workspace') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: target });
    return result;
  }

  /** A docker context (as `docker context ls` lists them) or a host URL typed in. */
  private async pickEngine(): Promise<{ context?: string; dockerHost?: string } | undefined> {
    const contexts = listContexts(dockerConfigDir());
    const typed: Pick = { label: '$(edit) Enter a Docker host…', description: 'unix:///path, tcp://host:2376, ssh://user@host', id: '' };
    const pick = await this.prompts.engine([...contexts.map((c) => ({ label: c.name, description: c.host, id: c.name })), typed], { title: 'Copy the swarm state of which Docker engine (a manager)?' });
    if (!pick) return undefined;
    if (pick.id) return { context: pick.id };
    const host = await this.prompts.host({ title: 'Docker host', placeHolder: 'ssh://user@manager1', ignoreFocusOut: true, validateInput: (v) => (/^(unix|tcp|ssh):\/\/.+/.test(v.trim()) ? undefined : 'unix://, tcp:// or ssh://') });
    return host ? { dockerHost: host.trim() } : undefined;
  }

  /** A new or empty local folder: the copy goes into OUT/swarm, the manifest beside it. */
  private askOutput(): Promise<string | undefined> {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    const parent = vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file' ? vscode.workspace.workspaceFolders[0].uri.fsPath : homedir();
    return askOutputFolder({
      defaultPath: join(parent, `swarm-capture-${stamp}`),
      title: 'A new or empty folder for the copy',
      saveLabel: 'Copy Here',
      what: 'the copy',
      retrySuffix: '-new',
      check: assertMissingOrEmpty,
      prompts: this.prompts.output,
    });
  }

  private reported(e: unknown): Error {
    const message = (e as Error).message;
    this.explorer.log.error(`copy state: ${message}`);
    void vscode.window.showErrorMessage(`Copy State from a Docker Host: ${message}`);
    return e as Error;
  }
}

function capture(request: CaptureOptions): Promise<CaptureResult> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Copying the swarm state' }, (progress) =>
    captureState({ ...request, onProgress: (message) => progress.report({ message }) })));
}
