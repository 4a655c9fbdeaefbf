// The extension's one context object: it owns every disposable, the settings wrapper, the shared states,
// the unlock-key store, the open Raft documents, the tree, the detail panel and the editor provider, and
// keeps the editor, the tree and the detail view in sync.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { Config } from './config';
import { Log } from './log';
import { StateRegistry, type SharedState } from './state/stateRegistry';
import { UnlockKeyStore } from './keys/secretStore';
import { keyFilesScope, OlderKeyFiles } from './keys/olderKeyFiles';
import { ensureUnlocked, type UnlockResult } from './keys/unlockFlow';
import { RaftDocument } from './editor/raftDocument';
import { RaftEditorProvider } from './editor/rawEditorProvider';
import { EntryTreeProvider, type Node } from './tree/entryTreeProvider';
import { DetailPanel } from './detail/detailPanel';
import { exportDocument } from './export/exportCommands';
import { ExportDocuments } from './export/exportDocuments';

/** What the detail view shows: an entry (or, in a .snap document, the object at that position), or a snapshot object seen from a WAL. */
export type Target = { kind: 'entry'; seq: number; action?: number } | { kind: 'snapshot'; snapshot: string; position: number };

export const TREE_VIEW_ID = 'swarmRaft.entries';

export class Explorer implements vscode.Disposable {
  readonly config = new Config();
  readonly log = new Log();
  readonly registry = new StateRegistry();
  readonly keys: UnlockKeyStore;
  readonly olderKeyFiles: OlderKeyFiles;
  readonly documents = new Set<RaftDocument>();
  readonly tree: EntryTreeProvider;
  readonly detail: DetailPanel;
  readonly editors: RaftEditorProvider;
  /** The read-only documents exports open in. */
  readonly exports = new ExportDocuments();
  private readonly treeView: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private active?: RaftDocument;
  /**
   * The dialogs the key flows open. Tests replace them (the flows stay the same; only the typing and
   * clicking is simulated); the UI tests drive the real ones.
   */
  readonly prompts = {
    unlockKey: (options: vscode.InputBoxOptions): Thenable<string | undefined> => vscode.window.showInputBox(options),
    nodeKeyNotice: (message: string, action: string): Thenable<string | undefined> => vscode.window.showWarningMessage(message, action),
    nodeKeyFile: (options: vscode.OpenDialogOptions): Thenable<vscode.Uri[] | undefined> => vscode.window.showOpenDialog(options),
  };
  private readonly activeChanged = new vscode.EventEmitter<RaftDocument | undefined>();
  readonly onDidChangeActive = this.activeChanged.event;

