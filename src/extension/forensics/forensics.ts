// The forensics side of the extension (issue #8): one ForensicsSession per open state directory, the
// session of the active Raft document, and the provider of the read-only object/history/report documents.
// Object and history documents are users of their swarm as much as a Raft editor is:
// each holds it open (StateRegistry.retain) while it shows its data. So is the State view while it is
// visible: it keeps showing its swarm after the last Raft editor closed, until it is hidden.
import * as vscode from 'vscode';
import { historyText, objectVersions, renderObject, versionLabel, type ObjectRevision } from '../../core/forensics';
import type { Explorer } from '../context';
import type { RaftDocument } from '../editor/raftDocument';
import type { SharedState } from '../state/stateRegistry';
import { docDirs, isVersion, OBJECT_SCHEME, parseDocUri, type DocRef } from './objectUris';
import { ForensicsSession } from './session';

/** How long a document just read holds its swarm without a tab (the tab shows within milliseconds). */
const JUST_READ_MS = 5000;

export class Forensics implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly sessions = new Map<SharedState, ForensicsSession>();
  /** Texts made once (comparison reports): kept in memory only, for as long as the extension runs. */
  private readonly reports = new Map<string, string>();
  private readonly activeChanged = new vscode.EventEmitter<ForensicsSession | undefined>();
  /** The active Raft document changed (so the session the State tree shows did). */
  readonly onDidChangeSession = this.activeChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** The swarms held by open object and history documents, by state directory. */
  private readonly documentHolds = new Map<string, SharedState>();
  /** When a document of each state directory was last read (see syncDocumentHolds). */
  private readonly justRead = new Map<string, number>();
  private syncTimer?: ReturnType<typeof setTimeout>;
  private stateViewVisible = false;
  /** The swarm the State view shows, held while the view is visible (see syncStateViewHold). */
  private stateViewHold?: { session: ForensicsSession; lease: vscode.Disposable };

  constructor(readonly explorer: Explorer) {
    this.disposables.push(
      this.activeChanged,
      vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, this),
      explorer.onDidChangeActive((doc) => {
        if (doc?.shared) this.sessionOf(doc.shared).lastFile = doc.uri;
        this.syncStateViewHold();
        this.activeChanged.fire(this.session());
      }),
      vscode.window.tabGroups.onDidChangeTabs(() => this.syncDocumentHolds()),
    );
  }

  /**
   * The session of `doc` (default: the active Raft document), made on first use. With no Raft document
   * active, the one the State view holds (if it does): the session the State view shows.
   */
  session(doc: RaftDocument | undefined = this.explorer.activeDocument): ForensicsSession | undefined {
    if (!doc) return this.stateViewHold?.session;
    return doc.shared ? this.sessionOf(doc.shared) : undefined;
  }

  /**
   * Resolves when every open Raft document has been read and decoded in the background: replays wait
   * for it before they start and between their slices, as work that can wait, so that a log opening
   * (or reloading) is not slowed by a replay on the same thread.
   */
  documentsSettled(): Promise<unknown> {
    return Promise.all([...this.explorer.documents].map((d) => d.afterBackgroundDecoding()));
  }

  /** The State view was shown or hidden: while visible it holds the swarm it shows. */
  setStateViewVisible(visible: boolean): void {
    this.stateViewVisible = visible;
    const before = this.session();
    this.syncStateViewHold();
    // Hidden with no Raft editor open: its swarm was let go, so the view follows no session any more.
    if (this.session() !== before) this.activeChanged.fire(this.session());
  }

  /**
   * Moves the State view's hold to the swarm it shows (the active document's) while it is visible; lets
   * go when it is hidden or shows another swarm. A log that is still opening may be of the held swarm:
   * the hold stays until it has opened (onDidChangeActive comes again then), rather than closing the
   * swarm and reading it again.
   */
  private syncStateViewHold(): void {
    const active = this.explorer.activeDocument;
    if (this.stateViewVisible && active?.isOpening) return;
    const shown = this.stateViewVisible ? this.session() : undefined;
    const old = this.stateViewHold;
    if (old?.session === shown) return;
    const lease = shown && this.explorer.registry.hold(shown.shared);
    this.stateViewHold = shown && lease ? { session: shown, lease } : undefined;
    old?.lease.dispose();
  }

  private sessionOf(shared: SharedState): ForensicsSession {
    this.prune();
    let s = this.sessions.get(shared);
    if (!s) this.sessions.set(shared, (s = new ForensicsSession(shared, () => this.documentsSettled())));
    return s;
  }

  /** The session of a state directory that is still open (a Raft editor or a document uses it). */
  sessionOfDir(dir: string): ForensicsSession | undefined {
    const shared = this.explorer.registry.get(dir);
    return shared ? this.sessionOf(shared) : undefined;
  }

  /**
   * Holds the swarm of every object or history document open in a tab, and of a document read in the last
   * few seconds (its tab is not there yet), and lets go of the others: a diff outlives the Raft editor it
   * was opened from. Documents are followed by their tabs: VS Code keeps a closed tab's document for
   * minutes, and the data keys should not stay in memory that long.
   */
  private syncDocumentHolds(): void {
    const now = Date.now();
    for (const [dir, at] of this.justRead) if (now - at >= JUST_READ_MS) this.justRead.delete(dir);
    const dirs = new Set([
      ...vscode.window.tabGroups.all.flatMap((g) => g.tabs.flatMap((t) => tabUris(t.input))).flatMap((u) => docDirs(u)),
      ...this.justRead.keys(),
    ]);
    for (const [dir, shared] of this.documentHolds) {
      if (dirs.has(dir)) continue;
      this.documentHolds.delete(dir);
      this.explorer.registry.release(shared);
    }
    for (const dir of dirs) this.holdForDocuments(dir);
  }

  private holdForDocuments(dir: string): void {
    if (this.documentHolds.has(dir)) return;
    const shared = this.explorer.registry.get(dir);
    if (shared && this.explorer.registry.retain(shared)) this.documentHolds.set(dir, shared);
  }

  /** A document of `dir` was just read: held until its tab shows (or JUST_READ_MS passed without one). */
  private documentRead(dir: string): void {
    this.justRead.set(dir, Date.now());
    this.holdForDocuments(dir);
    clearTimeout(this.syncTimer);
    this.syncTimer = setTimeout(() => this.syncDocumentHolds(), JUST_READ_MS + 50);
  }

  /** Drops the sessions of directories no longer open. */
  private prune(): void {
    for (const [shared, s] of this.sessions) {
      if (this.explorer.registry.get(shared.stateDir) !== shared) {
        s.dispose();
        this.sessions.delete(shared);
      }
    }
  }

  addReport(text: string): string {
    const key = `r${this.reports.size + 1}`;
    this.reports.set(key, text);
    return key;
  }

  /** The object a DocRef of type 'object' names, or why it cannot be shown. */
  revision(ref: Extract<DocRef, { type: 'object' }>): ObjectRevision | string {
    const session = this.sessionOfDir(ref.dir);
    if (!session) return `${ref.dir} is not open any more: open one of its .wal or .snap files.`;
    const st = ref.state;
    if (st.source === 'store') {
      const store = session.storeAt(st.index === undefined ? undefined : BigInt(st.index), st.snapshot);
      const object = store.get(ref.kind, ref.id);
      if (!object) return `${ref.kind} ${ref.id} is not in the store at index ${store.appliedIndex}.`;
      const name = session.catalog().find((o) => o.kind === ref.kind && o.id === ref.id)?.name ?? '';
      return { kind: ref.kind, id: ref.id, name, object, label: `${ref.kind} ${name || ref.id} @ ${store.appliedIndex} (state)` };
    }
    const v = objectVersions(session.state, ref.id, { kind: ref.kind }).versions.find((x) => isVersion(x, st));
    return v ?? `That version of ${ref.kind} ${ref.id} is not in the log any more (reloaded?).`;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ref = parseDocUri(uri);
    if (!ref) return `Not a Swarm Raft document: ${uri.toString()}\n`;
    // Held from the moment it is read; its tab keeps the hold (syncDocumentHolds).
    if (ref.type !== 'report') this.documentRead(ref.dir);
    try {
      switch (ref.type) {
        case 'report':
          return this.reports.get(ref.key) ?? 'This report is gone (the window was reloaded): compare again.\n';
        case 'history': {
          const session = this.sessionOfDir(ref.dir);
          if (!session) return `${ref.dir} is not open any more: open one of its .wal or .snap files.\n`;
          return [...historyText(objectVersions(session.state, ref.id, { kind: ref.kind }), { redact: ref.redact, diff: true })].join('');
        }
        case 'object': {
          const r = this.revision(ref);
          return typeof r === 'string' ? `${r}\n` : renderObject(r.kind, r.object, { format: ref.format, redact: ref.redact });
        }
      }
    } catch (e) {
      return `Cannot show this: ${(e as Error).message}\n`;
    }
  }

  /** The label of a revision for titles. */
  static label(r: ObjectRevision): string {
    return versionLabel(r);
  }

  dispose(): void {
    this.stateViewHold?.lease.dispose();
    this.stateViewHold = undefined;
    clearTimeout(this.syncTimer);
    for (const shared of this.documentHolds.values()) this.explorer.registry.release(shared);
    this.documentHolds.clear();
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.reports.clear();
    for (const d of this.disposables.reverse()) d.dispose();
  }
}

function tabUris(input: unknown): vscode.Uri[] {
  if (input instanceof vscode.TabInputText) return [input.uri];
  if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
  return [];
}
