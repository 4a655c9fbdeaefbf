// The unlock flow in a real extension host: the stored key (SecretStorage, keyed by cluster id) opens a
// locked swarm without asking; without one the prompt asks (a wrong key says so and asks again, Escape
// leaves it locked); a key is stored only once it opened the data keys; a stale stored key (rotated)
// leads to the prompt; an unlocked swarm never asks; "Forget Unlock Key" forgets this cluster or all.
// The input box itself is replaced by a scripted one (explorer.prompts); the UI test types into the real one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Explorer } from '../../src/extension/context';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import { unlockKeyProblem } from '../../src/core/keys/unlockKey';
import { keyFilesScope } from '../../src/extension/keys/olderKeyFiles';
import { api, closeAllEditors, copyCase, corpusDir, hashTree, raftFiles, waitFor, type CaseCopy } from './raftFixtures';

const WRONG_KEY = 'SWMKEY-1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('unlock keys and SecretStorage', function () {
  this.timeout(120_000);
  let explorer: Explorer;
  let copy: CaseCopy;
  let wal: string;
  let clusterId: string;
  let hashesBefore: Map<string, string>;
  let asked: vscode.InputBoxOptions[];

  /** Scripts the input box: each call answers the next of `answers` (undefined = Escape). */
  function answer(...answers: (string | undefined)[]): void {
    asked = [];
    explorer.prompts.unlockKey = async (options) => {
      asked.push(options);
      assert.ok(options.password, 'the prompt hides what is typed');
      assert.ok(options.ignoreFocusOut, 'the prompt survives focus changes');
      if (asked.length > answers.length) throw new Error(`unexpected prompt #${asked.length}: ${options.prompt}`);
      const a = answers[asked.length - 1];
      if (a !== undefined) assert.equal(await options.validateInput?.(a), unlockKeyProblem(a) ?? undefined);
      return a;
    };
  }

  async function open(file = wal): Promise<RaftDocument> {
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
    const doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
    await doc.keyFlow;
    return doc;
  }

  /** Closes the swarm everywhere, so the next open reads it anew: no editor, and the Swarm Raft views hidden (a visible State view keeps a swarm open). */
  async function close(doc: RaftDocument): Promise<void> {
    const dir = doc.shared?.stateDir;
    await closeAllEditors();
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('close', () => !explorer.documents.has(doc) && (!dir || !explorer.registry.get(dir)));
  }

  before(async () => {
    explorer = (await api()).explorer;
    copy = copyCase('seed-sample');
    wal = raftFiles(copy.capture()).find((f) => f.endsWith('.wal'))!;
    hashesBefore = hashTree(copy.root);
  });

  beforeEach(async () => {
    await explorer.keys.forgetAll();
  });

  after(async () => {
    await closeAllEditors();
    assert.deepEqual(hashTree(copy.root), hashesBefore, 'the state directory is unchanged');
    copy.remove();
  });

  it('asks for the key when none is stored, validates its format, says when it is wrong, stores it once it opened', async () => {
    answer('SWMKEY-1-short', WRONG_KEY, copy.unlockKey);
    const doc = await open();
    clusterId = doc.shared!.clusterId!;
    assert.equal(asked.length, 3);
    assert.match(String(asked[1].prompt), /Not a valid unlock key/);
    assert.match(String(asked[2].prompt), /does not open this swarm/);
    assert.equal(doc.shared!.status.state, 'open');
    assert.equal(await explorer.keys.get(clusterId), copy.unlockKey, 'stored under the cluster id once it opened the data keys');
    assert.deepEqual(explorer.keys.clusterIds(), [clusterId]);
    const row = doc.model!.rows(0, 100).find((r) => r.index === '14')!;
    assert.equal(row.status, 'ok');
    assert.equal(row.summary, 'UPDATE node vm');
    await close(doc);
  });

  it('opens with the stored key without asking', async () => {
    await explorer.keys.store(clusterId, copy.unlockKey!);
    answer();
    const doc = await open();
    assert.equal(asked.length, 0);
    assert.equal(doc.shared!.status.state, 'open');
    await close(doc);
  });

  it('asks again when the stored key no longer opens the swarm (rotated), and replaces it', async () => {
    await explorer.keys.store(clusterId, WRONG_KEY);
    answer(copy.unlockKey);
    const doc = await open();
    assert.equal(asked.length, 1);
    assert.match(String(asked[0].prompt), /no longer opens it/);
    assert.equal(await explorer.keys.get(clusterId), copy.unlockKey);
    await close(doc);
  });

  it('Escape leaves the file open in its locked view: index, term and type still shown, nothing stored', async () => {
    answer(WRONG_KEY, undefined);
    const doc = await open();
    assert.equal(asked.length, 2);
    assert.equal(doc.shared!.status.state, 'locked');
    assert.equal(await explorer.keys.get(clusterId), undefined, 'a key that did not open it is never stored');
    const rows = doc.model!.rows(0, 100);
    assert.equal(rows.length, 15);
    assert.ok(rows.every((r) => r.status === 'locked' && /^\d+$/.test(r.index) && /^\d+$/.test(r.term)));
    explorer.setActive(doc);
    const summary = explorer.tree.getChildren()[0];
    assert.match(String(explorer.tree.getTreeItem(summary).description), /locked/);
    // The "Unlock..." button of the locked view asks again.
    answer(copy.unlockKey);
    await explorer.runWebviewCommand(doc, 'unlock');
    assert.equal(doc.shared!.status.state, 'open');
    assert.equal(doc.model!.rows(13, 1)[0].summary, 'UPDATE node vm', 'the model is rebuilt after unlocking');
    await close(doc);
  });

  it('Forget Unlock Key forgets this cluster, or all', async () => {
    await explorer.keys.store(clusterId, copy.unlockKey!);
    await explorer.keys.store('othercluster', WRONG_KEY);
    answer();
    const doc = await open();
    await vscode.commands.executeCommand('swarmRaft.forgetUnlockKey', doc.uri, 'this');
    assert.equal(await explorer.keys.get(clusterId), undefined);
    assert.equal(await explorer.keys.get('othercluster'), WRONG_KEY);
    await vscode.commands.executeCommand('swarmRaft.forgetUnlockKey', undefined, 'all');
    assert.equal(await explorer.keys.get('othercluster'), undefined);
    assert.deepEqual(explorer.keys.clusterIds(), []);
    await close(doc);
  });

  it('several files of one locked directory share one prompt and one state', async () => {
    answer(copy.unlockKey);
    const snap = raftFiles(copy.capture()).find((f) => f.endsWith('.snap'))!;
    const [a, b] = await Promise.all([open(wal), open(snap)]);
    assert.equal(asked.length, 1);
    assert.equal(a.shared, b.shared);
    assert.equal(explorer.registry.get(copy.capture())?.refs, 2);
    await closeAllEditors();
    await waitFor('both closed', () => explorer.documents.size === 0);
    assert.equal(explorer.registry.get(copy.capture()), undefined, 'dropped with the last document');
  });

  it('an unlocked swarm never prompts', async () => {
    const unlocked = copyCase('synth-unlocked');
    try {
      answer();
      const doc = await open(raftFiles(unlocked.capture()).find((f) => f.endsWith('.wal'))!);
      assert.equal(asked.length, 0);
      assert.equal(doc.shared!.status.state, 'open');
      assert.ok(doc.model!.rows(0, 10).some((r) => r.actions.length > 0));
      await close(doc);
    } finally {
      unlocked.remove();
    }
  });

  it('without certificates/swarm-node.key: told, entries still listed, and a picked key file opens them', async () => {
    const nokey = copyCase('seed-sample');
    try {
      const keyCopy = join(nokey.root, 'swarm-node.key');
      const { copyFileSync } = await import('node:fs');
      copyFileSync(join(nokey.capture(), 'certificates', 'swarm-node.key'), keyCopy);
      rmSync(join(nokey.capture(), 'certificates', 'swarm-node.key'));
      let told = '';
      explorer.prompts.nodeKeyNotice = async (message) => {
        told = message;
        return 'Pick Key File…';
      };
      explorer.prompts.nodeKeyFile = async () => [vscode.Uri.file(keyCopy)];
      answer(copy.unlockKey);
      const doc = await open(raftFiles(nokey.capture()).find((f) => f.endsWith('.wal'))!);
      assert.match(told, /no usable node key/);
      assert.equal(doc.shared!.nodeKeyFile, keyCopy);
      assert.equal(doc.shared!.status.state, 'open');
      assert.equal(doc.model!.rows(13, 1)[0].summary, 'UPDATE node vm');
      await close(doc);
      // Declining the pick: index/term/type are still listed.
      explorer.prompts.nodeKeyNotice = async () => undefined;
      answer();
      const locked = await open(raftFiles(nokey.capture()).find((f) => f.endsWith('.wal'))!);
      assert.equal(locked.shared!.status.state, 'no-key-file');
      assert.equal(locked.model!.rowCount, 15);
      assert.equal(locked.model!.rows(0, 1)[0].index, '1');
      await close(locked);
    } finally {
      explorer.prompts.nodeKeyNotice = (message, action) => vscode.window.showWarningMessage(message, action);
      explorer.prompts.nodeKeyFile = (options) => vscode.window.showOpenDialog(options);
      nokey.remove();
    }
  });
});

