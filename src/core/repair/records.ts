// The few record payloads a repair reads itself: hard states and snapshot marks (entries go through
// readEntryHeader). Undefined when the bytes do not decode.
import { Messages, toU64 } from '../codec';
import type { HardStateFields } from '../writer/rawEncode';

export function decodeHardStateRecord(data: Uint8Array): HardStateFields | undefined {
  try {
    const h = Messages.raftHardState.decode(data) as unknown as { term?: never; vote?: never; commit?: never };
    return { term: toU64(h.term), vote: toU64(h.vote), commit: toU64(h.commit) };
  } catch {
    return undefined;
  }
}

export function decodeSnapshotMark(data: Uint8Array): { index: bigint; term: bigint } | undefined {
  try {
    const s = Messages.walSnapshot.decode(data) as unknown as { index?: never; term?: never };
    return { index: toU64(s.index), term: toU64(s.term) };
  } catch {
    return undefined;
  }
}
