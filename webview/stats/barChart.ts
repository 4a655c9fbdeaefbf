// Horizontal bar chart in SVG: one row per item, one bar per series, the value as text. Sizes are SVG
// attributes (not style attributes, which the CSP forbids); colours are theme variables in stats.css.
// The chart is drawn for the width it has (the page redraws it on resize): in a narrow editor group the
// bars get shorter and the labels are cut, and every value stays in view.
import { el, svg } from '../common/dom';

export interface Series {
  name: string;
  /** CSS class of the bars (their fill colour). */
  className: string;
  format: (n: number) => string;
}

export interface BarItem {
  label: string;
  values: number[];
  /** Clicking the row (e.g. show the entry). */
  onClick?: () => void;
}

/** The widest chart; narrower ones give up bar length first, then label width. */
export const CHART_W = 750;
const MIN_CHART_W = 240;
const VALUE_W = 76;
const CHAR_W = 6.4;
const BAR_H = 12;
const GAP = 3;
const ROW_PAD = 8;

export function barChart(title: string, series: Series[], items: BarItem[], note?: string, width = CHART_W): HTMLElement {
  const chartW = Math.round(Math.max(MIN_CHART_W, Math.min(CHART_W, width)));
  const LABEL_W = Math.round(Math.min(220, chartW * 0.36));
  const BAR_W = chartW - LABEL_W - VALUE_W;
  const maxChars = Math.max(8, Math.floor((LABEL_W - 6) / CHAR_W));
  const max = series.map((_, s) => items.reduce((m, i) => Math.max(m, i.values[s] ?? 0), 0));
  const rowH = series.length * (BAR_H + GAP) + ROW_PAD;
  const height = Math.max(rowH * items.length, 20);
  const chart = svg('svg', { class: 'chart', width: chartW, height, viewBox: `0 0 ${chartW} ${height}`, role: 'img', 'aria-label': title });
  items.forEach((item, r) => {
    const y = r * rowH;
    const label = item.label.length > maxChars ? `${item.label.slice(0, maxChars - 1)}…` : item.label;
    const row = svg('g', { class: item.onClick ? 'row clickable' : 'row' }, [
      svg('title', {}, [document.createTextNode(`${item.label}: ${series.map((s, i) => `${s.name} ${s.format(item.values[i] ?? 0)}`).join(', ')}`)]),
      svg('text', { x: 0, y: y + BAR_H, class: 'label' }, [document.createTextNode(label)]),
    ]);
    series.forEach((s, i) => {
      const v = item.values[i] ?? 0;
      const w = max[i] > 0 ? Math.max((v / max[i]) * BAR_W, v > 0 ? 1 : 0) : 0;
      const by = y + i * (BAR_H + GAP);
      row.appendChild(svg('rect', { x: LABEL_W, y: by, width: w.toFixed(1), height: BAR_H, class: `bar ${s.className}` }));
      row.appendChild(svg('text', { x: LABEL_W + w + 4, y: by + BAR_H - 2, class: 'value' }, [document.createTextNode(s.format(v))]));
    });
    if (item.onClick) row.addEventListener('click', item.onClick);
    chart.appendChild(row);
  });
  const legend = series.length > 1 ? el('div', { className: 'legend' }, series.map((s) => el('span', { className: 'key' }, [el('span', { className: `swatch ${s.className}` }), document.createTextNode(s.name)]))) : null;
  return el('section', { className: 'card' }, [
    el('h3', { text: title }),
    note ? el('p', { className: 'muted', text: note }) : null,
    legend,
    items.length ? chart : el('p', { className: 'muted', text: 'None' }),
  ]);
}
