// History and diffs of one object: open it as it is at the State tree's index, list its versions,
// compare a version with the one before it or with any other version or object, in VS Code's diff
// editor on two read-only virtual documents. Secret and config data stay redacted unless the user
// confirms that they want them in clear.
import * as vscode from 'vscode';
import { searchCatalog, versionLabel, type ObjectFormat, type ObjectVersion } from '../../core/forensics';
import type { Forensics } from './forensics';
import { besideTheLog, docUri, parseDocUri, type DocRef } from './objectUris';
import { focusPosition, objectRef, objectTarget, storeState, versionsOf, versionUri, type DocOptions, type ObjectTarget } from './objectTarget';

export interface DiffOpened {
  left: vscode.Uri;
  right: vscode.Uri;
  title: string;
}

/** Where the user picks how diff documents look (text format or JSON). */
export function objectFormat(): ObjectFormat {
  return vscode.workspace.getConfiguration('swarmRaft').get<string>('forensics.format', 'text') === 'json' ? 'json' : 'text';
}

const UNREDACT_WARNING = 'Show secret and config data, environment variables, registry credentials and cluster keys in clear? Security reviewers need both views; the documents stay in memory and are never written to disk, but anyone who sees your screen sees the values.';

export class HistoryCommands {
  /** Dialogs, replaced by the tests. */
  readonly prompts = {
    confirmUnredacted: async (): Promise<boolean> => (await vscode.window.showWarningMessage(UNREDACT_WARNING, { modal: true }, 'Show in Clear')) === 'Show in Clear',
    pick: <T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined> => vscode.window.showQuickPick(items, options),
  };

  constructor(private readonly forensics: Forensics) {}

  register(): vscode.Disposable[] {
    const cmd = (id: string, fn: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, fn);
    return [
      cmd('swarmRaft.openStateObject', (arg) => this.open(arg, { format: objectFormat(), redact: true })),
      cmd('swarmRaft.showHistory', (arg) => this.showHistory(arg)),
      cmd('swarmRaft.compareWithPrevious', (arg) => this.compareWithPrevious(arg, { format: objectFormat(), redact: true })),
      cmd('swarmRaft.compareWithPreviousUnredacted', async (arg) => ((await this.prompts.confirmUnredacted()) ? this.compareWithPrevious(arg, { format: objectFormat(), redact: false }) : undefined)),
      cmd('swarmRaft.compareWith', (arg, choice) => this.compareWith(arg, choice)),
      cmd('swarmRaft.showUnredacted', () => this.showActiveUnredacted()),
    ];
  }

  private target(arg: unknown): ObjectTarget | undefined {
    const t = objectTarget(this.forensics, arg);
    if (!t) void vscode.window.showInformationMessage('Pick an object in the State tree or a store action in the Raft Log tree.');
    return t;
  }

  /** Opens the object as the target's state holds it. */
  async open(arg: unknown, o: DocOptions): Promise<vscode.Uri | undefined> {
    const t = this.target(arg);
    if (!t) return undefined;
    const name = t.session.catalog().find((c) => c.kind === t.kind && c.id === t.id)?.name || t.id;
    const at = t.state.source === 'store' ? `@ ${t.state.index ?? 'latest'}` : t.state.source === 'entry' ? `@ ${t.state.index}` : `in ${t.state.snapshotFile}`;
    const uri = docUri(objectRef(t, t.state, o), `${t.kind} ${name} ${at}`);
    await vscode.window.showTextDocument(uri, besideTheLog());
    return uri;
  }

  /** Lists every version; picking one compares it with the version before it. Returns the versions (for tests). */
  async showHistory(arg: unknown): Promise<ObjectVersion[] | undefined> {
    const t = this.target(arg);
    if (!t) return undefined;
    const versions = versionsOf(t);
    if (!versions.length) {
      void vscode.window.showInformationMessage(`No readable entry or snapshot holds ${t.kind} ${t.id}.`);
      return versions;
    }
    type Item = vscode.QuickPickItem & { position?: number };
    const items: Item[] = [
      { label: '$(book) Whole history as text', description: 'every version, then what changed' },
      ...versions.map((v, position) => ({ label: `#${v.index} ${v.action}`, description: `term ${v.term}${v.name ? ` · ${v.name}` : ''}`, detail: position ? 'compare with the version before' : 'the first version', position })),
    ];
    const picked = await this.prompts.pick(items, { title: `History of ${t.kind} ${versions.at(-1)!.name || t.id}: ${versions.length} version${versions.length === 1 ? '' : 's'}`, matchOnDescription: true });
    if (!picked) return versions;
    if (picked.position === undefined) await this.openHistoryText(t);
    else if (picked.position === 0) await vscode.window.showTextDocument(versionUri(t, versions[0], { format: objectFormat(), redact: true }), besideTheLog());
    else await this.openDiff(t, versions[picked.position - 1], versions[picked.position], { format: objectFormat(), redact: true });
    return versions;
  }

  async openHistoryText(t: ObjectTarget): Promise<vscode.Uri> {
    const ref: DocRef = { type: 'history', dir: t.session.shared.stateDir, kind: t.kind, id: t.id, redact: true };
    const uri = docUri(ref, `History of ${t.kind} ${t.id}`);
    await vscode.window.showTextDocument(uri, besideTheLog());
    return uri;
  }

