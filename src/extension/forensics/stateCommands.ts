// Time travel: which index the State tree shows ("Go to Index...", "Show State at This Entry", back to
// the latest) and which snapshot replays start from ("Choose Snapshot...").
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Forensics } from './forensics';
import type { SnapshotChoice } from './session';

export class StateCommands {
  readonly prompts = {
    index: (options: vscode.InputBoxOptions): Thenable<string | undefined> => vscode.window.showInputBox(options),
    pick: <T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Thenable<T | undefined> => vscode.window.showQuickPick(items, options),
  };

  constructor(private readonly forensics: Forensics, private readonly reveal: () => Promise<void>) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('swarmRaft.goToIndex', (arg?: unknown) => this.goToIndex(arg)),
      vscode.commands.registerCommand('swarmRaft.stateAtLatest', () => this.goToIndex('latest')),
      vscode.commands.registerCommand('swarmRaft.showStateAtEntry', (arg?: unknown) => this.showStateAtEntry(arg)),
      vscode.commands.registerCommand('swarmRaft.chooseSnapshot', (arg?: unknown) => this.chooseSnapshot(arg)),
    ];
  }

  private session() {
    const s = this.forensics.session();
    if (!s) void vscode.window.showInformationMessage('Open a Raft WAL segment (.wal) or snapshot (.snap) first.');
    return s;
  }

  /** `arg`: an index (number, string, bigint) or 'latest'; asks when absent. Returns the index shown. */
  async goToIndex(arg?: unknown): Promise<bigint | undefined> {
    const s = this.session();
    if (!s) return undefined;
    const { min, max } = s.range();
    let text = typeof arg === 'number' || typeof arg === 'bigint' || typeof arg === 'string' ? String(arg) : undefined;
    text ??= await this.prompts.index({
      title: 'Swarm Raft: Show the State at Index',
      prompt: `A raft index from ${min} to ${max}; empty for the latest`,
      value: s.index?.toString() ?? '',
      validateInput: (v) => checkIndex(v, min, max),
    });
    if (text === undefined) return undefined;
    if (text.trim() === '' || text === 'latest') s.goTo(undefined);
    else {
      const problem = checkIndex(text, min, max);
      if (problem) {
        void vscode.window.showErrorMessage(problem);
        return undefined;
      }
      s.goTo(BigInt(text.trim().replace(/^#/, '')));
    }
    await this.reveal();
    return s.index;
  }

  /** From an entry of the Raft Log tree (or a raft index): the state right after that entry. */
  async showStateAtEntry(arg?: unknown): Promise<bigint | undefined> {
    const node = arg as { t?: string; seq?: number } | undefined;
    const entry = node?.t === 'entry' || node?.t === 'action' ? this.forensics.explorer.tree.document?.model?.entryBySeq(node.seq!) : undefined;
    if (!entry) return this.goToIndex(arg);
    const s = this.forensics.session(this.forensics.explorer.tree.document);
    if (!s) return undefined;
    const snapIndex = typeof s.snapshot === 'string' ? s.state.snapshotFiles.find((f) => f.name === s.snapshot)?.snapshot?.index : undefined;
    // Below the chosen snapshot the state cannot be rebuilt from it: fall back to the default start.
    if (snapIndex !== undefined && entry.index < snapIndex) s.chooseSnapshot(undefined);
    s.goTo(entry.index);
    await this.reveal();
    return entry.index;
  }

  /** `arg`: a snapshot file name, 'none' (replay from index 1) or 'newest'; asks when absent. */
  async chooseSnapshot(arg?: unknown): Promise<SnapshotChoice | 'cancelled'> {
    const s = this.session();
    if (!s) return 'cancelled';
    const files = s.state.snapshotFiles.filter((f) => f.snapshot);
    const { starts } = s.range();
    let choice: SnapshotChoice | 'cancelled';
    if (typeof arg === 'string') choice = arg === 'none' ? false : arg === 'newest' ? undefined : basename(arg);
    else {
      type Item = vscode.QuickPickItem & { choice: SnapshotChoice };
      const items: Item[] = [
        { label: 'Newest snapshot at or below the index', description: s.snapshot === undefined ? '(current)' : undefined, detail: 'as swarm-rafttool and SwarmKit do', choice: undefined },
        ...(starts.includes(0n) ? [{ label: 'No snapshot', description: s.snapshot === false ? '(current)' : undefined, detail: 'replay every entry from index 1', choice: false as const }] : []),
        ...files.map((f) => ({ label: f.name, description: `index ${f.snapshot!.index}, term ${f.snapshot!.term}${s.snapshot === f.name ? ' (current)' : ''}`, choice: f.name })),
      ];
      const picked = await this.prompts.pick(items, { title: 'Swarm Raft: Start the State From' });
      choice = picked ? picked.choice : 'cancelled';
    }
    if (choice === 'cancelled') return choice;
    if (typeof choice === 'string') {
      const file = files.find((f) => f.name === choice);
      if (!file) {
        void vscode.window.showErrorMessage(`${choice} is not a readable snapshot of ${s.shared.stateDir}.`);
        return 'cancelled';
      }
      // The state below a snapshot cannot be rebuilt from it.
      if (s.index !== undefined && s.index < file.snapshot!.index) s.index = file.snapshot!.index;
    }
    s.chooseSnapshot(choice);
    await this.reveal();
    return choice;
  }
}

export function checkIndex(text: string, min: bigint, max: bigint): string | undefined {
  const t = text.trim().replace(/^#/, '');
  if (t === '' || t === 'latest') return undefined;
  if (!/^\d+$/.test(t)) return 'A raft index is a whole number.';
  const n = BigInt(t);
  if (n < min || n > max) return `The state can be rebuilt from ${min} to ${max}.`;
  return undefined;
}
