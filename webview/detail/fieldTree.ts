// Expandable, keyboard-navigable field tree (WAI-ARIA tree pattern) for one decoded object. Children are
// built on first expansion, so a large object costs only what is open. Values are text nodes only.
import type { FieldNode } from '../../src/shared/protocol';
import { button, clear, el } from '../common/dom';
import { formatBytes, groupHex } from '../common/format';

const LONG_VALUE = 160;

export interface FieldTreeOptions {
  label: string;
  /** Paths ("0.3.1": child indexes from the root) to show expanded. */
  expanded: Set<string>;
  onExpandedChange(expanded: Set<string>): void;
  onReveal(revealPath: string): void;
  onCopy(text: string): void;
}

interface Revealed {
  text: string;
  hex: string;
  mode: 'text' | 'hex';
  /** Valid UTF-8 text; else its text form is full of replacement characters. */
  isText: boolean;
}

export class FieldTree {
  readonly element: HTMLElement;
  private readonly nodes = new Map<string, FieldNode>();
  private readonly revealed = new Map<string, Revealed>();

  constructor(
    private readonly root: FieldNode,
    private readonly options: FieldTreeOptions,
  ) {
    this.element = el('ul', { className: 'field-tree', attrs: { role: 'tree', 'aria-label': options.label } });
    const top = root.children ?? [root];
    top.forEach((child, i) => this.element.appendChild(this.item(child, String(i), 1, i + 1, top.length)));
    if (top.length === 0) this.element.appendChild(el('li', { className: 'muted', text: '(no fields)', attrs: { role: 'none' } }));
    const first = this.element.querySelector<HTMLElement>('[role="treeitem"]');
    if (first) first.tabIndex = 0;
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('click', (e) => this.onClick(e));
    this.element.addEventListener('focusin', (e) => this.makeCurrent(e.target as HTMLElement));
  }

  /** Shows a value the host decrypted for `revealPath`: as text when it is text, else as hex. */
  setRevealed(revealPath: string, text: string, hex: string, isText = true): void {
    this.revealed.set(revealPath, { text, hex, mode: isText ? 'text' : 'hex', isText });
    this.refreshHidden(revealPath);
  }

  private item(node: FieldNode, path: string, level: number, position: number, setSize: number): HTMLElement {
    this.nodes.set(path, node);
    const hasChildren = (node.children?.length ?? 0) > 0;
    const li = el('li', {
      className: 'field-item',
      attrs: { role: 'treeitem', 'aria-level': String(level), 'aria-posinset': String(position), 'aria-setsize': String(setSize), 'data-path': path, tabindex: '-1' },
    });
    const row = el('div', { className: 'field-row' }, [
      el('span', { className: 'twisty', attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'field-name', text: node.name }),
    ]);
    row.appendChild(this.valueCell(node, path));
    if (!node.hidden) row.appendChild(button('Copy', () => this.options.onCopy(copyText(node)), { appearance: 'icon', className: 'field-copy', title: `Copy ${node.name}` }));
    li.appendChild(row);
    if (node.hidden) li.appendChild(el('div', { className: 'revealed-slot' }));
    if (hasChildren) {
      li.setAttribute('aria-expanded', 'false');
      if (this.options.expanded.has(path)) this.expand(li, false);
    }
    return li;
  }

  private valueCell(node: FieldNode, path: string): HTMLElement {
    if (node.hidden) {
      const hidden = node.hidden;
      return el('span', { className: 'field-value hidden-value', attrs: { 'data-reveal': hidden.revealPath } }, [
        el('span', { className: 'muted hidden-size', text: hiddenText('hidden', hidden.bytes) }),
        button('Reveal', () => this.options.onReveal(hidden.revealPath), { className: 'reveal-button', title: `Decrypt and show ${node.name}` }),
      ]);
    }
    if (node.children) {
      const n = node.children.length;
      const summary = n === 0 ? '(empty)' : isList(node) ? `[${n}]` : `{${n}}`;
      return el('span', { className: 'field-value field-summary muted', text: summary });
    }
    const value = node.value ?? '';
    const span = el('span', { className: 'field-value', text: value });
    if (value.length > LONG_VALUE || value.includes('\n')) {
      span.classList.add('long-value');
      span.setAttribute('data-path', path);
    }
    return span;
  }

  private expand(li: HTMLElement, notify = true): void {
    const path = li.dataset.path ?? '';
    const node = this.nodes.get(path);
    if (!node?.children?.length) return;
    let group = li.querySelector<HTMLElement>(':scope > [role="group"]');
    if (!group) {
      const level = Number(li.getAttribute('aria-level')) + 1;
      const children = node.children;
      group = el('ul', { className: 'field-group', attrs: { role: 'group' } },
        children.map((child, i) => this.item(child, `${path}.${i}`, level, i + 1, children.length)));
      li.appendChild(group);
    }
    group.hidden = false;
    li.setAttribute('aria-expanded', 'true');
    if (notify) {
      this.options.expanded.add(path);
      this.options.onExpandedChange(this.options.expanded);
    }
  }

  private collapse(li: HTMLElement): void {
    const group = li.querySelector<HTMLElement>(':scope > [role="group"]');
    if (group) group.hidden = true;
    li.setAttribute('aria-expanded', 'false');
    this.options.expanded.delete(li.dataset.path ?? '');
    this.options.onExpandedChange(this.options.expanded);
  }

  private toggle(li: HTMLElement): void {
    if (li.getAttribute('aria-expanded') === 'true') this.collapse(li);
    else if (li.getAttribute('aria-expanded') === 'false') this.expand(li);
  }

