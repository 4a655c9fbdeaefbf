// The "Raft Log" tree for the active Raft editor: a summary node (files, snapshots, hard state, this
// member, key, faults), the snapshot's objects, then the entries grouped by term, action, object kind
// or flat by index in buckets (setting swarmRaft.tree.groupBy). An entry's children are its store actions.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { groupByIndex, groupEntries, groupTermRuns, type Group, type GroupBy } from '../../core/view/grouping';
import { actionText, nameAndId, type EntrySummary } from '../../core/view/entries';
import { formatFault } from '../../core/errors';
import { hexId } from '../../core/report/names';
import { decodeRaftMember } from '../../core/state/swarmState';
import type { FileModel } from '../../core/view/fileModel';
import type { EntryRow } from '../../shared/protocol';
import type { RaftDocument } from '../editor/raftDocument';
import type { Explorer, Target } from '../context';
import { ACTION_ICONS, entryIcon, kindIcon } from './icons';

export type Node =
  | { t: 'info'; id: string; label: string; description?: string; tooltip?: string | vscode.MarkdownString; icon?: vscode.ThemeIcon; children?: Node[]; command?: vscode.Command; parent?: Node }
  | { t: 'group'; id: string; group: Group; parent?: Node }
  | { t: 'entry'; id: string; seq: number; parent?: Node }
  | { t: 'action'; id: string; seq: number; index: number; parent: Node }
  | { t: 'snapFile'; id: string; snapshot: string; parent?: Node }
  | { t: 'snapKind'; id: string; snapshot: string; kind: string; positions: number[]; parent: Node }
  | { t: 'snapObject'; id: string; snapshot: string; position: number; parent: Node };

interface Layout {
  doc: RaftDocument;
  model: FileModel;
  groupBy: GroupBy;
  /** Built from the entries' summaries (grouped by action or kind, or filtered): rebuilt when counting ends. */
  usesCounts: boolean;
  roots: Node[];
  /** With an entry filter: how many entries of the file it keeps (undefined while they are being decoded). */
  kept?: number;
  /** Where entries are listed, in tree order: a leaf group (or the root, undefined) and its seqs. */
  listings: { node: Node | undefined; seqs: readonly number[] }[];
  /** The leaf group (or root) each entry is listed under first, for reveal: made on first use from `listings`. */
  parentOf?: Map<number, Node | undefined>;
  entryNodes: Map<string, Node>;
  children: Map<Node, Node[]>;
}

