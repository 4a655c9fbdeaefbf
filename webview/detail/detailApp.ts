// DETAIL view: one entry's header, its conf change or its actions (field tree / text / JSON tabs).
import type { ActionDetail, EntryDetail, HostToWebview } from '../../src/shared/protocol';
import type { HostChannel } from '../common/vscodeApi';
import { button, clear, el } from '../common/dom';
import { formatTimestamp } from '../common/format';
import { pageTiming } from '../common/pageTiming';
import { FieldTree } from './fieldTree';

export type DetailTab = 'fields' | 'text' | 'json';

export interface DetailState {
  seq: number;
  /** Open tab per action index. */
  tabs: Record<string, DetailTab>;
  /** Expanded field paths per action index. */
  expanded: Record<string, string[]>;
  scrollTop: number;
}

const TABS: { id: DetailTab; label: string }[] = [
  { id: 'fields', label: 'Fields' },
  { id: 'text', label: 'Text' },
  { id: 'json', label: 'JSON' },
];

const STATUS_TEXT: Record<string, string> = {
  locked: 'Locked: the key that encrypts this entry is not available until the swarm is unlocked.',
  'earlier-key': 'Encrypted with an earlier data key that is no longer in the key files.',
  undecryptable: 'The entry could not be decrypted.',
  corrupt: 'The entry is corrupt.',
};

export function startDetail(root: HTMLElement, host: HostChannel<DetailState>): void {
  const content = el('main', { className: 'detail', attrs: { 'aria-live': 'polite' } }, [
    el('p', { className: 'muted empty-detail', text: 'Select an entry in a Raft log to see its detail.' }),
  ]);
  root.appendChild(content);

  let state: DetailState = { seq: -1, tabs: {}, expanded: {}, scrollTop: 0, ...host.readState() };
  let trees = new Map<string, FieldTree>();
  let nextRequestId = 1;
  const pendingReveals = new Map<number, string>();
  let restoreScroll = true;

  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  // Throttled (leading and trailing) so the position is saved even if the webview is disposed mid-scroll.
  window.addEventListener('scroll', () => {
    if (scrollTimer) return;
    save({ scrollTop: window.scrollY });
    scrollTimer = setTimeout(() => {
      scrollTimer = undefined;
      save({ scrollTop: window.scrollY });
    }, 200);
  }, { passive: true });

  function save(patch: Partial<DetailState>): void {
    state = { ...state, ...patch };
    host.saveState(patch);
  }

  host.onMessage((message: HostToWebview) => {
    switch (message.type) {
      case 'detail':
        show(message.detail);
        if (message.focusAction !== undefined) focusAction(message.focusAction);
        break;
      case 'revealed': {
        pendingReveals.delete(message.requestId);
        for (const tree of trees.values()) tree.setRevealed(message.revealPath, message.text, message.hex, message.isText);
        break;
      }
      case 'error':
        if (message.requestId !== undefined) pendingReveals.delete(message.requestId);
        showError(message.message);
        break;
      default:
        break;
    }
  });

  function showError(message: string): void {
    const banner = el('div', { className: 'banner', text: message, attrs: { role: 'alert' } });
    content.prepend(banner);
    setTimeout(() => banner.remove(), 10_000);
  }

  function show(detail: EntryDetail): void {
    if (detail.seq !== state.seq) {
      // Another entry: its tabs and expansions start fresh; a reload of the same entry keeps them.
      save({ seq: detail.seq, tabs: {}, expanded: {}, scrollTop: 0 });
      restoreScroll = false;
    }
    clear(content);
    trees = new Map();
    content.appendChild(entryHeader(detail));
    if (detail.status !== 'ok') content.appendChild(unreadable(detail));
    if (detail.confChange) content.appendChild(confChange(detail.confChange));
    detail.actions.forEach((action, i) => content.appendChild(actionSection(detail, action, String(i))));
    if (detail.status === 'ok' && !detail.confChange && detail.actions.length === 0) {
      content.appendChild(el('p', { className: 'muted', text: 'This entry carries no store actions.' }));
    }
    if (restoreScroll) {
      window.scrollTo(0, state.scrollTop);
      restoreScroll = false;
    } else window.scrollTo(0, 0);
  }

  /** Scrolls to the action the user picked (in the tree of objects, say) and puts focus in its fields. */
  function focusAction(index: number): void {
    const section = content.querySelector<HTMLElement>(`[data-action="${index}"]`);
    if (!section) return;
    section.scrollIntoView({ block: 'start' });
    section.querySelector<HTMLElement>('[role="treeitem"]')?.focus({ preventScroll: true });
  }

  function unreadable(detail: EntryDetail): HTMLElement {
    return el('section', { className: 'notice notice-warn', attrs: { role: 'note', 'aria-label': 'Unreadable entry' } }, [
      el('strong', { text: `Unreadable (${detail.status})` }),
      el('p', { text: detail.message ?? STATUS_TEXT[detail.status] ?? '' }),
      detail.status === 'locked' ? button('Unlock…', () => host.post({ type: 'command', command: 'unlock' }), { appearance: 'primary' }) : null,
    ]);
  }

  function actionSection(detail: EntryDetail, action: ActionDetail, key: string): HTMLElement {
    const heading = el('h2', { className: 'action-title' }, [
      el('span', { className: `action-badge action-${action.action.toLowerCase()}`, text: action.action }),
      el('span', { text: ` ${action.kind} ` }),
      el('span', { className: 'action-name', text: action.name || action.id }),
    ]);
    const facts = definitions([
      ['Kind', action.kind],
      ['ID', action.id],
      ['Name', action.name],
      ['Version', action.version],
      ['Created', formatTimestamp(action.createdAt), action.createdAt],
      ['Updated', formatTimestamp(action.updatedAt), action.updatedAt],
    ]);
    const copyId = button('Copy ID', () => host.post({ type: 'copy', text: action.id }), { title: `Copy ${action.id}` });
    const links = action.links.length === 0 ? null : el('nav', { className: 'links', attrs: { 'aria-label': 'Referenced objects' } }, [
      el('span', { className: 'muted', text: 'References: ' }),
      ...action.links.map((link) => {
        const a = el('button', { className: 'object-link', text: link.label, title: `Open ${link.kind} ${link.id}`, attrs: { type: 'button' } });
        a.addEventListener('click', () => host.post({ type: 'openObject', kind: link.kind, id: link.id }));
        return a;
      }),
    ]);

    const tree = new FieldTree(action.fields, {
      label: `${action.kind} fields`,
      expanded: new Set(state.expanded[key] ?? defaultExpanded(action)),
      onExpandedChange: (set) => save({ expanded: { ...state.expanded, [key]: [...set] } }),
      onReveal: (revealPath) => {
        const requestId = nextRequestId++;
        pendingReveals.set(requestId, revealPath);
        host.post({ type: 'reveal', requestId, seq: detail.seq, revealPath });
      },
      onCopy: (text) => host.post({ type: 'copy', text }),
    });
    trees.set(key, tree);

    const panels = el('vscode-panels', { attrs: { 'aria-label': `${action.kind} views` } });
    const active = state.tabs[key] ?? 'fields';
    for (const tab of TABS) panels.appendChild(el('vscode-panel-tab', { text: tab.label, attrs: { id: `tab-${tab.id}-${key}` } }));
    panels.append(
      panelView('fields', key, [tree.element]),
      panelView('text', key, [codeBlock(action.text, 'Copy text', host), ]),
      panelView('json', key, [codeBlock(action.json, 'Copy JSON', host)]),
    );
    panels.setAttribute('activeid', `tab-${active}-${key}`);
    panels.addEventListener('change', (event) => {
      if (event.target !== panels) return;
      const id = String((panels as HTMLElement & { activeid?: string }).activeid ?? '');
      const tab = TABS.find((t) => id === `tab-${t.id}-${key}`);
      if (tab) save({ tabs: { ...state.tabs, [key]: tab.id } });
    });

    return el('section', { className: 'action', attrs: { 'aria-label': `${action.action} ${action.kind}`, 'data-action': key } }, [
      heading, el('div', { className: 'action-facts' }, [facts, copyId]), links, panels,
    ]);
  }

  host.post({ type: 'ready', timing: pageTiming() });
}

