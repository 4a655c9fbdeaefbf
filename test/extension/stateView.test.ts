// The State view as a new user meets it (issue #19, item 8): a click on an object shows it in the detail
// view the Raft Log uses (the entry that last changed it, or the snapshot the store was restored from),
// not a text document; Show History is in the context menus of State objects and of Raft Log entries (not
// only an inline icon or an action's menu); an entry filter names itself above the tree; task labels do
// not repeat the task id.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { StateTimeline } from '../../src/core/forensics';
import { SwarmState } from '../../src/core/state/swarmState';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { StateNode } from '../../src/extension/forensics/stateTree';
import type { Target } from '../../src/extension/context';
import { api, closeAllEditors, copyCase, hashTree, raftFiles, storeUnlockKeyFor, waitFor, extensionId } from './raftFixtures';
import { copyTwoManagers, openWal } from './forensicsFixtures';

type ObjectNode = Extract<StateNode, { t: 'object' }>;

async function objects(a: SwarmRaftApi, kind: string): Promise<ObjectNode[]> {
  const tree = a.forensics.stateTree;
  const k = (await tree.getChildren()).find((n) => n.t === 'kind' && n.group.kind === kind);
  assert.ok(k, `${kind} in the State tree`);
  return (await tree.getChildren(k)) as ObjectNode[];
}

/** Runs what a click on the tree item runs, as VS Code would. */
async function click(a: SwarmRaftApi, node: StateNode): Promise<Target | undefined> {
  const command = a.forensics.stateTree.getTreeItem(node).command!;
  return vscode.commands.executeCommand<Target | undefined>(command.command, ...(command.arguments ?? []));
}

const objectDocuments = () => vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'swarm-raft-object');

