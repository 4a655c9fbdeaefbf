// The size statistics page: "what makes my raft big", drawn from the host's StatsModel.
import type { StatsModel } from '../../src/core/forensics/statsModel';
import type { StatsHostMessage, StatsPageMessage } from '../../src/shared/statsProtocol';
import { clear, el } from '../common/dom';
import { formatBytes, formatCount } from '../common/format';
import { barChart as drawChart, type BarItem, type Series } from './barChart';

declare function acquireVsCodeApi(): { postMessage(message: StatsPageMessage): void };

const api = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const bytes = (n: number) => formatBytes(n);
const count = (n: number) => formatCount(n);
const STORED: Series = { name: 'stored (encrypted)', className: 's-stored', format: bytes };
const DECRYPTED: Series = { name: 'decrypted', className: 's-decrypted', format: bytes };

/** The width a chart has: the page's, less the card's padding and border. */
function chartWidth(): number {
  return root.clientWidth - 28;
}

function barChart(title: string, series: Series[], items: BarItem[], note?: string): HTMLElement {
  return drawChart(title, series, items, note, chartWidth());
}

let shown: StatsModel | undefined;
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
// Charts are drawn for the width they have: drawn again when the group is resized.
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (shown) render(shown);
  }, 100);
});

function render(m: StatsModel): void {
  shown = m;
  clear(root);
  const t = m.totals;
  const scope = m.scope === 'all' ? 'every entry of the log' : 'entries after the newest snapshot';
  root.append(
    el('h2', { text: 'What makes this raft log big' }),
    el('p', { className: 'muted', text: `${m.stateDir} · ${scope}${m.firstIndex ? ` · #${m.firstIndex}..#${m.lastIndex}` : ''}` }),
    el('div', { className: 'totals' }, [
      total('entries', count(t.entries), `${count(t.normal)} normal, ${count(t.confChange)} conf changes, ${count(t.empty)} empty, ${count(t.unreadable)} unreadable`),
      total('store actions', count(t.actions)),
      total('stored', bytes(t.encryptedBytes), 'encrypted, as on disk'),
      total('decrypted', bytes(t.decryptedBytes)),
      ...(t.overwrittenEntries ? [total('overwritten', count(t.overwrittenEntries), `${bytes(t.overwrittenBytes)} still on disk`)] : []),
    ]),
    el('div', { className: 'grid' }, [
      barChart('By object kind', [STORED, DECRYPTED], sorted(m.byKind).map((r) => ({ label: `${r.key} (${count(r.actions || r.entries)})`, values: [r.encryptedBytes, r.decryptedBytes] }))),
      barChart('By action', [STORED, DECRYPTED], sorted(m.byAction).map((r) => ({ label: `${r.key} (${count(r.actions || r.entries)})`, values: [r.encryptedBytes, r.decryptedBytes] }))),
      barChart('Largest entries', [STORED], m.largestEntries.map((e) => ({ label: `#${e.index} ${e.summary}`, values: [e.encryptedBytes], onClick: () => api.postMessage({ type: 'showEntry', index: e.index }) })), 'Click one to show it.'),
      m.state
        ? barChart(`Largest objects at #${m.state.index}`, [{ name: 'encoded', className: 's-object', format: bytes }], m.state.largestObjects.map((o) => ({ label: `${o.kind} ${o.name || o.id}`, values: [o.bytes] })))
        : el('section', { className: 'card' }, [el('h3', { text: 'Largest objects' }), el('p', { className: 'muted', text: m.stateError ?? 'The state cannot be rebuilt.' })]),
      barChart('Task churn per service', [{ name: 'task actions', className: 's-churn', format: count }, STORED], m.taskChurn.map((c) => ({ label: c.serviceName || c.serviceId || '(no service)', values: [c.actions, c.encryptedBytes] })), 'Creates, updates and removes of each service\'s tasks: a crash-looping service shows here.'),
      barChart('Growth per term', [STORED, { name: 'entries', className: 's-entries', format: count }], m.growthByTerm.map((g) => ({ label: `term ${g.term} (#${g.firstIndex}..#${g.lastIndex})`, values: [g.encryptedBytes, g.entries] }))),
      ...(m.unreadable.length ? [barChart('Unreadable entries', [STORED], m.unreadable.map((r) => ({ label: `${r.key} (${count(r.entries)})`, values: [r.encryptedBytes] })))] : []),
    ]),
  );
}

function sorted<T extends { encryptedBytes: number }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => b.encryptedBytes - a.encryptedBytes);
}

function total(label: string, value: string, detail?: string): HTMLElement {
  return el('div', { className: 'total', title: detail }, [el('div', { className: 'total-value', text: value }), el('div', { className: 'muted', text: label })]);
}

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as StatsHostMessage;
  if (m?.type === 'stats') render(m.model);
  else if (m?.type === 'error') root.replaceChildren(el('p', { className: 'error', text: m.message }));
});
root.append(el('p', { className: 'muted', text: 'Computing…' }));
api.postMessage({ type: 'ready' });
