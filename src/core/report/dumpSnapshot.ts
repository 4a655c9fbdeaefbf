// The reference's dump-snapshot text: members, removed members, then the store in text format.
import type { Message } from 'protobufjs';
import { RaftReadError } from '../errors';
import type { SnapshotFile } from '../snap/snapshotFile';
import type { SwarmState } from '../state/swarmState';
import { formatMessage } from '../text/protoText';
import { redactStoreSnapshot } from '../text/redact';
import { hexId } from './names';
import { Messages, toU64 } from '../codec';

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
  const decoded = state.decodeSnapshot(file);
  if (!decoded.ok) throw new RaftReadError(decoded.message);
  const s = decoded.snapshot as Message & SwarmSnapshotShape;
  if ((s.version ?? 0) !== 0) throw new RaftReadError(`unrecognized snapshot version ${s.version}`);
  const lines = ['Active members:'];
  for (const m of s.membership?.members ?? []) lines.push(` NodeID=${m.node_id ?? ''}, RaftID=${hexId(toU64(m.raft_id))}, Addr=${m.addr ?? ''}`);
  lines.push('', 'Removed members:');
  for (const r of s.membership?.removed ?? []) lines.push(` RaftID=${hexId(toU64(r))}`);
  lines.push('', 'Objects:');
  // The store is a non-nullable field: an absent one prints as an empty StoreSnapshot.
  const store = s.store ?? Messages.storeSnapshot.create({});
  const text = formatMessage(options.redact ? redactStoreSnapshot(store) : store);
  return lines.join('\n') + '\n' + text + '\n';
}