describe('State view: detail on click, history in menus, filter shown, task labels', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;

  before(async () => {
    a = await api();
    a.explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('swarmRaft.clearFilter');
    await closeAllEditors();
  });

  it('a click on an object changed by an entry shows that entry and action in the detail view', async () => {
    const fx = copyTwoManagers();
    const core = SwarmState.open(fx.m1);
    try {
      const doc = await openWal(a, fx.m1);
      await vscode.commands.executeCommand('swarmRaft.state.focus');
      await waitFor('the State view', () => a.forensics.stateView.visible);
      const store = new StateTimeline(core).at();
      const service = (await objects(a, 'service')).find((n) => n.row.lastChangedAt)!;
      const before = objectDocuments().length;
      const target = await click(a, service);
      assert.ok(target && target.kind === 'entry', 'an entry target');
      const shown = a.explorer.detail.current;
      assert.equal(shown?.doc, doc);
      assert.deepEqual(shown?.target, target);
      const entry = core.wal.entry(target.seq);
      assert.equal(entry.index, store.lastChangedAt('service', service.row.id), 'the entry that last changed it');
      const action = doc.model!.summaryOfSeq(target.seq)!.actions[target.action!];
      assert.deepEqual([action.kind, action.id], ['service', service.row.id]);
      assert.equal(objectDocuments().length, before, 'no text document opened');
      assert.ok(!vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'swarm-raft-object')));
      // "Open as Text Document" stays in the context menu for those who want the text.
      const uri = await vscode.commands.executeCommand<vscode.Uri>('swarmRaft.openStateObject', service);
      assert.equal(uri.scheme, 'swarm-raft-object');

      // Task labels: the name (<service>.<slot>.<task id>) shows as <service>.<slot>, with the id once beside it.
      const tasks = await objects(a, 'task');
      assert.ok(tasks.length > 0);
      for (const t of tasks) {
        const item = a.forensics.stateTree.getTreeItem(t);
        const text = `${String(item.label)} ${String(item.description)}`;
        assert.equal(text.split(t.row.id).length - 1, 1, `the task id appears once in "${text}"`);
        assert.equal(`${String(item.label)}.${t.row.id}`, t.row.name);
      }

      // Show History from an entry of the Raft Log tree (its one object).
      const seq = target.seq;
      let title = '';
      a.forensics.history.prompts.pick = async (_items, o) => {
        title = o.title ?? '';
        return undefined;
      };
      await vscode.commands.executeCommand('swarmRaft.showEntryHistory', { t: 'entry', id: 'x', seq });
      assert.match(title, /^History of service /);

      // An entry filter names itself above the Raft Log tree, with what it keeps.
      await vscode.commands.executeCommand('swarmRaft.filterEntries', 'kind:secret');
      await a.explorer.tree.getChildren();
      const kept = doc.model!.rows(0, doc.model!.rowCount).filter((r) => r.actions.some((x) => x.kind === 'secret')).length;
      assert.equal(a.explorer.view.message, `Filter: kind:secret · ${kept} of ${doc.model!.rowCount} entries`);
      await vscode.commands.executeCommand('swarmRaft.clearFilter');
      await a.explorer.tree.getChildren();
      assert.equal(a.explorer.view.message, undefined);
    } finally {
      await closeAllEditors();
      core.close();
      assert.deepEqual(hashTree(fx.root), fx.hashes);
      fx.remove();
    }
  });

  it('a click on an object the snapshot holds shows the snapshot object in the detail view', async () => {
    const copy = copyCase('seed-sample');
    try {
      await storeUnlockKeyFor(a.explorer, copy.capture(), copy.unlockKey);
      const hashes = hashTree(copy.root);
      const doc = await openWal(a, copy.capture());
      await vscode.commands.executeCommand('swarmRaft.state.focus');
      await waitFor('the State view on this swarm', () => a.forensics.stateTree.current?.shared === doc.shared || undefined);
      const passwd = (await objects(a, 'secret')).find((n) => n.row.name === 'passwd')!;
      assert.equal(passwd.row.lastChangedAt, undefined, 'passwd is as the snapshot left it');
      const target = await click(a, passwd);
      const snap = raftFiles(copy.capture()).find((f) => f.endsWith('.snap'))!.split('/').pop();
      assert.ok(target && target.kind === 'snapshot');
      assert.equal(target.snapshot, snap);
      assert.deepEqual(a.explorer.detail.current?.target, target);
      const obj = doc.model!.objectsOf(doc.model!.state.snapshotFiles.find((f) => f.name === snap))![target.position];
      assert.deepEqual([obj.kind, obj.name], ['secret', 'passwd']);
      await closeAllEditors();
      await a.explorer.keys.forgetAll();
      assert.deepEqual(hashTree(copy.root), hashes);
    } finally {
      copy.remove();
    }
  });

  it('the manifest puts Show History in the context menus and sizes the State view', () => {
    const pkg = vscode.extensions.getExtension(extensionId)!.packageJSON as {
      contributes: { menus: Record<string, { command: string; when: string; group?: string }[]>; views: Record<string, { id: string; initialSize?: number }[]> };
    };
    const ctx = pkg.contributes.menus['view/item/context'];
    const inMenu = (command: string, when: RegExp) => ctx.some((m) => m.command === command && when.test(m.when) && m.group && m.group !== 'inline');
    assert.ok(inMenu('swarmRaft.showHistory', /swarmRaft\.state.*stateObject/), 'State object: Show History in the context menu');
    assert.ok(inMenu('swarmRaft.showEntryHistory', /swarmRaft\.entries.*entry-/), 'Raft Log entry: Show History in the context menu');
    assert.ok(inMenu('swarmRaft.showHistory', /swarmRaft\.entries.*'action'/), 'Raft Log action: Show History in the context menu');
    const state = pkg.contributes.views.swarmRaft.find((v) => v.id === 'swarmRaft.state')!;
    assert.ok((state.initialSize ?? 0) >= 2, 'the State view gets a real share of the side bar');
  });
});
