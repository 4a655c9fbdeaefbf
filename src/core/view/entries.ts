// What the table and the tree show of one WAL entry: its status, a one-line summary and its store actions.
// Computed from a decoded entry; entries that cannot be decrypted keep their plaintext header and say why.
import type { Message } from 'protobufjs';
import { toU64 } from '../codec';
import { summarizeAction } from '../model/objects';
import { hexId } from '../report/names';
import type { DecodedEntry } from '../state/swarmState';
import type { WalEntry } from '../wal/walLog';
import type { ActionRow, EntryRow, EntryStatus } from '../../shared/protocol';

export interface EntrySummary {
  status: EntryStatus;
  /** "CREATE secret passwd", "AddNode 1a2b (10.0.0.2:2377)", "empty entry", or why it is unreadable. */
  summary: string;
  actions: ActionRow[];
  /** Set for conf changes. */
  confChange?: { type: string; nodeId: string; addr?: string };
  /** A decrypted normal entry without store actions (a new leader's no-op). */
  empty?: boolean;
  requestId?: string;
  keyLabel?: string;
  /** Why it could not be read, with the file and byte offset. */
  message?: string;
}

const CONF_CHANGE_SHORT = ['AddNode', 'RemoveNode', 'UpdateNode', 'AddLearnerNode'];

export function confChangeShortName(type: number): string {
  return CONF_CHANGE_SHORT[type] ?? `ConfChange(${type})`;
}

export const PROBLEM_TEXT: Record<Exclude<EntryStatus, 'ok'>, string> = {
  locked: 'locked: unlock key needed',
  'earlier-key': 'encrypted with an earlier data key',
  undecryptable: 'no data key opens it',
  corrupt: 'corrupt: the entry does not decode',
};

export function summarizeEntry(decoded: DecodedEntry): EntrySummary {
  if (!decoded.ok) return { status: decoded.problem, summary: PROBLEM_TEXT[decoded.problem], actions: [], message: decoded.message };
  if (decoded.kind === 'confChange') {
    const c = decoded.confChange;
    const node = hexId(c.nodeId);
    const addr = c.member?.addr;
    return {
      status: 'ok', keyLabel: decoded.keyLabel, actions: [],
      summary: `${confChangeShortName(c.type)} ${node}${addr ? ` (${addr})` : ''}`,
      confChange: { type: confChangeShortName(c.type), nodeId: node, ...(addr ? { addr } : {}) },
    };
  }
  const r = decoded.request as unknown as { id?: never; action?: Message[] };
  const actions = (r.action ?? []).map(actionRow);
  const requestId = toU64(r.id).toString();
  if (actions.length === 0) return { status: 'ok', keyLabel: decoded.keyLabel, actions, empty: true, requestId, summary: 'empty entry (no store actions)' };
  const more = actions.length > 1 ? ` (+${actions.length - 1} more)` : '';
  return { status: 'ok', keyLabel: decoded.keyLabel, actions, requestId, summary: actionText(actions[0]) + more };
}

export function actionRow(storeAction: Message): ActionRow {
  const s = summarizeAction(storeAction);
  return { action: s.action, kind: s.kind, id: s.id, name: s.name };
}

/**
 * How a row names an object: its name, and its id beside it, each once. SwarmKit names a task
 * `<service>.<slot>.<task id>`: the row says `<service>.<slot>` and the id beside it.
 */
export function nameAndId(name: string, id: string): { name: string; id?: string } {
  if (!name || name === id) return { name: id };
  return name.endsWith(`.${id}`) ? { name: name.slice(0, -id.length - 1), id } : { name, id };
}

export function actionText(a: ActionRow): string {
  return `${a.action} ${a.kind} ${a.name || a.id}`.trimEnd();
}

export function entryRow(e: WalEntry, s: EntrySummary | undefined): EntryRow {
  return {
    seq: e.seq,
    index: e.index.toString(),
    term: e.term.toString(),
    type: e.type === 0 ? 'EntryNormal' : e.type === 1 ? 'EntryConfChange' : String(e.type),
    status: s?.status ?? 'ok',
    summary: s?.summary ?? '…',
    actions: s?.actions ?? [],
    size: e.dataLength,
    uncommitted: e.uncommitted,
    overwritten: e.overwritten,
    crcOk: e.crcOk,
  };
}
