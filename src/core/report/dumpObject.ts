// The reference's dump-object: replay the snapshot and the WAL through the store rules, select objects
// of one type (all, --id, --name, or --id plus --name) and print each in text format followed by a
// blank line. Adds `volume` (newer engines), --at (state as of an index) and --snapshot.
import type { Message } from 'protobufjs';
import { RaftReadError } from '../errors';
import { OBJECT_KINDS, type ObjectKind } from '../model/objects';
import type { MemoryStore } from '../store/memoryStore';
import { replayStore } from '../store/replay';
import type { SwarmState } from '../state/swarmState';
import { formatMessage } from '../text/protoText';

/** The types dump-object accepts: the reference's nine, plus volume. */
export const DUMP_OBJECT_TYPES: readonly ObjectKind[] = OBJECT_KINDS;

export interface ObjectSelection {
  type: string;
  id?: string;
  name?: string;
}

export interface DumpObjectOptions extends ObjectSelection {
  /** State as of this raft index instead of the end of the log. */
  at?: bigint;
  /** Start from this snapshot file (name or path); false = from no snapshot. */
  snapshot?: string | false;
}

export function isObjectType(type: string): type is ObjectKind {
  return (DUMP_OBJECT_TYPES as readonly string[]).includes(type);
}

/**
 * The reference's selection: the object with --id first (when there is one), then the --name matches
 * (so an object matching both prints twice, as in the reference); everything when neither is given.
 */
export function selectObjects(store: MemoryStore, selection: ObjectSelection): Message[] {
  const { type, id, name } = selection;
  if (!isObjectType(type)) throw new RaftReadError(`unrecognized object type ${type}`);
  const objects: Message[] = [];
  if (id) {
    const object = store.get(type, id);
    if (object) objects.push(object);
  }
  if (name) objects.push(...store.findByName(type, name));
  else if (!id) objects.push(...store.list(type));
  if (objects.length === 0) throw new RaftReadError('no matching objects found');
  return objects;
}

/** dump-object's output; throws RaftReadError with the reference's message where it fails. */
export function dumpObjectText(state: SwarmState, options: DumpObjectOptions): string {
  // As in the reference, replay problems are reported before an unknown type is.
  const store = replayStore(state, { at: options.at, snapshot: options.snapshot });
  return selectObjects(store, options).map((o) => formatMessage(o) + '\n').join('');
}
