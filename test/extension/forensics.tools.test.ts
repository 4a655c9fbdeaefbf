// Filter, quick picks, manager comparison and size statistics on the two-managers fixture.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { compareManagers, computeStats, matchesFilter, parseEntryFilter } from '../../src/core/forensics';
import { SwarmState } from '../../src/core/state/swarmState';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { Node } from '../../src/extension/tree/entryTreeProvider';
import { api, closeAllEditors, hashTree, waitFor } from './raftFixtures';
import { copyTwoManagers, openWal, type TwoManagers } from './forensicsFixtures';

/** Every entry node of the Raft Log tree (groups expanded). */
function treeEntrySeqs(a: SwarmRaftApi): number[] {
  const tree = a.explorer.tree;
  const out: number[] = [];
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      if (n.t === 'entry') out.push(n.seq);
      else if (n.t === 'group') walk(tree.getChildren(n));
    }
  };
  walk(tree.getChildren());
  return out;
}

describe('forensics: filter, quick picks, compare, statistics', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;
  let fx: TwoManagers;
  let doc: RaftDocument;

  before(async () => {
    a = await api();
    a.explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
    fx = copyTwoManagers();
    doc = await openWal(a, fx.m1);
    await doc.whenSummarized();
  });

  after(async () => {
    await vscode.commands.executeCommand('swarmRaft.clearFilter');
    await closeAllEditors();
    assert.deepEqual(hashTree(fx.root), fx.hashes, 'nothing was written into the state directories');
    fx.remove();
  });

  it('Filter Entries… applies the parsed filter to the Raft Log tree (problems shown while typing)', async () => {
    const all = treeEntrySeqs(a);
    assert.equal(all.length, 77);
    a.forensics.filters.prompts.filter = async (o) => {
      assert.match(String(await o.validateInput!('kind:secrt')), /secrt/);
      assert.equal(await o.validateInput!('kind:secret action:create'), undefined);
      return 'kind:secret action:create';
    };
    assert.equal(await vscode.commands.executeCommand('swarmRaft.filterEntries'), 'kind:secret action:create');
    const model = doc.model!;
    const parsed = parseEntryFilter('kind:secret action:create').filter;
    const expected = model.rows(0, model.rowCount).filter((r) => matchesFilter(r, parsed)).map((r) => r.seq);
    assert.deepEqual(treeEntrySeqs(a), expected);
    assert.deepEqual(expected.map((s) => String(model.entryBySeq(s)!.index)), ['20', '21', '22']);
    assert.equal(a.explorer.editors.rowFilter?.matches(model.row(0)), false, 'the editor table gets the same filter');
    await vscode.commands.executeCommand('swarmRaft.clearFilter');
    assert.equal(treeEntrySeqs(a).length, 77);
    assert.equal(a.explorer.editors.rowFilter, undefined);
  });

  it('Go to Entry… selects the entry by index or filter text; Find Object… finds by name', async () => {
    const seq = await vscode.commands.executeCommand<number>('swarmRaft.goToEntry', '74');
    assert.equal(doc.model!.entryBySeq(seq)!.index, 74n);
    assert.deepEqual(a.explorer.detail.current?.target, { kind: 'entry', seq });
    const bySecret = await vscode.commands.executeCommand<number>('swarmRaft.goToEntry', 'kind:secret action:remove');
    assert.equal(doc.model!.entryBySeq(bySecret)!.index, 74n);
    a.forensics.history.prompts.pick = async () => undefined;
    const found = await vscode.commands.executeCommand<{ kind: string; name: string }>('swarmRaft.findObject', 'UTF8-M');
    assert.equal(`${found.kind} ${found.name}`, 'secret utf8-m2');
  });

  it("Compare with Another Manager's Log… says m2 lags m1 by entry 77, in a read-only report", async () => {
    const result = await vscode.commands.executeCommand<{ report: { verdict: string; summary: string; lagging?: { side: string; behindBy: number } }; uri: vscode.Uri }>('swarmRaft.compareManagers', fx.m2);
    const m1 = SwarmState.open(fx.m1);
    const m2 = SwarmState.open(fx.m2);
    const expected = compareManagers(m1, m2);
    m1.close();
    m2.close();
    assert.equal(result.report.verdict, 'lagging');
    assert.deepEqual(result.report.lagging, { side: 'b', behindBy: 1 });
    assert.equal(result.report.summary, expected.summary);
    assert.match(result.report.summary, /A's 77 \(1 uncommitted\) is not on B/);
    const text = (await vscode.workspace.openTextDocument(result.uri)).getText();
    assert.match(text, /Verdict: lagging/);
    assert.equal(result.uri.scheme, 'swarm-raft-object');
  });

  it('Show Size Statistics sends computeStats\' model to the panel', async () => {
    const model = await vscode.commands.executeCommand('swarmRaft.showStats');
    const state = SwarmState.open(fx.m1);
    const expected = computeStats(state);
    state.close();
    assert.deepEqual(model, expected);
    assert.deepEqual(a.forensics.stats.model, expected);
    await waitFor('the stats tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('swarmRaft.stats')));
  });
});
