// A log of 100,000 entries (made by scripts/genlog.ts, the writer, into a temp folder): the editor opens
// at once, pages of rows come from anywhere in it, the background decoding finishes, no tree level holds
// more than the bucket size, and the export streams every entry to a file. Opening returns before the
// directory is indexed (the tree and the table fill in after), and the end of background decoding does
// not rebuild a tree whose layout does not depend on it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SMALL_READ_WINDOW_BYTES } from '../../src/core/state/swarmState';
import type { Explorer } from '../../src/extension/context';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { ExportResult } from '../../src/extension/export/exportCommands';
import type { Node } from '../../src/extension/tree/entryTreeProvider';
import type { HostToWebview } from '../../src/shared/protocol';
import { api, closeAllEditors, hashTree, repoRoot, waitFor } from './raftFixtures';

const ENTRIES = 100_000;

describe('a log of 100,000 entries', function () {
  this.timeout(300_000);
  let explorer: Explorer;
  let out: string;
  let stateDir: string;

  before(async () => {
    explorer = (await api()).explorer;
    out = mkdtempSync(join(tmpdir(), 'swarm-raft-large-'));
    execFileSync(process.execPath, ['--import', 'tsx', join('scripts', 'genlog.ts'), '--out', join(out, 'gen'), '--only', 'tiny', '--tiny-entries', String(ENTRIES)], { cwd: repoRoot(), stdio: 'pipe' });
    stateDir = join(out, 'gen', 'tiny');
  });

  after(async () => {
    await closeAllEditors();
    rmSync(out, { recursive: true, force: true });
  });

  it('opens, pages, decodes in the background, groups in buckets and exports', async () => {
    const hashes = hashTree(stateDir);
    const file = join(stateDir, 'raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal');
    const uri = vscode.Uri.file(file);
    let started = Date.now();
    await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
    const doc = await waitFor('document', () => explorer.documentFor(uri.toString())?.model && explorer.documentFor(uri.toString()), 60_000);
    const openMs = Date.now() - started;
    const model = doc.model!;
    assert.ok(model.rowCount >= ENTRIES, `${model.rowCount} rows`);
    assert.equal(doc.shared!.state.readWindowBytes, SMALL_READ_WINDOW_BYTES, 'pages anywhere are read through small windows');
    const page = model.rows(model.rowCount - 200, 200);
    assert.equal(page.length, 200);
    assert.equal(page[199].index, String(model.entryAt(model.rowCount - 1).index));
    started = Date.now();
    await doc.whenSummarized();
    const decodeMs = Date.now() - started;
    assert.ok(model.fullySummarized);
    const o = model.overview();
    assert.equal(o.counting, undefined);
    assert.equal(o.byAction.reduce((n, r) => n + r.count, 0) >= ENTRIES, true);

    explorer.setActive(doc);
    const bucket = explorer.config.bucketSize;
    const walk = (node: Node | undefined, depth: number): number => {
      const children = explorer.tree.getChildren(node);
      assert.ok(children.length <= bucket + 3, `a tree level holds ${children.length} items`);
      if (depth === 0) return children.length;
      return children.filter((c) => c.t === 'group').slice(0, 2).reduce((n, c) => n + walk(c, depth - 1), 0);
    };
    walk(undefined, 3);

    started = Date.now();
    const target = join(out, 'dump.txt');
    const result = await vscode.commands.executeCommand<ExportResult>('swarmRaft.exportText', doc.uri, { redact: true, destination: { file: target }, silent: true });
    const exportMs = Date.now() - started;
    assert.equal(result.cancelled, false);
    const text = readFileSync(target, 'utf8');
    assert.equal((text.match(/^Entry Index=/gm) ?? []).length, doc.shared!.state.entriesAfter().length);
    console.log(`    ${model.rowCount} entries: editor model ${openMs} ms, background decode ${decodeMs} ms, export ${exportMs} ms (${(text.length / 1e6).toFixed(1)} MB)`);
    await closeAllEditors();
    assert.deepEqual(hashTree(stateDir), hashes);
  });

  function walUri(): vscode.Uri {
    return vscode.Uri.file(join(stateDir, 'raft', 'wal-v3-encrypted', '0000000000000000-0000000000000000.wal'));
  }

  it('opening returns before the directory is indexed; the tree says so, then it and the table fill in', async () => {
    await closeAllEditors();
    await waitFor('no open document', () => explorer.documents.size === 0);
    const uri = walUri();
    const provider = explorer.editors;
    const openCustomDocument = provider.openCustomDocument;
    const resolveCustomEditor = provider.resolveCustomEditor;
    const posted: HostToWebview[] = [];
    let returned: { doc: RaftDocument; model: boolean; shared: boolean; opening: boolean } | undefined;
    let treeAtResolve: Node[] | undefined;
    provider.openCustomDocument = async (...args: Parameters<typeof openCustomDocument>) => {
      const doc = await openCustomDocument.apply(provider, args);
      returned = { doc, model: doc.model !== undefined, shared: doc.shared !== undefined, opening: doc.isOpening };
      return doc;
    };
    provider.resolveCustomEditor = (doc: RaftDocument, panel: vscode.WebviewPanel) => {
      const post = panel.webview.postMessage.bind(panel.webview);
      panel.webview.postMessage = (message: HostToWebview) => {
        posted.push(message);
        return post(message);
      };
      resolveCustomEditor.call(provider, doc, panel);
      if (explorer.tree.document === doc) treeAtResolve = explorer.tree.getChildren();
    };
    try {
      await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
      const doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
      assert.equal(returned?.doc, doc, 'the document VS Code was given');
      assert.deepEqual({ ...returned, doc: undefined }, { doc: undefined, model: false, shared: false, opening: true }, 'openCustomDocument returned before the state directory was read');
      assert.ok(treeAtResolve, 'the tree showed the new document when its editor was resolved');
      assert.equal(treeAtResolve.length, 1);
      assert.ok(treeAtResolve[0].t === 'info' && treeAtResolve[0].id.endsWith('|opening'), 'the tree says the file is being read');
      await doc.opened;
      assert.equal(doc.problem, undefined);
      assert.ok(doc.model && doc.model.rowCount >= ENTRIES && doc.shared);
      explorer.setActive(doc);
      const roots = explorer.tree.getChildren();
      assert.equal(roots[0].t === 'info' && roots[0].label, doc.fileName, 'the summary node');
      assert.ok(roots.some((n) => n.t === 'group'), 'the terms');
      await waitFor('the table\'s first page', () => posted.some((m) => m.type === 'rows' && m.rows.length > 0), 60_000);
      assert.ok(posted.some((m) => m.type === 'overview'), 'the overview');
    } finally {
      provider.openCustomDocument = openCustomDocument;
      provider.resolveCustomEditor = resolveCustomEditor;
    }
  });

  it('background decoding waits for the table\'s first page (while the window draws), and starts at once for whoever needs every entry', async () => {
    await closeAllEditors();
    const provider = explorer.editors;
    // A document with no editor: nothing asks for a page.
    const doc = await provider.openCustomDocument(walUri());
    try {
      await doc.load(); // what resolving an editor starts
      const model = doc.model!;
      assert.ok(model.rowCount >= ENTRIES);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(model.summarizedCount, 0, 'nothing decoded in the background before a page was shown');
      doc.firstPageShown();
      await waitFor('decoding under way', () => model.summarizedCount > 0, 10_000);
      await doc.whenSummarized();
      assert.ok(model.fullySummarized);

      // Reloaded: the gate closes again; whenSummarized opens it.
      await vscode.commands.executeCommand('swarmRaft.reload', doc.uri);
      const again = doc.model!;
      assert.ok(again !== model && again.summarizedCount === 0);
      const started = Date.now();
      await doc.whenSummarized();
      assert.ok(again.fullySummarized);
      console.log(`    whenSummarized without a page: ${Date.now() - started} ms`);
    } finally {
      doc.dispose();
    }
  });

  it('work that can wait (the State view\'s replay) waits until the log is read and decoded, or closed', async () => {
    await closeAllEditors();
    const provider = explorer.editors;
    const doc = await provider.openCustomDocument(walUri());
    let done = false;
    const after = doc.afterBackgroundDecoding().then(() => (done = true));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(done, false, 'not before the document is read');
      await doc.load();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(done, false, 'nor before its background decoding');
      doc.firstPageShown();
      await after;
      assert.ok(doc.model?.fullySummarized, 'once every entry is decoded');
    } finally {
      doc.dispose();
    }
    const closing = await provider.openCustomDocument(walUri());
    const waiting = closing.afterBackgroundDecoding();
    closing.dispose();
    await waiting; // a document closed unread: nothing to wait for (the test's timeout if it hung)
  });

  it('the end of background decoding leaves the tree as it is grouped by term, and fills in the grouping by action', async () => {
    const uri = walUri();
    await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
    const doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
    await doc.keyFlow;
    explorer.setActive(doc);
    const decodeAgain = async (): Promise<void> => {
      await vscode.commands.executeCommand('swarmRaft.reload', doc.uri);
      assert.ok(doc.model && !doc.model.fullySummarized, 'decoding in the background (again)');
    };
    try {
      await vscode.commands.executeCommand('swarmRaft.groupBy', 'term');
      await decodeAgain();
      const roots = explorer.tree.getChildren();
      assert.ok(roots.some((n) => n.t === 'group'));
      let changes = 0;
      let sub = explorer.tree.onDidChangeTreeData(() => changes++);
      try {
        await doc.whenSummarized();
      } finally {
        sub.dispose();
      }
      assert.equal(changes, 0, 'no refresh of the tree');
      assert.equal(explorer.tree.getChildren(), roots, 'the same layout');

      await vscode.commands.executeCommand('swarmRaft.groupBy', 'action');
      await decodeAgain();
      const pending = explorer.tree.getChildren();
      assert.ok(pending.some((n) => n.t === 'info' && n.id.endsWith('|pending')), 'decoding entries…');
      assert.ok(!pending.some((n) => n.t === 'group'));
      changes = 0;
      sub = explorer.tree.onDidChangeTreeData(() => changes++);
      try {
        await doc.whenSummarized();
      } finally {
        sub.dispose();
      }
      assert.ok(changes > 0, 'the tree was refreshed');
      const grouped = explorer.tree.getChildren();
      assert.ok(grouped.some((n) => n.t === 'group') && !grouped.some((n) => n.t === 'info' && n.id.endsWith('|pending')), 'grouped by action');
    } finally {
      await vscode.commands.executeCommand('swarmRaft.groupBy', 'term');
      await closeAllEditors();
    }
  });
});
