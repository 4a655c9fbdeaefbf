// The overview above the entry table: file, cluster, key state, segments, snapshots, counts, faults.
import type { OverviewModel, WebviewToHost } from '../../src/shared/protocol';
import { button, el } from '../common/dom';
import { formatBytes, formatCount } from '../common/format';
import { barChart } from './barChart';

const KEY_STATES: Record<OverviewModel['keyState'], { label: string; tone: 'ok' | 'warn' | 'error' }> = {
  open: { label: 'Decrypted', tone: 'ok' },
  'not-encrypted': { label: 'Not encrypted', tone: 'ok' },
  locked: { label: 'Locked: autolock is on, an unlock key is needed', tone: 'warn' },
  'wrong-key': { label: 'Wrong unlock key', tone: 'error' },
  'invalid-key': { label: 'Invalid unlock key', tone: 'error' },
  'no-key-file': { label: 'No key file found in the state directory', tone: 'warn' },
};

/** Key states for which asking the user for an unlock key can help. */
export function canUnlock(state: OverviewModel['keyState']): boolean {
  return state === 'locked' || state === 'wrong-key' || state === 'invalid-key';
}

export function renderOverview(model: OverviewModel): HTMLElement {
  const key = KEY_STATES[model.keyState] ?? { label: model.keyState, tone: 'warn' as const };
  const keyValue = el('dd', {}, [
    el('span', { className: `tone-${key.tone}`, text: key.label }),
    model.keyMessage ? el('div', { className: 'muted', text: model.keyMessage }) : null,
  ]);

  const fileCard = card('File', definitions([
    ['Name', model.fileName],
    ['Kind', model.fileKind === 'wal' ? 'Write-ahead log (.wal)' : 'Snapshot (.snap)'],
    ['Size', `${formatBytes(model.fileSize)} (${formatCount(model.fileSize)} bytes)`],
    ['Path', model.filePath],
    ['State directory', model.stateDir],
  ], [['Key', keyValue]]));

  const clusterRows: [string, string | undefined][] = [
    ['Cluster ID', model.clusterId],
    ['Node ID', model.nodeId],
  ];
  if (model.member) {
    clusterRows.push(['Raft ID (this member)', model.member.raftId], ['Member node', model.member.nodeId], ['Member address', model.member.addr]);
  }
  if (model.hardState) {
    clusterRows.push(['Hard state term', model.hardState.term], ['Vote', model.hardState.vote], ['Commit', model.hardState.commit]);
  }
  clusterRows.push(['Entries', formatCount(model.entryCount)]);
  const clusterCard = card('Cluster', definitions(clusterRows));

  const segments = card(`Segments (${model.segments.length})`, table(
    ['Name', 'Size', 'Entries', 'End'],
    model.segments.map((s) => [s.name, formatBytes(s.size), formatCount(s.entries), formatCount(s.end)]),
    [false, true, true, true],
  ));
  const snapshots = card(`Snapshots (${model.snapshots.length})`, table(
    ['Name', 'Index', 'Term', 'Size', 'Valid'],
    model.snapshots.map((s) => [s.name, s.index, s.term, formatBytes(s.size), s.valid ? 'yes' : 'NO']),
    [false, true, true, true, false],
  ));

  const faults = card(`Faults (${model.faults.length})`, model.faults.length === 0
    ? el('p', { className: 'muted', text: 'No faults found.' })
    : el('ul', { className: 'fault-list' }, model.faults.map((f) => el('li', { className: `fault fault-${f.severity}` }, [
      el('span', { className: 'fault-severity', text: f.severity }),
      el('span', { className: 'fault-where mono', text: `${f.file}:${f.offset}` }),
      el('span', { className: 'fault-message', text: f.message }),
    ]))));
  if (model.faults.some((f) => f.severity === 'error')) faults.classList.add('has-errors');

  // Faults come right after the file facts when there are any: they explain missing or odd entries.
  const hasFaults = model.faults.length > 0;
  const counting = model.counting ? ' (counting…)' : '';
  const noun = model.fileKind === 'snap' ? 'Objects' : 'Entries';
  return el('div', { className: 'overview-grid' }, [
    fileCard, clusterCard, model.snapshot ? snapshotCard(model.snapshot) : null, hasFaults ? faults : null,
    barChart(`${noun} by action${counting}`, model.byAction),
    barChart(`${noun} by object kind${counting}`, model.byKind),
    model.segments.length > 0 || model.fileKind === 'wal' ? segments : null,
    snapshots, hasFaults ? null : faults,
  ]);
}

function snapshotCard(snap: NonNullable<OverviewModel['snapshot']>): HTMLElement {
  const body = el('div', {}, [
    snap.problem ? el('p', { className: 'tone-warn', text: snap.problem }) : null,
    definitions([
      ['Index', snap.index],
      ['Term', snap.term],
      ['Voters', snap.confState.join(', ')],
      ['Removed', snap.removed.join(', ')],
      ['Data key', snap.dataKey],
    ]),
    table(['Raft ID', 'Node ID', 'Address'], snap.members.map((m) => [m.raftId, m.nodeId, m.addr]), [false, false, false]),
  ]);
  return card(`Snapshot (${snap.members.length} members)`, body);
}

/** A strip above the overview while the key is locked or wrong, with the Unlock… button; else null. */
export function keyNotice(model: OverviewModel, post: (m: WebviewToHost) => void): HTMLElement | null {
  if (!canUnlock(model.keyState)) return null;
  const key = KEY_STATES[model.keyState];
  return el('div', { className: `key-notice tone-border-${key.tone}`, attrs: { role: 'status' } }, [
    el('span', { className: 'key-notice-text', text: `${key.label}. Entries stay encrypted until the swarm's unlock key is given.` }),
    button('Unlock…', () => post({ type: 'command', command: 'unlock' }), { appearance: 'primary', className: 'unlock-button' }),
  ]);
}

function card(title: string, body: Node): HTMLElement {
  return el('section', { className: 'card', attrs: { 'aria-label': title } }, [el('h3', { text: title }), body]);
}

function definitions(rows: [string, string | undefined][], extra: [string, HTMLElement][] = []): HTMLElement {
  const list = el('dl', { className: 'definitions' });
  for (const [term, value] of rows) {
    if (value === undefined || value === '') continue;
    list.append(el('dt', { text: term }), el('dd', { text: value, className: 'selectable' }));
  }
  for (const [term, value] of extra) list.append(el('dt', { text: term }), value);
  return list;
}

function table(headers: string[], rows: string[][], numeric: boolean[]): HTMLElement {
  if (rows.length === 0) return el('p', { className: 'muted', text: 'None' });
  return el('table', { className: 'small-table' }, [
    el('thead', {}, [el('tr', {}, headers.map((h, i) => el('th', { text: h, className: numeric[i] ? 'num' : '', attrs: { scope: 'col' } })))]),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) => el('td', { text: c, className: numeric[i] ? 'num' : 'mono' }))))),
  ]);
}