  constructor(readonly ext: vscode.ExtensionContext) {
    this.keys = new UnlockKeyStore(ext.secrets, ext.globalState);
    this.olderKeyFiles = new OlderKeyFiles(ext.globalState);
    this.tree = new EntryTreeProvider(this);
    this.detail = new DetailPanel(this);
    this.treeView = vscode.window.createTreeView(TREE_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.editors = new RaftEditorProvider(this);
    this.disposables.push(
      this.log, this.registry, this.tree, this.detail, this.treeView, this.activeChanged, this.exports,
      ...RaftEditorProvider.registerWith(this.editors),
      this.detail.register(),
      this.treeView.onDidChangeSelection((e) => {
        const node = e.selection[0];
        const doc = this.tree.document;
        if (!node || !doc) return;
        const target = targetOf(node, doc);
        if (target) this.select(doc, target, 'tree');
      }),
      this.config.onDidChange((affects) => {
        if (affects('tree')) this.tree.refresh();
      }),
    );
    void vscode.commands.executeCommand('setContext', 'swarmRaft.hasDocument', false);
  }

  get extensionUri(): vscode.Uri {
    return this.ext.extensionUri;
  }

  get workspaceState(): vscode.Memento {
    return this.ext.workspaceState;
  }

  /** The Raft Log tree view (tests check its selection). */
  get view(): vscode.TreeView<Node> {
    return this.treeView;
  }

  get activeDocument(): RaftDocument | undefined {
    return this.active;
  }

  addDocument(doc: RaftDocument): void {
    this.documents.add(doc);
    doc.onDidDispose(() => {
      this.documents.delete(doc);
      if (this.active === doc) this.setActive([...this.documents].pop());
    });
    doc.onDidChangeModel(() => this.detail.documentReady(doc));
    // Its state directory is read after the editor opened: what follows the active document's state (the
    // forensics views) looks again.
    doc.onDidOpen(() => {
      if (this.active === doc) this.activeChanged.fire(doc);
    });
    this.detail.documentReady(doc);
  }

  setActive(doc: RaftDocument | undefined): void {
    if (this.active === doc) return;
    this.active = doc;
    this.tree.setDocument(doc);
    this.treeView.description = doc?.fileName;
    void vscode.commands.executeCommand('setContext', 'swarmRaft.hasDocument', !!doc);
    this.activeChanged.fire(doc);
  }

  /** The open document of a uri (string or Uri) or file path; the active one when `arg` is empty. */
  documentFor(arg?: unknown): RaftDocument | undefined {
    if (arg === undefined || arg === null) return this.active;
    const text = arg instanceof vscode.Uri ? arg.toString() : typeof arg === 'string' ? arg : undefined;
    if (!text) return this.active;
    for (const d of this.documents) if (d.uri.toString() === text || d.filePath === text) return d;
    return undefined;
  }

  /**
   * The document's swarm with its data keys open, for a command that reads entries: loads the document, says
   * when it is not Swarm Raft data, and asks for the unlock key when locked (`whenLocked` then completes
   * the sentence shown on refusal, e.g. "Cannot export the log of x"). Undefined when the command cannot go on.
   */
  async openSwarm(doc: RaftDocument, whenLocked: string): Promise<SharedState | undefined> {
    await doc.load();
    const shared = doc.shared;
    if (doc.problem || !shared) {
      void vscode.window.showErrorMessage(doc.problem ?? `${doc.fileName} is not open as Swarm Raft data.`);
      return undefined;
    }
    if (!shared.isOpen() && (await this.openKeys(doc)) !== 'open') {
      void vscode.window.showErrorMessage(`${whenLocked}: the swarm is locked and its entries cannot be decrypted without the unlock key.`);
      return undefined;
    }
    return shared;
  }

  /**
   * Gets the data keys for the document's state directory: tells the user when the node key is missing
   * (offering to pick one), then the stored unlock key or the prompt. An unlocked swarm never prompts.
   */
  async openKeys(doc: RaftDocument, options: { force?: boolean } = {}): Promise<UnlockResult> {
    await doc.load();
    const shared = doc.shared;
    if (!shared) return 'cancelled';
    if (shared.status.state === 'no-key-file') {
      const picked = await this.offerNodeKey(doc);
      if (!picked) return 'no-key-file';
    }
    await this.useRememberedKeyFiles(doc);
    return ensureUnlocked(shared, { store: this.keys, config: this.config, log: this.log, ask: (o) => this.prompts.unlockKey(o) }, { interactive: true, force: options.force });
  }

  /**
   * Adds the older copies of swarm-node.key remembered for this cluster and node (paths) to the state's key
   * files. A locked state opens with them at the unlock; an open one is reopened with them now.
   */
  private async useRememberedKeyFiles(doc: RaftDocument): Promise<void> {
    const shared = doc.shared;
    if (!shared) return;
    const remembered = this.olderKeyFiles.get(keyFilesScope(shared)).filter((f) => !shared.keyFiles.includes(f));
    if (!remembered.length) return;
    const present = remembered.filter((f) => existsSync(f));
    for (const f of remembered) if (!present.includes(f)) this.log.warn(`${shared.stateDir}: the older copy of swarm-node.key remembered at ${f} is not there any more ("Forget Older Copies of swarm-node.key" forgets it)`);
    if (!present.length) return;
    shared.keyFiles = [...shared.keyFiles, ...present];
    this.log.info(`${shared.stateDir}: using ${present.length} remembered older cop${present.length === 1 ? 'y' : 'ies'} of swarm-node.key`);
    if (shared.isOpen()) {
      const stored = shared.clusterId ? await this.keys.get(shared.clusterId) : undefined;
      shared.tryReopen({ unlockKey: stored });
    }
  }

  /** Forgets the remembered older copies of swarm-node.key of the document's cluster and reopens without them. */
  async forgetOlderKeyFiles(doc: RaftDocument): Promise<string[]> {
    await doc.load();
    const shared = doc.shared;
    if (!shared) return [];
    const forgotten = await this.olderKeyFiles.forget(keyFilesScope(shared));
    const dropped = shared.keyFiles.length;
    shared.keyFiles = [];
    this.log.info(`${shared.stateDir}: forgot ${forgotten.length} remembered older cop${forgotten.length === 1 ? 'y' : 'ies'} of swarm-node.key`);
    if (dropped) {
      shared.reload();
      await this.openKeys(doc);
    }
    void vscode.window.showInformationMessage(forgotten.length || dropped
      ? `Forgot the older copies of swarm-node.key of ${doc.fileName}'s swarm: entries under earlier data keys are not read any more.`
      : `No older copy of swarm-node.key was added for ${doc.fileName}'s swarm.`);
    return forgotten;
  }

  /** Tells that swarm-node.key is missing (entries still listed) and lets the user pick a key file. */
  async offerNodeKey(doc: RaftDocument, ask = true): Promise<boolean> {
    await doc.load();
    const shared = doc.shared;
    if (!shared) return false;
    if (ask) {
      const choice = await this.prompts.nodeKeyNotice(
        `${doc.fileName}: no usable node key (${'message' in shared.status ? shared.status.message : 'certificates/swarm-node.key'}). Index, term and type are shown; pick the manager's swarm-node.key to decrypt the entries.`,
        'Pick Key File…',
      );
      if (!choice) return false;
    }
    const picked = await this.prompts.nodeKeyFile({ title: 'The swarm-node.key of this manager', canSelectMany: false, openLabel: 'Use This Key', filters: { 'Node key': ['key', 'pem'], 'All files': ['*'] } });
    if (!picked?.[0]) return false;
    shared.nodeKeyFile = picked[0].fsPath;
    const status = shared.tryReopen();
    this.log.info(`${shared.stateDir}: using node key ${shared.nodeKeyFile} (${status.state})`);
    if (status.state === 'no-key-file') {
      void vscode.window.showErrorMessage(`That key file cannot be used: ${status.message}`);
      return false;
    }
    return true;
  }

  /**
   * Adds older copies of swarm-node.key (backups, key history): their data keys open entries written
   * before a data-key rotation ("encrypted with an earlier data key"). The state is reopened with the
   * stored unlock key, or the prompt when there is none.
   */
  async addOlderKeyFiles(doc: RaftDocument, files?: string[]): Promise<void> {
    await doc.load();
    const shared = doc.shared;
    if (!shared) return;
    if (!files) {
      const picked = await this.prompts.nodeKeyFile({ title: 'Older copies of swarm-node.key (backups) of this manager', canSelectMany: true, openLabel: 'Add Key Files', filters: { 'Node key': ['key', 'pem'], 'All files': ['*'] } });
      files = picked?.map((u) => u.fsPath);
    }
    if (!files?.length) return;
    const before = countEarlier(doc);
    shared.keyFiles = [...new Set([...shared.keyFiles, ...files])];
    const stored = shared.clusterId ? await this.keys.get(shared.clusterId) : undefined;
    const status = shared.tryReopen({ unlockKey: stored });
    if (status.state !== 'open' && status.state !== 'not-encrypted') {
      shared.reload();
      await this.openKeys(doc);
    }
    const after = countEarlier(doc);
    this.log.info(`${shared.stateDir}: ${files.length} older key file(s) added; entries under an earlier data key: ${before} -> ${after}`);
    const unused = shared.state.faults.filter((f) => files!.includes(f.file));
    // The usable ones are remembered by path for this cluster and node, so a reload reopens with them.
    const usable = files.filter((f) => !unused.some((u) => u.file === f));
    if (usable.length) await this.olderKeyFiles.add(keyFilesScope(shared), usable);
    if (unused.length) void vscode.window.showWarningMessage(unused.map((f) => `${f.file}: ${f.message}`).join('\n'));
    else void vscode.window.showInformationMessage(`${before - after} more entr${before - after === 1 ? 'y' : 'ies'} of ${doc.fileName} can be read.`);
  }

  /** Selection from the editor table, the tree or the detail view: show it everywhere else. */
  select(doc: RaftDocument, target: Target, from: 'editor' | 'tree' | 'detail' | 'link' | 'command'): void {
    if (target.kind === 'entry') doc.selectedSeq = target.seq;
    if (from !== 'editor' && target.kind === 'entry') this.editors.post(doc, { type: 'select', seq: target.seq });
    if (from !== 'tree' && this.tree.document === doc && this.treeView.visible) {
      const node = this.tree.nodeFor(target);
      if (node) void Promise.resolve(this.treeView.reveal(node, { select: true, focus: false, expand: false })).catch(() => undefined);
    }
    if (!this.detail.isShowing(doc, target)) this.detail.show(doc, target, { preserveFocus: true });
  }

  /** A link in the detail view: the last entry of this file that wrote the object, else the snapshot that holds it. */
  openObject(doc: RaftDocument, kind: string, id: string): void {
    const place = doc.model?.findObject(kind, id);
    if (!place) {
      void vscode.window.showInformationMessage(`${kind} ${id} is not written by any readable entry of ${doc.fileName} nor held by a snapshot.`);
      return;
    }
    const target: Target = place.kind === 'entry'
      ? { kind: 'entry', seq: place.seq, action: place.action }
      : doc.kind === 'snap' && place.snapshot === doc.fileName ? { kind: 'entry', seq: place.position } : { kind: 'snapshot', snapshot: place.snapshot, position: place.position };
    this.select(doc, target, 'link');
  }

  async runWebviewCommand(doc: RaftDocument, command: 'unlock' | 'exportText' | 'exportJson' | 'openAsText'): Promise<void> {
    await doc.load();
    switch (command) {
      case 'unlock':
        await this.openKeys(doc, { force: false });
        return;
      case 'exportText':
        await exportDocument(this, doc, 'text');
        return;
      case 'exportJson':
        await exportDocument(this, doc, 'json');
        return;
      case 'openAsText':
        // Not Raft data: the text editor. Raft data: its text dump in a new document.
        if (doc.problem) await vscode.commands.executeCommand('vscode.openWith', doc.uri, 'default');
        else await exportDocument(this, doc, 'text', { destination: 'untitled' });
        return;
    }
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}

function countEarlier(doc: RaftDocument): number {
  const model = doc.model;
  if (!model || model.kind !== 'wal') return 0;
  let n = 0;
  for (let r = 0; r < model.rowCount; r++) if (model.summary(r).status === 'earlier-key') n++;
  return n;
}

function targetOf(node: Node, doc: RaftDocument): Target | undefined {
  switch (node.t) {
    case 'entry':
      return { kind: 'entry', seq: node.seq };
    case 'action':
      return { kind: 'entry', seq: node.seq, action: node.index };
    case 'snapObject':
      return doc.kind === 'snap' ? { kind: 'entry', seq: node.position } : { kind: 'snapshot', snapshot: node.snapshot, position: node.position };
    default:
      return undefined;
  }
}
