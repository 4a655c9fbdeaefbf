// dump-wal --format json: one JSON object per entry and line. uint64 values are decimal strings and bytes
// are base64, so any consumer (jq, Python) reads them exactly. The schema is described in the README.
import type { Message } from 'protobufjs';
import { Messages, toU64 } from '../codec';
import { summarizeAction } from '../model/objects';
import type { DecodedEntry, SwarmState } from '../state/swarmState';
import { redactRequest } from '../text/redact';
import { entryTypeName, confChangeTypeName } from './names';
import { EntryProblems, selectEntries, stripPlace, type DumpOptions } from './dumpWal';
import type { Fault } from '../errors';

const TO_OBJECT = { longs: String, enums: String, bytes: String, defaults: false, oneofs: false } as const;

export function messageToJson(message: Message): unknown {
  return (message.$type ?? Messages.internalRaftRequest).toObject(message, TO_OBJECT);
}

export function entryJson(decoded: DecodedEntry, redact: boolean): Record<string, unknown> {
  const e = decoded.entry;
  const out: Record<string, unknown> = {
    index: e.index.toString(),
    term: e.term.toString(),
    type: entryTypeName(e.type),
    file: e.file,
    offset: e.offset,
  };
  if (e.uncommitted) out.uncommitted = true;
  if (!e.crcOk) out.crcMismatch = true;
  if (!decoded.ok) {
    out.status = decoded.problem;
    out.error = stripPlace(decoded.message);
    return out;
  }
  out.status = 'ok';
  if (decoded.keyLabel) out.dataKey = decoded.keyLabel;
  if (decoded.kind === 'confChange') {
    const c = decoded.confChange;
    out.confChange = {
      id: c.id.toString(), type: confChangeTypeName(c.type), nodeId: c.nodeId.toString(16),
      ...(c.member ? { member: { raftId: c.member.raftId.toString(16), nodeId: c.member.nodeId, addr: c.member.addr } } : {}),
    };
    return out;
  }
  const request = redact ? redactRequest(decoded.request) : decoded.request;
  const r = request as unknown as { id?: unknown; action?: Message[] };
  out.requestId = toU64(r.id as never).toString();
  out.actions = (r.action ?? []).map((a) => {
    const s = summarizeAction(a);
    return { action: s.action, kind: s.kind, id: s.id, name: s.name, object: s.object ? messageToJson(s.object) : null };
  });
  return out;
}

export function* dumpWalJson(state: SwarmState, options: DumpOptions, faults: Fault[]): Generator<string> {
  const problems = new EntryProblems(faults);
  for (const entry of selectEntries(state, options)) {
    const decoded = state.decodeEntry(entry);
    problems.add(decoded);
    yield JSON.stringify(entryJson(decoded, options.redact ?? false)) + '\n';
  }
  problems.flush();
}
