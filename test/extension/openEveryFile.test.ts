// Opens every .wal and .snap of every corpus case (copied to a temp folder) with the custom editor and
// checks the Raft Log tree against the core's own decoding of the same files: one item per entry of the
// segment with its index, term and what it does (or why it is unreadable), its store actions as children,
// and for snapshots the objects by kind. The copies are hashed before and after: nothing is written.
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Message } from 'protobufjs';
import { SwarmState } from '../../src/core/state/swarmState';
import { summarizeAction } from '../../src/core/model/objects';
import { snapshotObjects } from '../../src/core/view/snapshotObjects';
import { nameAndId } from '../../src/core/view/entries';
import type { Explorer } from '../../src/extension/context';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { Node } from '../../src/extension/tree/entryTreeProvider';
import { api, capturesOf, closeAllEditors, copyCase, corpusNames, hashTree, raftFiles, storeUnlockKeyFor, waitFor } from './raftFixtures';

const CONF_SHORT = ['AddNode', 'RemoveNode', 'UpdateNode', 'AddLearnerNode'];

/** What the tree must say about an entry, derived from the core's decode only. */
function expectedLabel(state: SwarmState, e: SwarmState['wal']['raw'][number]): { label: string; actions: string[] } {
  const d = state.decodeEntry(e);
  if (!d.ok) {
    const text = { locked: 'locked: unlock key needed', 'earlier-key': 'encrypted with an earlier data key', undecryptable: 'no data key opens it', corrupt: 'corrupt' }[d.problem];
    return { label: `#${e.index}  ${text}`, actions: [] };
  }
  if (d.kind === 'confChange') {
    const c = d.confChange;
    return { label: `#${e.index}  ${CONF_SHORT[c.type]} ${c.nodeId.toString(16)}${c.member?.addr ? ` (${c.member.addr})` : ''}`, actions: [] };
  }
  const summaries = (((d.request as unknown as { action?: Message[] }).action) ?? []).map((a) => summarizeAction(a));
  // The entry's label names the first object in full; an action's row names it once (a task's id beside, not in, its label).
  const full = summaries.map((s) => `${s.action} ${s.kind} ${s.name || s.id}`.trimEnd());
  const actions = summaries.map((s) => `${s.action} ${s.kind} ${nameAndId(s.name, s.id).name}`.trimEnd());
  if (actions.length === 0) return { label: `#${e.index}  empty entry`, actions };
  return { label: `#${e.index}  ${full[0]}${full.length > 1 ? ` (+${full.length - 1} more)` : ''}`, actions };
}

async function allNodes(explorer: Explorer, node?: Node): Promise<Node[]> {
  const out: Node[] = [];
  for (const child of explorer.tree.getChildren(node)) {
    out.push(child);
    if (child.t === 'group' || child.t === 'snapFile' || child.t === 'snapKind' || child.t === 'entry') out.push(...(await allNodes(explorer, child)));
    if (child.t === 'info' && child.id.endsWith('|snaps')) out.push(...(await allNodes(explorer, child)));
  }
  return out;
}

async function openWithEditor(explorer: Explorer, file: string): Promise<RaftDocument> {
  const uri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
  const doc = await waitFor(`document for ${file}`, () => explorer.documentFor(uri.toString()));
  await doc.keyFlow;
  await doc.whenSummarized();
  return doc;
}

