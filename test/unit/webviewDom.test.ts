// Webview rendering to DOM under happy-dom: field tree (keys, lazy children, reveal), entry rows, bar
// charts, overview, and that decoded strings only ever become text.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EntryRow, FieldNode } from '../../src/shared/protocol';
import { copyText, FieldTree } from '../../webview/detail/fieldTree';
import { fillRow } from '../../webview/editor/entryTable';
import { barChart } from '../../webview/editor/barChart';
import { keyNotice, renderOverview } from '../../webview/editor/overview';
import { sampleOverview } from '../../webview/dev/sampleData';
import { formatBytes, formatTimestamp, groupHex } from '../../webview/common/format';

const XSS = '<img src=x onerror=alert(1)></script><script>alert(2)</script>';

let window: InstanceType<typeof import('happy-dom', { with: { 'resolution-mode': 'import' } }).Window>;
before(async () => {
  // happy-dom is ESM-only: a dynamic import works from this CommonJS-typed test.
  const happy = await import('happy-dom');
  window = new happy.Window({ url: 'https://webview.test/' });
  const g = globalThis as Record<string, unknown>;
  g.window = window;
  g.document = window.document;
});

function key(target: Element, name: string, extra: Record<string, boolean> = {}): void {
  target.dispatchEvent(new window.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...extra }) as unknown as Event);
}

function active(): string | null | undefined {
  return (window.document.activeElement as unknown as Element | null)?.getAttribute('data-path');
}

const tree: FieldNode = {
  name: 'service',
  children: [
    { name: 'id', value: 'abc' },
    { name: 'spec', children: [
      { name: 'annotations', children: [{ name: 'name', value: XSS }] },
      { name: 'data', hidden: { bytes: 12, revealPath: 'spec.data' } },
    ] },
    { name: 'list', children: [{ name: '0', value: 'a' }, { name: '1', value: 'b' }] },
  ],
};

