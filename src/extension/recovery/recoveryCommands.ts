// Recovery in VS Code (issue #16): "Swarm Raft: Export Recovery Kit..." writes the kit of the open state
// into a new or empty folder outside the state directory; "Copy as Compose Service" on a service of the
// State or Raft Log tree; "Swarm Raft: Restore Recovery Kit..." asks which engine, says so before it
// connects, shows the plan as a document and sends nothing that changes the target before the user
// confirms, naming the engine again.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { applyRestore, composeServiceSnippet, dockerTarget, ENGINE_FILE, planRestore, planText, readKitEngineForm, recoveryKitAt, REPORT_FILE, writeRecoveryKit, type RestorePlan, type RestoreTarget } from '../../core/recreate';
import { buildRecoveryKit } from '../../core/recreate/kit';
import { assertOutsideOf } from '../../core/writer/outputDir';
import type { Explorer } from '../context';
import { askOutputFolder } from '../outputFolder';
import type { ForensicsApi } from '../forensics/register';
import { objectTarget } from '../forensics/objectTarget';

/** Arguments tests (or other extensions) may pass instead of answering prompts. */
export interface ExportKitOptions {
  output?: string;
  /** The state at this raft index (default: the end of the log). */
  at?: bigint;
}

export interface RestoreOptions {
  kit?: string;
  host?: string;
  /** Answers to "connect to the engine?" and "apply the plan?". */
  connect?: boolean;
  apply?: boolean;
  clusterSettings?: boolean;
  /** The engine (tests); default dockerode on `host`. */
  target?: RestoreTarget;
}

export function registerRecovery(explorer: Explorer, forensics: ForensicsApi): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('swarmRaft.exportRecoveryKit', (arg?: unknown, options?: ExportKitOptions) => exportRecoveryKit(explorer, arg, options ?? {})),
    vscode.commands.registerCommand('swarmRaft.copyAsComposeService', (arg?: unknown) => copyAsComposeService(forensics, arg)),
    vscode.commands.registerCommand('swarmRaft.restoreRecoveryKit', (options?: RestoreOptions) => restoreRecoveryKit(explorer, options && typeof options === 'object' && !('scheme' in options) ? options : {})),
  ];
}