describe('older copies of swarm-node.key', function () {
  this.timeout(120_000);

  it('open the entries written before a data-key rotation', async () => {
    const explorer = (await api()).explorer;
    const locked = copyCase('locked');
    const history = readdirSync(join(corpusDir('locked'), 'key-history')).sort().map((f) => join(corpusDir('locked'), 'key-history', f));
    let scope: string | undefined;
    try {
      const hashes = hashTree(locked.root);
      explorer.prompts.unlockKey = async () => locked.unlockKey;
      const uri = vscode.Uri.file(raftFiles(locked.capture()).find((f) => f.endsWith('.wal'))!);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
      const doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
      await doc.keyFlow;
      await doc.whenSummarized();
      const earlier = () => doc.model!.rows(0, 100_000).filter((r) => r.status === 'earlier-key').length;
      const before = earlier();
      assert.ok(before > 0, 'the locked case has entries under the retired data key');
      await vscode.commands.executeCommand('swarmRaft.addOlderNodeKey', doc.uri, history);
      scope = keyFilesScope(doc.shared!);
      await doc.whenSummarized();
      assert.equal(earlier(), 0, 'the key history opens every earlier entry');
      assert.equal(doc.shared!.status.state, 'open');
      await closeAllEditors();
      await explorer.keys.forgetAll();
      assert.deepEqual(hashTree(locked.root), hashes);
    } finally {
      // Remembered paths would open the earlier entries of every later copy of this case.
      if (scope) await explorer.olderKeyFiles.forget(scope);
      locked.remove();
    }
  });

  it('are remembered by path for the cluster: a re-opened swarm reads them again, until forgotten', async () => {
    const explorer = (await api()).explorer;
    const history = readdirSync(join(corpusDir('locked'), 'key-history')).sort().map((f) => join(corpusDir('locked'), 'key-history', f));
    const open = async (copy: CaseCopy) => {
      const uri = vscode.Uri.file(raftFiles(copy.capture()).find((f) => f.endsWith('.wal'))!);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
      const doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
      await doc.keyFlow;
      await doc.whenSummarized();
      return doc;
    };
    const earlier = (doc: RaftDocument) => doc.model!.rows(0, 100_000).filter((r) => r.status === 'earlier-key').length;
    const first = copyCase('locked');
    const second = copyCase('locked');
    let scope: string | undefined;
    try {
      explorer.prompts.unlockKey = async () => first.unlockKey;
      const doc = await open(first);
      const before = earlier(doc);
      assert.ok(before > 0);
      await vscode.commands.executeCommand('swarmRaft.addOlderNodeKey', doc.uri, history);
      scope = keyFilesScope(doc.shared!);
      assert.ok(scope.startsWith(`${doc.shared!.clusterId!}/`), 'kept per cluster (and node)');
      // The files that open something are remembered (one copy of the history holds no key this state needs: a fault says so).
      const unusable = doc.shared!.state.faults.filter((f) => history.includes(f.file)).map((f) => f.file);
      const usable = history.filter((f) => !unusable.includes(f));
      assert.ok(usable.length > 0);
      assert.deepEqual(explorer.olderKeyFiles.get(scope), usable, 'the paths are remembered for the cluster and node');
      // What is kept is paths, never key material.
      assert.ok(!JSON.stringify(explorer.ext.globalState.get('swarmRaft.olderNodeKeyFiles')).includes('PRIVATE KEY'));
      // Closed everywhere: no editor, and the Swarm Raft views hidden (a visible State view keeps a swarm open).
      await closeAllEditors();
      await vscode.commands.executeCommand('workbench.view.explorer');
      await waitFor('the state directory released', () => explorer.registry.get(first.capture()) === undefined || undefined);

      // Re-opened (a new SharedState, as after a reload), and a second copy of the same manager: both read
      // the earlier entries with the remembered key files, without being told again.
      const again = await open(first);
      assert.deepEqual(again.shared!.keyFiles, usable);
      assert.equal(earlier(again), 0, 'the remembered key files open the earlier entries after a re-open');
      const other = await open(second);
      assert.equal(earlier(other), 0, 'another copy of the same manager uses them too');

      // Forget: the state is reopened without them, and the next open does not use them.
      const forgotten = await vscode.commands.executeCommand<string[]>('swarmRaft.forgetOlderNodeKeys', other.uri);
      assert.deepEqual(forgotten, usable);
      assert.deepEqual(explorer.olderKeyFiles.get(scope), []);
      await other.whenSummarized();
      assert.equal(earlier(other), before, 'forgotten: the earlier entries are unreadable again');
      await closeAllEditors();
      await vscode.commands.executeCommand('workbench.view.explorer');
      await waitFor('the state directories released', () => (explorer.registry.get(first.capture()) === undefined && explorer.registry.get(second.capture()) === undefined) || undefined);
      const third = await open(first);
      assert.equal(earlier(third), before, 'a forgotten key file is not used on the next open');
      await closeAllEditors();
      await explorer.keys.forgetAll();
    } finally {
      // Left remembered, they would open the earlier entries of every later copy of this case.
      if (scope) await explorer.olderKeyFiles.forget(scope);
      first.remove();
      second.remove();
    }
  });
});
