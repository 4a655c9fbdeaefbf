// Recovery in the extension host (issue #16): "Export Recovery Kit..." writes the kit of the open state
// into the folder given (README shown, secrets 0600, the state directory untouched) and refuses a folder
// inside the state directory; "Copy as Compose Service" on a service of the State tree and of the Raft Log
// tree puts that service's Compose form on the clipboard; restore reads nothing before it is confirmed
// and, pointed at an engine that is not there, shows the plan document saying so.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { StateNode } from '../../src/extension/forensics/stateTree';
import { api, closeAllEditors, copyCase, hashTree, raftFiles, waitFor, type CaseCopy } from './raftFixtures';

type TreeNode = Parameters<SwarmRaftApi['explorer']['tree']['getChildren']>[0];

describe('recovery kit, Compose copy and restore in VS Code', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;
  let copy: CaseCopy;
  let stateDir: string;
  let out: string;

  before(async () => {
    a = await api();
    a.explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
    copy = copyCase('objects'); // not autolocked: 3 services, 9 secrets, 3 configs
    stateDir = copy.capture();
    out = mkdtempSync(join(tmpdir(), 'swarm-raft-kit-'));
    const uri = vscode.Uri.file(raftFiles(stateDir).filter((f) => f.endsWith('.wal')).pop()!);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
    const doc = await waitFor('document', () => a.explorer.documentFor(uri.toString()));
    await doc.keyFlow;
    a.explorer.setActive(doc);
  });

  after(async () => {
    await closeAllEditors();
    copy.remove();
    rmSync(out, { recursive: true, force: true });
  });

  it('Export Recovery Kit writes the kit where asked, shows its README, leaves the state directory alone', async () => {
    const before = hashTree(stateDir);
    const kit = join(out, 'kit');
    const result = await vscode.commands.executeCommand<{ outDir: string; files: string[] }>('swarmRaft.exportRecoveryKit', undefined, { output: kit });
    assert.ok(result, 'the kit was written');
    assert.deepEqual(readdirSync(kit).sort(), ['README.md', 'configs', 'engine-api.json', 'report.json', 'report.md', 'secrets', 'services.compose.yml']);
    assert.equal(readFileSync(join(kit, 'secrets', 'db_password'), 'utf8'), 'hunter2');
    for (const f of readdirSync(join(kit, 'secrets'))) assert.equal(statSync(join(kit, 'secrets', f)).mode & 0o777, 0o600);
    const engine = JSON.parse(readFileSync(join(kit, 'engine-api.json'), 'utf8'));
    assert.deepEqual(engine.services.map((s: { Spec: { Name: string } }) => s.Spec.Name).sort(), ['agent', 'web', 'worker']);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === join(kit, 'README.md')), 'the README is shown');
    assert.deepEqual(hashTree(stateDir), before);
  });

  it('refuses a folder inside the state directory and writes nothing there', async () => {
    const before = hashTree(stateDir);
    const result = await vscode.commands.executeCommand('swarmRaft.exportRecoveryKit', undefined, { output: join(stateDir, 'kit') });
    assert.equal(result, undefined);
    assert.ok(!existsSync(join(stateDir, 'kit')));
    assert.deepEqual(hashTree(stateDir), before);
  });

  it('Copy as Compose Service on a service of the State tree', async () => {
    const tree = a.forensics.stateTree;
    const kind = (await tree.getChildren()).find((n) => n.t === 'kind' && n.group.kind === 'service');
    assert.ok(kind);
    const web = ((await tree.getChildren(kind)) as Extract<StateNode, { t: 'object' }>[]).find((n) => n.row.name === 'web')!;
    assert.equal(tree.getTreeItem(web).contextValue, 'stateService', 'services carry the menu entry');
    const snippet = await vscode.commands.executeCommand<string>('swarmRaft.copyAsComposeService', web);
    assert.equal(await vscode.env.clipboard.readText(), snippet);
    const service = (parse(snippet, { version: '1.1' }) as Record<string, { image: string; deploy: { replicas: number }; ports: { published: number }[] }>).web;
    assert.equal(service.image, 'nginx:alpine');
    assert.equal(service.deploy.replicas, 3);
    assert.equal(service.ports[0].published, 18080);
    assert.match(snippet, /^# service web, as in services\.compose\.yml/);
  });

  it('Copy as Compose Service on a service action of the Raft Log tree (the service as that entry made it)', async () => {
    const tree = a.explorer.tree;
    const queue: (TreeNode | undefined)[] = [undefined];
    let found: TreeNode | undefined;
    for (let n = 0; queue.length && n < 2000 && !found; n++) {
      const node = queue.shift();
      for (const child of tree.getChildren(node)) {
        const item = child.t === 'action' ? tree.getTreeItem(child) : undefined;
        if (item?.contextValue === 'action-service' && String(item.label).startsWith('CREATE')) found = child;
        else if (child.t !== 'action') queue.push(child);
      }
    }
    assert.ok(found, 'a service CREATE action in the Raft Log tree');
    const snippet = await vscode.commands.executeCommand<string | undefined>('swarmRaft.copyAsComposeService', found);
    assert.ok(snippet, 'the service as that entry created it');
    assert.equal(await vscode.env.clipboard.readText(), snippet);
    const [name] = Object.keys(parse(snippet, { version: '1.1' }) as object);
    assert.ok(['web', 'agent', 'worker'].includes(name), name);
    const other = await vscode.commands.executeCommand('swarmRaft.copyAsComposeService', undefined);
    assert.equal(other, undefined, 'nothing chosen: nothing copied');
  });

  it('restore: declined before connecting, nothing read; an absent engine gives a plan document that says so', async () => {
    const kit = join(out, 'kit');
    const declined = await vscode.commands.executeCommand('swarmRaft.restoreRecoveryKit', { kit, host: `unix://${join(out, 'none.sock')}`, connect: false });
    assert.equal(declined, undefined);
    const result = await vscode.commands.executeCommand<{ plan: { blocked?: string } }>('swarmRaft.restoreRecoveryKit', { kit, host: `unix://${join(out, 'none.sock')}`, connect: true, apply: true });
    assert.match(result.plan.blocked ?? '', /cannot reach the engine at unix:.*none\.sock/);
    const preview = vscode.workspace.textDocuments.find((d) => d.isUntitled && d.getText().startsWith(`Restore of ${kit}`));
    assert.ok(preview, 'the plan document');
    assert.match(preview.getText(), /Cannot restore: cannot reach the engine/);
    assert.match(preview.getText(), /^skip\s+service\s+web$/m);
  });
});
