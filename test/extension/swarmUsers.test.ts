// Issue 19, item 1: a swarm stays open while anything uses it (a Raft editor, an object or history
// document, an export), and documents that show swarm data open pinned beside the log, never as a
// preview that replaces it. Started from a log opened the usual way: a preview tab.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { objectCatalog, objectVersions, renderObject } from '../../src/core/forensics';
import { SwarmState } from '../../src/core/state/swarmState';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { SwarmRaftApi } from '../../src/extension/main';
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