export class EntryTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private layout?: Layout;
  private doc?: RaftDocument;
  private docSubscriptions: vscode.Disposable[] = [];
  /** Hides the entries it rejects (the entry filter of src/extension/forensics); refresh() after changing it. */
  rowFilter?: (row: EntryRow) => boolean;
  /** The filter as the user typed it: shown above the tree while it applies (a count alone does not say what hides entries). */
  filterText = '';

  constructor(private readonly explorer: Explorer) {}

  /** Shows the tree of `doc` (the active Raft editor), or nothing. */
  setDocument(doc: RaftDocument | undefined): void {
    if (doc === this.doc) return;
    this.docSubscriptions.forEach((s) => s.dispose());
    this.docSubscriptions = [];
    this.doc = doc;
    if (doc) {
      this.docSubscriptions.push(
        doc.onDidChangeModel(() => this.refresh()),
        // Grouped by term or index and unfiltered, nothing shown depends on the counts: an entry's label
        // is decoded when the item is made. Only a layout built from the summaries is rebuilt.
        doc.onDidFinishCounting(() => {
          if (this.layout?.usesCounts) this.refresh();
        }),
      );
    }
    this.refresh();
  }

  get document(): RaftDocument | undefined {
    return this.doc;
  }

  refresh(): void {
    this.layout = undefined;
    this.changed.fire(undefined);
  }

  private current(): Layout | undefined {
    const doc = this.doc;
    const model = doc?.model;
    if (!doc || !model) return undefined;
    const groupBy = this.explorer.config.groupBy;
    if (this.layout && this.layout.model === model && this.layout.groupBy === groupBy) return this.layout;
    this.layout = buildLayout(doc, model, groupBy, this.explorer.config.bucketSize, this.rowFilter);
    this.explorer.view.message = this.rowFilter ? filterMessage(this.filterText, this.layout) : undefined;
    return this.layout;
  }

  getChildren(node?: Node): Node[] {
    const doc = this.doc;
    if (!doc) return [];
    if (!node && doc.problem) return [{ t: 'info', id: `${doc.uri}|problem`, label: 'Not Swarm Raft data', description: doc.problem, tooltip: doc.problem, icon: new vscode.ThemeIcon('warning') }];
    if (!node && doc.isOpening) return [{ t: 'info', id: `${doc.uri}|opening`, label: `Reading ${doc.fileName}…`, description: 'indexing the log', tooltip: doc.filePath, icon: new vscode.ThemeIcon('loading~spin') }];
    const layout = this.current();
    if (!layout) return [];
    if (!node) return layout.roots;
    const cached = layout.children.get(node);
    if (cached) return cached;
    const children = childrenOf(layout, node);
    layout.children.set(node, children);
    return children;
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const item = this.makeItem(node);
    // Screen readers (and UI tests) get the label and the description, never a long tooltip.
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    item.accessibilityInformation = { label: item.description ? `${label}, ${String(item.description)}` : label };
    return item;
  }

  private makeItem(node: Node): vscode.TreeItem {
    const layout = this.current();
    switch (node.t) {
      case 'info': {
        const item = new vscode.TreeItem(node.label, node.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = node.icon;
        item.command = node.command;
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = node.group.description;
        item.contextValue = 'group';
        return item;
      }
      case 'entry':
        return entryItem(layout!, node);
      case 'action': {
        const s = layout!.model.summaryOfSeq(node.seq)!;
        const a = s.actions[node.index];
        const shown = nameAndId(a.name, a.id);
        const item = new vscode.TreeItem(`${a.action} ${a.kind} ${shown.name}`, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = shown.id;
        item.iconPath = ACTION_ICONS[a.action] ?? ACTION_ICONS.UNKNOWN;
        item.tooltip = `${a.action} ${a.kind}\nid: ${a.id}${a.name ? `\nname: ${a.name}` : ''}`;
        item.contextValue = a.kind === 'service' ? 'action-service' : 'action';
        item.command = showCommand(layout!.doc, { kind: 'entry', seq: node.seq, action: node.index });
        return item;
      }
      case 'snapFile': {
        const file = layout!.model.state.snapshotFiles.find((f) => f.name === node.snapshot);
        const item = new vscode.TreeItem(`Snapshot @${file?.snapshot?.index ?? file?.nameIndex ?? '?'}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = node.snapshot + (file && !file.snapshot ? ' · invalid' : '');
        item.iconPath = new vscode.ThemeIcon('archive');
        item.tooltip = file?.snapshot
          ? `${file.path}\nindex ${file.snapshot.index}, term ${file.snapshot.term}: the store as it was at that index (entries up to it are covered by it)`
          : `${file?.path ?? node.snapshot}\n${file?.fault ? formatFault(file.fault) : 'unreadable'}`;
        return item;
      }
      case 'snapKind': {
        const item = new vscode.TreeItem(node.kind, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = String(node.positions.length);
        item.iconPath = kindIcon(node.kind);
        return item;
      }
      case 'snapObject': {
        const obj = layout!.model.objectsOf(layout!.model.state.snapshotFiles.find((f) => f.name === node.snapshot))![node.position];
        const shown = nameAndId(obj.name, obj.id);
        const item = new vscode.TreeItem(`${obj.kind} ${shown.name}`, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = shown.id;
        item.iconPath = kindIcon(obj.kind);
        item.tooltip = `${obj.kind} ${obj.name}\nid: ${obj.id}\nin snapshot ${node.snapshot}`;
        item.contextValue = 'snapshotObject';
        const target: Target = layout!.model.kind === 'snap' ? { kind: 'entry', seq: node.position } : { kind: 'snapshot', snapshot: node.snapshot, position: node.position };
        item.command = showCommand(layout!.doc, target);
        return item;
      }
    }
  }

  /** The tree node that shows `target`, for TreeView.reveal (entries and snapshot objects). */
  nodeFor(target: Target): Node | undefined {
    const layout = this.current();
    if (!layout) return undefined;
    if (target.kind === 'entry' && layout.model.kind === 'wal') {
      const parents = parentsOf(layout);
      if (!parents.has(target.seq)) return undefined;
      const entry = entryNode(layout, target.seq, parents.get(target.seq));
      if (target.action === undefined) return entry;
      return this.getChildren(entry).find((n) => n.t === 'action' && n.index === target.action) ?? entry;
    }
    const snapshot = target.kind === 'snapshot' ? target.snapshot : layout.model.fileName;
    const position = target.kind === 'snapshot' ? target.position : target.seq;
    for (const root of layout.roots) {
      const fileNodes = root.t === 'snapFile' && root.snapshot === snapshot ? [root] : root.t === 'info' && root.children ? root.children.filter((c) => c.t === 'snapFile' && c.snapshot === snapshot) : [];
      const kinds = root.t === 'snapKind' && root.snapshot === snapshot ? [root] : fileNodes.flatMap((f) => this.getChildren(f));
      for (const k of kinds) {
        if (k.t === 'snapKind' && k.positions.includes(position)) return this.getChildren(k).find((o) => o.t === 'snapObject' && o.position === position);
      }
    }
    return undefined;
  }

  dispose(): void {
    this.docSubscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

function showCommand(doc: RaftDocument, target: Target): vscode.Command {
  return { command: 'swarmRaft.showEntry', title: 'Show in Detail', arguments: [doc.uri.toString(), target] };
}

/** A map of 150k entries costs ~80 ms: made when something is first revealed, not when the tree opens. */
function parentsOf(layout: Layout): Map<number, Node | undefined> {
  if (!layout.parentOf) {
    const map = new Map<number, Node | undefined>();
    for (const { node, seqs } of layout.listings) for (const seq of seqs) if (!map.has(seq)) map.set(seq, node);
    layout.parentOf = map;
  }
  return layout.parentOf;
}

function buildLayout(doc: RaftDocument, model: FileModel, groupBy: GroupBy, bucketSize: number, rowFilter?: (row: EntryRow) => boolean): Layout {
  const key = doc.uri.toString();
  const needsCounts = groupBy === 'action' || groupBy === 'kind' || !!rowFilter;
  const layout: Layout = { doc, model, groupBy, usesCounts: model.kind === 'wal' && needsCounts, roots: [], listings: [], entryNodes: new Map(), children: new Map() };
  layout.roots.push(summaryNode(key, model));
  if (model.kind === 'snap') {
    layout.roots.push(...snapshotKindNodes(layout, key, model.fileName, undefined));
    return layout;
  }
  const snaps = model.state.snapshotFiles;
  if (snaps.length === 1) layout.roots.push({ t: 'snapFile', id: `${key}|snap|${snaps[0].name}`, snapshot: snaps[0].name });
  else if (snaps.length > 1) {
    const holder: Node = { t: 'info', id: `${key}|snaps`, label: `Snapshots (${snaps.length})`, icon: new vscode.ThemeIcon('archive'), children: [], tooltip: 'Snapshot files of this state directory, oldest first' };
    (holder as { children: Node[] }).children = snaps.map((f) => ({ t: 'snapFile' as const, id: `${key}|snap|${f.name}`, snapshot: f.name, parent: holder }));
    layout.roots.push(holder);
  }
  if (needsCounts && !model.fullySummarized) {
    layout.roots.push({ t: 'info', id: `${key}|pending`, label: 'Decoding entries…', description: `${model.rowCount} entries`, icon: new vscode.ThemeIcon('loading~spin') });
    return layout;
  }
  const byIndex = model.indexOfSeq;
  let groups: Group[];
  if (rowFilter) {
    const items = model.groupItems().filter((_, r) => rowFilter(model.row(r)));
    layout.kept = items.length;
    groups = groupEntries(items, groupBy, bucketSize, byIndex);
  } else if (groupBy === 'term') {
    groups = groupTermRuns(model.termRuns(), bucketSize, byIndex); // no object per entry: the default, at every open
  } else if (groupBy === 'index') {
    groups = groupByIndex(model.rowSeqs(), bucketSize, byIndex);
  } else {
    groups = groupEntries(model.groupItems(), groupBy, bucketSize, byIndex);
  }
  const prefix = `${key}|${groupBy}`;
  // Flat by index with a single bucket: the entries themselves.
  if (groupBy === 'index' && groups.length === 1 && !groups[0].buckets) {
    layout.listings.push({ node: undefined, seqs: groups[0].seqs });
    layout.roots.push(...groups[0].seqs.map((seq) => entryNode(layout, seq, undefined)));
    groups = [];
  }
  const addGroups = (list: Group[], parent: Node | undefined) =>
    list.map((group) => {
      const node: Node = { t: 'group', id: `${prefix}|${group.key}`, group, parent };
      if (group.buckets) layout.children.set(node, addGroups(group.buckets, node));
      else layout.listings.push({ node, seqs: group.seqs });
      return node;
    });
  layout.roots.push(...addGroups(groups, undefined));
  return layout;
}

function entryNode(layout: Layout, seq: number, parent: Node | undefined): Node {
  const id = `${parent?.id ?? `${layout.doc.uri}|${layout.groupBy}`}|e${seq}`;
  let node = layout.entryNodes.get(id);
  if (!node) {
    node = { t: 'entry', id, seq, parent };
    layout.entryNodes.set(id, node);
  }
  return node;
}

function childrenOf(layout: Layout, node: Node): Node[] {
  switch (node.t) {
    case 'info':
      return node.children ?? [];
    case 'group':
      return node.group.seqs.map((seq) => entryNode(layout, seq, node));
    case 'entry': {
      const s = layout.model.summaryOfSeq(node.seq);
      return (s?.actions ?? []).map((_, index) => ({ t: 'action' as const, id: `${node.id}|a${index}`, seq: node.seq, index, parent: node }));
    }
    case 'snapFile':
      return snapshotKindNodes(layout, node.id, node.snapshot, node);
    case 'snapKind':
      return node.positions.map((position) => ({ t: 'snapObject' as const, id: `${node.id}|o${position}`, snapshot: node.snapshot, position, parent: node }));
    default:
      return [];
  }
}

function snapshotKindNodes(layout: Layout, key: string, snapshot: string, parent: Node | undefined): Node[] {
  const file = layout.model.state.snapshotFiles.find((f) => f.name === snapshot);
  const s = layout.model.snapshot(file);
  if (!s) return [];
  if (!s.decoded.ok) {
    const locked = s.decoded.problem === 'locked';
    return [{
      t: 'info', id: `${key}|problem`, parent,
      label: locked ? 'Locked: unlock to see the objects' : `Unreadable (${s.decoded.problem})`,
      description: locked ? undefined : s.decoded.message, tooltip: s.decoded.message,
      icon: new vscode.ThemeIcon(locked ? 'lock' : 'warning'),
      ...(locked ? { command: { command: 'swarmRaft.unlock', title: 'Unlock', arguments: [layout.doc.uri.toString()] } } : {}),
    }];
  }
  const byKind = new Map<string, number[]>();
  for (const o of s.objects) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o.position]);
  const out: Node[] = [];
  for (const [kind, positions] of byKind) {
    const node: Node = { t: 'snapKind', id: `${key}|k-${kind}`, snapshot, kind, positions, parent: parent as Node };
    out.push(node);
  }
  return out;
}

function filterMessage(text: string, layout: Layout): string {
  const { model } = layout;
  const count = model.kind !== 'wal' ? '' : layout.kept === undefined ? ' (decoding entries…)' : ` · ${layout.kept} of ${model.rowCount} entries`;
  return `Filter: ${text || '(set)'}${count}`;
}

function entryItem(layout: Layout, node: Extract<Node, { t: 'entry' }>): vscode.TreeItem {
  const { model, doc } = layout;
  const e = model.entryBySeq(node.seq)!;
  const s = model.summaryOfSeq(node.seq)!;
  const item = new vscode.TreeItem(`#${e.index}  ${s.summary}`, s.actions.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const flags = [e.overwritten ? 'overwritten' : '', e.uncommitted ? 'uncommitted' : '', e.crcOk ? '' : 'CRC mismatch'].filter(Boolean);
  item.description = [`term ${e.term}`, ...flags].join(' · ');
  item.iconPath = entryIcon(s);
  item.tooltip = entryTooltip(model, node.seq, s);
  item.contextValue = `entry-${s.status}`;
  item.command = showCommand(doc, { kind: 'entry', seq: node.seq });
  return item;
}

function entryTooltip(model: FileModel, seq: number, s: EntrySummary): vscode.MarkdownString {
  const e = model.entryBySeq(seq)!;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Entry #${e.index}** · term ${e.term} · ${e.type === 1 ? 'EntryConfChange' : 'EntryNormal'}\n\n`);
  md.appendText(`${basename(e.file)} at byte ${e.offset}, ${e.dataLength} bytes of data\n`);
  if (s.status !== 'ok') md.appendText(`\n${s.message ?? s.summary}\n`);
  if (s.keyLabel) md.appendText(`data key: ${s.keyLabel}\n`);
  if (s.requestId) md.appendText(`request id: ${s.requestId}\n`);
  if (s.confChange) md.appendText(`\n${s.confChange.type} node ${s.confChange.nodeId}${s.confChange.addr ? ` at ${s.confChange.addr}` : ''}\n`);
  for (const a of s.actions) md.appendText(`\n${actionText(a)}  (${a.id})`);
  if (e.overwritten) md.appendText('\n\nOverwritten: a later entry replaced it; not part of the effective log.');
  if (e.uncommitted) md.appendText('\n\nNot committed (above the hard state commit index).');
  if (!e.crcOk) md.appendText('\n\nThe record CRC does not match: the data may be corrupt.');
  return md;
}

function summaryNode(key: string, model: FileModel): Node {
  const { state } = model;
  const summary: Node = { t: 'info', id: `${key}|summary`, label: model.fileName, icon: new vscode.ThemeIcon(model.kind === 'wal' ? 'list-ordered' : 'archive'), children: [] };
  const kids: Node[] = [];
  const add = (n: Omit<Extract<Node, { t: 'info' }>, 't' | 'parent'>) => {
    const node: Node = { t: 'info', ...n, parent: summary };
    kids.push(node);
    return node;
  };
  const files = add({ id: `${key}|files`, label: 'Files', description: `${state.wal.segments.length} segment${state.wal.segments.length === 1 ? '' : 's'}, ${state.snapshotFiles.length} snapshot${state.snapshotFiles.length === 1 ? '' : 's'}`, icon: new vscode.ThemeIcon('files'), tooltip: state.layout.stateDir });
  (files as { children: Node[] }).children = [
    ...state.wal.segments.map((s) => ({ t: 'info' as const, id: `${key}|f|${s.name}`, label: s.name, description: `${s.scan.entryCount} entries · ${s.scan.size} bytes (data ends at ${s.scan.end})`, icon: new vscode.ThemeIcon('file-binary'), tooltip: s.path, parent: files })),
    ...state.wal.ignored.map((i) => ({ t: 'info' as const, id: `${key}|f|${i.name}`, label: i.name, description: `ignored: ${i.reason}`, icon: new vscode.ThemeIcon('circle-slash'), parent: files })),
    ...state.snapshotFiles.map((f) => ({ t: 'info' as const, id: `${key}|f|${f.name}`, label: f.name, description: f.snapshot ? `snapshot index ${f.snapshot.index}, term ${f.snapshot.term} · ${f.size} bytes` : `invalid: ${f.fault?.message ?? ''}`, icon: new vscode.ThemeIcon('archive'), tooltip: f.path, parent: files })),
  ];
  const hs = state.wal.hardState;
  if (hs) add({ id: `${key}|hs`, label: 'Hard state', description: `term ${hs.term} · commit ${hs.commit} · vote ${hexId(hs.vote)}`, icon: new vscode.ThemeIcon('pulse'), tooltip: `${basename(hs.file)} at byte ${hs.offset}` });
  if (state.wal.metadata) {
    try {
      const m = decodeRaftMember(state.wal.metadata);
      add({ id: `${key}|member`, label: 'This member', description: `raft id ${hexId(m.raftId)} · ${m.addr}`, icon: new vscode.ThemeIcon('person'), tooltip: `node ${m.nodeId}\nraft id ${hexId(m.raftId)}\naddress ${m.addr}` });
    } catch {
      // metadata that does not decode is reported as a fault by the reader
    }
  }
  const ks = state.keyRing.status;
  const keyLabel: Record<string, string> = {
    open: 'unlocked', locked: 'locked: click to enter the unlock key', 'wrong-key': 'wrong unlock key: click to try again',
    'invalid-key': 'invalid unlock key: click to try again', 'no-key-file': 'no node key: click to pick swarm-node.key', 'not-encrypted': 'not encrypted',
  };
  const needsAction = ks.state !== 'open' && ks.state !== 'not-encrypted';
  add({
    id: `${key}|key`, label: 'Keys', description: ks.state === 'open' ? (ks.locked ? 'unlocked with the unlock key' : 'not autolocked') : keyLabel[ks.state],
    icon: new vscode.ThemeIcon(needsAction ? 'lock' : 'unlock'), tooltip: 'message' in ks ? ks.message : undefined,
    ...(needsAction ? { command: { command: ks.state === 'no-key-file' ? 'swarmRaft.pickNodeKey' : 'swarmRaft.unlock', title: 'Unlock', arguments: [model.filePath] } } : {}),
  });
  const faults = state.faults;
  const faultNode = add({ id: `${key}|faults`, label: 'Faults', description: faults.length ? `${faults.length}` : 'none', icon: new vscode.ThemeIcon(faults.some((f) => f.severity === 'error') ? 'error' : faults.length ? 'warning' : 'pass') });
  (faultNode as { children: Node[] }).children = faults.map((f, i) => ({
    t: 'info' as const, id: `${key}|fault${i}`, label: `${basename(f.file)}:${f.offset}`, description: f.message, tooltip: formatFault(f),
    icon: new vscode.ThemeIcon(f.severity === 'error' ? 'error' : 'warning'), parent: faultNode,
  }));
  (summary as { children: Node[] }).children = kids;
  (summary as { description?: string }).description = [
    model.kind === 'wal' ? `${model.rowCount} entries` : `${model.rowCount} objects`,
    ks.state === 'locked' ? 'locked' : '',
    faults.length ? `${faults.length} fault${faults.length === 1 ? '' : 's'}` : '',
  ].filter(Boolean).join(' · ');
  return summary;
}
