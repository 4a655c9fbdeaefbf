// EDITOR view: the overview of a .wal/.snap and its virtualized entry table.
import type { HostToWebview, OverviewModel } from '../../src/shared/protocol';
import type { HostChannel } from '../common/vscodeApi';
import { button, clear, el } from '../common/dom';
import { formatCount } from '../common/format';
import { pageTiming } from '../common/pageTiming';
import { EntryTable } from './entryTable';
import { keyNotice, renderOverview } from './overview';
import { findPosition, RowCache } from './rowCache';

export interface EditorState {
  scrollTop: number;
  cursor: number;
  selectedSeq: number;
  filter: string;
  overviewCollapsed: boolean;
}

const FILTER_DELAY_MS = 250;
const SAVE_DELAY_MS = 200;

export function startEditor(root: HTMLElement, host: HostChannel<EditorState>): void {
  const saved = host.readState();
  const cache = new RowCache((requestId, start, count, filter) => host.post({ type: 'getRows', requestId, start, count, filter }));
  cache.reset(saved.filter ?? '');

  const table = new EntryTable(cache, {
    onSelect: (row) => {
      host.post({ type: 'select', seq: row.seq });
      host.saveState({ selectedSeq: row.seq });
    },
    onViewChange: (view) => host.saveState(view),
  });
  // Throttled, not debounced: a webview hidden mid-scroll is destroyed and must have saved already.
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  table.onScroll(() => {
    if (saveTimer) return;
    host.saveState({ scrollTop: table.scrollTop });
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      host.saveState({ scrollTop: table.scrollTop });
    }, SAVE_DELAY_MS);
  });

  const title = el('h2', { className: 'file-title', text: 'Raft log' });
  const count = el('span', { className: 'muted entry-count', attrs: { 'aria-live': 'polite' } });
  const filterField = el('vscode-text-field', {
    className: 'filter-field',
    attrs: { placeholder: 'Filter entries (substring)', 'aria-label': 'Filter entries', value: saved.filter ?? '' },
  });
  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  filterField.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => applyFilter(fieldValue(filterField)), FILTER_DELAY_MS);
  });
  filterField.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Enter') {
      clearTimeout(filterTimer);
      applyFilter(fieldValue(filterField));
    } else if ((event as KeyboardEvent).key === 'ArrowDown') {
      table.focus();
    } else if ((event as KeyboardEvent).key === 'Escape' && fieldValue(filterField) !== '') {
      (filterField as HTMLElement & { value: string }).value = '';
      clearTimeout(filterTimer);
      applyFilter('');
    }
  });

  const toolbar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Entries' } }, [
    filterField,
    count,
    el('span', { className: 'spacer' }),
    button('Export text', () => host.post({ type: 'command', command: 'exportText' }), { title: 'Export every entry in the reference text format' }),
    button('Export JSON', () => host.post({ type: 'command', command: 'exportJson' }), { title: 'Export every entry as JSON' }),
    button('Open as text', () => host.post({ type: 'command', command: 'openAsText' }), { title: 'Open the text dump in an editor' }),
  ]);

  const keySlot = el('div', { className: 'key-slot' });
  const banner = el('div', { className: 'banner', attrs: { role: 'alert' } });
  banner.hidden = true;
  const overviewBody = el('div', { className: 'overview-body', attrs: { id: 'overview-body' } }, [
    el('p', { className: 'muted', text: 'Reading the file…' }),
  ]);
  const disclosure = el('button', {
    className: 'disclosure',
    text: 'Overview',
    attrs: { 'aria-controls': 'overview-body', 'aria-expanded': 'true', type: 'button' },
  });
  const setCollapsed = (collapsed: boolean) => {
    disclosure.setAttribute('aria-expanded', String(!collapsed));
    overviewBody.hidden = collapsed;
    host.saveState({ overviewCollapsed: collapsed });
  };
  disclosure.addEventListener('click', () => setCollapsed(!overviewBody.hidden));

  // The overview scrolls in a bounded area above the table: when cards are below its fold, say so.
  const more = el('div', { className: 'overview-more', text: '▾ More of the overview below: scroll it', attrs: { 'aria-hidden': 'true' } });
  const overview = el('section', { className: 'overview', attrs: { 'aria-label': 'Overview' } }, [overviewBody, more]);
  const updateMore = () => {
    more.hidden = overviewBody.hidden || overview.scrollTop + overview.clientHeight >= overview.scrollHeight - 2;
  };
  overview.addEventListener('scroll', updateMore, { passive: true });
  new ResizeObserver(updateMore).observe(overview);
  new MutationObserver(() => requestAnimationFrame(updateMore)).observe(overviewBody, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
  root.append(
    el('header', { className: 'editor-header' }, [title, disclosure]),
    keySlot,
    banner,
    overview,
    el('section', { className: 'entries', attrs: { 'aria-label': 'Entries' } }, [toolbar, table.element]),
  );
  setCollapsed(saved.overviewCollapsed ?? false);
  table.restore({ scrollTop: saved.scrollTop, cursor: saved.cursor, selectedSeq: saved.selectedSeq });

  let overviewSeen = false;
  let bannerTimer: ReturnType<typeof setTimeout> | undefined;
  const showBanner = (message: string) => {
    banner.textContent = message;
    banner.hidden = false;
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(() => (banner.hidden = true), 10_000);
  };
  const updateCount = () => {
    const total = cache.total;
    count.textContent = total === undefined ? '' : cache.filter ? `${formatCount(total)} matching` : `${formatCount(total)} entries`;
  };

  function applyFilter(filter: string): void {
    if (filter === cache.filter) return;
    cache.reset(filter);
    host.saveState({ filter, scrollTop: 0, cursor: -1 });
    table.invalidate(true);
    updateCount();
  }

  function locate(seq: number): void {
    table.showSelection(seq);
    findPosition(cache, seq)
      .then((position) => table.showSelection(seq, position))
      .catch(() => undefined); // the filter changed meanwhile: the highlight still applies when it scrolls by
  }

  host.onMessage((message: HostToWebview) => {
    switch (message.type) {
      case 'overview':
        showOverview(message.overview);
        break;
      case 'rows':
        if (cache.accept(message.requestId, message.total, message.rows)) {
          table.schedule();
          updateCount();
        }
        break;
      case 'select':
        host.saveState({ selectedSeq: message.seq });
        locate(message.seq);
        break;
      case 'error':
        if (message.requestId !== undefined && cache.fail(message.requestId, message.message)) table.schedule();
        if (!overviewSeen && message.requestId === undefined) {
          // Nothing to show for this file (not Swarm Raft data, unreadable): say why where the overview goes.
          clear(overviewBody);
          overviewBody.appendChild(el('p', { className: 'tone-error', text: message.message }));
        }
        showBanner(message.message);
        break;
      default:
        break; // detail and revealed are for the detail view
    }
  });

  function showOverview(model: OverviewModel): void {
    title.textContent = model.fileName;
    title.title = model.filePath;
    clear(overviewBody);
    overviewBody.appendChild(renderOverview(model));
    clear(keySlot);
    const notice = keyNotice(model, host.post);
    if (notice) keySlot.appendChild(notice);
    // Each overview may follow a change of the data (keys arrived, file re-read): fetch the rows again,
    // showing the old ones meanwhile. Rows asked before the first overview may have been an empty stub.
    cache.refresh();
    table.invalidate(false);
    overviewSeen = true;
  }

  host.post({ type: 'ready', timing: pageTiming() });
  table.render();
}

function fieldValue(field: HTMLElement): string {
  return String((field as HTMLElement & { value?: string }).value ?? '').trim();
}
