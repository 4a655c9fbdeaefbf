// Horizontal bar chart drawn with plain DOM: labels and counts are text nodes, bar lengths are CSSOM
// widths (allowed by the CSP, unlike style attributes), colours come from the theme.
import type { CountRow } from '../../src/shared/protocol';
import { el } from '../common/dom';
import { formatCount } from '../common/format';

export function barChart(title: string, rows: CountRow[]): HTMLElement {
  const max = rows.reduce((m, r) => Math.max(m, r.count), 0);
  const list = el('div', { className: 'bar-chart', attrs: { role: 'list', 'aria-label': title } });
  const sorted = [...rows].sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  for (const row of sorted) {
    const fill = el('div', { className: 'bar-fill' });
    fill.style.width = `${max > 0 ? Math.max((row.count / max) * 100, row.count > 0 ? 1 : 0) : 0}%`;
    list.appendChild(el('div', {
      className: 'bar-row',
      attrs: { role: 'listitem', 'aria-label': `${row.label}: ${row.count}` },
    }, [
      el('span', { className: 'bar-label', text: row.label, title: row.label }),
      el('div', { className: 'bar-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
      el('span', { className: 'bar-count', text: formatCount(row.count) }),
    ]));
  }
  if (rows.length === 0) list.appendChild(el('div', { className: 'muted', text: 'None', attrs: { role: 'listitem' } }));
  return el('section', { className: 'card' }, [el('h3', { text: title }), list]);
}
