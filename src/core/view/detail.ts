// The detail view's model of one entry or one snapshot object: header fields, the object as a field tree,
// its reference text and JSON (hidden data replaced until revealed) and links to referenced objects.
// Reveal paths name the hidden value so the host can fetch it on request:
//   "a<action index>:<field path>"             for an action of a WAL entry (the entry is the request's seq),
//   "o:<snapshot file>:<kind>:<id>:<field path>" for an object of a snapshot.
import type { Message, Type } from 'protobufjs';
import { messageToJson } from '../report/dumpWalJson';
import { confChangeTypeName, entryTypeName, hexId } from '../report/names';
import { objectId, objectName, summarizeAction, type ObjectKind } from '../model/objects';
import type { DecodedEntry } from '../state/swarmState';
import type { SnapshotFile } from '../snap/snapshotFile';
import { formatMessage } from '../text/protoText';
import { toU64 } from '../codec';
import type { ActionDetail, ActionName, EntryDetail } from '../../shared/protocol';
import { messageTree, printableUtf8, timestampText, valueAtPath } from './fieldTree';
import { hideInJson, hideInMessage } from './hidden';
import { objectLinks, type NameLookup } from './links';
import { PROBLEM_TEXT } from './entries';
import type { SnapshotObject } from './snapshotObjects';

type Fields = Record<string, unknown>;

export function actionDetail(action: ActionName, kind: string, object: Message | undefined, revealPrefix: string, nameOf?: NameLookup): ActionDetail {
  if (!object) {
    return { action, kind, id: '', name: '', fields: { name: kind, children: [] }, text: '', json: '{}', links: [] };
  }
  const type = (object as unknown as { $type: Type }).$type;
  const id = objectId(object);
  const meta = (object as unknown as Fields).meta as Fields | undefined;
  const version = (meta?.version as Fields | undefined)?.index;
  const hidden = hideInMessage(kind, object);
  return {
    action, kind, id,
    name: kind === 'unknown' ? '' : objectName(kind as ObjectKind, object),
    ...(version !== undefined && version !== null ? { version: toU64(version as never).toString() } : {}),
    ...(meta?.created_at ? { createdAt: timestampText(meta.created_at as Fields) } : {}),
    ...(meta?.updated_at ? { updatedAt: timestampText(meta.updated_at as Fields) } : {}),
    fields: messageTree(kind, object, type, { kind, revealPrefix }),
    text: formatMessage(hidden, type),
    json: JSON.stringify(hideInJson(kind, messageToJson(object)), null, 2),
    links: objectLinks(object, id, nameOf),
  };
}

export function entryDetail(decoded: DecodedEntry, nameOf?: NameLookup): EntryDetail {
  const e = decoded.entry;
  const base: EntryDetail = {
    seq: e.seq, index: e.index.toString(), term: e.term.toString(), type: entryTypeName(e.type),
    status: decoded.ok ? 'ok' : decoded.problem, actions: [],
  };
  const notes: string[] = [];
  if (e.overwritten) notes.push('overwritten: a later entry at this or an earlier index replaced it (it is not part of the effective log)');
  if (e.uncommitted) notes.push('not committed: above the hard state\'s commit index');
  if (!e.crcOk) notes.push(`${e.file}:${e.offset}: the record's CRC does not match; the data may be corrupt`);
  if (!decoded.ok) {
    // The message says what happened and where (file:offset: ...); PROBLEM_TEXT would say it twice.
    notes.unshift(decoded.message || PROBLEM_TEXT[decoded.problem]);
    return { ...base, message: notes.join('\n') };
  }
  if (notes.length) base.message = notes.join('\n');
  if (decoded.keyLabel) base.keyLabel = decoded.keyLabel;
  if (decoded.kind === 'confChange') {
    const c = decoded.confChange;
    return {
      ...base,
      confChange: {
        type: confChangeTypeName(c.type), nodeId: hexId(c.nodeId),
        ...(c.member ? { member: { raftId: hexId(c.member.raftId), nodeId: c.member.nodeId, addr: c.member.addr } } : {}),
      },
    };
  }
  const r = decoded.request as unknown as { id?: never; action?: Message[] };
  base.requestId = toU64(r.id).toString();
  base.actions = (r.action ?? []).map((a, i) => {
    const s = summarizeAction(a);
    return actionDetail(s.action, s.kind, s.object, `a${i}:`, nameOf);
  });
  if (base.actions.length === 0) base.message = [...notes, 'empty entry: no store actions (a new leader proposes one after its election)'].join('\n');
  return base;
}

/** The action name shown for an object read from a snapshot (it is a state, not a change). */
export const SNAPSHOT_ACTION: ActionName = 'SNAPSHOT';

export function snapshotObjectDetail(file: SnapshotFile, obj: SnapshotObject, seq: number, nameOf?: NameLookup): EntryDetail {
  return {
    seq,
    index: (file.snapshot?.index ?? file.nameIndex).toString(),
    term: (file.snapshot?.term ?? file.nameTerm).toString(),
    type: 'Snapshot',
    status: 'ok',
    message: `${obj.kind} ${obj.name || obj.id} as stored in the snapshot ${file.name} (the state at index ${file.snapshot?.index ?? file.nameIndex})`,
    actions: [actionDetail(SNAPSHOT_ACTION, obj.kind, obj.object, `o:${file.name}:${obj.kind}:${obj.id}:`, nameOf)],
  };
}

export type RevealTarget =
  | { source: 'entry'; action: number; path: string[] }
  | { source: 'snapshot'; snapshot: string; kind: string; id: string; path: string[] };

export function parseRevealPath(revealPath: string): RevealTarget | undefined {
  let m = /^a(\d+):([\w.]+)$/.exec(revealPath);
  if (m) return { source: 'entry', action: Number(m[1]), path: m[2].split('.') };
  m = /^o:([^:]+):(\w+):([^:]*):([\w.]+)$/.exec(revealPath);
  if (m) return { source: 'snapshot', snapshot: m[1], kind: m[2], id: m[3], path: m[4].split('.') };
  return undefined;
}

/** The object an entry's reveal path points into, or undefined. */
export function entryActionObject(decoded: DecodedEntry, action: number): { kind: string; id: string; object: Message } | undefined {
  if (!decoded.ok || decoded.kind !== 'normal') return undefined;
  const a = ((decoded.request as unknown as { action?: Message[] }).action ?? [])[action];
  if (!a) return undefined;
  const s = summarizeAction(a);
  return s.object ? { kind: s.kind, id: s.id, object: s.object } : undefined;
}

/**
 * The revealed value as text and as hex, and whether it is text: valid UTF-8 without control characters
 * (a binary value decoded as UTF-8 would be replacement characters, so it is shown as hex first).
 */
export function revealValue(object: unknown, path: string[]): { text: string; hex: string; isText: boolean } | undefined {
  const value = valueAtPath(object, path);
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else if (typeof value === 'string') bytes = new TextEncoder().encode(value);
  else if (value === undefined || value === null) bytes = new Uint8Array(0);
  else return undefined;
  const printable = printableUtf8(bytes);
  const text = printable ?? new TextDecoder('utf-8').decode(bytes);
  return { text, hex: Buffer.from(bytes).toString('hex'), isText: printable !== undefined };
}
