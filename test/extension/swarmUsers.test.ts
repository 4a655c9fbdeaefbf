// Issue 19, item 1: a swarm stays open while anything uses it (a Raft editor, an object or history
// document, the State view while it is visible, an export), and documents that show swarm data open pinned beside the log, never as a
// preview that replaces it. Started from a log opened the usual way: a preview tab.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { objectCatalog, objectVersions, renderObject, StateTimeline, stateObjects } from '../../src/core/forensics';
import { SwarmState } from '../../src/core/state/swarmState';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { Target } from '../../src/extension/context';
import type { StateNode } from '../../src/extension/forensics/stateTree';
import { api, closeAllEditors, hashTree, raftFiles, waitFor } from './raftFixtures';
import { copyTwoManagers, type TwoManagers } from './forensicsFixtures';

function tabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

function logTab(uri: vscode.Uri): vscode.Tab | undefined {
  return tabs().find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === uri.toString());
}

/** Opens the last WAL segment as a single click in the Explorer does: a preview tab. */
async function openAsPreview(a: SwarmRaftApi, stateDir: string): Promise<{ uri: vscode.Uri; doc: RaftDocument }> {
  const uri = vscode.Uri.file(raftFiles(stateDir).filter((f) => f.endsWith('.wal')).pop()!);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: true });
  const doc = await waitFor('document', () => a.explorer.documentFor(uri.toString()));
  await doc.keyFlow;
  a.explorer.setActive(doc);
  assert.equal(logTab(uri)?.isPreview, true, 'the log is open as a preview');
  return { uri, doc };
}

/** What the State tree lists: "kind id" of every object. */
async function stateRows(a: SwarmRaftApi): Promise<string[]> {
  const tree = a.forensics.stateTree;
  const kinds = await tree.getChildren();
  const rows = await Promise.all(kinds.map((k) => tree.getChildren(k)));
  return rows.flat().flatMap((n) => (n.t === 'object' ? [`${n.row.kind} ${n.row.id}`] : []));
}

/** Runs what a click on the State tree item runs, as VS Code would. */
async function click(a: SwarmRaftApi, node: StateNode): Promise<Target | undefined> {
  const command = a.forensics.stateTree.getTreeItem(node).command!;
  return vscode.commands.executeCommand<Target | undefined>(command.command, ...(command.arguments ?? []));
}

async function showStateView(a: SwarmRaftApi, stateDir: string): Promise<void> {
  await vscode.commands.executeCommand('swarmRaft.state.focus');
  await waitFor(`the State view on ${stateDir}`, () => (a.forensics.stateView.visible && a.forensics.stateTree.current?.shared.stateDir === stateDir) || undefined);
}

