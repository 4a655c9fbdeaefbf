// dump-snapshot as JSON lines: a first line with the snapshot's metadata and members, then one line per
// store object ({kind, id, name, object}). uint64 values are decimal strings, bytes base64 (as dumpWalJson).
import { RaftReadError } from '../errors';
import { redactStoreSnapshot } from '../text/redact';
import type { SwarmState } from '../state/swarmState';
import { chooseSnapshot } from './dumpSnapshot';
import { messageToJson } from './dumpWalJson';
import { snapshotMembership, snapshotObjects } from '../view/snapshotObjects';

export function* dumpSnapshotJson(state: SwarmState, options: { redact?: boolean; snapshot?: string }): Generator<string> {
  const file = chooseSnapshot(state, options.snapshot);
  if (!file) throw new RaftReadError('no snapshot found');
  const decoded = state.decodeSnapshot(file);
  if (!decoded.ok) throw new RaftReadError(decoded.message);
  const snapshot = decoded.snapshot as unknown as { version?: number; store?: unknown };
  const membership = snapshotMembership(decoded.snapshot);
  yield JSON.stringify({
    snapshot: file.name,
    index: (file.snapshot?.index ?? file.nameIndex).toString(),
    term: (file.snapshot?.term ?? file.nameTerm).toString(),
    version: snapshot.version ?? 0,
    ...(decoded.keyLabel ? { dataKey: decoded.keyLabel } : {}),
    confState: (file.snapshot?.confStateNodes ?? []).map((n) => n.toString(16)),
    members: membership.members,
    removed: membership.removed,
  }) + '\n';
  const source = options.redact && snapshot.store
    ? Object.assign(Object.create(Object.getPrototypeOf(decoded.snapshot)) as object, decoded.snapshot, { store: redactStoreSnapshot(snapshot.store as never) })
    : decoded.snapshot;
  for (const o of snapshotObjects(source as never)) {
    yield JSON.stringify({ kind: o.kind, id: o.id, name: o.name, object: messageToJson(o.object) }) + '\n';
  }
}
