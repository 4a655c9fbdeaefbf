// The two-managers generated case (m1 and m2 of one swarm) copied to a temp folder for the forensics
// tests, opened in the custom editor. Copies, never the fixtures themselves; hashed to prove nothing is written.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { unpackArchive } from '../support/fixtures';
import type { RaftDocument } from '../../src/extension/editor/raftDocument';
import type { SwarmRaftApi } from '../../src/extension/main';
import { hashTree, raftFiles, repoRoot, waitFor } from './raftFixtures';

export interface TwoManagers {
  root: string;
  m1: string;
  m2: string;
  hashes: Map<string, string>;
  remove(): void;
}

export function copyTwoManagers(): TwoManagers {
  const root = repoRoot();
  const source = unpackArchive(join(root, 'test', 'fixtures', 'generated', 'two-managers.tar.gz'), join(root, '.fixtures', 'generated'), 'two-managers');
  const copy = mkdtempSync(join(tmpdir(), 'swarm-raft-forensics-'));
  for (const m of ['m1', 'm2']) cpSync(join(source, m, 'swarm'), join(copy, m, 'swarm'), { recursive: true, preserveTimestamps: true });
  return { root: copy, m1: join(copy, 'm1', 'swarm'), m2: join(copy, 'm2', 'swarm'), hashes: hashTree(copy), remove: () => rmSync(copy, { recursive: true, force: true }) };
}

/** Opens the last WAL segment of `stateDir` in the Raft editor and makes it the active document. */
export async function openWal(api: SwarmRaftApi, stateDir: string): Promise<RaftDocument> {
  const uri = vscode.Uri.file(raftFiles(stateDir).filter((f) => f.endsWith('.wal')).pop()!);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'swarmRaft.raftFile', { preview: false });
  const doc = await waitFor('document', () => api.explorer.documentFor(uri.toString()));
  await doc.keyFlow;
  api.explorer.setActive(doc);
  return doc;
}
