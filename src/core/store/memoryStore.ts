// An in-memory copy of SwarmKit's MemoryStore: one table per object kind with the indexes the
// reference's behaviour depends on (id, name, a resource's kind), go-memdb's insert/delete semantics,
// and transactions that roll back as a whole (ApplyStoreActions applies one raft entry atomically).
// The generic operations here have no per-kind rules; rules.ts adds those, as the store's
// Create*/Update*/Delete* functions do.
import type { Message } from 'protobufjs';
import { OBJECT_KINDS, type ObjectKind } from '../model/objects';
import { STORE_OBJECT_TYPES } from '../proto/schema';
import { idKey, idOf, indexedName, nameKey, resourceKind, sharedKey, terminated, UNIQUE_NAME_KINDS } from './objectKeys';
import { OrderedIndex } from './orderedIndex';
import { StoreError } from './storeErrors';

/**
 * One object of a table: its wire bytes, decoded when first read (see objectBytes.ts), or the
 * decoded message; and the keys it was indexed under, so that replacing or removing it needs no decode.
 */
interface StoredObject {
  bytes?: Uint8Array;
  object?: Message;
  /** Its keys in each index of INDEXES, in that order. */
  keys: string[][];
}

interface Table {
  objects: Map<string, StoredObject>;
  byId: OrderedIndex;
  byName: OrderedIndex;
  /** Resources only: the kind index (non-unique, not lower-cased). */
  byKind?: OrderedIndex;
}

type IndexName = 'byId' | 'byName' | 'byKind';
const INDEXES: readonly IndexName[] = ['byId', 'byName', 'byKind'];

const OBJECT_TYPES = new Map(STORE_OBJECT_TYPES.map((t) => [t.kind as ObjectKind, t.type]));

export class MemoryStore {
  private readonly tables = new Map<ObjectKind, Table>();
  /** Undo steps of the open transaction, newest last; undefined outside a transaction. */
  private journal: (() => void)[] | undefined;

  constructor() {
    for (const kind of OBJECT_KINDS) {
      this.tables.set(kind, { objects: new Map(), byId: new OrderedIndex(), byName: new OrderedIndex(), byKind: kind === 'resource' ? new OrderedIndex() : undefined });
    }
  }

  // ---- reads ----

  /** The object with exactly this id (GetNode, GetService, ...). */
  get(kind: ObjectKind, id: string): Message | undefined {
    const stored = this.table(kind).objects.get(id);
    return stored && messageOf(kind, stored);
  }

  /** Whether an object has this id (nothing decoded). */
  has(kind: ObjectKind, id: string): boolean {
    return this.table(kind).objects.has(id);
  }

  /** Every object of a kind in the reference's order: the id index, bytewise. */
  list(kind: ObjectKind): Message[] {
    return this.resolve(kind, this.ids(kind));
  }

  /** The ids of a kind in list() order, nothing decoded (to list thousands of objects a few at a time). */
  ids(kind: ObjectKind): string[] {
    return [...this.table(kind).byId.scan()];
  }

  count(kind: ObjectKind): number {
    return this.table(kind).objects.size;
  }

  /**
   * Find(ByName(name)): case-insensitive (Go's lower-casing), over the name index, in index order.
   * Nodes match on hostname, tasks on their derived name (see objectKeys.ts).
   */
  findByName(kind: ObjectKind, name: string): Message[] {
    return this.resolve(kind, this.table(kind).byName.scan(nameKey(name)));
  }

  /** Resources of an extension kind: an exact match (the kind index is not lower-cased). */
  findResourcesByKind(kind: string): Message[] {
    return this.resolve('resource', this.table('resource').byKind!.scan(terminated(kind)));
  }

  /**
   * The id the unique name index points at for `name` (an exact lookup, as the name checks do), when
   * that object exists; nothing is decoded.
   */
  lookupNameId(kind: ObjectKind, name: string): string | undefined {
    const id = this.table(kind).byName.get(nameKey(name));
    return id !== undefined && this.has(kind, id) ? id : undefined;
  }

  // ---- transactions ----

  /** Runs `change` atomically: if it throws, every write it made is undone and the error rethrown. */
  transaction<T>(change: () => T): T {
    if (this.journal) return change(); // nested: part of the outer transaction
    const undo: (() => void)[] = [];
    this.journal = undo;
    try {
      const result = change();
      this.journal = undefined;
      return result;
    } catch (e) {
      this.journal = undefined;
      for (let i = undo.length - 1; i >= 0; i--) undo[i]();
      throw e;
    }
  }

