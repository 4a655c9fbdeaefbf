// Pages of entry rows fetched from the host with `getRows`, cached per filter. Rows are addressed by
// position in the (filtered) list; replies to requests made under an older filter are dropped.
import type { EntryRow } from '../../src/shared/protocol';

export type RowSlot = { state: 'ready'; row: EntryRow } | { state: 'loading' } | { state: 'failed'; message: string };

type Page =
  | { state: 'loading'; requestId: number }
  | { state: 'ready'; rows: EntryRow[] }
  | { state: 'failed'; message: string };

export type SendGetRows = (requestId: number, start: number, count: number, filter: string | undefined) => void;

interface Waiter {
  resolve: (rows: EntryRow[]) => void;
  reject: (error: Error) => void;
}

export class RowCache {
  private pages = new Map<number, Page>();
  /** Rows from before a refresh: still shown until their page is fetched again, so nothing flickers. */
  private stale = new Map<number, EntryRow[]>();
  private byRequest = new Map<number, number>();
  private waiters = new Map<number, Waiter[]>();
  private nextRequestId = 1;
  private currentFilter = '';
  /** Row count under the current filter; undefined until the first reply. */
  total: number | undefined;

  constructor(
    private readonly send: SendGetRows,
    readonly pageSize = 200,
    private readonly maxPages = 100,
  ) {}

  get filter(): string {
    return this.currentFilter;
  }

  /** Forget every page (new filter, or the host's data changed after an unlock). */
  reset(filter = this.currentFilter): void {
    this.currentFilter = filter;
    this.stale.clear();
    this.pages.clear();
    this.byRequest.clear();
    this.total = undefined;
    const stale = [...this.waiters.values()].flat();
    this.waiters.clear();
    for (const waiter of stale) waiter.reject(new Error('stale'));
  }

  /**
   * The host's data may have changed (a new overview): every page is fetched again, but the rows and
   * total known so far stay visible meanwhile.
   */
  refresh(): void {
    for (const [index, page] of this.pages) if (page.state === 'ready') this.stale.set(index, page.rows);
    this.pages.clear();
    // With no rows there is no visible page to re-fetch: forget the count so the first page is asked.
    if (this.total === 0) this.total = undefined;
    this.byRequest.clear();
    const pending = [...this.waiters.values()].flat();
    this.waiters.clear();
    for (const waiter of pending) waiter.reject(new Error('stale'));
  }

  slot(position: number): RowSlot {
    const pageIndex = Math.floor(position / this.pageSize);
    const page = this.pages.get(pageIndex);
    if (!page || page.state === 'loading') {
      const row = this.stale.get(pageIndex)?.[position - pageIndex * this.pageSize];
      return row ? { state: 'ready', row } : { state: 'loading' };
    }
    if (page.state === 'failed') return page;
    this.touch(pageIndex, page);
    const row = page.rows[position - pageIndex * this.pageSize];
    return row ? { state: 'ready', row } : { state: 'loading' };
  }

  /** Requests every page of [first, last] that is neither cached nor in flight. */
  ensureRange(first: number, last: number): void {
    if (last < first) return;
    for (let p = Math.floor(first / this.pageSize); p <= Math.floor(last / this.pageSize); p++) {
      if (!this.pages.has(p)) this.request(p);
    }
  }

  /** Resolves with page `pageIndex`, fetching it if needed. */
  loadPage(pageIndex: number): Promise<EntryRow[]> {
    const page = this.pages.get(pageIndex);
    if (page?.state === 'ready') return Promise.resolve(page.rows);
    if (!page || page.state === 'failed') this.request(pageIndex);
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(pageIndex) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(pageIndex, list);
    });
  }

  /** Takes a `rows` reply; false when it answers no request of the current filter. */
  accept(requestId: number, total: number, rows: EntryRow[]): boolean {
    const pageIndex = this.byRequest.get(requestId);
    if (pageIndex === undefined) return false;
    this.byRequest.delete(requestId);
    this.total = total;
    const page: Page = { state: 'ready', rows };
    this.pages.set(pageIndex, page);
    this.stale.delete(pageIndex);
    // A new total can make old rows past the end meaningless.
    if (this.stale.size > 0) for (const index of this.stale.keys()) if (index * this.pageSize >= total) this.stale.delete(index);
    this.evict();
    for (const waiter of this.takeWaiters(pageIndex)) waiter.resolve(rows);
    return true;
  }

  /** Takes an `error` reply; false when it answers no request of ours. */
  fail(requestId: number, message: string): boolean {
    const pageIndex = this.byRequest.get(requestId);
    if (pageIndex === undefined) return false;
    this.byRequest.delete(requestId);
    this.pages.set(pageIndex, { state: 'failed', message });
    for (const waiter of this.takeWaiters(pageIndex)) waiter.reject(new Error(message));
    return true;
  }

  /** Drops failed pages so the next render asks for them again. */
  retryFailed(): void {
    for (const [index, page] of this.pages) if (page.state === 'failed') this.pages.delete(index);
  }

  get cachedPageCount(): number {
    return this.pages.size;
  }

  private request(pageIndex: number): void {
    const requestId = this.nextRequestId++;
    this.pages.set(pageIndex, { state: 'loading', requestId });
    this.byRequest.set(requestId, pageIndex);
    const filter = this.currentFilter === '' ? undefined : this.currentFilter;
    this.send(requestId, pageIndex * this.pageSize, this.pageSize, filter);
  }

  private takeWaiters(pageIndex: number): Waiter[] {
    const list = this.waiters.get(pageIndex) ?? [];
    this.waiters.delete(pageIndex);
    return list;
  }

  /** Map insertion order doubles as recency: re-inserting on use keeps the least recent first. */
  private touch(pageIndex: number, page: Page): void {
    this.pages.delete(pageIndex);
    this.pages.set(pageIndex, page);
  }

  private evict(): void {
    for (const [index, page] of this.pages) {
      if (this.pages.size <= this.maxPages) return;
      if (page.state !== 'loading') this.pages.delete(index);
    }
  }
}

/**
 * Position of the row whose seq is `seq`, or -1. Rows are in seq order whatever the filter (seq is the
 * position in the raw record stream), so a binary search over pages finds it in O(log pages) requests.
 */
export async function findPosition(cache: RowCache, seq: number): Promise<number> {
  const total = cache.total ?? (await cache.loadPage(0), cache.total ?? 0);
  if (total <= 0) return -1;
  const size = cache.pageSize;
  // Unfiltered, the row at position `seq` is usually the one: try it first.
  if (seq >= 0 && seq < total) {
    const guess = Math.floor(seq / size);
    const rows = await cache.loadPage(guess);
    const hit = rows.findIndex((r) => r.seq === seq);
    if (hit >= 0) return guess * size + hit;
  }
  let lo = 0;
  let hi = Math.ceil(total / size) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const rows = await cache.loadPage(mid);
    if (rows.length === 0) {
      hi = mid - 1;
      continue;
    }
    if (seq < rows[0].seq) hi = mid - 1;
    else if (seq > rows[rows.length - 1].seq) lo = mid + 1;
    else {
      const hit = rows.findIndex((r) => r.seq === seq);
      return hit >= 0 ? mid * size + hit : -1;
    }
  }
  return -1;
}
