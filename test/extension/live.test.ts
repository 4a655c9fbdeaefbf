// Follow in the Raft Log view: new entries written to the open state directory appear in the tree, the
// editor's table and the State view, with a status bar item while following. First on a copy the
// project's writer appends to; then (only when test/engine/live.test.ts runs this suite with
// SWARM_RAFT_LIVE_DIR and SWARM_RAFT_LIVE_DOCKER_HOST) on a running engine's own state directory, changed
// with the docker CLI: each change must show in the tree with its action within 2 s.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { Node } from '../../src/extension/tree/entryTreeProvider';
import type { StateNode } from '../../src/extension/forensics/stateTree';
import { LiveWriter } from '../support/liveWriter';
import { api, closeAllEditors, waitFor } from './raftFixtures';

/** Every store action the Raft Log tree lists under its entries ("CREATE secret name", ...). */
function treeActions(a: SwarmRaftApi): string[] {
  const tree = a.explorer.tree;
  const out: string[] = [];
  const walk = (node?: Node) => {
    for (const child of tree.getChildren(node)) {
      if (child.t === 'group') walk(child);
      else if (child.t === 'entry') for (const action of tree.getChildren(child)) out.push(String(tree.getTreeItem(action).label));
    }
  };
  walk();
  return out;
}

/** Every label of the State view, all levels. */
async function stateLabels(a: SwarmRaftApi): Promise<string[]> {
  const tree = a.forensics.stateTree;
  const out: string[] = [];
  const walk = async (node?: StateNode) => {
    for (const child of await tree.getChildren(node)) {
      const item = tree.getTreeItem(child);
      out.push(typeof item.label === 'string' ? item.label : item.label?.label ?? '');
      if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None) await walk(child);
    }
  };
  await walk();
  return out;
}

async function openNewestSegment(a: SwarmRaftApi, walDir: string): Promise<void> {
  const newest = readdirSync(walDir).filter((n) => n.endsWith('.wal')).sort().pop()!;
  const uri = vscode.Uri.file(join(walDir, newest));
  await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
  const doc = await waitFor('the document', () => a.explorer.documentFor(uri.toString()));
  await doc.keyFlow;
  await doc.load();
  a.explorer.setActive(doc);
  await vscode.commands.executeCommand('swarmRaft.entries.focus');
}

describe('Follow', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;

  before(async () => {
    a = await api();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('swarmRaft.stopFollowing');
    await closeAllEditors();
  });

  it('shows entries appended by the writer in the tree, the table and the State view', async () => {
    const root = mkdtempSync(join(tmpdir(), 'swarm-raft-follow-ext-'));
    try {
      const live = new LiveWriter(join(root, 'swarm'), { segmentBytes: 256 * 1024 });
      live.append(10);
      live.commitAll();
      await openNewestSegment(a, join(live.stateDir, 'raft', 'wal-v3-encrypted'));
      const doc = a.explorer.activeDocument!;
      const rowsBefore = doc.model!.rowCount;
      const actionsBefore = treeActions(a).length;
      const stateBefore = await stateLabels(a);
      await vscode.commands.executeCommand('swarmRaft.follow');
      assert.equal(a.live.isFollowing, true);
      live.append(3);
      live.commitAll();
      const started = Date.now();
      await waitFor('three more entries in the table', () => doc.model!.rowCount === rowsBefore + 3, 5000);
      await waitFor('their actions in the tree', () => treeActions(a).length > actionsBefore, 5000);
      const seen = Date.now() - started;
      assert.ok(seen < 5000, `${seen} ms`);
      // The State view (the store at the end of the log) has the objects the new entries created.
      const added = (await stateLabels(a)).filter((l) => !stateBefore.includes(l));
      assert.ok(added.length > 0, 'new objects in the State view');
      live.close();
      await vscode.commands.executeCommand('swarmRaft.stopFollowing');
      assert.equal(a.live.isFollowing, false);
    } finally {
      await closeAllEditors();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('shows what the docker CLI does to a running manager, each with its action, within 2 s', async function () {
    const dir = process.env.SWARM_RAFT_LIVE_DIR;
    const host = process.env.SWARM_RAFT_LIVE_DOCKER_HOST;
    if (!dir || !host) {
      this.skip(); // run by test/engine/live.test.ts, which starts the engine
      return;
    }
    const docker = (...args: string[]) => new Promise<string>((resolve, reject) => {
      const child = execFile(process.env.SWARM_RAFT_LIVE_DOCKER ?? 'docker', args, { env: { ...process.env, DOCKER_HOST: host } }, (e, stdout, stderr) => (e ? reject(new Error(`docker ${args.join(' ')}: ${stderr}`)) : resolve(stdout.trim())));
      child.stdin?.end(args.includes('-') ? 'live secret value' : '');
    });
    await openNewestSegment(a, join(dir, 'raft', 'wal-v3-encrypted'));
    await vscode.commands.executeCommand('swarmRaft.follow');
    const expectWithin = async (what: string, pattern: RegExp) => {
      const started = Date.now();
      await waitFor(what, () => treeActions(a).some((t) => pattern.test(t)), 10_000);
      const ms = Date.now() - started;
      assert.ok(ms <= 2000, `${what} showed after ${ms} ms`);
    };
    const before = treeActions(a);
    await docker('service', 'create', '--detach', '--no-resolve-image', '--name', 'followed', '--replicas', '1', 'srx/busybox:1');
    await expectWithin('the new service', /^CREATE service followed$/);
    await docker('secret', 'create', 'followed-secret', '-');
    await expectWithin('the new secret', /^CREATE secret followed-secret$/);
    await docker('service', 'scale', '--detach', 'followed=3');
    await expectWithin('the scale-up', /^UPDATE service followed$/);
    // A task's row reads <service>.<slot> (its id beside it, not in the label).
    await expectWithin('the new tasks', /^CREATE task followed\.3$/);
    assert.ok(!before.some((t) => /followed/.test(t)), 'none of it was there before');
    assert.match(String((await stateLabels(a)).join('\n')), /followed-secret/, 'the State view has the secret');
  });
});