describe('a swarm stays open while something uses it', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;
  let fx: TwoManagers;
  let core: SwarmState;
  /** A secret with at least two versions in m1's log. */
  let target: { kind: 'secret'; id: string };

  before(async () => {
    a = await api();
    a.explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
    await closeAllEditors();
    fx = copyTwoManagers();
    core = SwarmState.open(fx.m1);
    const id = objectCatalog(core).find((o) => o.kind === 'secret' && objectVersions(core, o.id, { kind: 'secret' }).versions.length >= 2)?.id;
    assert.ok(id, 'a secret with two versions in the fixture');
    target = { kind: 'secret', id };
  });

  after(async () => {
    await closeAllEditors();
    core.close();
    assert.deepEqual(hashTree(fx.root), fx.hashes, 'nothing was written into the state directories');
    fx.remove();
  });

  it('Compare with Previous from a preview log: a pinned diff beside it, and the swarm outlives the log\'s editor', async () => {
    // The State view closed: only the log and the diff use the swarm here.
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the State view hidden', () => !a.forensics.stateView.visible);
    const { uri, doc } = await openAsPreview(a, fx.m1);
    const opened = await vscode.commands.executeCommand<{ left: vscode.Uri; right: vscode.Uri } | undefined>('swarmRaft.compareWithPrevious', { dir: fx.m1, ...target });
    assert.ok(opened, 'a diff opened');
    const diff = await waitFor('the diff tab', () => tabs().find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === opened.right.toString()));
    assert.equal(diff.isPreview, false, 'the diff is pinned');
    const log = logTab(uri);
    assert.ok(log, 'the log is still open');
    assert.notEqual(diff.group.viewColumn, log.group.viewColumn, 'the diff is beside the log');

    const versions = objectVersions(core, target.id, { kind: 'secret' }).versions;
    const expected = renderObject('secret', versions.at(-1)!.object, { format: 'text', redact: true });
    const right = await vscode.workspace.openTextDocument(opened.right);
    assert.equal(right.getText(), expected, 'the diff shows the secret\'s last version');

    // Closing the log's editor leaves the swarm open for the diff.
    await vscode.window.tabGroups.close(logTab(uri)!);
    await waitFor('the log closed', () => !a.explorer.documents.has(doc));
    assert.ok(a.explorer.registry.get(fx.m1)?.isOpen(), 'the swarm is still open');
    assert.equal(a.forensics.forensics.provideTextDocumentContent(opened.right), expected, 'the diff\'s documents still read the swarm');

    // Once nothing uses it, the swarm is closed (and its data keys wiped).
    await vscode.window.tabGroups.close(tabs().find((t) => t.input instanceof vscode.TabInputTextDiff)!);
    await waitFor('the swarm closed', () => !a.explorer.registry.get(fx.m1), 60_000);
  });

  it('the State view keeps showing its swarm after the last Raft editor closed, and lets go when hidden or showing another', async () => {
    const { doc } = await openAsPreview(a, fx.m1);
    const shared = doc.shared!;
    await showStateView(a, fx.m1);
    const store = new StateTimeline(core).at();
    const expected = (await stateRows(a)).sort();
    assert.ok(expected.length > 0, 'the State view lists objects');
    assert.deepEqual(expected, stateObjects(store).flatMap((g) => g.objects.map((o) => `${o.kind} ${o.id}`)).sort(), 'the objects of the store');

    await closeAllEditors();
    await waitFor('every Raft editor closed', () => a.explorer.documents.size === 0);
    assert.equal(a.explorer.registry.get(fx.m1), shared, 'the swarm is still open');
    assert.ok(shared.isOpen(), 'with its data keys');
    assert.equal(a.forensics.stateTree.current?.shared, shared, 'the State view still shows it');
    assert.deepEqual((await stateRows(a)).sort(), expected, 'and lists the same objects');

    // A click on an object still shows it in the detail view: its log opens again (pinned) for it.
    const kinds = await a.forensics.stateTree.getChildren();
    const services = await a.forensics.stateTree.getChildren(kinds.find((n) => n.t === 'kind' && n.group.kind === 'service'));
    const service = services.find((n) => n.t === 'object' && n.row.lastChangedAt) as Extract<StateNode, { t: 'object' }>;
    assert.ok(service, 'a service changed by an entry');
    const target = await click(a, service);
    assert.ok(target?.kind === 'entry', 'an entry target');
    const shown = a.explorer.detail.current;
    assert.equal(shown?.doc.shared, shared);
    assert.deepEqual(shown?.target, target);
    assert.equal(core.wal.entry(target.seq).index, store.lastChangedAt('service', service.row.id), 'the entry that last changed it');
    const action = shown.doc.model!.summaryOfSeq(target.seq)!.actions[target.action!];
    assert.deepEqual([action.kind, action.id], ['service', service.row.id]);
    assert.equal(logTab(shown.doc.uri)?.isPreview, false, 'the log reopened pinned');

    // The view showing another swarm lets go of this one.
    await closeAllEditors();
    await waitFor('every Raft editor closed', () => a.explorer.documents.size === 0);
    assert.equal(a.explorer.registry.get(fx.m1), shared, 'still held by the visible State view');
    const m2 = (await openAsPreview(a, fx.m2)).doc.shared;
    await showStateView(a, fx.m2);
    await waitFor('m1 closed', () => !a.explorer.registry.get(fx.m1));

    // Hidden, the view lets go of the swarm it shows once no editor uses it.
    await closeAllEditors();
    await waitFor('every Raft editor closed', () => a.explorer.documents.size === 0);
    assert.equal(a.explorer.registry.get(fx.m2), m2, 'm2 held by the visible State view');
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the State view hidden', () => !a.forensics.stateView.visible);
    await waitFor('m2 closed', () => !a.explorer.registry.get(fx.m2));
    assert.equal(a.forensics.stateTree.current, undefined, 'the State view follows nothing');
    assert.deepEqual(await a.forensics.stateTree.getChildren(), []);
  });

  it('Show History from a preview log opens the history pinned beside it', async () => {
    const { uri } = await openAsPreview(a, fx.m1);
    a.forensics.history.prompts.pick = async (items) => items[0]; // "Whole history as text"
    await vscode.commands.executeCommand('swarmRaft.showHistory', { dir: fx.m1, ...target });
    const history = await waitFor('the history tab', () => tabs().find((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.startsWith('/History of secret')));
    assert.equal(history.isPreview, false);
    assert.ok(logTab(uri), 'the log is still open');
    const text = (await vscode.workspace.openTextDocument((history.input as vscode.TabInputText).uri)).getText();
    assert.doesNotMatch(text, /not open any more/);
    assert.match(text, new RegExp(target.id));
  });

  it('the history says that a REMOVE removed the object, not "(no change)"', async () => {
    const gone = objectCatalog(core).find((o) => o.kind === 'secret' && objectVersions(core, o.id, { kind: 'secret' }).versions.at(-1)?.action === 'REMOVE');
    assert.ok(gone, 'a removed secret in the fixture');
    await closeAllEditors();
    await openAsPreview(a, fx.m1);
    a.forensics.history.prompts.pick = async (items) => items[0]; // "Whole history as text"
    await vscode.commands.executeCommand('swarmRaft.showHistory', { dir: fx.m1, kind: 'secret', id: gone.id });
    const tab = await waitFor('the history tab', () => tabs().find((t) => t.input instanceof vscode.TabInputText && t.input.uri.path === `/History of secret ${gone.id}.txt`));
    const text = (await vscode.workspace.openTextDocument((tab.input as vscode.TabInputText).uri)).getText();
    const removal = text.slice(text.lastIndexOf('Action=REMOVE'));
    assert.match(removal, /^Action=REMOVE, Kind=secret[^\n]*\n\(removed from the store at index \d+\)\n/);
    assert.doesNotMatch(text, /no change/);
  });
});
