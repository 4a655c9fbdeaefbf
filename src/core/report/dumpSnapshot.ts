// The reference's dump-snapshot text: members, removed members, then the store in text format.
import type { Message } from 'protobufjs';
import { RaftReadError } from '../errors';
import type { SnapshotFile } from '../snap/snapshotFile';
import type { SwarmState } from '../state/swarmState';
import { formatMessage } from '../text/protoText';
import { redactStoreSnapshot, wireStoreRedaction } from '../text/redact';
import { TextSink } from '../text/textSink';
import { splitField, WireTextError, writeWireText } from '../text/wireText';
import { hexId } from './names';
import { Messages, toU64 } from '../codec';

/** docker.swarmkit.v1.Snapshot's store field. */
const STORE_FIELD = 3;

interface SwarmSnapshotShape {
  version?: number;
  membership?: { members?: { raft_id?: never; node_id?: string; addr?: string }[]; removed?: never[] };
  store?: Message;
}

/** The snapshot to use: the named one, or the newest valid one (as the reference). */
export function chooseSnapshot(state: SwarmState, name?: string): SnapshotFile | undefined {
  if (!name) return state.newestSnapshot;
  const file = state.snapshotFiles.find((s) => s.name === name || s.path === name);
  if (!file) throw new RaftReadError(`no snapshot file named ${name} in ${state.layout.snapDir}`);
  return file;
}

export function dumpSnapshotText(state: SwarmState, options: { redact?: boolean; snapshot?: string }): string {
  const file = chooseSnapshot(state, options.snapshot);
  if (!file) throw new RaftReadError('no snapshot found');
  return wireSnapshotText(state, file, options.redact ?? false) ?? objectSnapshotText(state, file, options.redact ?? false);
}

/**
 * The store printed from its bytes (src/core/text/wireText.ts; several times faster than decoding 5,000
 * objects and printing them), the rest decoded. Undefined whenever the object way must decide (it then
 * reports what is wrong): the store not there exactly once, a version other than 0, bytes the wire
 * printer declines. test/unit/text.wire.test.ts holds the two ways to the same text.
 */
export function wireSnapshotText(state: SwarmState, file: SnapshotFile, redact: boolean): string | undefined {
  const opened = state.unsealSnapshot(file);
  if (!opened.ok) return undefined;
  const parts = splitField(opened.plain, STORE_FIELD);
  if (!parts) return undefined;
  let rest: SwarmSnapshotShape;
  try {
    rest = Messages.swarmSnapshot.decode(parts.rest) as Message & SwarmSnapshotShape;
  } catch {
    return undefined;
  }
  if ((rest.version ?? 0) !== 0) return undefined;
  const out = new TextSink(4 * parts.value.length + 4096);
  out.write(headerText(rest));
  try {
    writeWireText(out, parts.value, Messages.storeSnapshot, redact ? wireStoreRedaction : undefined);
  } catch (e) {
    if (e instanceof WireTextError) return undefined;
    throw e;
  }
  out.byte(0x0a);
  return out.toString();
}

/** dump-snapshot's text from the decoded snapshot (the way every snapshot could always be printed). */
export function objectSnapshotText(state: SwarmState, file: SnapshotFile, redact: boolean): string {
  const decoded = state.decodeSnapshot(file);
  if (!decoded.ok) throw new RaftReadError(decoded.message);
  const s = decoded.snapshot as Message & SwarmSnapshotShape;
  if ((s.version ?? 0) !== 0) throw new RaftReadError(`unrecognized snapshot version ${s.version}`);
  // The store is a non-nullable field: an absent one prints as an empty StoreSnapshot.
  const store = s.store ?? Messages.storeSnapshot.create({});
  const text = formatMessage(redact ? redactStoreSnapshot(store) : store);
  return headerText(s) + text + '\n';
}

/** Members, removed members and the line before the store. */
function headerText(s: SwarmSnapshotShape): string {
  const lines = ['Active members:'];
  for (const m of s.membership?.members ?? []) lines.push(` NodeID=${m.node_id ?? ''}, RaftID=${hexId(toU64(m.raft_id))}, Addr=${m.addr ?? ''}`);
  lines.push('', 'Removed members:');
  for (const r of s.membership?.removed ?? []) lines.push(` RaftID=${hexId(toU64(r))}`);
  lines.push('', 'Objects:');
  return lines.join('\n') + '\n';
}
