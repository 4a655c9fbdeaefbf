// `swarm-raft history ID` output: each version's index, term and action, then the object in the
// reference's text format (or a unified diff against the version before); or one JSON object per line.
import { messageToJson } from '../report/dumpWalJson';
import { unifiedDiff } from './diff';
import { versionLabel, type ObjectVersion, type ObjectVersions } from './history';
import { redactObject, renderObject } from './render';

export interface HistoryReportOptions {
  redact?: boolean;
  /** After the first version, print what changed (a unified diff) instead of the whole object. */
  diff?: boolean;
}

export function versionHeader(v: ObjectVersion, position: number): string {
  const where = v.source === 'snapshot' ? `, Snapshot=${v.snapshot?.name ?? ''}` : '';
  return `Version ${position}: Index=${v.index}, Term=${v.term}, Action=${v.action}, Kind=${v.kind}${v.name ? `, Name=${v.name}` : ''}${where}`;
}

export function* historyText(history: ObjectVersions, options: HistoryReportOptions = {}): Generator<string> {
  const { versions } = history;
  const first = versions[0];
  const title = first ? `${first.kind} ${history.id}${versions.at(-1)!.name ? ` (${versions.at(-1)!.name})` : ''}` : history.id;
  yield `History of ${title}: ${versions.length} version${versions.length === 1 ? '' : 's'}\n\n`;
  let previous: { label: string; text: string } | undefined;
  for (let i = 0; i < versions.length; i++) {
    const v = versions[i];
    const text = renderObject(v.kind, v.object, { redact: options.redact });
    const current = { label: versionLabel(v), text };
    let body = text;
    if (options.diff && previous) body = unifiedDiff(previous, current) || (v.action === 'REMOVE' ? '' : '(no change)\n');
    // A remove carries the object as it was: say that it is gone rather than "no change".
    if (v.action === 'REMOVE') body = `(removed from the store at index ${v.index}${options.diff && previous ? '' : '; the object as the remove carried it:'})\n${body}`;
    yield `${versionHeader(v, i + 1)}\n${body}\n`;
    previous = current;
  }
}

export function* historyJson(history: ObjectVersions, options: Pick<HistoryReportOptions, 'redact'> = {}): Generator<string> {
  let position = 0;
  for (const v of history.versions) {
    const line: Record<string, unknown> = {
      version: ++position, index: v.index.toString(), term: v.term.toString(), action: v.action, kind: v.kind, id: v.id, name: v.name, source: v.source,
    };
    if (v.entry) Object.assign(line, { file: v.entry.file, offset: v.entry.offset, actionIndex: v.actionIndex });
    if (v.snapshot) line.snapshot = v.snapshot.name;
    line.object = messageToJson(options.redact ? redactObject(v.kind, v.object) : v.object);
    yield JSON.stringify(line) + '\n';
  }
}
