// "Swarm Raft: Repair into a Copy..." in a real extension host: on a damaged copy of a corpus case (an
// entry after the snapshot flipped) the plan is shown as a document before anything is written, the copy
// is written where asked and reads back clean, the report document says what was cut and lost; declining
// writes nothing; an output inside the state directory is refused. The state directory never changes.
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, readdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SwarmState } from '../../src/core/state/swarmState';
import type { Explorer } from '../../src/extension/context';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { RepairCommandResult } from '../../src/extension/repair/repairCommand';
import { api, closeAllEditors, copyCase, hashTree, raftFiles, storeUnlockKeyFor, waitFor, type CaseCopy } from './raftFixtures';

async function open(explorer: Explorer, file: string): Promise<RaftDocument> {
  const uri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
  const doc = await waitFor('document', () => explorer.documentFor(uri.toString()));
  await doc.keyFlow;
  return doc;
}

/** Flips a byte inside the sealed payload of entry `index`; returns where its frame starts. */
function damageEntry(stateDir: string, index: bigint, unlockKey?: string): { file: string; offset: number } {
  const state = SwarmState.open(stateDir, { unlockKey });
  const e = state.wal.effective.find((x) => x.index === index);
  state.close();
  assert.ok(e, `entry ${index}`);
  const fd = openSync(e.file, 'r+');
  const b = Buffer.alloc(1);
  const at = e.offset + 8 + e.recordLength - 40;
  readSync(fd, b, 0, 1, at);
  b[0] ^= 0xff;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
  return { file: e.file, offset: e.offset };
}

function openReports(): string[] {
  return vscode.workspace.textDocuments.filter((d) => d.isUntitled).map((d) => d.getText());
}

describe('repair into a copy', function () {
  this.timeout(120_000);
  let explorer: Explorer;
  let copy: CaseCopy;
  let stateDir: string;
  let doc: RaftDocument;
  let damaged: { file: string; offset: number };

  before(async () => {
    explorer = (await api()).explorer;
    explorer.prompts.unlockKey = async () => {
      throw new Error('unexpected unlock prompt');
    };
    copy = copyCase('seed-sample'); // autolocked: snapshot 13, entries 1..15
    stateDir = copy.capture();
    damaged = damageEntry(stateDir, 15n, copy.unlockKey);
    await storeUnlockKeyFor(explorer, stateDir, copy.unlockKey);
    doc = await open(explorer, raftFiles(stateDir).find((f) => f.endsWith('.wal'))!);
  });

  after(async () => {
    await closeAllEditors();
    copy.remove();
  });

  it('shows the plan, writes the copy, reads it back and reports the cut', async () => {
    const before = hashTree(stateDir);
    const out = join(mkdtempSync(join(tmpdir(), 'swarm-raft-ext-repair-')), 'copy');
    const r = await vscode.commands.executeCommand<RepairCommandResult | undefined>('swarmRaft.repairIntoCopy', doc.uri, { output: out, confirm: true });
    assert.ok(r?.result && r.reportText, 'the copy was written');
    assert.match(r.planText, /^Repair plan for .* \(nothing written\)/);
    assert.match(r.planText, new RegExp(`Cut: ${damaged.file}:${damaged.offset} \\(entry 15, term \\d+\\): CRC mismatch`));
    assert.ok(openReports().includes(r.planText), 'the plan was shown as a document');
    assert.ok(openReports().includes(r.reportText), 'the report was shown as a document');
    assert.match(r.reportText, /Check: the copy reads back without a fault/);
    assert.deepEqual(r.result.verification, []);
    assert.equal(r.plan.kept.lastIndex, 14n);
    assert.deepEqual(readdirSync(join(out, 'raft', 'wal-v3-encrypted')), ['0000000000000000-0000000000000000.wal']);
    const repaired = SwarmState.open(out, { unlockKey: copy.unlockKey });
    try {
      assert.equal(repaired.wal.hardState?.commit, 14n);
      assert.deepEqual(repaired.faults, []);
    } finally {
      repaired.close();
    }
    assert.deepEqual(hashTree(stateDir), before, 'the state directory is unchanged');
  });

  it('declining after the plan writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'swarm-raft-ext-repair-')), 'declined');
    const r = await vscode.commands.executeCommand<RepairCommandResult | undefined>('swarmRaft.repairIntoCopy', doc.uri, { output: out, confirm: false });
    assert.ok(r && !r.result, 'planned, not written');
    assert.equal(existsSync(out), false);
  });

  it('refuses an output inside the state directory', async () => {
    const inside = join(stateDir, 'raft', 'copy');
    const r = await vscode.commands.executeCommand<RepairCommandResult | undefined>('swarmRaft.repairIntoCopy', doc.uri, { output: inside, confirm: true });
    assert.equal(r, undefined);
    assert.equal(existsSync(inside), false);
  });
});
