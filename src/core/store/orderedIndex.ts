// One go-memdb index as SwarmKit uses it: a radix tree of byte keys (binary strings here) pointing at
// object ids. Its quirks are part of the reference's behaviour and kept on purpose:
// - inserting a key that exists repoints it (a second object with the same unique name takes the
//   name over), and deleting a key removes it whoever it points at;
// - exact lookups (`get`) versus prefix scans (`scan`, what Find uses), both in byte order.

export class OrderedIndex {
  private readonly entries = new Map<string, string>();
  private sorted: string[] | undefined;

  get size(): number {
    return this.entries.size;
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** Sets `key` to `id`; returns the previous id (for undo). */
  set(key: string, id: string): string | undefined {
    const previous = this.entries.get(key);
    if (previous === undefined) this.sorted = undefined;
    this.entries.set(key, id);
    return previous;
  }

  /** Removes `key`; returns the id it pointed at (for undo). */
  delete(key: string): string | undefined {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.sorted = undefined;
    }
    return previous;
  }

  /** Ids of every key starting with `prefix`, in key (byte) order; "" scans the whole index. */
  *scan(prefix = ''): Generator<string> {
    const keys = this.keys();
    for (let i = lowerBound(keys, prefix); i < keys.length && keys[i].startsWith(prefix); i++) {
      yield this.entries.get(keys[i])!;
    }
  }

  private keys(): string[] {
    // Binary strings hold one byte per UTF-16 unit, so the default sort is Go's bytewise order.
    this.sorted ??= [...this.entries.keys()].sort();
    return this.sorted;
  }
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
