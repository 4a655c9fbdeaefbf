// The State tree (objects by kind at the latest index, at any index, from the entry's context menu),
// object documents, history and diffs on the two-managers fixture, against the core API.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { objectVersions, renderObject, StateTimeline, stateObjects, type StateKindGroup } from '../../src/core/forensics';
import { SwarmState } from '../../src/core/state/swarmState';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { StateNode } from '../../src/extension/forensics/stateTree';
import { api, closeAllEditors, hashTree, waitFor } from './raftFixtures';
import { copyTwoManagers, openWal, type TwoManagers } from './forensicsFixtures';

/** The tree's kinds and objects, in the shape of stateObjects' non-empty groups. */
async function treeGroups(a: SwarmRaftApi): Promise<{ kind: string; count: number; ids: string[] }[]> {
  const tree = a.forensics.stateTree;
  const kinds = (await tree.getChildren()).filter((n) => n.t === 'kind');
  return Promise.all(kinds.map(async (k) => ({
    kind: (k as Extract<StateNode, { t: 'kind' }>).group.kind,
    count: Number(tree.getTreeItem(k).description),
    ids: (await tree.getChildren(k)).map((o) => (o as Extract<StateNode, { t: 'object' }>).row.id),
  })));
}

function coreGroups(groups: StateKindGroup[]) {
  return groups.filter((g) => g.count > 0).map((g) => ({ kind: g.kind, count: g.count, ids: g.objects.map((o) => o.id) }));
}

async function objectNode(a: SwarmRaftApi, kind: string, name: string): Promise<StateNode> {
  const tree = a.forensics.stateTree;
  const k = (await tree.getChildren()).find((n) => n.t === 'kind' && n.group.kind === kind)!;
  const node = (await tree.getChildren(k)).find((n) => n.t === 'object' && n.row.name === name);
  assert.ok(node, `${kind} ${name} in the State tree`);
  return node;
}

