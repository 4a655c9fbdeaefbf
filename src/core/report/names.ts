// Enum names as the reference prints them (Go's generated String() methods).

const ENTRY_TYPES = ['EntryNormal', 'EntryConfChange'];
const CONF_CHANGE_TYPES = ['ConfChangeAddNode', 'ConfChangeRemoveNode', 'ConfChangeUpdateNode', 'ConfChangeAddLearnerNode'];

export function entryTypeName(type: number): string {
  return ENTRY_TYPES[type] ?? String(type);
}

export function confChangeTypeName(type: number): string {
  return CONF_CHANGE_TYPES[type] ?? String(type);
}

/** Go's %x of a uint64. */
export function hexId(n: bigint): string {
  return n.toString(16);
}
