// Issue 19, items 5, 6, 10 and 11 in the extension host, on real captures:
// - a revealed secret that is not UTF-8 text goes to the detail view marked as such (shown as hex first);
// - a WAL's export says which entries it holds (after the newest snapshot, as the reference) and how many
//   it left out, and the whole log (dump-wal --all) is there to choose;
// - an export to a document opens a read-only in-memory document, which hot exit never backs up;
// - the log names what was revealed and exported with real counts, never a value.
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { dumpWalText, selectEntries } from '../../src/core/report/dumpWal';
import { SwarmState } from '../../src/core/state/swarmState';
import { summarizeEntry } from '../../src/core/view/entries';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { ExportResult } from '../../src/extension/export/exportCommands';
import type { SwarmRaftApi } from '../../src/extension/main';
import type { WebviewChannel } from '../../src/extension/webview/channel';
import type { HostToWebview } from '../../src/shared/protocol';
import { api, closeAllEditors, copyCase, hashTree, raftFiles, storeUnlockKeyFor, waitFor, type CaseCopy } from './raftFixtures';

async function open(a: SwarmRaftApi, file: string): Promise<RaftDocument> {
  const uri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
  const doc = await waitFor('document', () => a.explorer.documentFor(uri.toString()));
  await doc.keyFlow;
  a.explorer.setActive(doc);
  return doc;
}

/** Runs `task` and returns what it logged at info level. */
async function logged(a: SwarmRaftApi, task: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const log = a.explorer.log;
  const info = log.info.bind(log);
  log.info = (m: string) => {
    lines.push(m);
    info(m);
  };
  try {
    await task();
  } finally {
    log.info = info;
  }
  return lines;
}