describe('FieldTree', () => {
  test('renders an ARIA tree, lazily, with data as text only', () => {
    const changes: string[][] = [];
    const t = new FieldTree(tree, { label: 'fields', expanded: new Set(), onExpandedChange: (s) => changes.push([...s]), onReveal: () => {}, onCopy: () => {} });
    document.body.appendChild(t.element);
    assert.equal(t.element.getAttribute('role'), 'tree');
    const items = t.element.querySelectorAll('[role="treeitem"]');
    assert.equal(items.length, 3, 'children of collapsed nodes are not built');
    assert.equal(items[1].getAttribute('aria-expanded'), 'false');
    assert.equal(items[0].getAttribute('tabindex'), '0');
    assert.equal(t.element.querySelector('[data-path="2"] .field-summary')?.textContent, '[2]');
    assert.equal(t.element.querySelector('[data-path="1"] .field-summary')?.textContent, '{2}');

    // Keyboard: down to spec, right expands, right enters, right expands annotations, down into name.
    (items[0] as HTMLElement).focus();
    key(items[0], 'ArrowDown');
    assert.equal(active(), '1');
    key(items[1], 'ArrowRight');
    assert.equal(items[1].getAttribute('aria-expanded'), 'true');
    assert.deepEqual(changes.at(-1), ['1']);
    key(items[1], 'ArrowRight');
    assert.equal(active(), '1.0');
    const annotations = t.element.querySelector('[data-path="1.0"]')!;
    key(annotations, 'ArrowRight');
    key(annotations, 'ArrowDown');
    assert.equal(active(), '1.0.0');
    const value = t.element.querySelector('[data-path="1.0.0"] .field-value')!;
    assert.equal(value.textContent, XSS);
    assert.equal(t.element.querySelectorAll('img, script').length, 0);
    // Left goes to the parent, then collapses it; End goes to the last visible item.
    key(t.element.querySelector('[data-path="1.0.0"]')!, 'ArrowLeft');
    assert.equal(active(), '1.0');
    key(annotations, 'ArrowLeft');
    assert.equal(annotations.getAttribute('aria-expanded'), 'false');
    key(annotations, 'End');
    assert.equal(active(), '2');
    key(t.element.querySelector('[data-path="2"]')!, 'Home');
    assert.equal(active(), '0');
    t.element.remove();
  });

  test('restores expanded paths; hidden data shows its size until revealed, then text and hex', async () => {
    const reveals: string[] = [];
    const copies: string[] = [];
    const t = new FieldTree(tree, { label: 'f', expanded: new Set(['1']), onExpandedChange: () => {}, onReveal: (p) => reveals.push(p), onCopy: (c) => copies.push(c) });
    document.body.appendChild(t.element);
    const hidden = t.element.querySelector('[data-path="1.1"] .hidden-value')!;
    assert.match(hidden.textContent ?? '', /hidden \(12 B\)/);
    (hidden.querySelector('.reveal-button') as HTMLElement).click();
    assert.deepEqual(reveals, ['spec.data']);
    t.setRevealed('spec.data', 'pa<b>ss</b>', '7061');
    const pre = t.element.querySelector('[data-path="1.1"] .revealed-value')!;
    assert.equal(pre.textContent, 'pa<b>ss</b>');
    assert.equal(t.element.querySelectorAll('b').length, 0);
    const buttons = () => Array.from(t.element.querySelectorAll<HTMLElement>('[data-path="1.1"] .revealed-actions vscode-button'));
    buttons().find((b) => b.textContent === 'Show hex')!.click();
    assert.equal(t.element.querySelector('[data-path="1.1"] .revealed-value')!.textContent, '00000000  70 61');
    buttons().find((b) => b.textContent === 'Copy')!.click();
    assert.deepEqual(copies, ['7061']);
    assert.match(hidden.textContent ?? '', /revealed below \(12 B\)/, 'no "hidden" beside a revealed value');
    buttons().find((b) => b.textContent === 'Hide')!.click();
    assert.equal(t.element.querySelector('[data-path="1.1"] .revealed-value'), null);
    assert.match(hidden.textContent ?? '', /hidden \(12 B\)/);
    // Not UTF-8 text: hex first.
    t.setRevealed('spec.data', '\ufffd\ufffd', 'fffe', false);
    assert.equal(t.element.querySelector('[data-path="1.1"] .revealed-value')!.textContent, '00000000  ff fe');
    assert.ok(t.element.querySelector('[data-path="1.1"] .revealed-actions')!.textContent!.includes('not UTF-8 text'));
    t.element.remove();
  });

  test('copy text: scalars as is, branches as JSON with hidden data withheld', async () => {
    assert.equal(copyText({ name: 'x', value: 'v' }), 'v');
    assert.deepEqual(JSON.parse(copyText(tree.children![1])), { annotations: { name: XSS }, data: '<hidden 12 bytes>' });
    assert.deepEqual(JSON.parse(copyText(tree.children![2])), ['a', 'b']);
  });
});

