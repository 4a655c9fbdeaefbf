// A click on an object of the State tree shows it in the detail view, as the Raft Log tree does: the
// entry that last changed it (in whichever segment of the log it is), or, when the store holds it as the
// snapshot left it, that snapshot's object. A .snap document cannot show an entry: then the object opens
// as a read-only text document (what "Open as Text Document" always does). With no Raft editor of the
// swarm open (the State view kept it open), the log last shown opens again, in the background, for the
// detail view, which shows an entry of an open log.
import * as vscode from 'vscode';
import type { Explorer, Target } from '../context';
import type { RaftDocument } from '../editor/raftDocument';
import { VIEW_TYPE } from '../editor/rawEditorProvider';
import type { ForensicsSession } from './session';
import type { Forensics } from './forensics';
import { objectTarget } from './objectTarget';

export async function showStateObject(forensics: Forensics, arg: unknown): Promise<Target | undefined> {
  const t = objectTarget(forensics, arg);
  if (!t) return undefined;
  const { explorer } = forensics;
  const active = explorer.activeDocument;
  const doc = active?.shared === t.session.shared ? active : [...explorer.documents].find((d) => d.shared === t.session.shared) ?? (await reopenLog(explorer, t.session));
  const model = doc?.model;
  const store = await t.session.storeInSteps();
  if (!doc || !model || !store) return undefined;
  const place = model.placeInStore(t.kind, t.id, store.lastChangedAt(t.kind, t.id), store.base?.name);
  let target: Target | undefined;
  if (place?.kind === 'snapshot') {
    target = model.kind === 'snap' && place.snapshot === model.fileName ? { kind: 'entry', seq: place.position } : place;
  } else if (place && model.kind === 'wal') {
    target = { kind: 'entry', seq: place.seq, action: place.action };
  }
  if (!target) {
    await vscode.commands.executeCommand('swarmRaft.openStateObject', arg);
    return undefined;
  }
  // An entry of this file is selected everywhere (tree, table, detail); one of another segment only in the detail.
  if (target.kind === 'entry' && model.kind === 'wal' && model.rowOfSeq(target.seq) === undefined) explorer.detail.show(doc, target, { preserveFocus: true });
  else explorer.select(doc, target, 'command');
  return target;
}

async function reopenLog(explorer: Explorer, session: ForensicsSession): Promise<RaftDocument | undefined> {
  const uri = session.lastFile;
  if (!uri) return undefined;
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, { preview: false, preserveFocus: true });
  const doc = explorer.documentFor(uri);
  await doc?.load();
  return doc?.shared === session.shared ? doc : undefined;
}
