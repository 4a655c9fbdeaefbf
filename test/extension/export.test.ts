// Export commands in a real extension host: the text is byte for byte the reference swarm-rafttool's
// dump-wal / dump-wal --redact / dump-snapshot / dump-snapshot --redact output of every corpus case;
// JSON is one parseable object per entry with uint64 values as strings; a file export never goes inside
// the state directory; the state directory is unchanged afterwards.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Explorer } from '../../src/extension/context';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { ExportResult } from '../../src/extension/export/exportCommands';
import { api, capturesOf, closeAllEditors, copyCase, corpusNames, hashTree, raftFiles, storeUnlockKeyFor, waitFor } from './raftFixtures';

async function open(explorer: Explorer, file: string): Promise<RaftDocument> {
  const uri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
  const doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
  await doc.keyFlow;
  return doc;
}

async function exportText(doc: RaftDocument, command: 'swarmRaft.exportText' | 'swarmRaft.exportJson', redact: boolean): Promise<string> {
  const result = await vscode.commands.executeCommand<ExportResult | undefined>(command, doc.uri, { redact, destination: 'untitled', silent: true });
  assert.ok(result && !result.cancelled && result.text !== undefined, `${command} gave no result`);
  return result.text!;
}

describe('export commands', function () {
  this.timeout(300_000);
  let explorer: Explorer;

  before(async () => {
    explorer = (await api()).explorer;
    explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
  });

  afterEach(async () => {
    await closeAllEditors();
  });

  for (const name of corpusNames()) {
    it(`${name}: Export Decrypted Text equals the reference output (full and redacted, WAL and snapshot)`, async () => {
      const copy = copyCase(name);
      try {
        const before = hashTree(copy.root);
        for (const capture of capturesOf(copy)) {
          const stateDir = copy.capture(capture);
          const clusterId = await storeUnlockKeyFor(explorer, stateDir, copy.unlockKey);
          try {
            const files = raftFiles(stateDir);
            const wal = files.filter((f) => f.endsWith('.wal')).pop()!;
            const doc = await open(explorer, wal);
            let compared = 0;
            for (const [command, redact] of [['dump-wal', false], ['dump-wal-redact', true]] as const) {
              const expected = copy.expected(command, capture);
              if (expected === undefined) continue;
              assert.equal(await exportText(doc, 'swarmRaft.exportText', redact), expected, `${name}/${capture} ${command}`);
              compared++;
            }
            assert.ok(compared > 0, `${name}/${capture}: the reference dump-wal output is there to compare with`);
            // JSON: one object per line, one line per exported entry, exact 64-bit values as strings.
            const json = await exportText(doc, 'swarmRaft.exportJson', true);
            const lines = json.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { index: unknown; term: unknown; requestId?: unknown; status: string });
            const text = copy.expected('dump-wal', capture);
            if (text !== undefined) assert.equal(lines.length, (text.match(/^Entry Index=/gm) ?? []).length);
            for (const l of lines) {
              assert.equal(typeof l.index, 'string');
              assert.equal(typeof l.term, 'string');
              if (l.status === 'ok' && l.requestId !== undefined) assert.match(String(l.requestId), /^\d+$/);
            }
            const snaps = files.filter((f) => f.endsWith('.snap'));
            const newest = snaps.pop();
            for (const [command, redact] of [['dump-snapshot', false], ['dump-snapshot-redact', true]] as const) {
              const expected = copy.expected(command, capture);
              if (expected === undefined || !newest) continue;
              const snapDoc = await open(explorer, newest);
              assert.equal(await exportText(snapDoc, 'swarmRaft.exportText', redact), expected, `${name}/${capture} ${command}`);
            }
          } finally {
            if (clusterId) await explorer.keys.forget(clusterId);
            await closeAllEditors();
          }
        }
        assert.deepEqual(hashTree(copy.root), before, 'the state directory is unchanged');
      } finally {
        copy.remove();
      }
    });
  }

  it('exports to a file outside the state directory, and refuses a file inside it', async () => {
    const copy = copyCase('synth-unlocked');
    try {
      const before = hashTree(copy.root);
      const doc = await open(explorer, raftFiles(copy.capture()).find((f) => f.endsWith('.wal'))!);
      const out = join(mkdtempSync(join(tmpdir(), 'export-')), 'dump.txt');
      const result = await vscode.commands.executeCommand<ExportResult>('swarmRaft.exportText', doc.uri, { redact: false, destination: { file: out }, silent: true });
      assert.equal(result.cancelled, false);
      assert.equal(readFileSync(out, 'utf8'), copy.expected('dump-wal'));
      const inside = join(copy.capture(), 'raft', 'dump.txt');
      const refused = await vscode.commands.executeCommand<ExportResult | undefined>('swarmRaft.exportText', doc.uri, { redact: false, destination: { file: inside }, silent: true });
      assert.equal(refused, undefined);
      assert.equal(existsSync(inside), false, 'nothing is written inside the state directory');
      assert.deepEqual(hashTree(copy.root), before);
    } finally {
      copy.remove();
    }
  });
});
