// Geometry of the virtualized entry table: which rows are visible for a scroll position, where each row
// sits, and where to scroll to reveal one. Pure, so it is unit-tested without a browser.
//
// Browsers cap an element's height (Chromium near 33.5M px, Firefox near 17.9M px), so past
// MAX_SCROLL_PX the scrollable height is compressed and scroll positions map linearly onto the
// real content offset: 1M rows of 22 px still scroll end to end.

export const MAX_SCROLL_PX = 10_000_000;

export interface Viewport {
  rowHeight: number;
  total: number;
  /** Height of the scrolling area in px (without the header). */
  height: number;
}

export interface RowRange {
  /** First row index to render (inclusive). */
  first: number;
  /** Last row index to render (inclusive); `last < first` when there is nothing to render. */
  last: number;
}

export function contentHeight(v: Viewport): number {
  return Math.max(0, v.total) * v.rowHeight;
}

/** Height to give the scroll sizer. */
export function scrollHeight(v: Viewport): number {
  return Math.min(contentHeight(v), MAX_SCROLL_PX);
}

/** The real content offset (px from the first row) shown at the top for a scrollTop. */
export function contentOffset(v: Viewport, scrollTop: number): number {
  const real = contentHeight(v);
  const virtual = scrollHeight(v);
  const maxReal = Math.max(0, real - v.height);
  const maxVirtual = Math.max(0, virtual - v.height);
  const top = clamp(scrollTop, 0, maxVirtual);
  if (real === virtual || maxVirtual === 0) return Math.min(top, maxReal);
  return (top / maxVirtual) * maxReal;
}

/** Inverse of contentOffset. */
export function scrollTopFor(v: Viewport, offset: number): number {
  const real = contentHeight(v);
  const virtual = scrollHeight(v);
  const maxReal = Math.max(0, real - v.height);
  const maxVirtual = Math.max(0, virtual - v.height);
  const target = clamp(offset, 0, maxReal);
  if (real === virtual || maxReal === 0) return Math.min(target, maxVirtual);
  return (target / maxReal) * maxVirtual;
}

/** Rows intersecting the viewport, widened by `overscan` rows on each side. */
export function visibleRange(v: Viewport, scrollTop: number, overscan = 0): RowRange {
  if (v.total <= 0 || v.rowHeight <= 0) return { first: 0, last: -1 };
  const offset = contentOffset(v, scrollTop);
  const first = Math.floor(offset / v.rowHeight);
  const last = Math.ceil((offset + Math.max(v.height, 0)) / v.rowHeight) - 1;
  return {
    first: clamp(first - overscan, 0, v.total - 1),
    last: clamp(Math.max(last, first) + overscan, 0, v.total - 1),
  };
}

/** Top of row `index` relative to the top of the viewport, in px. */
export function rowTop(v: Viewport, scrollTop: number, index: number): number {
  return index * v.rowHeight - contentOffset(v, scrollTop);
}

/** The scrollTop that brings row `index` fully into view with the least movement. */
export function revealScrollTop(v: Viewport, scrollTop: number, index: number): number {
  const offset = contentOffset(v, scrollTop);
  const top = index * v.rowHeight;
  const bottom = top + v.rowHeight;
  if (top < offset) return scrollTopFor(v, top);
  if (bottom > offset + v.height) return scrollTopFor(v, bottom - v.height);
  return scrollTop;
}

/** Rows moved by PageUp/PageDown: one screenful less one row of context. */
export function rowsPerPage(v: Viewport): number {
  return Math.max(1, Math.floor(v.height / v.rowHeight) - 1);
}

/** Cursor position after a navigation key; `undefined` for keys that do not move it. */
export function moveCursor(v: Viewport, cursor: number, key: string): number | undefined {
  if (v.total <= 0) return undefined;
  const last = v.total - 1;
  const from = clamp(cursor, 0, last);
  switch (key) {
    case 'ArrowDown':
      return cursor < 0 ? 0 : Math.min(from + 1, last);
    case 'ArrowUp':
      return cursor < 0 ? 0 : Math.max(from - 1, 0);
    case 'PageDown':
      return Math.min(Math.max(from, 0) + rowsPerPage(v), last);
    case 'PageUp':
      return Math.max(from - rowsPerPage(v), 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
