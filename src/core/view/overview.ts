// The custom editor's overview of a WAL segment or snapshot file: what the file is, the state directory
// around it (segments, snapshots, hard state, this member), the key state, counts and faults.
import { decodeRaftMember, type SwarmState } from '../state/swarmState';
import { hexId } from '../report/names';
import type { CountRow, OverviewModel } from '../../shared/protocol';
import { OBJECT_KINDS } from '../model/objects';
import type { EntrySummary } from './entries';

export interface OverviewInput {
  state: SwarmState;
  filePath: string;
  fileName: string;
  fileKind: 'wal' | 'snap';
  fileSize: number;
  /** Summaries of the rows so far (indexed by row); undefined items are not summarized yet. */
  summaries?: readonly (EntrySummary | undefined)[];
  rowCount: number;
  counting?: boolean;
  snapshot?: OverviewModel['snapshot'];
}

export function keyMessage(state: SwarmState): string {
  const s = state.keyRing.status;
  switch (s.state) {
    case 'open':
      return s.locked ? 'Autolocked swarm, opened with its unlock key.' : 'Not autolocked: the data key is read from swarm-node.key.';
    case 'locked':
      return 'This swarm is autolocked: enter its unlock key to decrypt the entries. Index, term and type are shown without it.';
    case 'not-encrypted':
      return 'This raft layout is not encrypted.';
    default:
      return s.message;
  }
}

export function buildOverview(input: OverviewInput): OverviewModel {
  const { state } = input;
  let member: OverviewModel['member'];
  if (state.wal.metadata) {
    try {
      const m = decodeRaftMember(state.wal.metadata);
      member = { raftId: hexId(m.raftId), nodeId: m.nodeId, addr: m.addr };
    } catch {
      member = undefined;
    }
  }
  const hs = state.wal.hardState;
  return {
    fileName: input.fileName,
    filePath: input.filePath,
    fileKind: input.fileKind,
    fileSize: input.fileSize,
    stateDir: state.layout.stateDir,
    ...(state.identity.clusterId ? { clusterId: state.identity.clusterId } : {}),
    ...(state.identity.nodeId ? { nodeId: state.identity.nodeId } : {}),
    keyState: state.keyRing.status.state,
    keyMessage: keyMessage(state),
    segments: state.wal.segments.map((s) => ({ name: s.name, size: s.scan.size, entries: s.scan.entryCount, end: s.scan.end })),
    snapshots: state.snapshotFiles.map((f) => ({
      name: f.name, index: (f.snapshot?.index ?? f.nameIndex).toString(), term: (f.snapshot?.term ?? f.nameTerm).toString(), size: f.size, valid: !!f.snapshot,
    })),
    ...(hs ? { hardState: { term: hs.term.toString(), vote: hexId(hs.vote), commit: hs.commit.toString() } } : {}),
    ...(member ? { member } : {}),
    entryCount: input.rowCount,
    ...countRows(input.summaries ?? [], input.fileKind),
    faults: state.faults.map((f) => ({ file: f.file, offset: f.offset, message: f.message, severity: f.severity })),
    ...(input.snapshot ? { snapshot: input.snapshot } : {}),
    ...(input.counting ? { counting: true } : {}),
  };
}

const ACTION_ORDER = ['CREATE', 'UPDATE', 'REMOVE', 'UNKNOWN', 'SNAPSHOT'];

/**
 * Entries (objects of a snapshot) by action, plus conf changes, empty entries and each unreadable status,
 * and by object kind. An entry counts once under each action and each kind among its store actions, as
 * the Raft Log tree groups it: the cards' counts are the tree's.
 */
export function countRows(summaries: readonly (EntrySummary | undefined)[], fileKind: 'wal' | 'snap' = 'wal'): { byAction: CountRow[]; byKind: CountRow[] } {
  const actions = new Map<string, number>();
  const kinds = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const s of summaries) {
    if (!s) continue;
    if (s.status !== 'ok') bump(actions, s.status);
    else if (s.confChange) bump(actions, 'conf change');
    else if (s.empty) bump(actions, 'empty');
    if (fileKind === 'wal') for (const action of new Set(s.actions.map((a) => a.action))) bump(actions, action);
    for (const kind of new Set(s.actions.map((a) => a.kind))) bump(kinds, kind);
  }
  const order = [...ACTION_ORDER, 'conf change', 'empty', 'locked', 'earlier-key', 'undecryptable', 'corrupt'];
  const byAction = [...actions].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([label, count]) => ({ label, count }));
  const kindOrder: string[] = [...OBJECT_KINDS, 'unknown'];
  const byKind = [...kinds].sort(([a], [b]) => kindOrder.indexOf(a) - kindOrder.indexOf(b)).map(([label, count]) => ({ label, count }));
  return { byAction, byKind };
}
