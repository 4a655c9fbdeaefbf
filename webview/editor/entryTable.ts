// The virtualized entry table: a fixed-height row layer that only holds the visible rows, over a sizer
// that gives the scrollbar its length. Rows come from the RowCache; missing ones show as placeholders.
import type { EntryRow } from '../../src/shared/protocol';
import { clear, el } from '../common/dom';
import { formatBytes } from '../common/format';
import type { RowCache } from './rowCache';
import { clamp, moveCursor, revealScrollTop, rowTop, scrollHeight, visibleRange, type Viewport } from './virtualMath';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;

const COLUMNS = [
  { key: 'index', label: 'Index' },
  { key: 'term', label: 'Term' },
  { key: 'type', label: 'Type' },
  { key: 'summary', label: 'Summary' },
  { key: 'size', label: 'Size' },
  { key: 'flags', label: 'Flags' },
] as const;

export interface EntryTableEvents {
  /** The user chose a row (click, or Enter on the cursor row). */
  onSelect(row: EntryRow): void;
  /** Scroll position or cursor changed (to save in the webview state). */
  onViewChange(view: { scrollTop: number; cursor: number }): void;
}

export class EntryTable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly layer: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly status: HTMLElement;
  private readonly rendered = new Map<number, { node: HTMLElement; row?: EntryRow; state: string }>();
  private cursor = -1;
  private selectedSeq: number | undefined;
  private frame = 0;
  private pendingScrollTop: number | undefined;

  constructor(
    private readonly cache: RowCache,
    private readonly events: EntryTableEvents,
  ) {
    const header = el('div', { className: 'entry-row entry-header', attrs: { role: 'row', 'aria-rowindex': '1' } },
      COLUMNS.map((c) => el('div', { className: `cell col-${c.key}`, text: c.label, attrs: { role: 'columnheader' } })));
    this.layer = el('div', { className: 'entry-layer' });
    this.sizer = el('div', { className: 'entry-sizer', attrs: { 'aria-hidden': 'true' } });
    this.scroller = el('div', { className: 'entry-scroller', attrs: { role: 'rowgroup' } }, [this.layer, this.sizer]);
    this.status = el('div', { className: 'entry-status', attrs: { role: 'status', 'aria-live': 'polite' } });
    this.element = el('div', {
      className: 'entry-table',
      attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Raft log entries', 'aria-colcount': String(COLUMNS.length), 'aria-readonly': 'true' },
    }, [el('div', { className: 'entry-head', attrs: { role: 'rowgroup' } }, [header]), this.scroller, this.status]);

    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.layer.addEventListener('click', (e) => this.onClick(e));
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
  }

  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  get cursorPosition(): number {
    return this.cursor;
  }

  /** Restores a saved view once rows exist (before the first reply there is nothing to scroll). */
  restore(view: { scrollTop?: number; cursor?: number; selectedSeq?: number }): void {
    if (view.cursor !== undefined) this.cursor = view.cursor;
    if (view.selectedSeq !== undefined) this.selectedSeq = view.selectedSeq;
    if (view.scrollTop !== undefined) this.pendingScrollTop = view.scrollTop;
    this.schedule();
  }

  /** The data or the filter changed: drop the rendered rows and redraw from the cache. */
  invalidate(resetScroll: boolean): void {
    if (resetScroll) {
      this.scroller.scrollTop = 0;
      this.cursor = -1;
    }
    for (const { node } of this.rendered.values()) node.remove();
    this.rendered.clear();
    this.schedule();
  }

  /** Highlights `seq` and, when its position is known, moves the cursor there and scrolls to it. */
  showSelection(seq: number | undefined, position?: number): void {
    this.selectedSeq = seq;
    if (position !== undefined && position >= 0) {
      this.cursor = position;
      this.reveal(position);
      this.events.onViewChange({ scrollTop: this.scroller.scrollTop, cursor: this.cursor });
    }
    this.schedule();
  }

  focus(): void {
    this.element.focus();
  }

  /** Renders on the next animation frame; several triggers in one frame cost one render. */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Synchronous render (also used by tests). */
  render(): void {
    const total = this.cache.total ?? 0;
    const viewport = this.viewport();
    this.sizer.style.height = `${scrollHeight(viewport)}px`;
    // A saved position is applied once there are rows to scroll (an early empty reply does not count).
    if (this.pendingScrollTop !== undefined && (this.cache.total ?? 0) > 0) {
      this.scroller.scrollTop = this.pendingScrollTop;
      this.pendingScrollTop = undefined;
    }
    this.element.setAttribute('aria-rowcount', String(total + 1));
    const scrollTop = this.scroller.scrollTop;
    const range = visibleRange(viewport, scrollTop, OVERSCAN);
    // Until the first reply the row count is unknown: ask for the first page to learn it.
    if (this.cache.total === undefined) this.cache.ensureRange(0, 0);
    else this.cache.ensureRange(range.first, range.last);

    for (const [position, entry] of this.rendered) {
      if (position < range.first || position > range.last) {
        entry.node.remove();
        this.rendered.delete(position);
      }
    }
    for (let position = range.first; position <= range.last; position++) {
      const slot = this.cache.slot(position);
      let entry = this.rendered.get(position);
      if (!entry) {
        entry = { node: el('div', { className: 'entry-row', attrs: { role: 'row', id: `entry-${position}` } }), state: '' };
        this.layer.appendChild(entry.node);
        this.rendered.set(position, entry);
      }
      const row = slot.state === 'ready' ? slot.row : undefined;
      if (entry.state !== slot.state || entry.row !== row) {
        fillRow(entry.node, position, slot.state === 'failed' ? slot.message : undefined, row);
        entry.state = slot.state;
        entry.row = row;
      }
      const node = entry.node;
      node.style.transform = `translateY(${rowTop(viewport, scrollTop, position)}px)`;
      const selected = row !== undefined && row.seq === this.selectedSeq;
      node.classList.toggle('selected', selected);
      node.classList.toggle('cursor', position === this.cursor);
      node.setAttribute('aria-selected', String(selected));
    }
    if (this.cursor >= 0 && this.rendered.has(this.cursor)) this.element.setAttribute('aria-activedescendant', `entry-${this.cursor}`);
    else this.element.removeAttribute('aria-activedescendant');

    this.status.textContent = this.cache.total === undefined
      ? 'Loading entries…'
      : total === 0
        ? this.cache.filter ? 'No entry matches the filter.' : 'No entries.'
        : '';
    this.status.hidden = this.status.textContent === '';
  }

  private viewport(): Viewport {
    return { rowHeight: ROW_HEIGHT, total: this.cache.total ?? 0, height: this.scroller.clientHeight };
  }

  private reveal(position: number): void {
    const target = revealScrollTop(this.viewport(), this.scroller.scrollTop, position);
    if (target !== this.scroller.scrollTop) this.scroller.scrollTop = target;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.altKey || event.metaKey || event.ctrlKey) return;
    if (event.key === 'Enter' || event.key === ' ') {
      const slot = this.cursor >= 0 ? this.cache.slot(this.cursor) : undefined;
      if (slot?.state === 'ready') {
        this.selectedSeq = slot.row.seq;
        this.events.onSelect(slot.row);
        this.schedule();
      }
      event.preventDefault();
      return;
    }
    const next = moveCursor(this.viewport(), this.cursor, event.key);
    if (next === undefined) return;
    event.preventDefault();
    this.cursor = next;
    this.reveal(next);
    this.render();
    this.events.onViewChange({ scrollTop: this.scroller.scrollTop, cursor: this.cursor });
  }

  private onClick(event: MouseEvent): void {
    const node = (event.target as Element).closest('.entry-row');
    if (!node?.id.startsWith('entry-')) return;
    const position = Number(node.id.slice('entry-'.length));
    this.cursor = clamp(position, 0, Math.max(0, (this.cache.total ?? 1) - 1));
    const slot = this.cache.slot(position);
    if (slot.state === 'ready') {
      this.selectedSeq = slot.row.seq;
      this.events.onSelect(slot.row);
    }
    this.focus();
    this.render();
    this.events.onViewChange({ scrollTop: this.scroller.scrollTop, cursor: this.cursor });
  }

  /** Called by the owner on scroll so it can persist the position (debounced there). */
  onScroll(listener: () => void): void {
    this.scroller.addEventListener('scroll', listener, { passive: true });
  }
}