describe('forensics: State tree, history and diffs', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;
  let fx: TwoManagers;
  let doc: RaftDocument;
  let core: SwarmState;

  before(async () => {
    a = await api();
    a.explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
    fx = copyTwoManagers();
    core = SwarmState.open(fx.m1);
    doc = await openWal(a, fx.m1);
    await vscode.commands.executeCommand('swarmRaft.state.focus');
    await waitFor('the State view', () => a.forensics.stateView.visible);
  });

  after(async () => {
    await vscode.commands.executeCommand('swarmRaft.stateAtLatest');
    await closeAllEditors();
    core.close();
    assert.deepEqual(hashTree(fx.root), fx.hashes, 'nothing was written into the state directories');
    fx.remove();
  });

  it('shows the objects by kind at the latest index, as stateObjects does', async () => {
    assert.equal(a.forensics.stateTree.current?.shared, doc.shared);
    const expected = coreGroups(stateObjects(new StateTimeline(core).at()));
    assert.deepEqual(await treeGroups(a), expected);
    assert.ok(expected.some((g) => g.kind === 'secret'));
    await waitFor('the description', () => a.forensics.stateView.description === 'at #77 (latest)');
  });

  it('callers share one replay of the timeline to an index; another index starts another', async () => {
    const session = a.forensics.stateTree.current!;
    const first = session.storeInSteps();
    assert.equal(session.storeInSteps(), first, 'a second caller joins the replay under way');
    const latest = await first;
    assert.equal(latest?.appliedIndex, 77n);
    assert.equal(session.storeInSteps(), first, 'and, once done, gets its store until the index changes');
    session.goTo(30n);
    const other = session.storeInSteps();
    assert.notEqual(other, first);
    assert.equal((await other)?.appliedIndex, 30n);
    session.goTo(undefined);
    assert.equal((await session.storeInSteps())?.appliedIndex, 77n);
  });

  it('Go to Index… rebuilds the state at that index (the prompt validates the index)', async () => {
    a.forensics.stateCommands.prompts.index = async (o) => {
      assert.equal(await o.validateInput!('78'), 'The state can be rebuilt from 0 to 77.');
      assert.equal(await o.validateInput!('x'), 'A raft index is a whole number.');
      assert.equal(await o.validateInput!('40'), undefined);
      return '40';
    };
    assert.equal(await vscode.commands.executeCommand('swarmRaft.goToIndex'), 40n);
    assert.deepEqual(await treeGroups(a), coreGroups(stateObjects(new StateTimeline(core).at(40n))));
    assert.equal(a.forensics.stateView.description, 'at #40');
    assert.ok((await treeGroups(a)).find((g) => g.kind === 'secret')!.count === 3, 'utf8-m2 exists at 40 (removed at 74)');
  });

  it("'Show State at This Entry' from the Raft Log tree", async () => {
    const model = doc.model!;
    const seq = Array.from({ length: model.rowCount }, (_, r) => model.entryAt(r)).find((e) => e.index === 22n)!.seq;
    assert.equal(await vscode.commands.executeCommand('swarmRaft.showStateAtEntry', { t: 'entry', id: 'x', seq }), 22n);
    assert.deepEqual(await treeGroups(a), coreGroups(stateObjects(new StateTimeline(core).at(22n))));
    assert.equal(await vscode.commands.executeCommand('swarmRaft.chooseSnapshot', 'none'), false);
    assert.deepEqual(await treeGroups(a), coreGroups(stateObjects(new StateTimeline(core, { snapshot: false }).at(22n))));
    await vscode.commands.executeCommand('swarmRaft.chooseSnapshot', 'newest');
    await vscode.commands.executeCommand('swarmRaft.goToIndex', 40);
  });

  it('an object opens as a read-only document: the store at the index, rendered as renderObject', async () => {
    const node = await objectNode(a, 'secret', 'utf8-m2');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('swarmRaft.openStateObject', node);
    assert.equal(uri.scheme, 'swarm-raft-object');
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    const store = new StateTimeline(core).at(40n);
    const row = (node as Extract<StateNode, { t: 'object' }>).row;
    assert.equal(text, renderObject('secret', store.get('secret', row.id)!, { redact: true }));
  });

  it('Show History lists every version of the object, as objectVersions does', async () => {
    const node = await objectNode(a, 'secret', 'utf8-m2');
    const id = (node as Extract<StateNode, { t: 'object' }>).row.id;
    let title = '';
    a.forensics.history.prompts.pick = async (items, o) => {
      title = o.title ?? '';
      return undefined;
    };
    const versions = await vscode.commands.executeCommand<{ index: bigint; action: string }[]>('swarmRaft.showHistory', node);
    const expected = objectVersions(core, id, { kind: 'secret' }).versions;
    assert.deepEqual(versions.map((v) => `${v.index} ${v.action}`), expected.map((v) => `${v.index} ${v.action}`));
    assert.deepEqual(versions.map((v) => `${v.index} ${v.action}`), ['22 CREATE', '74 REMOVE']);
    assert.equal(title, 'History of secret utf8-m2: 2 versions');
  });

  it('Compare with Previous opens the diff editor on two versions (redacted by default)', async () => {
    await vscode.commands.executeCommand('swarmRaft.stateAtLatest');
    const svc = a.forensics.forensics.session()!.catalog().find((o) => o.kind === 'service' && o.present && o.actions >= 3)!;
    const versions = objectVersions(core, svc.id, { kind: 'service' }).versions;
    const opened = await vscode.commands.executeCommand<{ left: vscode.Uri; right: vscode.Uri; title: string }>('swarmRaft.compareWithPrevious', await objectNode(a, 'service', svc.name));
    const [prev, last] = versions.slice(-2);
    assert.equal((await vscode.workspace.openTextDocument(opened.left)).getText(), renderObject('service', prev.object, { redact: true }));
    assert.equal((await vscode.workspace.openTextDocument(opened.right)).getText(), renderObject('service', last.object, { redact: true }));
    assert.match(opened.title, new RegExp(`@ ${prev.index} \\(${prev.action}\\) ↔ .*@ ${last.index} \\(${last.action}\\)`));
    const tab = await waitFor('the diff tab', () => vscode.window.tabGroups.activeTabGroup.activeTab);
    assert.ok(tab.input instanceof vscode.TabInputTextDiff);
  });

  it('from a store action of the Raft Log tree, and unredacted only after confirming', async () => {
    const model = doc.model!;
    const seq = Array.from({ length: model.rowCount }, (_, r) => model.entryAt(r)).find((e) => e.index === 74n)!.seq;
    const actionNode = { t: 'action', id: 'x', seq, index: 0, parent: { t: 'entry', id: 'y', seq } };
    const redacted = await vscode.commands.executeCommand<{ left: vscode.Uri }>('swarmRaft.compareWithPrevious', actionNode);
    const [created] = objectVersions(core, model.summaryOfSeq(seq)!.actions[0].id, { kind: 'secret' }).versions;
    const redactedText = (await vscode.workspace.openTextDocument(redacted.left)).getText();
    assert.equal(redactedText, renderObject('secret', created.object, { redact: true }));
    let asked = 0;
    a.forensics.history.prompts.confirmUnredacted = async () => ++asked === 2;
    assert.equal(await vscode.commands.executeCommand('swarmRaft.compareWithPreviousUnredacted', actionNode), undefined, 'declined: nothing opened');
    const clear = await vscode.commands.executeCommand<{ left: vscode.Uri }>('swarmRaft.compareWithPreviousUnredacted', actionNode);
    const clearText = (await vscode.workspace.openTextDocument(clear.left)).getText();
    assert.equal(clearText, renderObject('secret', created.object, { redact: false }));
    assert.notEqual(clearText, redactedText, 'the secret data shows only unredacted');
  });

  it('Compare with… another version or another object', async () => {
    const node = await objectNode(a, 'secret', 'shared-secret');
    const withVersion = await vscode.commands.executeCommand<{ title: string }>('swarmRaft.compareWith', node, { kind: 'secret', id: (await objectNode(a, 'secret', 'from-m2') as Extract<StateNode, { t: 'object' }>).row.id });
    assert.match(withVersion.title, /^secret from-m2 ↔ secret shared-secret/);
  });
});
