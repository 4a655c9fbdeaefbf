// The tree, the editor and the detail view stay in sync: a selection in the editor shows the entry in
// the detail view and selects it in the tree; a selection in the tree shows it in the detail view; links
// jump to the entry that wrote an object; grouping follows the setting; the detail view closes with its
// document; Reload re-reads the directory with the stored key.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Explorer } from '../../src/extension/context';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { Node } from '../../src/extension/tree/entryTreeProvider';
import { api, closeAllEditors, copyCase, hashTree, raftFiles, storeUnlockKeyFor, waitFor, type CaseCopy } from './raftFixtures';

function detailTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('swarmRaft.detail'));
}

describe('tree, editor and detail view in sync', function () {
  this.timeout(120_000);
  let explorer: Explorer;
  let copy: CaseCopy;
  let doc: RaftDocument;
  let clusterId: string;
  let hashesBefore: Map<string, string>;

  before(async () => {
    explorer = (await api()).explorer;
    explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
    copy = copyCase('synth-nosnap');
    hashesBefore = hashTree(copy.root);
    clusterId = (await storeUnlockKeyFor(explorer, copy.capture(), copy.unlockKey!))!;
    const uri = vscode.Uri.file(raftFiles(copy.capture()).find((f) => f.endsWith('.wal'))!);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
    doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
    await doc.keyFlow;
    explorer.setActive(doc);
    await vscode.commands.executeCommand('swarmRaft.entries.focus');
    await waitFor('the tree to be visible', () => explorer.view.visible);
  });

  after(async () => {
    await vscode.commands.executeCommand('swarmRaft.groupBy', 'term');
    await closeAllEditors();
    await explorer.keys.forget(clusterId);
    assert.deepEqual(hashTree(copy.root), hashesBefore, 'the state directory is unchanged');
    copy.remove();
  });

  it('a row selected in the editor shows in the detail view and is selected in the tree', async () => {
    explorer.select(doc, { kind: 'entry', seq: 3 }, 'editor');
    assert.deepEqual(explorer.detail.current?.target, { kind: 'entry', seq: 3 });
    await waitFor('the detail tab', () => detailTabs().length === 1);
    const selected = await waitFor('the tree selection', () => explorer.view.selection[0]);
    assert.equal(selected.t === 'entry' && selected.seq, 3);
    assert.equal(detailTabs()[0].label, '#4 CREATE task web.1.task1bbbbbbbbbbbbbbbbbbbb');
  });

  it('an action selected in the tree shows its entry in the detail view', async () => {
    const entry = explorer.tree.nodeFor({ kind: 'entry', seq: 3 })!;
    const secretAction = explorer.tree.getChildren(entry).find((n) => n.t === 'action' && n.index === 2)!;
    await explorer.view.reveal(secretAction, { select: true, focus: true });
    await waitFor('the detail to follow', () => explorer.detail.current?.target.kind === 'entry' && (explorer.detail.current.target as { action?: number }).action === 2);
    assert.equal(detailTabs().length, 1, 'one detail view, reused');
  });

  it('a link opens the last entry that wrote the object', async () => {
    explorer.openObject(doc, 'service', 'svc1aaaaaaaaaaaaaaaaaaaaa');
    assert.deepEqual(explorer.detail.current?.target, { kind: 'entry', seq: 2, action: 0 });
    const selected = await waitFor('the tree selection', () => {
      const s = explorer.view.selection[0];
      return s && (s.t === 'action' || s.t === 'entry') && s.seq === 2 ? s : undefined;
    });
    assert.ok(selected);
  });

  it('groups by the setting (term, action, kind, index)', async () => {
    const labels = () => explorer.tree.getChildren().map((n: Node) => String(explorer.tree.getTreeItem(n).label));
    assert.deepEqual(labels().slice(1), ['Term 1', 'Term 2']);
    await vscode.commands.executeCommand('swarmRaft.groupBy', 'action');
    await waitFor('action groups', () => labels().includes('CREATE'));
    assert.deepEqual(labels().slice(1), ['CREATE', 'REMOVE', 'Conf changes', 'Empty entries']);
    await vscode.commands.executeCommand('swarmRaft.groupBy', 'kind');
    await waitFor('kind groups', () => labels().includes('task'));
    assert.deepEqual(labels().slice(1), ['service', 'task', 'secret', 'extension', 'config', 'Raft membership (conf changes)', 'Empty entries']);
    await vscode.commands.executeCommand('swarmRaft.groupBy', 'index');
    await waitFor('flat entries', () => labels().includes('#1  AddNode 1122334455667788 (10.0.0.1:2377)'));
    assert.equal(labels().length, 1 + 6);
    assert.equal(vscode.workspace.getConfiguration('swarmRaft').inspect('tree.groupBy')?.workspaceValue, undefined, 'never a workspace setting (the folder may be a state directory)');
  });

  it('Reload re-reads the directory with the stored key, and the detail view follows', async () => {
    explorer.select(doc, { kind: 'entry', seq: 4 }, 'command');
    const model = doc.model;
    await vscode.commands.executeCommand('swarmRaft.reload', doc.uri);
    assert.notEqual(doc.model, model);
    assert.equal(doc.shared?.status.state, 'open');
    assert.deepEqual(explorer.detail.current?.target, { kind: 'entry', seq: 4 });
  });

  it('the detail view closes with its document', async () => {
    await closeAllEditors();
    await waitFor('no detail view', () => detailTabs().length === 0 && explorer.detail.current === undefined);
    assert.equal(explorer.documents.size, 0);
  });
});
