// Read-only virtual documents of the forensics views (scheme swarm-raft-object:): one object as some
// version or replayed store holds it, an object's history, a comparison report. The uri says what to
// render (state dir, object, which state of it, format, redaction); the text is made on demand by the
// content provider and never written to disk.
import * as vscode from 'vscode';
import type { ObjectFormat, ObjectVersion } from '../../core/forensics';
import type { ObjectKind } from '../../core/model/objects';
import type { SnapshotChoice } from './session';

export const OBJECT_SCHEME = 'swarm-raft-object';

/** Which state of an object: a version of its history, or the store replayed up to an index. */
export type ObjectState =
  | { source: 'entry'; index: string; actionIndex: number }
  | { source: 'snapshot'; snapshotFile: string }
  | { source: 'store'; index?: string; snapshot?: SnapshotChoice };

export type DocRef =
  | { type: 'object'; dir: string; kind: ObjectKind; id: string; state: ObjectState; format: ObjectFormat; redact: boolean }
  | { type: 'history'; dir: string; kind: ObjectKind; id: string; redact: boolean }
  | { type: 'report'; key: string };

export function docUri(ref: DocRef, title: string): vscode.Uri {
  const ext = ref.type === 'object' && ref.format === 'json' ? '.json' : '.txt';
  // The path is only the tab title; the query says what to render.
  const path = `/${title.replace(/[/\\?#]/g, '_')}${ext}`;
  return vscode.Uri.from({ scheme: OBJECT_SCHEME, path, query: JSON.stringify(ref) });
}

export function parseDocUri(uri: vscode.Uri): DocRef | undefined {
  if (uri.scheme !== OBJECT_SCHEME) return undefined;
  try {
    const ref = JSON.parse(uri.query) as DocRef;
    return typeof ref === 'object' && ref && typeof ref.type === 'string' ? ref : undefined;
  } catch {
    return undefined;
  }
}

/** The state directory whose data the document of `uri` shows (none for reports and other schemes). */
export function docDirs(uri: vscode.Uri): string[] {
  const ref = parseDocUri(uri);
  return ref && ref.type !== 'report' ? [ref.dir] : [];
}

/**
 * Where documents that show swarm data open: beside the Raft editor when it is the active editor, else
 * in the active group (already beside it); pinned, never as a preview that would replace the log.
 */
export function besideTheLog(): vscode.TextDocumentShowOptions {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const onLog = input instanceof vscode.TabInputCustom && input.viewType.startsWith('swarmRaft.');
  return { preview: false, viewColumn: onLog ? vscode.ViewColumn.Beside : vscode.window.tabGroups.activeTabGroup.viewColumn };
}

/** The ObjectState that names `v`. */
export function stateOfVersion(v: ObjectVersion): ObjectState {
  return v.source === 'snapshot'
    ? { source: 'snapshot', snapshotFile: v.snapshot?.name ?? '' }
    : { source: 'entry', index: v.index.toString(), actionIndex: v.actionIndex ?? 0 };
}

/** Whether version `v` is the one `s` names. */
export function isVersion(v: ObjectVersion, s: ObjectState): boolean {
  if (s.source === 'entry') return v.source === 'entry' && v.index.toString() === s.index && (v.actionIndex ?? 0) === s.actionIndex;
  if (s.source === 'snapshot') return v.source === 'snapshot' && v.snapshot?.name === s.snapshotFile;
  return false;
}