function entryHeader(detail: EntryDetail): HTMLElement {
  return el('header', { className: 'entry-header-card' }, [
    el('h1', { text: `Entry ${detail.index}`, className: 'entry-title' }),
    definitions([
      ['Index', detail.index],
      ['Term', detail.term],
      ['Type', detail.type],
      ['Status', detail.status],
      ['Request ID', detail.requestId],
      ['Key', detail.keyLabel],
      // Snapshot objects have no position in the record stream (the host gives them negative seqs).
      ['Record', detail.seq >= 0 ? `#${detail.seq}` : undefined],
    ], 'inline'),
  ]);
}

function confChange(change: NonNullable<EntryDetail['confChange']>): HTMLElement {
  return el('section', { className: 'card', attrs: { 'aria-label': 'Configuration change' } }, [
    el('h2', { text: 'Configuration change' }),
    definitions([
      ['Type', change.type],
      ['Raft node ID', change.nodeId],
      ['Member Raft ID', change.member?.raftId],
      ['Member node ID', change.member?.nodeId],
      ['Member address', change.member?.addr],
    ]),
  ]);
}

function panelView(tab: DetailTab, key: string, children: HTMLElement[]): HTMLElement {
  return el('vscode-panel-view', { className: `panel-${tab}`, attrs: { id: `view-${tab}-${key}` } }, [
    el('div', { className: 'panel-body' }, children),
  ]);
}

function codeBlock(text: string, copyLabel: string, host: HostChannel<DetailState>): HTMLElement {
  return el('div', { className: 'code-block' }, [
    el('div', { className: 'code-actions' }, [button(copyLabel, () => host.post({ type: 'copy', text }))]),
    el('pre', { className: 'code', text, attrs: { tabindex: '0' } }),
  ]);
}

function definitions(rows: [string, string | undefined, string?][], variant = ''): HTMLElement {
  const list = el('dl', { className: `definitions ${variant}` });
  for (const [term, value, title] of rows) {
    if (value === undefined || value === '') continue;
    list.append(el('dt', { text: term }), el('dd', { text: value, title: title && title !== value ? title : undefined, className: 'selectable' }));
  }
  return list;
}

/** First level of the field tree open: enough to see the object's shape without a wall of text. */
function defaultExpanded(action: ActionDetail): string[] {
  const top = action.fields.children ?? [];
  if (top.length === 1) return ['0'];
  return top.flatMap((child, i) => ((child.children?.length ?? 0) > 0 && child.name.toLowerCase() === 'spec' ? [String(i)] : []));
}