describe('custom editor on every corpus file', function () {
  this.timeout(300_000);
  let explorer: Explorer;

  before(async () => {
    explorer = (await api()).explorer;
    // The Swarm Raft views hidden: a visible State view holds the swarm it shows, and this test checks
    // that the documents alone let go of theirs.
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  for (const name of corpusNames()) {
    it(`${name}: every .wal and .snap opens, the tree matches the core's decode, nothing is written`, async () => {
      const copy = copyCase(name);
      try {
        const before = hashTree(copy.root);
        for (const capture of capturesOf(copy)) {
          const stateDir = copy.capture(capture);
          // The stored unlock key opens locked swarms without a prompt (the prompt is tested elsewhere).
          const clusterId = await storeUnlockKeyFor(explorer, stateDir, copy.unlockKey);
          explorer.prompts.unlockKey = async () => {
            throw new Error('unexpected unlock prompt');
          };
          const state = SwarmState.open(stateDir, { unlockKey: copy.unlockKey });
          try {
            for (const file of raftFiles(stateDir)) {
              const doc = await openWithEditor(explorer, file);
              assert.equal(doc.problem, undefined, `${file}: ${doc.problem}`);
              explorer.setActive(doc);
              const nodes = await allNodes(explorer);
              if (file.endsWith('.wal')) {
                const entries = state.wal.raw.filter((e) => basename(e.file) === basename(file));
                const shown = nodes.filter((n): n is Extract<Node, { t: 'entry' }> => n.t === 'entry');
                assert.deepEqual(shown.map((n) => n.seq), entries.map((e) => e.seq), `${file}: one tree item per entry, in log order`);
                for (const e of entries) {
                  const node = shown.find((n) => n.seq === e.seq)!;
                  const item = explorer.tree.getTreeItem(node);
                  const want = expectedLabel(state, e);
                  const label = String(typeof item.label === 'string' ? item.label : item.label?.label);
                  if (want.label.endsWith('empty entry')) assert.ok(label.startsWith(want.label), `${file} #${e.index}: ${label}`);
                  else assert.equal(label, want.label, `${file} seq ${e.seq}`);
                  assert.ok(String(item.description).startsWith(`term ${e.term}`), `${file} #${e.index}: description ${item.description}`);
                  const actions = explorer.tree.getChildren(node).map((a) => String(explorer.tree.getTreeItem(a).label));
                  assert.deepEqual(actions, want.actions, `${file} #${e.index}: actions`);
                }
              } else {
                const snap = state.snapshotFiles.find((f) => f.name === basename(file))!;
                const decoded = state.decodeSnapshot(snap);
                const objects = nodes.filter((n) => n.t === 'snapObject').map((n) => String(explorer.tree.getTreeItem(n).label));
                const want = decoded.ok ? snapshotObjects(decoded.snapshot).map((o) => `${o.kind} ${nameAndId(o.name, o.id).name}`) : [];
                assert.deepEqual([...objects].sort(), [...want].sort(), `${file}: snapshot objects`);
                if (!decoded.ok) assert.ok(nodes.some((n) => n.t === 'info' && /Locked|Unreadable/.test(n.label)), `${file}: says why its objects are not shown`);
              }
              // The summary node is there and names the file.
              assert.equal(nodes[0].t === 'info' && nodes[0].label, basename(file));
              await closeAllEditors();
              await waitFor(`${file} to close`, () => !explorer.documents.has(doc));
            }
          } finally {
            state.close();
            if (clusterId) await explorer.keys.forget(clusterId);
          }
          // Every document closed: the shared state and its keys are gone.
          assert.equal(explorer.registry.get(stateDir), undefined, 'the state is dropped when its last document closes');
        }
        assert.deepEqual(hashTree(copy.root), before, 'the state directory is unchanged');
      } finally {
        copy.remove();
      }
    });
  }

  it('a .snap that is not Swarm Raft data (a Jest snapshot) says so', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'jest-'));
    const file = join(dir, 'App.test.js.snap');
    writeFileSync(file, '// Jest Snapshot v1\n\nexports[`renders 1`] = `<div />`;\n');
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), 'swarmRaft.raftFileAny');
    const doc = await waitFor('the Jest snapshot document', () => explorer.documentFor(vscode.Uri.file(file).toString()));
    assert.match(doc.problem ?? '', /App\.test\.js\.snap:0: not Swarm Raft data: it is a Jest snapshot file/);
    explorer.setActive(doc);
    const items = explorer.tree.getChildren();
    assert.equal(items.length, 1);
    assert.equal(items[0].t === 'info' && items[0].label, 'Not Swarm Raft data');
  });
});
