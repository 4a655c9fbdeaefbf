// The forensics side of the extension (issue #8): one ForensicsSession per open state directory, the
// session of the active Raft document, and the provider of the read-only object/history/report documents.
import * as vscode from 'vscode';
import { historyText, objectVersions, renderObject, versionLabel, type ObjectRevision } from '../../core/forensics';
import type { Explorer } from '../context';
import type { RaftDocument } from '../editor/raftDocument';
import type { SharedState } from '../state/stateRegistry';
import { isVersion, OBJECT_SCHEME, parseDocUri, type DocRef } from './objectUris';
import { ForensicsSession } from './session';

export class Forensics implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly sessions = new Map<SharedState, ForensicsSession>();
  /** Texts made once (comparison reports): kept in memory only, for as long as the extension runs. */
  private readonly reports = new Map<string, string>();
  private readonly activeChanged = new vscode.EventEmitter<ForensicsSession | undefined>();
  /** The active Raft document changed (so the session the State tree shows did). */
  readonly onDidChangeSession = this.activeChanged.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly explorer: Explorer) {
    this.disposables.push(
      this.activeChanged,
      vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, this),
      explorer.onDidChangeActive(() => this.activeChanged.fire(this.session())),
    );
  }

  /** The session of `doc` (default: the active Raft document), made on first use. */
  session(doc: RaftDocument | undefined = this.explorer.activeDocument): ForensicsSession | undefined {
    const shared = doc?.shared;
    if (!shared) return undefined;
    this.prune();
    let s = this.sessions.get(shared);
    if (!s) this.sessions.set(shared, (s = new ForensicsSession(shared)));
    return s;
  }

  /** The session of a state directory that some open document still holds. */
  sessionOfDir(dir: string): ForensicsSession | undefined {
    const shared = this.explorer.registry.get(dir);
    if (!shared) return undefined;
    const doc = [...this.explorer.documents].find((d) => d.shared === shared);
    return this.session(doc);
  }

  /** Drops the sessions of directories no document holds any more. */
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
    try {
      switch (ref.type) {
        case 'report':
          return this.reports.get(ref.key) ?? 'This report is gone (the window was reloaded): compare again.\n';
        case 'history': {
          const session = this.sessionOfDir(ref.dir);
          if (!session) return `${ref.dir} is not open any more.\n`;
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
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.reports.clear();
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
