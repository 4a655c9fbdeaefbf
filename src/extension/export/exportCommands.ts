// "Swarm Raft: Export Decrypted Text" and "Export as JSON": the reference's dump-wal (or dump-snapshot)
// output, byte for byte what the CLI prints, or JSON lines. Redacted is preselected; the destination is a
// new untitled document or a file chosen in a save dialog that never accepts a place inside the state
// directory. Large logs export with a cancellable progress notification, yielding between entries.
import { createWriteStream, realpathSync, unlinkSync, type WriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import { dumpSnapshotText } from '../../core/report/dumpSnapshot';
import { dumpSnapshotJson } from '../../core/report/dumpSnapshotJson';
import { dumpWalText, selectEntries } from '../../core/report/dumpWal';
import { dumpWalJson } from '../../core/report/dumpWalJson';
import { formatFault, type Fault } from '../../core/errors';
import type { SwarmState } from '../../core/state/swarmState';
import type { RaftDocument } from '../editor/raftDocument';
import type { Explorer } from '../context';
import type { ExportDocuments } from './exportDocuments';

export type ExportFormat = 'text' | 'json';

/** Optional arguments (for tests and other extensions); anything left out is asked. */
export interface ExportOptions {
  redact?: boolean;
  destination?: 'untitled' | { file: string };
  /** Do not open the result (tests read the returned text). */
  silent?: boolean;
  /** A WAL: every entry of the log (dump-wal --all), not only those after the newest snapshot. */
  all?: boolean;
}

export interface ExportResult {
  /** The untitled document or the file written. */
  uri: string;
  chunks: number;
  faults: Fault[];
  cancelled: boolean;
  /** The exported text, when it went to an untitled document. */
  text?: string;
  /** What the notice says (also when silent): how many entries, and which. */
  notice?: string;
}

export async function exportDocument(explorer: Explorer, doc: RaftDocument, format: ExportFormat, options: ExportOptions = {}): Promise<ExportResult | undefined> {
  const shared = await explorer.openSwarm(doc, `Cannot export ${doc.fileName}`);
  if (!shared) return undefined;
  const redact = options.redact ?? (await askRedaction(format));
  if (redact === undefined) return undefined;
  const destination = options.destination ?? (await askDestination(doc, format, redact, shared.stateDir));
  if (!destination) return undefined;
  if (typeof destination === 'object' && isInside(destination.file, shared.stateDir)) {
    void vscode.window.showErrorMessage(`Refusing to write inside the swarm state directory ${shared.stateDir}: exports go elsewhere.`);
    return undefined;
  }
  const what = doc.kind === 'snap' ? 'snapshot' : 'log';
  // The export uses the swarm: closing the log's editor meanwhile does not close the swarm under it.
  if (!explorer.registry.retain(shared)) return undefined;
  try {
    return await shared.pinned(async (state) =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Swarm Raft: exporting the ${what} of ${basename(shared.stateDir)} (${redact ? 'redacted' : 'full'})`, cancellable: true },
        (progress, token) => runExport(explorer, doc, state, format, { redact, all: options.all ?? false, silent: options.silent ?? false }, destination, progress, token),
      ),
    );
  } finally {
    explorer.registry.release(shared);
  }
}

async function runExport(
  explorer: Explorer, doc: RaftDocument, state: SwarmState, format: ExportFormat, how: { redact: boolean; all: boolean; silent: boolean },
  destination: 'untitled' | { file: string }, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken,
): Promise<ExportResult> {
  const { redact, all, silent } = how;
  const faults: Fault[] = [];
  let total = 1;
  let chunks: Iterable<string>;
  /** Entries of the log left out (at or below the newest snapshot), as the reference's dump-wal does. */
  let skipped = 0;
  if (doc.kind === 'snap') {
    chunks = format === 'json' ? dumpSnapshotJson(state, { redact, snapshot: doc.fileName }) : [dumpSnapshotText(state, { redact, snapshot: doc.fileName })];
  } else {
    const selected = selectEntries(state, { all }).length;
    skipped = all ? 0 : selectEntries(state, { all: true }).length - selected;
    total = Math.max(1, selected);
    chunks = format === 'json' ? dumpWalJson(state, { redact, all }, faults) : dumpWalText(state, { redact, all }, faults);
  }
  const sink = destination === 'untitled' ? new MemorySink(explorer.exports, exportName(state.layout.stateDir, doc, format, redact)) : new FileSink(destination.file);
  let count = 0;
  let cancelled = false;
  let lastYield = Date.now();
  try {
    for (const chunk of chunks) {
      await sink.write(chunk);
      count++;
      if (Date.now() - lastYield > 30) {
        progress.report({ message: `${count} of ${total}`, increment: (100 * 30) / Math.max(1, total) });
        await new Promise<void>((r) => setImmediate(r));
        lastYield = Date.now();
      }
      if (token.isCancellationRequested) {
        cancelled = true;
        break;
      }
    }
  } catch (e) {
    await sink.abort();
    const message = `Export of ${doc.fileName} failed: ${(e as Error).message}`;
    explorer.log.error(message);
    void vscode.window.showErrorMessage(message);
    return { uri: '', chunks: count, faults, cancelled: false };
  }
  for (const f of faults) explorer.log.warn(formatFault(f));
  if (cancelled) {
    await sink.abort();
    void vscode.window.showInformationMessage(`Export cancelled after ${count} of ${total} ${doc.kind === 'snap' ? 'objects' : 'entries'}.`);
    return { uri: '', chunks: count, faults, cancelled: true };
  }
  const result = await sink.finish(format, silent);
  const unreadable = faults.filter((f) => f.severity === 'error').length;
  const earlier = faults.length - unreadable;
  const notes = [earlier ? `${earlier} entr${earlier === 1 ? 'y' : 'ies'} under an earlier data key` : '', unreadable ? `${unreadable} unreadable` : ''].filter(Boolean).join(', ');
  const what = doc.kind === 'snap' ? snapshotCount(doc.fileName, doc.model?.rowCount) : entryCount(state, count, all, skipped);
  explorer.log.info(`exported ${what} of ${state.layout.stateDir} as ${format}${redact ? ' (redacted)' : ' (full)'} to ${result.uri}`);
  const where = destination === 'untitled' ? 'a new document' : destination.file;
  const notice = `Exported ${what} to ${where}${notes ? ` (${notes}: noted in the export)` : ''}.`;
  if (!silent) {
    // Entries left out: offer the whole log, as dump-wal --all.
    const wholeLog = skipped > 0 ? 'Export the Whole Log' : undefined;
    const show = notes ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void Promise.resolve(wholeLog ? show(notice, wholeLog) : show(notice)).then((choice) => {
      if (choice === wholeLog) void exportDocument(explorer, doc, format, { redact, all: true });
    });
  }
  return { ...result, chunks: count, faults, cancelled: false, notice };
}

/** "9 entries, those after the snapshot at index 120 (as swarm-rafttool dump-wal; 40 earlier ones are in it)". */
function entryCount(state: SwarmState, count: number, all: boolean, skipped: number): string {
  const entries = `${count} entr${count === 1 ? 'y' : 'ies'}`;
  if (all) return `${entries}, the whole log`;
  const snapshot = state.newestSnapshot?.snapshot;
  if (!snapshot || skipped === 0) return entries;
  return `${entries}, those after the snapshot at index ${snapshot.index} (as swarm-rafttool dump-wal; the ${skipped} earlier entr${skipped === 1 ? 'y is' : 'ies are'} summed up in the snapshot)`;
}

/** "the snapshot 0000-0120.snap (8 objects)". */
function snapshotCount(fileName: string, objects: number | undefined): string {
  return `the snapshot ${fileName}${objects === undefined ? '' : ` (${objects} object${objects === 1 ? '' : 's'})`}`;
}

async function askRedaction(format: ExportFormat): Promise<boolean | undefined> {
  const items: (vscode.QuickPickItem & { redact: boolean })[] = [
    { label: '$(shield) Redacted', description: 'recommended', detail: 'Secret and config data, container env, registry auth and cluster key material replaced (as swarm-rafttool --redact)', redact: true },
    { label: '$(unlock) Full', description: 'secrets in clear', detail: 'Every value as decrypted, including secret and config data', redact: false },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: `Swarm Raft: Export ${format === 'json' ? 'as JSON' : 'Decrypted Text'}`, placeHolder: 'Redacted or full?', ignoreFocusOut: true });
  return pick?.redact;
}

async function askDestination(doc: RaftDocument, format: ExportFormat, redact: boolean, stateDir: string): Promise<'untitled' | { file: string } | undefined> {
  const items: (vscode.QuickPickItem & { to: 'untitled' | 'file' })[] = [
    { label: '$(new-file) New document', detail: 'Read-only, in memory only (never backed up to disk); Save As… keeps it', to: 'untitled' },
    { label: '$(save) Save to a file…', detail: 'Anywhere but inside the state directory', to: 'file' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Swarm Raft: Export to…', placeHolder: 'Where should the export go?', ignoreFocusOut: true });
  if (!pick) return undefined;
  if (pick.to === 'untitled') return 'untitled';
  const name = exportName(stateDir, doc, format, redact);
  let defaultUri = vscode.Uri.file(join(homedir(), name));
  for (;;) {
    const uri = await vscode.window.showSaveDialog({
      defaultUri,
      title: 'Export to (not inside the swarm state directory)',
      saveLabel: 'Export',
      filters: format === 'json' ? { 'JSON lines': ['jsonl', 'json'], 'All files': ['*'] } : { Text: ['txt'], 'All files': ['*'] },
    });
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage('Exports are written to local files only.');
      continue;
    }
    if (isInside(uri.fsPath, stateDir)) {
      void vscode.window.showErrorMessage(`${uri.fsPath} is inside the swarm state directory ${stateDir}: choose a place outside it (nothing is ever written into a state directory).`);
      defaultUri = vscode.Uri.file(join(homedir(), name));
      continue;
    }
    return { file: uri.fsPath };
  }
}

/** "swarm-dump-wal-redacted.txt": the export's file name (and the title of its document). */
function exportName(stateDir: string, doc: RaftDocument, format: ExportFormat, redact: boolean): string {
  return `${basename(stateDir)}-${doc.kind === 'snap' ? 'dump-snapshot' : 'dump-wal'}${redact ? '-redacted' : ''}.${format === 'json' ? 'jsonl' : 'txt'}`;
}

/** Whether `target` (which may not exist yet) lies in `dir` or below it, symlinks resolved. */
export function isInside(target: string, dir: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      const parent = dirname(p);
      return parent === p ? p : join(real(parent), basename(p));
    }
  };
  const rel = relative(real(resolve(dir)), real(resolve(target)));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

interface Sink {
  write(chunk: string): Promise<void>;
  abort(): Promise<void>;
  finish(format: ExportFormat, silent: boolean): Promise<{ uri: string; text?: string }>;
}

class MemorySink implements Sink {
  private readonly parts: string[] = [];

  constructor(
    private readonly documents: ExportDocuments,
    private readonly title: string,
  ) {}

  async write(chunk: string): Promise<void> {
    this.parts.push(chunk);
  }

  async abort(): Promise<void> {
    this.parts.length = 0;
  }

  async finish(_format: ExportFormat, silent: boolean): Promise<{ uri: string; text?: string }> {
    const text = this.parts.join('');
    if (silent) return { uri: 'untitled:', text };
    const doc = await this.documents.show(text, this.title);
    return { uri: doc.uri.toString(), text };
  }
}

class FileSink implements Sink {
  private readonly stream: WriteStream;
  private failed?: Error;

  constructor(private readonly file: string) {
    this.stream = createWriteStream(file, { flags: 'w', mode: 0o600 });
    this.stream.on('error', (e) => (this.failed = e));
  }

  async write(chunk: string): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.stream.write(chunk)) await new Promise<void>((r) => this.stream.once('drain', () => r()));
  }

  private close(): Promise<void> {
    return new Promise((resolveClose, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolveClose())));
  }

  async abort(): Promise<void> {
    await this.close().catch(() => undefined);
    try {
      unlinkSync(this.file); // our own partial export, never a file of the state directory
    } catch {
      // already gone
    }
  }

  async finish(_format: ExportFormat, silent: boolean): Promise<{ uri: string }> {
    await this.close();
    if (this.failed) throw this.failed;
    const uri = vscode.Uri.file(this.file);
    if (!silent) await vscode.window.showTextDocument(uri, { preview: false });
    return { uri: uri.toString() };
  }
}
