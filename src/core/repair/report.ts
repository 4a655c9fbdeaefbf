// The repair report: what the copy keeps, what it leaves out and why (file:offset, index, term), what the
// cluster loses, and what to do next. Text for people, JSON (uint64 values as strings) for tools.
import { basename } from 'node:path';
import { describeLoss } from './losses';
import type { DroppedItem, RepairPlan, RepairResult } from './model';

export const FORCE_NEW_CLUSTER =
  '`docker swarm init --force-new-cluster` on it is the next step: it keeps the node id, cluster id and every object, ' +
  'rewrites the raft membership to this manager alone and makes it leader; the other managers then show as nodes ' +
  'with status Unknown (remove them with `docker node rm --force`, then join new managers)';

export function repairReportText(plan: RepairPlan, result?: RepairResult): string {
  const lines: string[] = [];
  lines.push(result ? `Repaired ${plan.stateDir} into ${result.outDir}` : `Repair plan for ${plan.stateDir} (nothing written)`);
  const k = plan.kept;
  const range = k.firstIndex !== undefined ? `entries ${k.firstIndex}..${k.lastIndex} (${k.entries} entries)` : `no entries (${k.lastIndex > 0n ? `the snapshot's state at index ${k.lastIndex}` : 'empty log'})`;
  lines.push(`Kept: ${range}, last index ${k.lastIndex} (term ${k.lastTerm})${plan.at !== undefined ? `, up to --at ${plan.at}` : ''}`);
  lines.push(plan.snapshot ? `Snapshot: ${plan.snapshot.name} (index ${plan.snapshot.index}, term ${plan.snapshot.term})` : 'Snapshot: none (the log starts at index 1)');
  for (const s of plan.snapshotsLeftOut) lines.push(`  left out ${s.name}: ${s.file}:${s.offset}: ${s.reason}`);
  const hs = plan.hardState;
  const hsText = `term ${hs.final.term}, vote ${hs.final.vote.toString(16)}, commit ${hs.final.commit}`;
  lines.push(hs.appended ? `Hard state: ${hsText} (appended: ${hs.why})` : `Hard state: ${hsText}`);
  if (plan.appendSnapshotMark && plan.snapshot) lines.push(`Snapshot mark: appended for index ${plan.snapshot.index} (the log kept none)`);
  if (plan.cut) lines.push(`Cut: ${plan.cut.file}:${plan.cut.offset}${at(plan.cut)}: ${plan.cut.reason}; this record and everything after it are left out`);
  if (plan.dropped.length > 0) {
    lines.push('Dropped:');
    for (const d of plan.dropped) lines.push(`  ${droppedText(d)}`);
    if (plan.droppedNotListed > 0) lines.push(`  ... and ${plan.droppedNotListed} more`);
  }
  for (const name of plan.notCopied) lines.push(`Not copied: ${name}`);
  lines.push(...lossLines(plan));
  lines.push(...memberLines(plan));
  if (result) {
    lines.push(`Written: ${result.walFiles.map((f) => basename(f)).join(', ')}; snapshots: ${result.snapFiles.map((f) => basename(f)).join(', ') || 'none'}; copied as they are: ${result.copied.join(', ') || 'nothing'}`);
    lines.push(result.verification.length === 0 ? 'Check: the copy reads back without a fault; the engine has nothing to repair' : `Check FAILED: ${result.verification.join('; ')}`);
  }
  return lines.join('\n') + '\n';
}

function at(item: { index?: bigint; term?: bigint }): string {
  if (item.index === undefined) return '';
  return ` (entry ${item.index}${item.term !== undefined ? `, term ${item.term}` : ''})`;
}

function droppedText(d: DroppedItem): string {
  const what = d.what === 'damage' ? 'damaged bytes' : d.what;
  const effect = d.covered ? 'nothing lost, the snapshot holds it' : d.what === 'damage' ? 'whatever they held is not in the copy' : 'left out';
  return `${d.file}:${d.offset}: ${what}${at(d)}: ${d.reason}; ${effect}`;
}

function lossLines(plan: RepairPlan): string[] {
  const lost = plan.lost;
  const lines: string[] = [];
  const nothing = lost.count === 0 && lost.damagedStretches === 0 && !plan.dropped.some((d) => !d.covered);
  if (nothing) return ['The cluster loses: nothing'];
  lines.push('The cluster loses:');
  if (lost.count > 0) lines.push(`  entries ${lost.firstIndex}..${lost.lastIndex} (${lost.count} entries${lost.unreadable ? `, ${lost.unreadable} of them unreadable` : ''}) after the cut`);
  if (lost.damagedStretches > 0) lines.push(`  ${lost.damagedStretches} damaged stretch(es) after the cut`);
  for (const d of plan.dropped) if (!d.covered && d.what === 'damage') lines.push(`  the contents of ${d.bytes} damaged bytes at ${d.file}:${d.offset}`);
  for (const o of lost.objects) lines.push(`  ${describeLoss(o)}`);
  return lines;
}

function memberLines(plan: RepairPlan): string[] {
  const m = plan.membership;
  const me = m.thisRaftId ? ` (this manager: raft id ${m.thisRaftId}${m.thisNodeId ? `, node ${m.thisNodeId}` : ''})` : '';
  if (!m.leaderless) return [`Managers: ${m.raftIds.length || 1}${me}; the copy starts as a single manager`];
  return [
    `Managers: ${m.raftIds.length} in the raft membership (${m.raftIds.join(', ')})${me}`,
    `  The copy holds one manager of several: started alone it comes up without a leader ("The swarm does not have a leader").`,
    `  ${FORCE_NEW_CLUSTER}.`,
  ];
}

/** The plan (and result) as JSON: indexes, terms and raft ids as strings. */
export function repairReportJson(plan: RepairPlan, result?: RepairResult): unknown {
  const { decisions: _decisions, ...visible } = plan;
  void _decisions;
  return JSON.parse(JSON.stringify({ ...visible, written: result ?? null, dryRun: !result, next: plan.membership.leaderless ? FORCE_NEW_CLUSTER : null }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
}