export async function exportRecoveryKit(explorer: Explorer, arg: unknown, options: ExportKitOptions): Promise<{ outDir: string; files: string[] } | undefined> {
  const doc = explorer.documentFor(arg);
  if (!doc) {
    void vscode.window.showInformationMessage('Open a Raft WAL segment (.wal) or snapshot (.snap) first.');
    return undefined;
  }
  const shared = await explorer.openSwarm(doc, `Cannot export a recovery kit of ${doc.shared?.stateDir ?? doc.fileName}`);
  if (!shared) return undefined;
  const output = options.output ?? (await askFolder(shared.stateDir));
  if (!output) return undefined;
  try {
    return await shared.pinned(async (state) => {
      const { kit, index } = recoveryKitAt(state, options.at);
      const files = writeRecoveryKit(kit, output, { stateDir: shared.stateDir, index });
      const report = await vscode.workspace.openTextDocument(vscode.Uri.file(join(output, 'README.md')));
      await vscode.window.showTextDocument(report, { preview: false });
      explorer.log.info(`recovery kit of ${shared.stateDir} at index ${index} written to ${output}`);
      void vscode.window.showInformationMessage(`Recovery kit (state at index ${index}) written to ${output}. It holds the swarm's secrets in clear.`);
      return { outDir: output, files };
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`The recovery kit could not be written: ${(e as Error).message}`);
    return undefined;
  }
}

function askFolder(stateDir: string): Promise<string | undefined> {
  return askOutputFolder({
    defaultPath: join(dirname(stateDir), `${basename(stateDir)}-recovery-kit`),
    title: 'A new or empty folder for the recovery kit (outside the state directory; it will hold secrets in clear)',
    saveLabel: 'Write the Kit Here',
    what: 'the kit',
    retrySuffix: '-kit',
    check: (path) => assertOutsideOf(path, stateDir),
  });
}

/** The Compose form of a service of the State tree (at its index) or of the Raft Log tree (after that entry), to the clipboard. */
export async function copyAsComposeService(api: ForensicsApi, arg: unknown): Promise<string | undefined> {
  const t = objectTarget(api.forensics, arg);
  if (!t || t.kind !== 'service') {
    void vscode.window.showInformationMessage('Choose a service in the State or Raft Log tree.');
    return undefined;
  }
  const st = t.state;
  const store = st.source === 'store' ? t.session.store()
    : st.source === 'entry' ? t.session.storeAt(BigInt(st.index))
    : t.session.storeAt(t.session.state.snapshotFiles.find((f) => f.name === st.snapshotFile)?.snapshot?.index, st.snapshotFile);
  const snippet = composeServiceSnippet(buildRecoveryKit(store), t.id);
  if (!snippet) {
    void vscode.window.showInformationMessage(`Service ${t.id} is not in the state at that index (removed, or not a container service).`);
    return undefined;
  }
  await vscode.env.clipboard.writeText(snippet);
  void vscode.window.setStatusBarMessage('Compose service copied', 3000);
  return snippet;
}

export async function restoreRecoveryKit(explorer: Explorer, options: RestoreOptions): Promise<{ plan: RestorePlan; applied?: string } | undefined> {
  const kitDir = options.kit ?? (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'The recovery kit folder (written by Export Recovery Kit or swarm-raft recreate)', openLabel: 'Restore This Kit' }))?.[0]?.fsPath;
  if (!kitDir) return undefined;
  let kit;
  try {
    const path = join(kitDir, ENGINE_FILE);
    kit = readKitEngineForm(readFileSync(path, 'utf8'), path);
  } catch (e) {
    void vscode.window.showErrorMessage(`${(e as Error).message}`);
    return undefined;
  }
  const host = options.host ?? (await vscode.window.showInputBox({
    title: 'Swarm Raft: the engine to restore into (a manager of the new swarm)',
    prompt: 'unix:///var/run/docker.sock or tcp://HOST:PORT',
    value: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock',
  }));
  if (!host) return undefined;
  let target: RestoreTarget;
  try {
    target = options.target ?? dockerTarget(host);
  } catch (e) {
    void vscode.window.showErrorMessage((e as Error).message);
    return undefined;
  }
  const connect = options.connect ?? (await vscode.window.showWarningMessage(`Read the swarm at ${target.address} to plan the restore of ${kitDir}?`, { modal: true, detail: 'Only reads: nothing is changed until you confirm the plan.' }, 'Read and Plan')) === 'Read and Plan';
  if (!connect) return undefined;
  const plan = await planRestore(kit, target, { clusterSettings: options.clusterSettings });
  const preview = await vscode.workspace.openTextDocument({ content: `Restore of ${kitDir}\nReport of what Compose cannot carry: ${join(kitDir, REPORT_FILE)}\n\n${planText(plan)}`, language: 'plaintext' });
  await vscode.window.showTextDocument(preview, { preview: false });
  if (plan.blocked) {
    void vscode.window.showErrorMessage(`Cannot restore: ${plan.blocked}`);
    return { plan };
  }
  const creates = plan.items.filter((i) => i.action === 'create' || (i.action === 'update' && (i.kind !== 'cluster' || options.clusterSettings))).length;
  const apply = options.apply ?? (await vscode.window.showWarningMessage(`Apply this plan to the engine at ${target.address}?`, { modal: true, detail: `${creates} object(s) to create or update; conflicts are left as they are. The plan is in the document.` }, 'Apply')) === 'Apply';
  if (!apply) return { plan };
  const outcomes = await applyRestore(plan, kit, target, { clusterSettings: options.clusterSettings });
  const applied = planText(plan, outcomes);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: applied, language: 'plaintext' }), { preview: false });
  const failed = outcomes.filter((o) => o.result === 'failed').length;
  explorer.log.info(`restored ${kitDir} into ${target.address}: ${outcomes.filter((o) => o.result === 'applied').length} applied, ${failed} failed`);
  if (failed) void vscode.window.showErrorMessage(`${failed} object(s) could not be restored into ${target.address}; the document lists what was applied.`);
  else void vscode.window.showInformationMessage(`Restored into ${target.address}.`);
  return { plan, applied };
}
