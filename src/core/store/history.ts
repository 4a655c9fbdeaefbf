// An object's history: every store action in the WAL that created, updated or removed it, in log
// order. Read from the effective log, entries covered by a snapshot included (the reference never
// looks at those); entries that cannot be read are reported, not fatal.
import type { Message } from 'protobufjs';
import { ACTION_NAMES, type ActionName, type ObjectKind } from '../model/objects';
import type { SwarmState } from '../state/swarmState';
import { EntryType } from '../wal/segment';
import type { WalEntry } from '../wal/walLog';
import { idOf } from './objectKeys';
import type { ReplayFault } from './replay';
import { actionTarget } from './rules';

export interface StoreActionRecord {
  entry: WalEntry;
  /** Position of the action in its entry (one entry may change several objects). */
  actionIndex: number;
  action: ActionName;
  kind: ObjectKind;
  id: string;
  /** The object as the action carries it (for a REMOVE: the object removed). */
  object: Message;
}

export interface HistoryOptions {
  /** Only this kind (ids are unique across kinds in practice, but nothing enforces it). */
  kind?: ObjectKind;
  /** Receives the entries that could not be decrypted or decoded. */
  faults?: ReplayFault[];
  /** Entries to scan; defaults to the whole effective log. */
  entries?: readonly WalEntry[];
}

/** Every store action of the log, entry by entry, in order. */
export function* storeActions(state: SwarmState, options: Omit<HistoryOptions, 'kind'> = {}): Generator<StoreActionRecord> {
  for (const entry of options.entries ?? state.wal.effective) {
    if (entry.type !== EntryType.Normal) continue;
    const decoded = state.decodeEntry(entry);
    if (!decoded.ok || decoded.kind !== 'normal') {
      const message = decoded.ok ? 'not a normal entry' : decoded.message;
      options.faults?.push({ index: entry.index, entry, message: `entry ${entry.index}: ${message}` });
      continue;
    }
    const actions = ((decoded.request as unknown as { action?: Message[] }).action ?? []) as Message[];
    for (let i = 0; i < actions.length; i++) {
      const kind = actionTarget(actions[i]);
      if (!kind) continue;
      const object = (actions[i] as unknown as Record<string, Message>)[kind];
      const number = (actions[i] as unknown as { action?: number }).action ?? 0;
      yield { entry, actionIndex: i, action: ACTION_NAMES[number] ?? 'UNKNOWN', kind, id: idOf(object), object };
    }
  }
}

/** Every action that touched the object with this id, oldest first. */
export function objectHistory(state: SwarmState, id: string, options: HistoryOptions = {}): StoreActionRecord[] {
  const out: StoreActionRecord[] = [];
  for (const record of storeActions(state, options)) {
    if (record.id === id && (!options.kind || record.kind === options.kind)) out.push(record);
  }
  return out;
}
