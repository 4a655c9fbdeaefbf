// A decoded WAL entry as the filter sees it (the CLI's --filter; the extension filters its own rows).
import type { Message } from 'protobufjs';
import { summarizeAction } from '../model/objects';
import { confChangeTypeName, entryTypeName, hexId } from '../report/names';
import type { DecodedEntry } from '../state/swarmState';
import type { FilterTarget } from './filter';

export function entryFilterTarget(decoded: DecodedEntry): FilterTarget {
  const e = decoded.entry;
  const base = { index: e.index, term: e.term, type: entryTypeName(e.type), uncommitted: e.uncommitted, overwritten: e.overwritten };
  if (!decoded.ok) return { ...base, status: decoded.problem, actions: [], summary: decoded.message };
  if (decoded.kind === 'confChange') {
    const c = decoded.confChange;
    const member = c.member ? `${c.member.nodeId} ${c.member.addr}` : '';
    return { ...base, status: 'ok', actions: [], summary: `${confChangeTypeName(c.type)} ${hexId(c.nodeId)}`, text: member };
  }
  const actions = (((decoded.request as unknown as { action?: Message[] }).action ?? []) as Message[]).map((a) => {
    const s = summarizeAction(a);
    return { action: s.action, kind: s.kind, id: s.id, name: s.name };
  });
  return { ...base, status: 'ok', actions, empty: actions.length === 0 };
}
