// What an object command acts on, from whatever invoked it: a State tree object, an action of the Raft
// Log tree, or an explicit { dir, kind, id, state } (other commands, tests).
import * as vscode from 'vscode';
import { objectVersions, type ObjectFormat, type ObjectVersion } from '../../core/forensics';
import { OBJECT_KINDS, type ObjectKind } from '../../core/model/objects';
import type { Forensics } from './forensics';
import { docUri, isVersion, stateOfVersion, type DocRef, type ObjectState } from './objectUris';
import type { ForensicsSession } from './session';
import type { StateObjectRow } from '../../core/forensics';

export interface ObjectTarget {
  session: ForensicsSession;
  kind: ObjectKind;
  id: string;
  /** The state in focus: the store at the State tree's index, or one version. */
  state: ObjectState;
}

export interface ExplicitTarget {
  dir: string;
  kind: string;
  id: string;
  state?: ObjectState;
}

export function objectTarget(forensics: Forensics, arg: unknown): ObjectTarget | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { t?: string; row?: StateObjectRow; seq?: number; index?: number; dir?: unknown; kind?: unknown; id?: unknown; state?: ObjectState };
  if (a.t === 'object' && a.row) {
    const session = forensics.session();
    if (!session) return undefined;
    return { session, kind: a.row.kind, id: a.row.id, state: storeState(session) };
  }
  if (a.t === 'action' && typeof a.seq === 'number' && typeof a.index === 'number') {
    const doc = forensics.explorer.tree.document;
    const session = forensics.session(doc);
    const entry = doc?.model?.entryBySeq(a.seq);
    const action = doc?.model?.summaryOfSeq(a.seq)?.actions[a.index];
    const kind = OBJECT_KINDS.find((k) => k === action?.kind);
    if (!session || !entry || !action || !kind) return undefined;
    return { session, kind, id: action.id, state: { source: 'entry', index: entry.index.toString(), actionIndex: a.index } };
  }
  if (typeof a.dir === 'string' && typeof a.kind === 'string' && typeof a.id === 'string') {
    const session = forensics.sessionOfDir(a.dir);
    const kind = OBJECT_KINDS.find((k) => k === a.kind);
    if (!session || !kind) return undefined;
    return { session, kind, id: a.id, state: a.state ?? storeState(session) };
  }
  return undefined;
}

export function storeState(session: ForensicsSession): ObjectState {
  return { source: 'store', ...(session.index !== undefined ? { index: session.index.toString() } : {}), ...(session.snapshot !== undefined ? { snapshot: session.snapshot } : {}) };
}

export function versionsOf(t: ObjectTarget): ObjectVersion[] {
  return objectVersions(t.session.state, t.id, { kind: t.kind }).versions;
}

/**
 * The position in `versions` of the state in focus: the version itself, or for a store state the last
 * version at or below the store's index (the one that made the object as the store holds it).
 */
export function focusPosition(t: ObjectTarget, versions: ObjectVersion[]): number {
  const st = t.state;
  if (st.source !== 'store') return versions.findIndex((v) => isVersion(v, st));
  const at = st.index !== undefined ? BigInt(st.index) : undefined;
  let found = -1;
  versions.forEach((v, i) => {
    if (at === undefined || v.index <= at) found = i;
  });
  return found;
}

export interface DocOptions {
  format: ObjectFormat;
  redact: boolean;
}

export function objectRef(t: { session: ForensicsSession; kind: ObjectKind; id: string }, state: ObjectState, o: DocOptions): Extract<DocRef, { type: 'object' }> {
  return { type: 'object', dir: t.session.shared.stateDir, kind: t.kind, id: t.id, state, format: o.format, redact: o.redact };
}

export function versionUri(t: ObjectTarget, v: ObjectVersion, o: DocOptions): vscode.Uri {
  return docUri(objectRef(t, stateOfVersion(v), o), `${v.kind} ${v.name || v.id} @ ${v.index} ${v.action}${o.redact ? '' : ' (unredacted)'}`);
}
