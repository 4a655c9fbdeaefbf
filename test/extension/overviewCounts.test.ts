// Issue 19, item 2: the overview's "Entries by object kind" and "Entries by action" cards count entries,
// as their titles say and as the Raft Log tree groups them: an entry that updates three tasks is one
// entry under "task". Checked on real captures whose entries carry several actions of one kind.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { Node } from '../../src/extension/tree/entryTreeProvider';
import { api, closeAllEditors, copyCase, raftFiles, storeUnlockKeyFor, waitFor, type CaseCopy } from './raftFixtures';

/** The tree's groups (label and entry count) for a grouping, without the status/conf/empty groups. */
async function treeCounts(a: SwarmRaftApi, by: 'kind' | 'action'): Promise<Map<string, number>> {
  await vscode.commands.executeCommand('swarmRaft.groupBy', by);
  const groups = a.explorer.tree.getChildren().filter((n): n is Extract<Node, { t: 'group' }> => n.t === 'group');
  const prefix = by === 'kind' ? 'k-' : 'a-';
  return new Map(groups.filter((g) => g.group.key.startsWith(prefix)).map((g) => [g.group.label, Number(a.explorer.tree.getTreeItem(g).description)]));
}

describe('overview counts agree with the tree', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;
  const copies: CaseCopy[] = [];

  before(async () => {
    a = await api();
  });

  after(async () => {
    await vscode.commands.executeCommand('swarmRaft.groupBy', 'term');
    await closeAllEditors();
    for (const c of copies) c.remove();
  });

  for (const name of ['objects', 'locked']) {
    it(`${name}: the cards count entries by kind and by action, as the tree does`, async () => {
      const copy = copyCase(name);
      copies.push(copy);
      await storeUnlockKeyFor(a.explorer, copy.capture(), copy.unlockKey);
      const uri = vscode.Uri.file(raftFiles(copy.capture()).filter((f) => f.endsWith('.wal')).pop()!);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
      const doc: RaftDocument = await waitFor('document', () => a.explorer.documentFor(uri.toString()));
      await doc.keyFlow;
      a.explorer.setActive(doc);
      const model = (await doc.whenSummarized())!;
      const overview = model.overview();
      const cards = (rows: { label: string; count: number }[]) => new Map(rows.filter((r) => !['conf change', 'empty', 'locked', 'earlier-key', 'undecryptable', 'corrupt'].includes(r.label)).map((r) => [r.label, r.count]));
      assert.deepEqual(cards(overview.byKind), await treeCounts(a, 'kind'));
      assert.deepEqual(cards(overview.byAction), await treeCounts(a, 'action'));
      // What makes the difference: some entry carries several store actions of one kind.
      let repeated = false;
      for (let r = 0; r < model.rowCount; r++) {
        const kinds = model.summary(r).actions.map((x) => x.kind);
        repeated ||= new Set(kinds).size < kinds.length;
      }
      assert.ok(repeated, 'an entry with several actions of one kind');
    });
  }
});
