// The comparison in words: a summary sentence (also in the JSON) and the CLI's text report.
import type { ComparisonReport, IndexSpan, ManagerSummary } from './compareModel';

const span = (s: IndexSpan) => (s.from === s.to ? `${s.from}` : `${s.from}..${s.to}`);
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

function spans(list: IndexSpan[]): string {
  const uncommitted = list.reduce((n, s) => n + (s.uncommitted ?? 0), 0);
  return `${list.map(span).join(', ')}${uncommitted ? ` (${uncommitted} uncommitted)` : ''}`;
}

function payloadNote(r: ComparisonReport): string {
  const p = r.payloads;
  const unchecked = p.unchecked.reduce((n, u) => n + u.count, 0);
  const parts: string[] = [];
  if (p.compared) parts.push(p.differentCount ? `${p.differentCount} of ${p.compared} decrypted payloads differ` : `${plural(p.compared, 'decrypted payload')} equal`);
  if (unchecked) parts.push(`${unchecked} not compared (${p.unchecked.map((u) => u.reason).join('; ')})`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** One or two sentences: the verdict, the common prefix and what only one side has. */
export function describeComparison(r: ComparisonReport): string {
  const agreed = r.agreed ? `entries ${span(r.agreed)}` : 'no entry';
  const sentences: string[] = [];
  switch (r.verdict) {
    case 'disjoint':
      sentences.push(`The logs have no index in common (A: ${range(r.a)}, B: ${range(r.b)}), so they cannot be aligned.`);
      break;
    case 'diverged': {
      const d = r.divergence!;
      sentences.push(`The logs diverge at index ${d.index} (term ${d.a.term} on A, ${d.b.term} on B); they agree on ${agreed}${payloadNote(r)}.`);
      sentences.push(d.a.committed && d.b.committed
        ? 'Both sides have committed their different entries there: that never happens in a healthy swarm (a restored backup, or another swarm?).'
        : `From there A holds ${span(d.a.entries)}${d.a.entries.uncommitted ? ` (${d.a.entries.uncommitted} uncommitted)` : ''} and B ${span(d.b.entries)}${d.b.entries.uncommitted ? ` (${d.b.entries.uncommitted} uncommitted)` : ''}: the uncommitted side's tail is replaced when it follows the other's leader.`);
      break;
    }
    case 'inconsistent':
      sentences.push(`The logs agree by index and term on ${agreed}, but ${r.payloads.differentCount} decrypted payload(s) differ (first at ${r.payloads.different[0]}): not the same log.`);
      break;
    case 'lagging': {
      const lag = r.lagging;
      if (lag) {
        const ahead = lag.side === 'a' ? 'B' : 'A';
        const extra = lag.side === 'a' ? r.onlyInB : r.onlyInA;
        const tail = extra.filter((s) => BigInt(s.to) > BigInt((lag.side === 'a' ? r.a : r.b).lastIndex ?? '0'));
        sentences.push(`${lag.side.toUpperCase()} lags ${ahead} by ${plural(lag.behindBy, 'entry', 'entries')}: they agree on ${agreed}${payloadNote(r)}; ${ahead}'s ${spans(tail)} ${tail.length === 1 && tail[0].count === 1 ? 'is' : 'are'} not on ${lag.side.toUpperCase()}.`);
      } else {
        sentences.push(`The logs end at the same index and agree on ${agreed}${payloadNote(r)}.`);
      }
      break;
    }
    case 'identical':
      sentences.push(`Same log: the managers agree on ${agreed}${payloadNote(r)}.`);
      break;
  }
  if (r.a.commit !== undefined && r.b.commit !== undefined) {
    sentences.push(r.commitAhead ? `Commit index: A ${r.a.commit}, B ${r.b.commit}.` : `Both have committed up to ${r.a.commit}.`);
  }
  return sentences.join(' ');
}

function range(m: ManagerSummary): string {
  return m.firstIndex ? `${m.firstIndex}..${m.lastIndex}` : 'empty';
}

function manager(label: string, m: ManagerSummary): string[] {
  const who = [m.nodeId ? `node ${m.nodeId}` : '', m.raftId ? `raft id ${m.raftId}` : '', m.addr ?? ''].filter(Boolean).join(', ');
  const lines = [`${label}: ${m.stateDir}${who ? ` (${who})` : ''}`];
  lines.push(`  entries ${range(m)} (${m.entries}), last term ${m.lastTerm ?? '-'}, commit ${m.commit ?? '-'} (term ${m.term ?? '-'}), keys ${m.keyState}`);
  lines.push(`  snapshot ${m.snapshot ? `${m.snapshot.name} (index ${m.snapshot.index}, term ${m.snapshot.term})` : 'none'}`);
  return lines;
}

/** `swarm-raft compare` text output. */
export function comparisonText(r: ComparisonReport): string {
  const lines = [...manager('A', r.a), ...manager('B', r.b)];
  lines.push(`Cluster: ${r.sameCluster === undefined ? 'unknown (a node certificate is missing)' : r.sameCluster ? `same (${r.a.clusterId})` : `DIFFERENT (${r.a.clusterId} / ${r.b.clusterId})`}`);
  if (r.sameNode) lines.push('Node: the same manager in both directories (e.g. a backup and a later copy)');
  lines.push('');
  lines.push(`Verdict: ${r.verdict}`);
  lines.push(r.summary);
  lines.push('');
  lines.push(`Overlap (indexes in both logs): ${r.overlap ? `${span(r.overlap)} (${r.overlap.count})` : 'none'}`);
  lines.push(`Common prefix (same index and term): ${r.agreed ? `${span(r.agreed)} (${r.agreed.count})` : 'none'}`);
  if (r.divergence) {
    const d = r.divergence;
    lines.push(`First divergence: index ${d.index}: A term ${d.a.term}${d.a.committed ? ' (committed)' : ''}, B term ${d.b.term}${d.b.committed ? ' (committed)' : ''}`);
  }
  lines.push(`Only in A: ${r.onlyInA.length ? spans(r.onlyInA) : 'none'}`);
  lines.push(`Only in B: ${r.onlyInB.length ? spans(r.onlyInB) : 'none'}`);
  if (r.lagging) lines.push(`Lagging: ${r.lagging.side.toUpperCase()} by ${r.lagging.behindBy}`);
  if (r.commitAhead) lines.push(`Commit ahead: ${r.commitAhead.side.toUpperCase()} by ${r.commitAhead.by}`);
  const p = r.payloads;
  lines.push(`Payloads: ${p.compared} compared, ${p.equal} equal, ${p.differentCount} different${p.different.length ? ` (${p.different.join(', ')}${p.differentCount > p.different.length ? ', ...' : ''})` : ''}`);
  for (const u of p.unchecked) lines.push(`  not compared: ${u.count} (${u.reason})`);
  for (const s of r.snapshots) {
    const check = s.otherTerm === undefined ? `not in ${s.side === 'a' ? 'B' : 'A'}'s WAL` : s.matches ? `matches ${s.side === 'a' ? 'B' : 'A'}'s entry` : `MISMATCH: ${s.side === 'a' ? 'B' : 'A'} has term ${s.otherTerm}`;
    lines.push(`Snapshot of ${s.side.toUpperCase()} ${s.name} (index ${s.index}, term ${s.term}): ${check}`);
  }
  return lines.join('\n') + '\n';
}