describe('editor pieces', () => {
  const row: EntryRow = {
    seq: 4, index: '5', term: '2', type: 'EntryNormal', status: 'ok', summary: `CREATE service ${XSS}`,
    actions: [], size: 2048, uncommitted: true, overwritten: true, crcOk: false,
  };

  test('an entry row: cells as text, flags, placeholder and failure', async () => {
    const node = document.createElement('div');
    fillRow(node, 4, undefined, row);
    const cells = Array.from(node.querySelectorAll('[role="gridcell"]')).map((c) => c.textContent);
    assert.deepEqual(cells, ['5', '2', 'Normal', `CREATE service ${XSS}`, '2.0 KiB', 'uncommittedoverwrittenCRC ✗']);
    assert.equal(node.getAttribute('aria-rowindex'), '6');
    assert.equal(node.querySelectorAll('img, script').length, 0);
    fillRow(node, 4, undefined, undefined);
    assert.ok(node.classList.contains('placeholder'));
    assert.equal(node.querySelector('.col-summary')?.textContent, 'Loading…');
    fillRow(node, 4, 'no file', undefined);
    assert.equal(node.querySelector('.col-summary')?.textContent, 'Could not load: no file');
    fillRow(node, 4, undefined, { ...row, status: 'locked', summary: 'locked: unlock key needed' });
    assert.ok(node.classList.contains('unreadable'));
    assert.equal(node.querySelector('.col-summary')?.textContent, 'locked: unlock key needed', 'the status once');
  });

  test('bar chart: sorted, widths relative to the largest count, labels as text', async () => {
    const chart = barChart('By kind', [{ label: 'task', count: 5 }, { label: XSS, count: 10 }, { label: 'node', count: 0 }]);
    const rows = Array.from(chart.querySelectorAll('[role="listitem"]'));
    assert.deepEqual(rows.map((r) => r.querySelector('.bar-label')?.textContent), [XSS, 'task', 'node']);
    assert.deepEqual(rows.map((r) => (r.querySelector('.bar-fill') as HTMLElement).style.width), ['100%', '50%', '0%']);
    assert.equal(chart.querySelectorAll('img, script').length, 0);
  });

  test('overview: unlock only when it can help; faults with file:offset', async () => {
    const posted: unknown[] = [];
    const locked = sampleOverview(100, true);
    const notice = keyNotice(locked, (m) => posted.push(m))!;
    (notice.querySelector('.unlock-button') as HTMLElement).click();
    assert.deepEqual(posted, [{ type: 'command', command: 'unlock' }]);
    assert.equal(keyNotice(sampleOverview(100, false), () => {}), null);
    assert.equal(keyNotice({ ...locked, keyState: 'not-encrypted' }, () => {}), null);
    const view = renderOverview(locked);
    const faults = Array.from(view.querySelectorAll('.fault-where')).map((f) => f.textContent);
    assert.deepEqual(faults, ['0000000000000001-00000000000036b1.wal:20000123', '0000000000000000-0000000000000001.wal:4096']);
    assert.equal(view.querySelectorAll('img, script').length, 0);
  });

  test('overview of a snapshot file: snapshot card, counting note', () => {
    const model = {
      ...sampleOverview(10, false), fileKind: 'snap' as const, segments: [], counting: true,
      snapshot: { index: '14000', term: '2', confState: ['1a', '2b'], members: [{ raftId: '1a', nodeId: XSS, addr: '10.0.0.1:2377' }], removed: ['3c'], problem: 'locked' },
    };
    const view = renderOverview(model);
    const titles = Array.from(view.querySelectorAll('h3')).map((h) => h.textContent);
    assert.ok(titles.includes('Snapshot (1 members)'), titles.join('|'));
    assert.ok(titles.includes('Objects by action (counting…)'));
    assert.ok(!titles.some((t) => t?.startsWith('Segments')));
    assert.ok(view.textContent?.includes(XSS));
    assert.equal(view.querySelectorAll('img, script').length, 0);
  });
});

describe('format', () => {
  test('bytes, timestamps, hex', async () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(64 * 1024 * 1024), '64 MiB');
    assert.equal(formatTimestamp('2024-05-01T10:20:30.123456789Z'), '2024-05-01 10:20:30 UTC');
    assert.equal(formatTimestamp('1714559000'), '2024-05-01 10:23:20 UTC');
    assert.equal(formatTimestamp('1714559000.5'), '2024-05-01 10:23:20 UTC');
    assert.equal(formatTimestamp('not a date'), 'not a date');
    assert.equal(formatTimestamp(undefined), '');
    assert.equal(groupHex('00'.repeat(17)), `00000000  ${Array(16).fill('00').join(' ')}\n00000010  00`);
  });
});