describe('export and reveal: what they say', function () {
  this.timeout(120_000);
  let a: SwarmRaftApi;
  const copies: CaseCopy[] = [];

  before(async () => {
    a = await api();
    a.explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
  });

  after(async () => {
    await closeAllEditors();
    for (const c of copies) c.remove();
  });

  function copyOf(name: string): CaseCopy {
    const c = copyCase(name);
    copies.push(c);
    return c;
  }

  it('a binary secret is revealed marked as not text (hex first); the log names field, kind and id, never the value', async () => {
    const copy = copyOf('objects');
    const before = hashTree(copy.root);
    const dir = copy.capture();
    await storeUnlockKeyFor(a.explorer, dir, copy.unlockKey);
    const values = (copy.manifest.values as { kind: string; name: string; id: string; base64?: string }[]);
    const binary = values.find((v) => v.kind === 'secret' && v.name === 'bytes.0-255')!; // every byte value: not UTF-8
    const core = SwarmState.open(dir);
    let found: { file: string; seq: number; action: number } | undefined;
    try {
      for (const e of core.wal.raw) {
        const i = summarizeEntry(core.decodeEntry(e)).actions.findIndex((x) => x.kind === 'secret' && x.action === 'CREATE' && x.id === binary.id);
        if (i >= 0) found = { file: basename(e.file), seq: e.seq, action: i };
      }
    } finally {
      core.close();
    }
    assert.ok(found, `the CREATE of secret ${binary.name} is in the log`);
    const file = raftFiles(dir).find((f) => basename(f) === found.file)!;
    const doc = await open(a, file);
    const posted: HostToWebview[] = [];
    const channel = { post: (m: HostToWebview) => posted.push(m) } as unknown as WebviewChannel;
    const lines = await logged(a, async () => a.explorer.detail.answerReveal(doc, channel, 1, found.seq, `a${found.action}:spec.data`));
    const revealed = posted.find((m): m is Extract<HostToWebview, { type: 'revealed' }> => m.type === 'revealed');
    assert.ok(revealed, 'the value was revealed');
    assert.equal(Buffer.from(revealed.hex, 'hex').toString('base64'), binary.base64);
    assert.equal(revealed.isText, false, 'not UTF-8 text: the webview shows hex first');
    const line = lines.find((l) => l.includes('revealed'));
    assert.ok(line, 'the reveal is logged');
    assert.match(line, new RegExp(`revealed spec\\.data of secret ${binary.id} of entry #\\d+ \\(${Buffer.from(binary.base64!, 'base64').length} bytes\\)`));
    assert.ok(!line.includes(revealed.hex.slice(0, 16)), 'never the value');
    assert.deepEqual(hashTree(copy.root), before, 'nothing written');
  });

  it('a WAL export says it holds the entries after the newest snapshot and how many it left out; the whole log is offered', async () => {
    const copy = copyOf('seed-sample');
    const dir = copy.capture();
    await storeUnlockKeyFor(a.explorer, dir, copy.unlockKey);
    const core = SwarmState.open(dir, { unlockKey: copy.unlockKey });
    const after = selectEntries(core, {}).length;
    const all = selectEntries(core, { all: true }).length;
    const snapshot = core.newestSnapshot!.snapshot!.index;
    const whole = [...dumpWalText(core, { redact: true, all: true }, [])].join('');
    core.close();
    assert.ok(all > after, 'the fixture has entries at or below its snapshot');
    const doc = await open(a, raftFiles(dir).filter((f) => f.endsWith('.wal')).pop()!);
    let result: ExportResult | undefined;
    const lines = await logged(a, async () => {
      result = await vscode.commands.executeCommand<ExportResult>('swarmRaft.exportText', doc.uri, { redact: true, destination: 'untitled', silent: true });
    });
    assert.equal(result?.notice, `Exported ${after} entries, those after the snapshot at index ${snapshot} (as swarm-rafttool dump-wal; the ${all - after} earlier entries are summed up in the snapshot) to a new document.`);
    assert.ok(lines.some((l) => l.startsWith(`exported ${after} entries, those after the snapshot at index ${snapshot}`)));
    // The choice the notice offers: the whole log, as dump-wal --all.
    const wholeLog = await vscode.commands.executeCommand<ExportResult>('swarmRaft.exportText', doc.uri, { redact: true, destination: 'untitled', silent: true, all: true });
    assert.equal(wholeLog.text, whole);
    assert.match(wholeLog.notice!, new RegExp(`^Exported ${all} entries, the whole log to a new document`));

    // A snapshot's export logs its real object count.
    const snapFile = raftFiles(dir).filter((f) => f.endsWith('.snap')).pop()!;
    const snapDoc = await open(a, snapFile);
    const snapLines = await logged(a, async () => vscode.commands.executeCommand('swarmRaft.exportText', snapDoc.uri, { redact: true, destination: 'untitled', silent: true }));
    const objects = snapDoc.model!.rowCount;
    assert.ok(objects > 1);
    assert.ok(snapLines.some((l) => l.startsWith(`exported the snapshot ${basename(snapFile)} (${objects} objects)`)), snapLines.join('\n'));
  });

  it('a full export to a document opens read-only and in memory only (hot exit does not back it up)', async () => {
    const copy = copyOf('seed-sample');
    const dir = copy.capture();
    await storeUnlockKeyFor(a.explorer, dir, copy.unlockKey);
    const doc = await open(a, raftFiles(dir).filter((f) => f.endsWith('.wal')).pop()!);
    const result = await vscode.commands.executeCommand<ExportResult>('swarmRaft.exportText', doc.uri, { redact: false, destination: 'untitled' });
    const uri = vscode.Uri.parse(result.uri);
    assert.equal(uri.scheme, 'swarm-raft-export', 'a virtual document, not an untitled one');
    const shown = await waitFor('the export\'s editor', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === result.uri));
    assert.equal(shown.document.isUntitled, false);
    assert.equal(shown.document.isDirty, false);
    assert.equal(shown.document.getText(), result.text);
  });

  it('an entry under an earlier data key says so once, in the table and in the detail', async () => {
    const copy = copyOf('rotated');
    const dir = copy.capture();
    await storeUnlockKeyFor(a.explorer, dir, copy.unlockKey);
    const doc = await open(a, raftFiles(dir).filter((f) => f.endsWith('.wal'))[0]);
    const model = (await doc.whenSummarized())!;
    const rows = model.rows(0, model.rowCount).filter((r) => r.status === 'earlier-key');
    assert.ok(rows.length > 0, 'the capture has entries under an earlier data key');
    for (const row of rows) {
      assert.equal(row.summary, 'encrypted with an earlier data key');
      const message = model.detail(row.seq)!.message!;
      assert.equal(message.match(/earlier data key/g)?.length, 1, message);
      assert.match(message, /^[^\n]+\.wal:\d+: encrypted with an earlier data key \(/);
    }
  });
});