  /** The state in focus against the version before it. */
  async compareWithPrevious(arg: unknown, o: DocOptions): Promise<DiffOpened | undefined> {
    const t = this.target(arg);
    if (!t) return undefined;
    const versions = versionsOf(t);
    const at = focusPosition(t, versions);
    if (at < 0) {
      void vscode.window.showInformationMessage(`${t.kind} ${t.id}: this version is not in the log any more.`);
      return undefined;
    }
    if (at === 0) {
      void vscode.window.showInformationMessage(`${versionLabel(versions[0])} is the first version the log and the snapshots show: nothing to compare with.`);
      return undefined;
    }
    return this.openDiff(t, versions[at - 1], versions[at], o);
  }

  /**
   * The state in focus against another version of the object or against another object. `choice` skips
   * the quick picks: { version: position in the history } or { kind, id } (that object at the same index).
   */
  async compareWith(arg: unknown, choice?: unknown): Promise<DiffOpened | undefined> {
    const t = this.target(arg);
    if (!t) return undefined;
    const o: DocOptions = { format: objectFormat(), redact: true };
    const versions = versionsOf(t);
    const at = focusPosition(t, versions);
    const right = at >= 0 && t.state.source !== 'store' ? versionUri(t, versions[at], o) : docUri(objectRef(t, t.state, o), `${t.kind} ${t.id} (current)`);
    const rightLabel = at >= 0 ? versionLabel(versions[at]) : `${t.kind} ${t.id}`;
    let c = choice as { version?: number; kind?: string; id?: string } | undefined;
    if (!c) {
      type Item = vscode.QuickPickItem & { version?: number; other?: true };
      const items: Item[] = [
        ...versions.map((v, i) => ({ label: `#${v.index} ${v.action}`, description: `term ${v.term}${i === at ? ' · this one' : ''}`, version: i })).filter((i) => i.version !== at),
        { label: '$(search) Another object…', other: true },
      ];
      const picked = await this.prompts.pick(items, { title: `Compare ${rightLabel} with…` });
      if (!picked) return undefined;
      if (picked.other) {
        const catalog = t.session.catalog();
        const others = await this.prompts.pick(
          searchCatalog(catalog, '').filter((x) => !(x.kind === t.kind && x.id === t.id)).map((x) => ({ label: x.name || x.id, description: `${x.kind} · ${x.id}`, object: { kind: x.kind, id: x.id } })),
          { title: 'Compare with which object?', matchOnDescription: true },
        );
        if (!others) return undefined;
        c = others.object;
      } else c = { version: picked.version };
    }
    if (!c) return undefined;
    if (c.version !== undefined) {
      const v = versions[c.version];
      if (!v) return undefined;
      return this.show(versionUri(t, v, o), right, `${versionLabel(v)} ↔ ${rightLabel}`);
    }
    const other = objectTarget(this.forensics, { dir: t.session.shared.stateDir, kind: c.kind, id: c.id, state: storeState(t.session) });
    if (!other) return undefined;
    const otherVersions = versionsOf(other);
    const last = otherVersions.at(-1);
    // The other object as the same store holds it; when it is not there, its last version.
    const present = t.session.storeAt(t.state.source === 'store' && t.state.index ? BigInt(t.state.index) : undefined).get(other.kind, other.id);
    const left = present || !last ? docUri(objectRef(other, other.state, o), `${other.kind} ${other.id}`) : versionUri(other, last, o);
    const leftLabel = last ? `${other.kind} ${last.name || other.id}` : `${other.kind} ${other.id}`;
    return this.show(left, right, `${leftLabel} ↔ ${rightLabel}`);
  }

  private async openDiff(t: ObjectTarget, a: ObjectVersion, b: ObjectVersion, o: DocOptions): Promise<DiffOpened> {
    return this.show(versionUri(t, a, o), versionUri(t, b, o), `${versionLabel(a)} ↔ ${versionLabel(b)}${o.redact ? '' : ' (unredacted)'}`);
  }

  private async show(left: vscode.Uri, right: vscode.Uri, title: string): Promise<DiffOpened> {
    await vscode.commands.executeCommand('vscode.diff', left, right, title, besideTheLog());
    return { left, right, title };
  }

  /** The active object document or diff again, with redaction off (after a confirmation). */
  async showActiveUnredacted(): Promise<DiffOpened | vscode.Uri | undefined> {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const unredact = (uri: vscode.Uri): vscode.Uri => {
      const ref = parseDocUri(uri);
      if (!ref || ref.type === 'report') return uri;
      return docUri({ ...ref, redact: false }, `${uri.path.replace(/^\//, '').replace(/\.(txt|json)$/, '')} (unredacted)`);
    };
    if (input instanceof vscode.TabInputTextDiff) {
      if (!(await this.prompts.confirmUnredacted())) return undefined;
      return this.show(unredact(input.original), unredact(input.modified), `${vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? 'Diff'} (unredacted)`);
    }
    if (input instanceof vscode.TabInputText && parseDocUri(input.uri)) {
      if (!(await this.prompts.confirmUnredacted())) return undefined;
      const uri = unredact(input.uri);
      await vscode.window.showTextDocument(uri, besideTheLog());
      return uri;
    }
    void vscode.window.showInformationMessage('Open an object or a diff of the State tree first.');
    return undefined;
  }
}
