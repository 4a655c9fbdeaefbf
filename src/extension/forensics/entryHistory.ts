// "Show History" on an entry of the Raft Log tree (not only on one of its store actions): the history of
// the object it writes; an entry that writes several asks which one.
import * as vscode from 'vscode';
import { actionText } from '../../core/view/entries';
import type { Forensics } from './forensics';

export async function showEntryHistory(forensics: Forensics, arg: unknown): Promise<unknown> {
  const node = arg as { t?: string; seq?: number } | undefined;
  const summary = node?.t === 'entry' && typeof node.seq === 'number' ? forensics.explorer.tree.document?.model?.summaryOfSeq(node.seq) : undefined;
  const objects = (summary?.actions ?? []).map((a, index) => ({ a, index })).filter(({ a }) => a.kind !== 'unknown' && a.id);
  if (!summary || !objects.length) {
    void vscode.window.showInformationMessage('This entry writes no object: pick an entry with store actions.');
    return undefined;
  }
  const picked = objects.length === 1
    ? objects[0]
    : (await vscode.window.showQuickPick(objects.map((o) => ({ label: actionText(o.a), description: o.a.id, o })), { title: 'Show the history of which object?' }))?.o;
  if (!picked) return undefined;
  return vscode.commands.executeCommand('swarmRaft.showHistory', { t: 'action', seq: node!.seq, index: picked.index });
}
