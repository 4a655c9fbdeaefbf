// The per-message text against the reference's own output on the conformance corpus: every entry
// of dump-wal (plain and --redact) and the Objects part of dump-snapshot, byte for byte. Entry
// headers and conf-change lines are assembled here only to compare whole files.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Message } from 'protobufjs/light';
import { ProtoTypes } from '../../src/core/proto/schema';
import { SwarmState } from '../../src/core/state/swarmState';
import { formatMessage } from '../../src/core/text/protoText';
import { redactRequest, redactStoreSnapshot } from '../../src/core/text/redact';
import { corpusCase, corpusCases } from '../support/fixtures';

const CONF_CHANGE_TYPES = ['ConfChangeAddNode', 'ConfChangeRemoveNode', 'ConfChangeUpdateNode', 'ConfChangeAddLearnerNode'];

function unlockKeyOf(caseDir: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(caseDir, 'manifest.json'), 'utf8'));
  return manifest.unlock_key ?? manifest.unlock_keys?.current ?? undefined;
}

function dumpWal(state: SwarmState, redact: boolean): string {
  let out = '';
  for (const entry of state.entriesAfter()) {
    const decoded = state.decodeEntry(entry);
    out += `Entry Index=${entry.index}, Term=${entry.term}, Type=${entry.type === 1 ? 'EntryConfChange' : 'EntryNormal'}:\n`;
    assert.ok(decoded.ok, `entry ${entry.index}: ${decoded.ok ? '' : decoded.message}`);
    if (decoded.kind === 'confChange') {
      out += `Conf change type: ${CONF_CHANGE_TYPES[decoded.confChange.type]}\nNode ID: ${decoded.confChange.nodeId.toString(16)}\n\n`;
    } else {
      out += formatMessage(redact ? redactRequest(decoded.request) : decoded.request) + '\n';
    }
  }
  return out;
}

function snapshotObjects(state: SwarmState, redact: boolean): string {
  const file = state.newestSnapshot;
  assert.ok(file, 'a snapshot');
  const decoded = state.decodeSnapshot(file);
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.message);
  const store = ((decoded.snapshot as unknown as { store?: Message }).store ?? ProtoTypes.StoreSnapshot.create({})) as Message;
  return formatMessage(redact ? redactStoreSnapshot(store) : store) + '\n';
}

/** Same lines, or the first difference with some context (whole files are too big to diff in a message). */
function assertSameText(actual: string, expected: string, label: string): void {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let i = 0;
  while (i < a.length && a[i] === e[i]) i++;
  assert.fail(`${label}: first difference at line ${i + 1}\n  got:  ${JSON.stringify(a.slice(Math.max(0, i - 2), i + 3))}\n  want: ${JSON.stringify(e.slice(Math.max(0, i - 2), i + 3))}`);
}

const succeeded = (file: string): boolean => existsSync(file) && readFileSync(file.replace(/\.txt$/, '.rc'), 'utf8').trim() === '0';

for (const name of corpusCases()) {
  describe(`corpus ${name}`, () => {
    const dir = corpusCase(name);
    for (const capture of readdirSync(join(dir, 'expected'))) {
      const expected = (file: string): string => join(dir, 'expected', capture, file);
      const open = (): SwarmState => SwarmState.open(join(dir, capture), { unlockKey: unlockKeyOf(dir) });
      for (const redact of [false, true]) {
        const walFile = expected(redact ? 'dump-wal-redact.txt' : 'dump-wal.txt');
        if (succeeded(walFile)) {
          it(`${capture} dump-wal${redact ? ' --redact' : ''}: every entry's text`, () => {
            const state = open();
            try {
              assertSameText(dumpWal(state, redact), readFileSync(walFile, 'utf8'), walFile);
            } finally {
              state.close();
            }
          });
        }
        const snapFile = expected(redact ? 'dump-snapshot-redact.txt' : 'dump-snapshot.txt');
        if (succeeded(snapFile)) {
          it(`${capture} dump-snapshot${redact ? ' --redact' : ''}: the store's text`, () => {
            const state = open();
            try {
              const want = readFileSync(snapFile, 'utf8');
              const objects = want.indexOf('\nObjects:\n') + '\nObjects:\n'.length;
              assertSameText(snapshotObjects(state, redact), want.slice(objects), snapFile);
            } finally {
              state.close();
            }
          });
        }
      }
    }
  });
}