  // ---- generic writes (tx.create / tx.update / tx.delete) ----

  /**
   * Adds an object; ErrExist when the id is taken. With `bytes` (the object's wire bytes, owned by the
   * store from now on), the store keeps those and decodes them when the object is read.
   */
  create(kind: ObjectKind, object: Message, bytes?: Uint8Array): void {
    if (this.has(kind, idOf(object))) throw StoreError.of('exist');
    this.insert(kind, object, bytes);
  }

  /** Replaces an object; ErrNotExist when there is none with its id. `bytes` as for create. */
  update(kind: ObjectKind, object: Message, bytes?: Uint8Array): void {
    if (!this.has(kind, idOf(object))) throw StoreError.of('not-exist');
    this.insert(kind, object, bytes);
  }

  /** Removes an object; ErrNotExist when there is none with this id. */
  delete(kind: ObjectKind, id: string): void {
    const table = this.table(kind);
    const existing = table.objects.get(id);
    if (!existing) throw StoreError.of('not-exist');
    INDEXES.forEach((index, i) => {
      const tree = table[index];
      if (tree) for (const key of existing.keys[i]) this.indexDelete(tree, key);
    });
    this.objectsWrite(table, id, undefined);
  }

  /**
   * go-memdb's Insert: for an update, drop the old object's index keys that change, then point every
   * new key at the object, repointing keys another object held (names in a unique index).
   */
  private insert(kind: ObjectKind, object: Message, bytes: Uint8Array | undefined): void {
    const table = this.table(kind);
    const id = idOf(object);
    const existing = table.objects.get(id);
    const keys = INDEXES.map((index, i) => {
      const tree = table[index];
      if (!tree) return [];
      const now = indexKeys(kind, index, object);
      existing?.keys[i].forEach((old, k) => {
        if (old !== now[k]) this.indexDelete(tree, old);
      });
      for (const key of now) this.indexSet(tree, key, id);
      return now;
    });
    this.objectsWrite(table, id, bytes ? { bytes, keys } : { object, keys });
  }

  // ---- journaled primitives ----

  private indexSet(tree: OrderedIndex, key: string, id: string): void {
    const previous = tree.set(key, id);
    this.journal?.push(() => (previous === undefined ? tree.delete(key) : tree.set(key, previous)));
  }

  private indexDelete(tree: OrderedIndex, key: string): void {
    const previous = tree.delete(key);
    if (previous !== undefined) this.journal?.push(() => tree.set(key, previous));
  }

  private objectsWrite(table: Table, id: string, object: StoredObject | undefined): void {
    const previous = table.objects.get(id);
    if (object) table.objects.set(id, object);
    else table.objects.delete(id);
    this.journal?.push(() => (previous ? table.objects.set(id, previous) : table.objects.delete(id)));
  }

  private table(kind: ObjectKind): Table {
    const table = this.tables.get(kind);
    if (!table) throw new TypeError(`not a store object kind: ${kind}`);
    return table;
  }

  /** Ids from an index scan to objects, each once (memdb's find de-duplicates by id). */
  private resolve(kind: ObjectKind, ids: Iterable<string>): Message[] {
    const objects = this.table(kind).objects;
    const seen = new Set<string>();
    const out: Message[] = [];
    for (const id of [...ids]) {
      if (seen.has(id)) continue;
      seen.add(id);
      const stored = objects.get(id);
      if (stored) out.push(messageOf(kind, stored));
    }
    return out;
  }
}

/** The decoded object; decoded from its bytes at the first read and kept (reads return the same object). */
function messageOf(kind: ObjectKind, stored: StoredObject): Message {
  stored.object ??= OBJECT_TYPES.get(kind)!.decode(stored.bytes!);
  return stored.object;
}

/** The keys an object has in one index (none when the index does not cover it). */
function indexKeys(kind: ObjectKind, index: IndexName, object: Message): string[] {
  const id = idOf(object);
  switch (index) {
    case 'byId':
      return [idKey(id)];
    case 'byName': {
      const name = indexedName(kind, object);
      if (name === undefined) return [];
      return [UNIQUE_NAME_KINDS.has(kind) ? nameKey(name) : sharedKey(nameKey(name), id)];
    }
    case 'byKind':
      return [sharedKey(terminated(resourceKind(object)), id)];
  }
}