/** Writes one row's cells. Text only: summaries carry decoded object names. */
export function fillRow(node: HTMLElement, position: number, failure: string | undefined, row: EntryRow | undefined): void {
  clear(node);
  node.setAttribute('aria-rowindex', String(position + 2));
  node.classList.toggle('placeholder', !row);
  node.classList.toggle('unreadable', row !== undefined && row.status !== 'ok');
  const cell = (key: string, value: string, title?: string) =>
    el('div', { className: `cell col-${key}`, text: value, title, attrs: { role: 'gridcell' } });
  if (!row) {
    node.append(cell('index', ''), cell('term', ''), cell('type', ''),
      cell('summary', failure ? `Could not load: ${failure}` : 'Loading…'), cell('size', ''), cell('flags', ''));
    return;
  }
  const flags = el('div', { className: 'cell col-flags', attrs: { role: 'gridcell' } });
  for (const flag of rowFlags(row)) flags.appendChild(el('span', { className: `flag flag-${flag.kind}`, text: flag.label, title: flag.title }));
  node.append(
    cell('index', row.index),
    cell('term', row.term),
    cell('type', shortType(row.type), row.type),
    // An unreadable entry's summary already names its status ("locked: unlock key needed").
    cell('summary', row.summary, row.summary),
    cell('size', formatBytes(row.size), `${row.size} bytes`),
    flags,
  );
}

export function shortType(type: string): string {
  return type.startsWith('Entry') ? type.slice('Entry'.length) : type;
}

export function rowFlags(row: EntryRow): { kind: string; label: string; title: string }[] {
  const flags: { kind: string; label: string; title: string }[] = [];
  if (row.uncommitted) flags.push({ kind: 'uncommitted', label: 'uncommitted', title: 'After the commit index of the hard state' });
  if (row.overwritten) flags.push({ kind: 'overwritten', label: 'overwritten', title: 'Replaced by a later entry with the same index' });
  if (!row.crcOk) flags.push({ kind: 'crc', label: 'CRC ✗', title: 'The record failed its CRC check' });
  return flags;
}
