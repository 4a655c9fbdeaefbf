// `swarm-raft stats` text output: aligned tables of the StatsModel.
import type { SizeRow, StatsModel } from './statsModel';

/** 1234567 -> "1.2 MiB"; exact below 1 KiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

function table(header: string[], rows: (string | number)[][]): string[] {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  // Text columns left-aligned, numbers right-aligned.
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || /^([\d.]+( [KMGT]?i?B)?|-)$/.test(String(r[c]))));
  return cells.map((r) => '  ' + r.map((v, c) => (numeric[c] ? v.padStart(widths[c]) : v.padEnd(widths[c]))).join('  ').trimEnd());
}

function sizeTable(title: string, rows: SizeRow[]): string[] {
  if (rows.length === 0) return [];
  return [title, ...table(['', 'entries', 'actions', 'stored', 'decrypted'], rows.map((r) => [r.key, r.entries, r.actions, formatBytes(r.encryptedBytes), formatBytes(r.decryptedBytes)])), ''];
}

export function statsText(m: StatsModel): string {
  const t = m.totals;
  const lines: string[] = [];
  lines.push(`State directory: ${m.stateDir}`);
  lines.push(`Entries: ${t.entries}${m.firstIndex ? ` (${m.firstIndex}..${m.lastIndex})` : ''}, ${m.scope === 'all' ? 'every entry of the log' : 'after the newest snapshot'}`);
  lines.push(`  normal ${t.normal}, conf changes ${t.confChange}, empty ${t.empty}, unreadable ${t.unreadable}, store actions ${t.actions}`);
  lines.push(`  stored ${formatBytes(t.encryptedBytes)}, decrypted ${formatBytes(t.decryptedBytes)}${t.overwrittenEntries ? `; ${t.overwrittenEntries} overwritten entries still on disk (${formatBytes(t.overwrittenBytes)})` : ''}`);
  lines.push('');
  lines.push(...sizeTable('By object kind:', m.byKind));
  lines.push(...sizeTable('By action:', m.byAction));
  lines.push(...sizeTable('Unreadable:', m.unreadable));
  if (m.largestEntries.length) {
    lines.push('Largest entries:');
    lines.push(...table(['index', 'term', 'stored', 'decrypted', 'summary'], m.largestEntries.map((e) => [e.index, e.term, formatBytes(e.encryptedBytes), e.decryptedBytes === undefined ? '-' : formatBytes(e.decryptedBytes), e.summary])));
    lines.push('');
  }
  if (m.taskChurn.length) {
    lines.push('Task churn by service:');
    lines.push(...table(['service', 'tasks', 'created', 'updated', 'removed', 'stored'], m.taskChurn.map((c) => [c.serviceName || c.serviceId || '(no service)', c.tasks, c.created, c.updated, c.removed, formatBytes(c.encryptedBytes)])));
    lines.push('');
  }
  if (m.growthByTerm.length) {
    lines.push('Growth by term:');
    lines.push(...table(['term', 'indexes', 'entries', 'unreadable', 'stored', 'decrypted'], m.growthByTerm.map((g) => [g.term, `${g.firstIndex}..${g.lastIndex}`, g.entries, g.unreadable, formatBytes(g.encryptedBytes), formatBytes(g.decryptedBytes)])));
    lines.push('');
  }
  if (m.state) {
    const s = m.state;
    lines.push(`State at index ${s.index}${s.snapshot ? ` (from snapshot ${s.snapshot})` : ''}${s.skipped ? `, ${s.skipped} entries skipped` : ''}:`);
    lines.push(...table(['kind', 'objects', 'bytes'], s.byKind.map((k) => [k.kind, k.objects, formatBytes(k.bytes)])));
    lines.push('');
    if (s.largestObjects.length) {
      lines.push('Largest objects:');
      lines.push(...table(['kind', 'name', 'id', 'bytes', 'changed at'], s.largestObjects.map((o) => [o.kind, o.name, o.id, formatBytes(o.bytes), o.lastChangedAt ?? 'snapshot'])));
      lines.push('');
    }
  } else if (m.stateError) {
    lines.push(`State: cannot be rebuilt (${m.stateError})`, '');
  }
  lines.push('Files:');
  lines.push(...table(['file', 'size', 'used', 'entries/index'], [
    ...m.files.segments.map((s) => [s.name, formatBytes(s.fileBytes), formatBytes(s.usedBytes), s.entries]),
    ...m.files.snapshots.map((s) => [s.name, formatBytes(s.fileBytes), formatBytes(s.fileBytes), `index ${s.index}`]),
  ]));
  return lines.join('\n') + '\n';
}