  /** Tree items a user can reach: those not inside a collapsed group. */
  private visibleItems(): HTMLElement[] {
    return Array.from(this.element.querySelectorAll<HTMLElement>('[role="treeitem"]')).filter((item) => !item.closest('[role="group"][hidden]'));
  }

  private makeCurrent(target: HTMLElement): void {
    const item = target.closest<HTMLElement>('[role="treeitem"]');
    if (!item || !this.element.contains(item)) return;
    for (const other of Array.from(this.element.querySelectorAll<HTMLElement>('[role="treeitem"][tabindex="0"]'))) if (other !== item) other.tabIndex = -1;
    item.tabIndex = 0;
  }

  private focusItem(item: HTMLElement | undefined): void {
    if (!item) return;
    this.makeCurrent(item);
    item.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
    // Keys typed into a button inside a row (Reveal, Copy) keep their own meaning.
    if (!item || event.target !== item) return;
    const items = this.visibleItems();
    const index = items.indexOf(item);
    const expanded = item.getAttribute('aria-expanded');
    let handled = true;
    switch (event.key) {
      case 'ArrowDown': this.focusItem(items[index + 1]); break;
      case 'ArrowUp': this.focusItem(items[index - 1]); break;
      case 'Home': this.focusItem(items[0]); break;
      case 'End': this.focusItem(items[items.length - 1]); break;
      case 'ArrowRight':
        if (expanded === 'false') this.expand(item);
        else if (expanded === 'true') this.focusItem(item.querySelector<HTMLElement>(':scope > [role="group"] > [role="treeitem"]') ?? undefined);
        break;
      case 'ArrowLeft':
        if (expanded === 'true') this.collapse(item);
        else this.focusItem(item.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined);
        break;
      case 'Enter':
      case ' ':
        if (expanded !== null) this.toggle(item);
        else item.querySelector<HTMLElement>('.long-value')?.classList.toggle('open');
        break;
      case '*':
        for (const sibling of Array.from(item.parentElement?.querySelectorAll<HTMLElement>(':scope > [aria-expanded="false"]') ?? [])) this.expand(sibling);
        break;
      case 'c':
        if ((event.ctrlKey || event.metaKey) && !window.getSelection()?.toString()) {
          const node = this.nodes.get(item.dataset.path ?? '');
          if (node && !node.hidden) this.options.onCopy(copyText(node));
        } else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const item = target.closest<HTMLElement>('[role="treeitem"]');
    if (!item) return;
    const row = target.closest('.field-row');
    if (row && row.parentElement === item) {
      if (target.classList.contains('long-value')) target.classList.toggle('open');
      else if (!target.closest('vscode-button')) this.toggle(item);
      this.focusItem(item);
    }
  }

  private hiddenBytes(revealPath: string): number {
    for (const node of this.nodes.values()) if (node.hidden?.revealPath === revealPath) return node.hidden.bytes;
    return 0;
  }

  private refreshHidden(revealPath: string): void {
    for (const cell of Array.from(this.element.querySelectorAll<HTMLElement>('.hidden-value'))) {
      if (cell.dataset.reveal !== revealPath) continue;
      const slot = cell.closest('[role="treeitem"]')?.querySelector<HTMLElement>(':scope > .revealed-slot');
      if (!slot) continue;
      clear(slot);
      const state = this.revealed.get(revealPath);
      cell.querySelector('.reveal-button')?.toggleAttribute('hidden', state !== undefined);
      const size = cell.querySelector('.hidden-size');
      if (size) size.textContent = hiddenText(state ? 'revealed below' : 'hidden', this.hiddenBytes(revealPath));
      if (!state) continue;
      const shown = state.mode === 'text' ? state.text : groupHex(state.hex);
      const label = state.mode === 'text' ? 'Revealed (text)' : state.isText ? 'Revealed (hex)' : 'Revealed (hex: not UTF-8 text)';
      slot.append(
        el('div', { className: 'revealed-actions' }, [
          el('span', { className: 'muted', text: label }),
          button(state.mode === 'text' ? 'Show hex' : 'Show text', () => {
            state.mode = state.mode === 'text' ? 'hex' : 'text';
            this.refreshHidden(revealPath);
          }),
          button('Copy', () => this.options.onCopy(state.mode === 'text' ? state.text : state.hex), { title: 'Copy the revealed value' }),
          button('Hide', () => {
            this.revealed.delete(revealPath);
            this.refreshHidden(revealPath);
          }),
        ]),
        el('pre', { className: 'revealed-value', text: shown, attrs: { tabindex: '0', 'aria-label': 'Revealed value' } }),
      );
    }
  }
}

/** "hidden (26 B)", "revealed below (2.0 KiB, 2048 bytes)". */
function hiddenText(what: string, bytes: number): string {
  return `${what} (${formatBytes(bytes)}${bytes >= 1024 ? `, ${bytes} bytes` : ''})`;
}

function isList(node: FieldNode): boolean {
  return (node.children ?? []).every((c, i) => c.name === String(i) || c.name === `[${i}]`);
}

/** What "Copy" puts on the clipboard: a scalar's value, or a branch as JSON (hidden data stays hidden). */
export function copyText(node: FieldNode): string {
  if (!node.children) return node.value ?? '';
  return JSON.stringify(toPlain(node), null, 2);
}

function toPlain(node: FieldNode): unknown {
  if (node.hidden) return `<hidden ${node.hidden.bytes} bytes>`;
  if (!node.children) return node.value ?? null;
  if (isList(node)) return node.children.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const child of node.children) out[child.name] = toPlain(child);
  return out;
}
