// Messages between the extension host and the webviews: one discriminated union per direction.
// Requests that expect a reply carry a `requestId` echoed by the reply. Every 64-bit value travels as a
// decimal string (JSON has no exact uint64), and secret/config data never travels until revealed.

export type EntryStatus = 'ok' | 'locked' | 'earlier-key' | 'undecryptable' | 'corrupt';
/** A store action, or 'SNAPSHOT' for an object as stored in a snapshot file (a state, not a change). */
export type ActionName = 'UNKNOWN' | 'CREATE' | 'UPDATE' | 'REMOVE' | 'SNAPSHOT';

export interface ActionRow {
  action: ActionName;
  kind: string;
  id: string;
  name: string;
}

/** One line of the entry table. */
export interface EntryRow {
  /** Position in the raw record stream: the stable key of an entry (indexes can repeat when overwritten). */
  seq: number;
  index: string;
  term: string;
  type: 'EntryNormal' | 'EntryConfChange' | string;
  status: EntryStatus;
  /** e.g. "CREATE secret passwd", "AddNode 1a2b (127.0.0.1:2377)", or the reason it is unreadable. */
  summary: string;
  actions: ActionRow[];
  /** Encrypted size of the entry data in bytes. */
  size: number;
  uncommitted: boolean;
  overwritten: boolean;
  crcOk: boolean;
}

export interface FaultView {
  file: string;
  offset: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface CountRow {
  label: string;
  count: number;
}

export interface OverviewModel {
  fileName: string;
  filePath: string;
  fileKind: 'wal' | 'snap';
  fileSize: number;
  stateDir: string;
  clusterId?: string;
  nodeId?: string;
  keyState: 'open' | 'locked' | 'wrong-key' | 'invalid-key' | 'no-key-file' | 'not-encrypted';
  keyMessage?: string;
  segments: { name: string; size: number; entries: number; end: number }[];
  snapshots: { name: string; index: string; term: string; size: number; valid: boolean }[];
  hardState?: { term: string; vote: string; commit: string };
  member?: { raftId: string; nodeId: string; addr: string };
  entryCount: number;
  byAction: CountRow[];
  byKind: CountRow[];
  faults: FaultView[];
  /** For a .snap file: its metadata and the members it records. */
  snapshot?: {
    index: string;
    term: string;
    /** Raft ids (hex) of the voters in the snapshot's conf state. */
    confState: string[];
    members: { raftId: string; nodeId: string; addr: string }[];
    removed: string[];
    dataKey?: string;
    /** Why its objects cannot be shown (locked, earlier key, corrupt). */
    problem?: string;
  };
  /** True while entry counts (byAction/byKind) are still being computed in the background. */
  counting?: boolean;
}

/** A node of the expandable field tree in the detail view. */
export interface FieldNode {
  name: string;
  /** Scalar value as text (strings already unquoted); absent for messages and lists. */
  value?: string;
  children?: FieldNode[];
  /** Secret or config payload: `value` is withheld until revealed; `revealPath` names it for the host. */
  hidden?: { bytes: number; revealPath: string };
}

export interface ObjectLink {
  label: string;
  kind: string;
  id: string;
}

export interface ActionDetail {
  action: ActionName;
  kind: string;
  id: string;
  name: string;
  version?: string;
  createdAt?: string;
  updatedAt?: string;
  fields: FieldNode;
  /** Reference text format and JSON, with hidden data replaced until revealed. */
  text: string;
  json: string;
  links: ObjectLink[];
}

export interface EntryDetail {
  seq: number;
  index: string;
  term: string;
  type: string;
  status: EntryStatus;
  message?: string;
  requestId?: string;
  keyLabel?: string;
  confChange?: { type: string; nodeId: string; member?: { raftId: string; nodeId: string; addr: string } };
  actions: ActionDetail[];
}

export type HostToWebview =
  | { type: 'overview'; overview: OverviewModel }
  | { type: 'rows'; requestId: number; start: number; total: number; rows: EntryRow[] }
  /** `focusAction`: the action (index in detail.actions) the user picked, to scroll to and expand. */
  | { type: 'detail'; detail: EntryDetail; focusAction?: number }
  /** `isText`: the value is valid UTF-8 text; else it is shown as hex first. */
  | { type: 'revealed'; requestId: number; revealPath: string; text: string; hex: string; isText: boolean }
  | { type: 'select'; seq: number }
  | { type: 'error'; requestId?: number; message: string };

/**
 * When a webview page got going, in ms since its navigation started (performance.now()): its document
 * arrived, its script began, it said ready. How long a webview takes to show is mostly the window's
 * (loading the page) rather than ours; this tells the two apart.
 */
export interface PageTiming {
  documentMs: number;
  scriptMs: number;
  readyMs: number;
}

export type WebviewToHost =
  | { type: 'ready'; timing?: PageTiming }
  | { type: 'getRows'; requestId: number; start: number; count: number; filter?: string }
  | { type: 'select'; seq: number }
  | { type: 'reveal'; requestId: number; seq: number; revealPath: string }
  | { type: 'openObject'; kind: string; id: string }
  | { type: 'copy'; text: string }
  | { type: 'command'; command: 'unlock' | 'exportText' | 'exportJson' | 'openAsText' };
