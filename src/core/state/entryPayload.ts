// Opening and decoding an entry's data, given only plain values (keys, layout, snapshot indexes): the
// same code runs in SwarmState and in the worker threads of a parallel export, which receive a
// PayloadContext instead of the whole state.
import { Messages, toU64 } from '../codec';
import { openRecord } from '../crypto/maybeEncrypted';
import type { PlainScratch } from '../crypto/secretbox';
import type { DataKey } from '../keys/nodeKey';
import type { KeyStatus } from '../keys/keyRing';
import { EntryType } from '../wal/segment';
import type { WalEntry } from '../wal/walLog';
import type { ConfChangeInfo, DecodedEntry, PayloadProblem, RaftMemberInfo } from './swarmState';

export interface PayloadContext {
  encrypted: boolean;
  keys: DataKey[];
  keyState: KeyStatus['state'];
  /** Set when the keys open none of the newest records (another manager's node key). */
  foreignKeys: boolean;
  /** Indexes of the readable snapshots: a record no key opens at or below one was sealed with a retired key. */
  snapshotIndexes: bigint[];
}

export type Unsealed = { ok: true; plain: Uint8Array; keyLabel?: string } | { ok: false; problem: PayloadProblem; message: string };

const NO_KEYS: Partial<Record<KeyStatus['state'], string>> = {
  locked: 'the swarm is autolocked and no unlock key was given',
  'wrong-key': 'the unlock key given does not open the node key',
  'invalid-key': 'the unlock key given is not a valid unlock key',
  'no-key-file': 'no readable node key (certificates/swarm-node.key) to take the data keys from',
};

/** Decrypts a MaybeEncryptedRecord (or passes plaintext through for unencrypted layouts). */
export function unsealPayload(ctx: PayloadContext, data: Uint8Array, index: bigint | undefined, scratch?: PlainScratch): Unsealed {
  if (!ctx.encrypted) return { ok: true, plain: data };
  if (ctx.keys.length === 0) return { ok: false, problem: 'locked', message: `encrypted; ${NO_KEYS[ctx.keyState] ?? NO_KEYS.locked}` };
  const result = openRecord(data, ctx.keys.map((k) => k.key), scratch);
  if (result.ok) return { ok: true, plain: result.plain, keyLabel: result.keyIndex >= 0 ? ctx.keys[result.keyIndex].label : undefined };
  if (result.reason !== 'no-key') return { ok: false, problem: 'corrupt', message: result.message };
  // With keys that open nothing recent, "an earlier data key" would be a wrong guess.
  if (ctx.foreignKeys) return { ok: false, problem: 'undecryptable', message: `${result.message}: the node key is probably another manager's` };
  const covered = index !== undefined && ctx.snapshotIndexes.some((s) => index <= s);
  return covered
    ? { ok: false, problem: 'earlier-key', message: 'encrypted with an earlier data key (covered by a snapshot; add an older copy of swarm-node.key to read it)' }
    : { ok: false, problem: 'undecryptable', message: result.message };
}

/** An entry whose record, read again for its data, no longer decodes (e.g. a file changed on disk). */
export function unreadableRecord(entry: WalEntry, error: unknown): DecodedEntry {
  return { entry, ok: false, problem: 'corrupt', message: `${entry.file}:${entry.offset}: entry record does not decode (${(error as Error).message})` };
}

/** Opens and decodes an entry's (still sealed) data read from its record. */
export function decodeEntryPayload(ctx: PayloadContext, entry: WalEntry, data: Uint8Array): DecodedEntry {
  const opened = unsealPayload(ctx, data, entry.index);
  if (!opened.ok) return { entry, ...opened, message: `${entry.file}:${entry.offset}: ${opened.message}` };
  try {
    if (entry.type === EntryType.ConfChange) {
      return { entry, ok: true, keyLabel: opened.keyLabel, kind: 'confChange', confChange: decodeConfChange(opened.plain), plain: opened.plain };
    }
    const request = Messages.internalRaftRequest.decode(opened.plain);
    return { entry, ok: true, keyLabel: opened.keyLabel, kind: 'normal', request, plain: opened.plain };
  } catch (e) {
    return { entry, ok: false, problem: 'corrupt', message: `${entry.file}:${entry.offset}: decrypted entry ${entry.index} does not decode (${(e as Error).message})` };
  }
}

export function decodeRaftMember(bytes: Uint8Array): RaftMemberInfo {
  const m = Messages.raftMember.decode(bytes) as never as { raft_id?: never; node_id?: string; addr?: string };
  return { raftId: toU64(m.raft_id), nodeId: m.node_id ?? '', addr: m.addr ?? '' };
}

export function decodeConfChange(bytes: Uint8Array): ConfChangeInfo {
  const c = Messages.raftConfChange.decode(bytes) as never as { ID?: never; Type?: number; NodeID?: never; Context?: Uint8Array };
  const info: ConfChangeInfo = { id: toU64(c.ID), type: c.Type ?? 0, nodeId: toU64(c.NodeID) };
  if (c.Context && c.Context.length) {
    try {
      info.member = decodeRaftMember(c.Context);
    } catch {
      // Context is optional and not always a RaftMember; the change itself is still shown.
    }
  }
  return info;
}
